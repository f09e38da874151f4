"""A live class poll: only the lecturer drives it, phones see only the current question, answers are
counted once each (and may change until voting closes), on SQLite and PostgreSQL alike."""
import csv
import io
from datetime import timedelta

import pytest


from casebook.poll import NotLecturer, Phase, PollError, clean_nickname, csv_safe, phone_view
from tests.conftest import NOW

LATER = NOW + timedelta(minutes=1)



def test_a_session_has_a_readable_join_code_and_a_secret_lecturer_key(poll):
    book, case, session, key = poll
    assert len(session.join_code) == 7 and not set(session.join_code) & set("01OI")
    assert book.polls.is_lecturer(session.id, key)
    assert not book.polls.is_lecturer(session.id, "guess") and not book.polls.is_lecturer(session.id, None)


def test_students_cannot_drive_the_session(poll):
    book, case, session, _ = poll
    with pytest.raises(NotLecturer):
        book.polls.control(session.id, "not-the-key", case, "open", NOW)
    assert book.polls.get(session.id).phase == Phase.lobby


def test_the_phone_sees_the_question_but_not_the_answer_until_revealed(poll):
    book, case, session, key = poll
    _, token = book.polls.join(session.join_code, "Ana", NOW)
    s = book.polls.control(session.id, key, case, "open", NOW)
    view = phone_view(case, s, None, NOW)
    assert view["question"]["prompt"] == "Which sign matters most?"
    assert "A red flag." not in repr(view) and "Weight loss is a red flag." not in repr(view) and "reveal" not in view
    book.polls.answer(session.join_code, token, "q-single", "a", case, NOW)
    s = book.polls.control(session.id, key, case, "reveal", NOW)
    view = phone_view(case, s, book.polls.my_answer(s.id, token, "q-single"), NOW)
    assert view["reveal"]["explanation"] == "Weight loss is a red flag." and view["my_answer"] == "a"


def test_answers_can_change_until_voting_closes_and_count_once(poll):
    book, case, session, key = poll
    _, ana = book.polls.join(session.join_code, "", NOW)
    _, ben = book.polls.join(session.join_code, None, NOW)
    book.polls.control(session.id, key, case, "open", NOW)
    book.polls.answer(session.join_code, ana, "q-single", "b", case, NOW)
    book.polls.answer(session.join_code, ana, "q-single", "a", case, LATER)   # changed her mind
    book.polls.answer(session.join_code, ana, "q-single", "a", case, LATER)   # retried submission
    book.polls.answer(session.join_code, ben, "q-single", "b", case, NOW)
    t = book.polls.tally(session.id, case.question("q-single"))
    assert (dict(zip(t.labels, t.counts)), t.answered, t.joined) == ({"Weight loss": 1, "Sneezing": 1}, 2, 2)
    assert t.percent_correct == 50
    book.polls.control(session.id, key, case, "close", NOW)
    with pytest.raises(PollError, match="closed"):
        book.polls.answer(session.join_code, ben, "q-single", "a", case, LATER)
    assert book.polls.tally(session.id, case.question("q-single")).counts == [1, 1]


@pytest.mark.parametrize("response,message", [("zzz", "choose one"), ([], "choose one")])
def test_an_answer_with_an_option_that_does_not_exist_is_refused(poll, response, message):
    book, case, session, key = poll
    _, token = book.polls.join(session.join_code, None, NOW)
    book.polls.control(session.id, key, case, "open", NOW)
    with pytest.raises(PollError, match=message):
        book.polls.answer(session.join_code, token, "q-single", response, case, NOW)
    assert book.polls.tally(session.id, case.question("q-single")).answered == 0


def test_wrong_or_expired_codes_and_unknown_participants_are_refused(poll):
    book, case, session, key = poll
    with pytest.raises(PollError, match="no session has that code"):
        book.polls.join("WRONG99", None, NOW)
    with pytest.raises(PollError, match="ended"):
        book.polls.join(session.join_code, None, NOW + timedelta(days=1))
    book.polls.control(session.id, key, case, "open", NOW)
    with pytest.raises(PollError, match="join the session first"):
        book.polls.answer(session.join_code, "made-up-token", "q-single", "a", case, NOW)


def test_join_codes_are_case_and_space_insensitive(poll):
    book, case, session, _ = poll
    typed = " ".join(session.join_code.lower())
    assert book.polls.join(typed, None, NOW)[0].id == session.id


@pytest.mark.parametrize("nickname,ok", [("Ana", True), ("", True), ("x" * 31, False), ("<script>", False)])
def test_nicknames_are_optional_short_plain_text(nickname, ok):
    if ok:
        assert clean_nickname(nickname) == nickname
    else:
        with pytest.raises(PollError):
            clean_nickname(nickname)


