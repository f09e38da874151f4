"""A class session no student can break, on SQLite and PostgreSQL alike: two lecturer windows never
overwrite each other, no answer lands after voting closed, the lecturer can lock the room, size it and
remove someone, and the projector never shows the answer or a student's words before its time."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from casebook.core import Casebook
from casebook.poll import PollConflict, PollError, Removed
from casebook.poll_views import HIDDEN_WORDS, visible_poll
from tests.conftest import CASES, NOW

LATER = NOW + timedelta(minutes=1)



def test_a_second_lecturer_window_cannot_act_on_a_state_it_has_not_seen(poll):
    book, case, session, key = poll
    seen = book.polls.get(session.id).version            # both windows show this version
    book.polls.control(session.id, key, case, "next", NOW, expected_version=seen)      # the laptop
    with pytest.raises(PollConflict, match="moved on in another window"):
        book.polls.control(session.id, key, case, "next", NOW, expected_version=seen)  # the clicker, late
    assert book.polls.get(session.id).stage_index == 1   # moved on once, not twice


def test_simultaneous_presses_from_two_windows_apply_once(poll):
    book, case, session, key = poll
    seen = book.polls.get(session.id).version
    results: list[str] = []
    start = threading.Barrier(6)

    def press():
        start.wait()
        try:
            book.polls.control(session.id, key, case, "next", NOW, expected_version=seen)
            results.append("applied")
        except PollConflict:
            results.append("refused")

    threads = [threading.Thread(target=press) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("applied") == 1 and results.count("refused") == 5
    assert book.polls.get(session.id).stage_index == 1


def test_no_answer_is_recorded_after_voting_closes(poll):
    book, case, session, key = poll
    tokens = [book.polls.join(session.join_code, None, NOW)[1] for _ in range(8)]
    book.polls.control(session.id, key, case, "open", NOW)
    closed_at: list[float] = []
    acked: dict[str, list[float]] = {t: [] for t in tokens}
    stop = threading.Event()

    def phone(token):
        while not stop.is_set():
            started = time.monotonic()
            try:
                book.polls.answer(session.join_code, token, "q-single", "a", case, NOW)
                acked[token].append(started)
            except PollError as exc:
                assert "closed" in str(exc)
                return

    threads = [threading.Thread(target=phone, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    time.sleep(0.3)
    book.polls.control(session.id, key, case, "close", NOW)
    closed_at.append(time.monotonic())
    time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join()
    # Every answer that was acknowledged is stored, and none was accepted that started after the close.
    assert book.polls.counts(session.id, "q-single")[1] == sum(1 for times in acked.values() if times)
    assert all(start < closed_at[0] for times in acked.values() for start in times)
    with pytest.raises(PollError, match="closed"):
        book.polls.answer(session.join_code, tokens[0], "q-single", "b", case, LATER)


def test_back_during_voting_is_refused_and_the_question_stays_open(poll):
    book, case, session, key = poll
    book.polls.control(session.id, key, case, "next", NOW)
    book.polls.control(session.id, key, case, "open", NOW)
    with pytest.raises(PollError, match="close voting"):
        book.polls.control(session.id, key, case, "back", NOW)
    s = book.polls.get(session.id)
    assert (s.stage_index, s.question_id, s.phase.value) == (1, "q-free", "open")


def test_a_question_closed_but_never_revealed_can_be_asked_again_after_going_back(poll):
    book, case, session, key = poll
    book.polls.control(session.id, key, case, "next", NOW)
    book.polls.control(session.id, key, case, "open", NOW)     # q-free
    book.polls.control(session.id, key, case, "close", NOW)
    book.polls.control(session.id, key, case, "back", NOW)
    book.polls.control(session.id, key, case, "next", NOW)
    s = book.polls.control(session.id, key, case, "open", NOW)
    assert (s.question_id, s.phase.value) == ("q-free", "open")
    assert "q-free" in book.polls.asked(session.id)


def test_a_locked_room_takes_no_one_new_and_everyone_in_carries_on(poll):
    book, case, session, key = poll
    _, ana = book.polls.join(session.join_code, "Ana", NOW)
    book.polls.control(session.id, key, case, "lock", NOW)
    with pytest.raises(PollError, match="closed this session to new people"):
        book.polls.join(session.join_code, "Late", NOW)
    book.polls.control(session.id, key, case, "open", NOW)
    assert book.polls.answer(session.join_code, ana, "q-single", "a", case, NOW) == "a"
    book.polls.control(session.id, key, case, "unlock", NOW)
    book.polls.join(session.join_code, "Late", NOW)
    assert book.polls.counts(session.id, None)[0] == 2


def test_a_room_sized_by_the_lecturer_refuses_joins_beyond_it(poll):
    book, case, session, key = poll
    with pytest.raises(PollError):
        book.polls.set_capacity(session.id, "guess", 2)
    book.polls.set_capacity(session.id, key, 2)
    book.polls.join(session.join_code, "One", NOW)
    book.polls.join(session.join_code, "Two", NOW)
    with pytest.raises(PollError, match=r"full \(2 people"):
        book.polls.join(session.join_code, "Three", NOW)
    assert book.polls.get(session.id).places == 2


def test_a_removed_participant_stops_counting_and_their_phone_is_told(poll):
    book, case, session, key = poll
    _, ana = book.polls.join(session.join_code, "Ana", NOW)
    _, bot = book.polls.join(session.join_code, "bot", NOW)
    book.polls.control(session.id, key, case, "open", NOW)
    book.polls.answer(session.join_code, ana, "q-single", "a", case, NOW)
    book.polls.answer(session.join_code, bot, "q-single", "b", case, NOW)
    number = next(p.number for p in book.polls.participants(session.id) if p.nickname == "bot")
    with pytest.raises(PollError):
        book.polls.remove_participant(session.id, "guess", number, NOW)
    book.polls.remove_participant(session.id, key, number, NOW)
    tally = book.polls.tally(session.id, case.question("q-single"))
    assert (tally.answered, tally.joined, sum(tally.counts)) == (1, 1, 1)
    with pytest.raises(Removed, match="removed you"):
        book.polls.answer(session.join_code, bot, "q-single", "a", case, LATER)
    assert [p.nickname for p in book.polls.participants(session.id)] == ["Ana"]
    _, per_person = book.polls.export_csv(session.id, case)
    assert "bot" in per_person and ",no\r\n" in per_person   # listed, marked not counted


def test_removing_a_participant_who_is_not_there_says_so(poll):
    book, case, session, key = poll
    with pytest.raises(PollError, match="no participant 7"):
        book.polls.remove_participant(session.id, key, 7, NOW)


# --- what the projector may show --------------------------------------------------------------


@pytest.mark.parametrize("case_id", ["painful-wasted-leg", "exertional-ankle-pain", "constipation-only"])
def test_while_voting_the_projector_never_lists_a_ranking_in_the_right_order(case_id, tmp_path):
    book = Casebook(CASES, f"sqlite:///{tmp_path / 'db.sqlite'}")
    case = book.case(case_id)
    session, key = book.polls.create(case, NOW)
    ranking = next(q for q in case.questions if q.type == "ranking")
    stage = next(i for i, s in enumerate(case.stages) if ranking in s.questions)
    for _ in range(stage):
        book.polls.control(session.id, key, case, "next", NOW)
    while book.polls.get(session.id).question_id != ranking.id:
        s = book.polls.control(session.id, key, case, "open", NOW)
        if s.question_id != ranking.id:
            book.polls.control(session.id, key, case, "reveal", NOW)
    _, token = book.polls.join(session.join_code, None, NOW)
    book.polls.answer(session.join_code, token, ranking.id, [i.id for i in ranking.items], case, NOW)

    right_order = [f"Ranked first: {i.text}" for i in ranking.items]
    projected = visible_poll(case, book.polls.snapshot(session.id, case), "projector")
    assert projected.tally.labels != right_order and sorted(projected.tally.labels) == sorted(right_order)
    assert not any(projected.tally.correct) and projected.answer_key == []
    assert projected.tally.labels == [f"Ranked first: {t}" for _, t in projected.asked.choices]  # as the phones show
    assert sum(projected.tally.counts) == 1
    book.polls.control(session.id, key, case, "reveal", NOW)
    revealed = visible_poll(case, book.polls.snapshot(session.id, case), "projector")
    assert revealed.tally.labels == right_order and revealed.answer_key == [ranking]


def test_typed_words_reach_the_projected_summary_only_once_shown(poll):
    book, case, session, key = poll
    book.polls.control(session.id, key, case, "next", NOW)
    book.polls.control(session.id, key, case, "open", NOW)
    _, token = book.polls.join(session.join_code, None, NOW)
    book.polls.answer(session.join_code, token, "q-free", "# Casebook says: LYMPHOMA", case, NOW)
    book.polls.control(session.id, key, case, "reveal", NOW)

    def summary(audience):
        return visible_poll(case, book.polls.snapshot(session.id, case, with_summary=True), audience).summary

    assert "LYMPHOMA" not in repr(summary("projector")) and "LYMPHOMA" in repr(summary("notes"))
    projected = visible_poll(case, book.polls.snapshot(session.id, case), "projector")
    assert "LYMPHOMA" not in repr(projected.tally)
    book.polls.show_typed(session.id, key, "q-free", True)
    assert "LYMPHOMA" in repr(summary("projector"))


def test_the_projector_hides_typed_words_and_right_answers_while_voting(poll):
    book, case, session, key = poll
    book.polls.control(session.id, key, case, "open", NOW)
    projected = visible_poll(case, book.polls.snapshot(session.id, case), "projector")
    assert not any(projected.tally.correct) and projected.answer_key == [] and projected.stage.speaker_notes is None
    notes = visible_poll(case, book.polls.snapshot(session.id, case), "notes")
    assert any(notes.tally.correct) and [q.id for q in notes.answer_key] == ["q-single", "q-multi"]
    book.polls.control(session.id, key, case, "reveal", NOW)
    book.polls.control(session.id, key, case, "next", NOW)
    book.polls.control(session.id, key, case, "open", NOW)
    assert visible_poll(case, book.polls.snapshot(session.id, case), "projector").tally.labels == [HIDDEN_WORDS]


def test_a_burst_of_joins_never_takes_the_room_past_its_size(poll):
    book, case, session, key = poll
    book.polls.set_capacity(session.id, key, 5)
    outcomes: list[str] = []
    start = threading.Barrier(20)

    def join():
        start.wait()
        try:
            book.polls.join(session.join_code, None, NOW)
            outcomes.append("in")
        except PollError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=join) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("in") == 5 and book.polls.counts(session.id, None)[0] == 5
    assert all("full (5 people" in o for o in outcomes if o != "in")


def test_the_projected_results_leave_out_a_question_still_being_asked(poll):
    book, case, session, key = poll
    tokens = [book.polls.join(session.join_code, None, NOW)[1] for _ in range(4)]
    book.polls.control(session.id, key, case, "open", NOW)
    for t, choice in zip(tokens, "abbb"):
        book.polls.answer(session.join_code, t, "q-single", choice, case, NOW)

    def summary(audience):
        return visible_poll(case, book.polls.snapshot(session.id, case, with_summary=True), audience).summary

    assert summary("projector") == [] and summary("notes")[0].common_wrong == "Sneezing"
    book.polls.control(session.id, key, case, "reveal", NOW)
    assert [s.question_id for s in summary("projector")] == ["q-single"]


def test_an_answer_to_a_question_not_yet_asked_says_only_that_voting_is_closed(poll):
    book, case, session, key = poll
    _, token = book.polls.join(session.join_code, None, NOW)
    for response in ["x", ["xr"], 3]:   # wrong-shaped or right-shaped: the same answer, revealing nothing
        with pytest.raises(PollError, match="voting on this question is closed"):
            book.polls.answer(session.join_code, token, "q-multi", response, case, NOW)


def test_typed_answers_are_stored_as_they_read_without_invisible_direction_marks(poll):
    book, case, session, key = poll
    book.polls.control(session.id, key, case, "next", NOW)
    book.polls.control(session.id, key, case, "open", NOW)
    _, token = book.polls.join(session.join_code, None, NOW)
    assert book.polls.answer(session.join_code, token, "q-free", "\u202egnirts\u200b", case, NOW) == "gnirts"
    with pytest.raises(PollError, match="type an answer"):
        book.polls.answer(session.join_code, token, "q-free", "\u202e\u200b", case, NOW)


def test_a_long_typed_label_wraps_without_splitting_an_escaped_character():
    from casebook.poll import Tally
    from components.poll_chart import poll_figure

    label = "</span></li></ul><h1>INJECT</h1>" * 3
    fig = poll_figure(Tally("q", [label], [1], [False], 1, 1), revealed=False)
    text = fig.layout.annotations[0].text
    assert "<h1>" not in text and all(part.count("&") == part.count(";") for part in text.split("<br>"))