def test_the_lecturer_walks_through_stages_and_questions(poll):
    book, case, session, key = poll
    s = book.polls.control(session.id, key, case, "open", NOW)
    assert s.question_id == "q-single"
    with pytest.raises(PollError, match="reveal the answer"):
        book.polls.control(session.id, key, case, "next", NOW)
    book.polls.control(session.id, key, case, "reveal", NOW)
    s = book.polls.control(session.id, key, case, "open", NOW)
    assert s.question_id == "q-multi"          # the next unasked question of the stage
    book.polls.control(session.id, key, case, "reveal", NOW)
    s = book.polls.control(session.id, key, case, "next", NOW)
    assert (s.stage_index, s.phase, s.question_id) == (1, Phase.lobby, None)
    s = book.polls.control(session.id, key, case, "next", NOW)
    s = book.polls.control(session.id, key, case, "next", NOW)
    assert s.phase == Phase.ended
    assert s.version > session.version


def test_free_text_answers_are_grouped_after_normalising(poll):
    book, case, session, key = poll
    book.polls.control(session.id, key, case, "next", NOW)          # to stage 2 (free text first)
    book.polls.control(session.id, key, case, "open", NOW)
    for typed in ["Hidden diagnosis", "hidden  DIAGNOSIS!", "pneumonia"]:
        _, token = book.polls.join(session.join_code, None, NOW)
        book.polls.answer(session.join_code, token, "q-free", typed, case, NOW)
    t = book.polls.tally(session.id, case.question("q-free"))
    assert t.labels == ["Hidden diagnosis", "pneumonia"] and t.counts == [2, 1] and t.correct == [True, False]


def test_csv_export_guards_against_formulas(poll):
    book, case, session, key = poll
    book.polls.control(session.id, key, case, "next", NOW)
    book.polls.control(session.id, key, case, "open", NOW)
    _, token = book.polls.join(session.join_code, "=HYPERLINK(1)", NOW)
    book.polls.answer(session.join_code, token, "q-free", "=cmd|' /C calc'!A0", case, NOW)
    per_question, per_person = book.polls.export_csv(session.id, case)
    rows = list(csv.DictReader(io.StringIO(per_person)))
    assert rows[0]["nickname"] == "'=HYPERLINK(1)" and rows[0]["answer"].startswith("'=")
    assert "q-free" in per_question
    assert csv_safe("+1") == "'+1" and csv_safe("fine") == "fine"


def test_the_live_chart_marks_right_answers_in_words_after_the_reveal(poll):
    from components.poll_chart import poll_figure
    from casebook.poll import tally_responses

    book, case, session, key = poll
    t = tally_responses(case.question("q-single"), ["a", "a", "b"], joined=4)
    before = [a.text for a in poll_figure(t, revealed=False).layout.annotations]
    after = [a.text for a in poll_figure(t, revealed=True).layout.annotations]
    assert before == ["Weight loss", "Sneezing"]
    assert after == ["✓ right answer: Weight loss", "Sneezing"]
    assert list(poll_figure(t, revealed=False).data[0].x) == [2, 1]



def test_the_chart_lists_options_in_the_order_the_phones_show_them(poll):
    book, case, session, key = poll
    book.polls.control(session.id, key, case, "open", NOW)
    phone_order = [text for _, text in phone_view(case, book.polls.get(session.id), None, NOW)["question"]["choices"]]
    assert book.polls.tally(session.id, case.question("q-single")).labels == phone_order


def test_a_class_that_mostly_guesses_wrong_still_sees_the_right_answer_in_the_chart(poll):
    from casebook.poll import tally_responses

    question = poll[1].question("q-free")
    wrong = [f"wrong guess {n}" for n in range(20) for _ in range(2)]
    t = tally_responses(question, wrong + ["hidden diagnosis", "HD"], joined=42)
    assert len(t.labels) <= 13 and sum(t.counts) == 42
    assert t.correct.count(True) == 2 and t.labels[-1] == "11 other answers"
    assert t.percent_correct == round(100 * 2 / 42, 1)


def test_odd_answers_and_nicknames_get_a_clear_message(poll):
    book, case, session, key = poll
    with pytest.raises(PollError, match="plain text"):
        book.polls.join(session.join_code, {"a": 1}, NOW)
    _, token = book.polls.join(session.join_code, "Ana", NOW)
    book.polls.control(session.id, key, case, "open", NOW)
    with pytest.raises(PollError, match="no such question"):
        book.polls.answer(session.join_code, token, "made-up", "a", case, NOW)


def test_a_session_stops_taking_people_once_full(poll, monkeypatch):
    import casebook.poll

    book, case, session, key = poll
    monkeypatch.setattr(casebook.poll, "MAX_PARTICIPANTS", 2)
    book.polls.join(session.join_code, "One", NOW)
    book.polls.join(session.join_code, "Two", NOW)
    with pytest.raises(PollError, match="full"):
        book.polls.join(session.join_code, "Three", NOW)
    assert book.polls.counts(session.id, None)[0] == 2


def test_typed_answers_reach_the_projector_only_when_the_lecturer_shows_them(poll):
    from casebook.poll import tally_responses
    from casebook.poll_views import visible_tally

    def projector_tally(question, tally, *, typed_shown, revealed):
        return visible_tally(question, tally, audience="projector", revealed=revealed, typed_shown=typed_shown,
                             order_seed=session.id)

    book, case, session, key = poll
    q = case.question("q-free")
    full = tally_responses(q, ["something rude", "HD", "hidden diagnosis"], joined=3)
    hidden = projector_tally(q, full, typed_shown=False, revealed=False)
    assert hidden.counts == [3] and "something rude" not in repr(hidden) and "HD" not in repr(hidden)
    after_reveal = projector_tally(q, full, typed_shown=False, revealed=True)
    assert after_reveal.labels == ["An accepted answer", "Another answer"] and after_reveal.counts == [2, 1]
    shown_early = projector_tally(q, full, typed_shown=True, revealed=False)
    assert shown_early.labels == full.labels and not any(shown_early.correct)   # words, but not which is right
    single = case.question("q-single")
    choice = tally_responses(single, ["a"], joined=1)
    assert projector_tally(single, choice, typed_shown=False, revealed=True) is choice
    assert projector_tally(single, choice, typed_shown=False, revealed=False).counts == choice.counts

    assert not book.polls.typed_shown(session.id, "q-free")
    with pytest.raises(NotLecturer):
        book.polls.show_typed(session.id, "guess", "q-free", True)
    book.polls.show_typed(session.id, key, "q-free", True)
    assert book.polls.typed_shown(session.id, "q-free")
    book.polls.show_typed(session.id, key, "q-free", False)
    assert not book.polls.typed_shown(session.id, "q-free")


def test_questions_missed_in_class_come_back_in_the_review_of_students_who_gave_their_study_code(poll):
    book, case, session, key = poll
    code = session.join_code
    _, wrong = book.polls.join(code, "Ana", NOW, learner="ana-study-code")
    _, right = book.polls.join(code, "Ben", NOW, learner="ben-study-code")
    _, anonymous = book.polls.join(code, "", NOW)
    book.control_poll(session.id, key, "open", NOW)
    book.polls.answer(code, wrong, "q-single", "b", case, NOW)
    book.polls.answer(code, right, "q-single", "a", case, NOW)
    book.polls.answer(code, anonymous, "q-single", "b", case, NOW)
    assert book.due_reviews("ana-study-code", LATER + timedelta(days=1)) == []  # nothing before the reveal
    book.control_poll(session.id, key, "reveal", NOW)
    due = book.due_reviews("ana-study-code", LATER + timedelta(days=1))
    assert [(d.case_id, q.id) for d, _, q in due] == [("mini-case", "q-single")]
    assert book.due_reviews("ben-study-code", LATER + timedelta(days=1)) == []


def test_a_study_code_that_is_not_one_is_refused_with_a_reason(poll):
    book, case, session, key = poll
    with pytest.raises(PollError, match="study code is 8 to 40"):
        book.polls.join(session.join_code, "Ana", NOW, learner="<b>x</b>")
    assert book.polls.counts(session.id, None)[0] == 0


def test_percent_right_counts_people_whose_whole_answer_is_right_not_ticks(poll):
    from casebook.poll import summarise, tally_responses

    book, case, session, key = poll
    q = case.question("q-multi")
    right = sorted(o.id for o in q.options if o.correct)
    wrong = [o.id for o in q.options if not o.correct]
    t = tally_responses(q, [right, right[:1] + wrong[:1]], joined=2)
    assert t.percent_correct == 50
    assert summarise([(q, t)])[0].percent_correct == 50


def test_after_the_reveal_a_phone_is_told_whether_it_was_right(poll):
    book, case, session, key = poll
    _, token = book.polls.join(session.join_code, "Ana", NOW)
    book.polls.control(session.id, key, case, "open", NOW)
    book.polls.answer(session.join_code, token, "q-single", "b", case, NOW)
    open_view = phone_view(case, book.polls.get(session.id), "b", NOW)
    assert "my_result" not in open_view
    revealed = book.polls.control(session.id, key, case, "reveal", NOW)
    assert phone_view(case, revealed, "b", NOW)["my_result"] == {"correct": False, "verdict": "incorrect"}
    assert phone_view(case, revealed, "a", NOW)["my_result"] == {"correct": True, "verdict": "correct"}
    assert "my_result" not in phone_view(case, revealed, None, NOW)


def test_a_study_code_typed_in_lower_case_on_a_phone_reaches_the_same_review(poll):
    book, case, session, key = poll
    _, token = book.polls.join(session.join_code, "Ana", NOW, learner=" k7qm-3xpa-9dht ")
    book.control_poll(session.id, key, "open", NOW)
    book.polls.answer(session.join_code, token, "q-single", "b", case, NOW)
    book.control_poll(session.id, key, "reveal", NOW)
    assert book.due_reviews("K7QM-3XPA-9DHT", LATER + timedelta(days=1))
