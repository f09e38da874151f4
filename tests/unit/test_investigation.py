"""Choose-your-investigation: a student sees only the results of the tests they ordered, the score rewards a
focused and sufficient work-up, and a class sees the result of the test it chose most, and of no other."""
from __future__ import annotations

import pytest

from casebook.core import Casebook, NotAllowed
from casebook.evidence import stage_evidence
from casebook.grading import InvalidResponse, grade
from casebook.kinds import kind_of
from casebook.kinds.investigation import NOT_DONE
from casebook.poll import phone_view, tally_responses
from casebook.poll_views import visible_poll
from casebook.progress import Confidence
from tests.conftest import CASES, NOW

CASE = "painful-wasted-leg"
RESULT_CT = "The right leg is atrophied."
QUESTION = "order-work-up"


@pytest.fixture
def library(tmp_path):
    return Casebook(CASES, f"sqlite:///{tmp_path / 'db.sqlite'}")


def menu():
    book = Casebook(CASES, "sqlite://")
    return book.case(CASE), book.case(CASE).question(QUESTION)


def result_of(question, test_id):
    return next(o.result for o in question.options if o.id == test_id)


# --- scoring --------------------------------------------------------------------------------------


def test_every_decisive_test_and_nothing_wasted_earns_full_points():
    _, q = menu()
    g = grade(q, ["mri", "biopsy", "ck"])  # a useful test costs nothing
    assert g.fraction == 1.0 and g.correct
    assert "Decided it: MRI of the right lower leg with gadolinium, Excision biopsy" in g.note
    assert "sufficient" in g.note


def test_a_work_up_missing_a_decisive_test_is_not_sufficient_and_says_which():
    _, q = menu()
    g = grade(q, ["mri"])
    assert g.fraction == 0.5 and not g.correct
    assert "Not ordered, and needed to decide: Excision biopsy of the tender nodules" in g.note


def test_each_test_that_adds_nothing_costs_a_quarter_and_is_named():
    _, q = menu()
    g = grade(q, ["mri", "biopsy", "ct", "xray"])
    assert g.fraction == 0.5 and not g.correct
    assert "Added nothing: CT of the lower limbs, Plain radiographs of the leg" in g.note
    assert grade(q, ["ct", "xray", "lumbar-mri"]).fraction == 0.0  # never below zero


def test_a_response_that_is_not_a_menu_order_is_refused_with_a_reason():
    _, q = menu()
    for bad, words in [([], "at least one"), (["mri", "pet"], "no test 'pet'"), ([["mri"]], "from the menu"),
                       (7, "at least one")]:
        with pytest.raises(InvalidResponse, match=words):
            kind_of(q).check(q, bad)
    assert kind_of(q).check(q, "mri") == ["mri"]  # a phone orders one test


# --- what the student sees ------------------------------------------------------------------------


def open_examination(book):
    attempt = book.attempt_for("learner-0001", CASE, NOW)
    case = book.case(CASE)
    target = next(i for i, s in enumerate(case.stages) if any(q.id == QUESTION for q in s.questions))
    for stage in case.stages[:target]:
        for q in stage.questions:
            book.answer(attempt.id, q.id, None, None, gave_up=True, now=NOW)
        book.reveal_next(attempt.id)
    return attempt


def pending_view(book, attempt):
    view = book.visible(book.attempt(attempt.id))
    return next(q for q in view.current_stage.pending if q.id == QUESTION)


def test_no_result_is_in_the_students_view_before_its_test_is_ordered(library):
    case, q = library.case(CASE), library.case(CASE).question(QUESTION)
    attempt = open_examination(library)
    view = pending_view(library, attempt)
    shown = repr(view)
    assert [t.name for t in view.menu] and "cost" in shown
    for o in q.options:
        if o.result:
            assert o.result not in shown
        assert o.feedback not in shown
    library.order_test(attempt.id, QUESTION, "ck", now=NOW)
    view = pending_view(library, attempt)
    shown = repr(view)
    assert result_of(q, "ck") in shown
    assert result_of(q, "mri") not in shown and result_of(q, "biopsy") not in shown


def test_a_test_without_a_result_reads_not_done_in_this_case(library):
    attempt = open_examination(library)
    library.order_test(attempt.id, QUESTION, "lumbar-mri", now=NOW)
    [ordered] = pending_view(library, attempt).ordered
    assert ordered.result == NOT_DONE


def test_orders_survive_a_restart_and_become_the_answer(library, tmp_path):
    attempt = open_examination(library)
    library.order_test(attempt.id, QUESTION, "mri", now=NOW)
    library.order_test(attempt.id, QUESTION, "biopsy", now=NOW)
    library.engine.dispose()
    reopened = Casebook(CASES, f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert [t.test.id for t in pending_view(reopened, attempt).ordered] == ["mri", "biopsy"]
    record = reopened.answer(attempt.id, QUESTION, ["mri", "biopsy"], Confidence.confident, now=NOW)
    assert record.correct and record.points == record.max_points
    with pytest.raises(NotAllowed):
        reopened.order_test(attempt.id, QUESTION, "ct", now=NOW)


def test_ordering_twice_or_off_the_menu_is_refused(library):
    attempt = open_examination(library)
    library.order_test(attempt.id, QUESTION, "mri", now=NOW)
    with pytest.raises(InvalidResponse, match="already ordered"):
        library.order_test(attempt.id, QUESTION, "mri", now=NOW)
    with pytest.raises(InvalidResponse, match="from the menu"):
        library.order_test(attempt.id, QUESTION, "<script>", now=NOW)


def test_a_later_stages_menu_cannot_be_ordered_early(library):
    attempt = library.attempt_for("learner-0002", CASE, NOW)
    with pytest.raises(NotAllowed):
        library.order_test(attempt.id, QUESTION, "mri", now=NOW)


# --- in class ------------------------------------------------------------------------------------


def ask(book, case):
    session, key = book.polls.create(case, NOW)
    target = next(i for i, s in enumerate(case.stages) if any(q.id == QUESTION for q in s.questions))
    for _ in range(target):
        book.polls.control(session.id, key, case, "next", NOW)
    while book.polls.get(session.id).question_id != QUESTION:
        s = book.polls.control(session.id, key, case, "open", NOW)
        if s.question_id != QUESTION:
            book.polls.control(session.id, key, case, "reveal", NOW)
    return session, key


def room_voted(library, choices):
    """A session asking the menu, with one phone joined per choice and each having voted for it."""
    case = library.case(CASE)
    session, key = ask(library, case)
    for choice in choices:
        _, token = library.polls.join(session.join_code, None, NOW)
        library.polls.answer(session.join_code, token, QUESTION, choice, case, NOW)
    return case, case.question(QUESTION), session, key


def test_the_tally_counts_each_test_in_the_phones_order_and_marks_nothing_before_the_reveal(library):
    case, q, session, key = room_voted(library, ["ck", "ck", "mri"])
    projected = visible_poll(case, library.polls.snapshot(session.id, case), "projector")
    names = {o.id: o.name for o in q.options}
    assert projected.tally.labels == [t.split(" (")[0] for _, t in projected.asked.choices]
    assert dict(zip(projected.tally.labels, projected.tally.counts))[names["ck"]] == 2
    assert not any(projected.tally.correct) and projected.answer_key == []
    phone = phone_view(case, library.polls.get(session.id), "ck", NOW)
    assert not any(o.result and o.result in repr(phone) for o in q.options)


def test_on_reveal_the_projector_holds_the_result_of_the_rooms_choice_and_no_other(library):
    case, q, session, key = room_voted(library, ["ck", "ck", "mri"])
    library.polls.control(session.id, key, case, "reveal", NOW)
    # The Present page reads the snapshot without the tally; the reveal still knows the room's choice.
    projected = visible_poll(case, library.polls.snapshot(session.id, case, with_tally=False), "projector")
    [shown] = projected.answer_key
    assert [o.id for o in shown.options] == ["ck"]
    text = repr(projected)
    assert result_of(q, "ck") in text and result_of(q, "mri") not in text and result_of(q, "biopsy") not in text
    notes = visible_poll(case, library.polls.snapshot(session.id, case), "notes")
    assert result_of(q, "mri") in repr(notes.answer_key)  # the lecturer's own screen has every result
    phone = phone_view(case, library.polls.get(session.id), ["mri"], NOW)
    assert phone["my_result"]["results"] == [{"name": q.options[0].name, "result": result_of(q, "mri")}]
    assert result_of(q, "biopsy") not in repr(phone)


def test_a_room_that_ordered_nothing_is_shown_no_result():
    case, q = menu()
    tally = tally_responses(q, [], 3, order_seed="s")
    assert kind_of(q).projector_answer(q, tally, "s").options == []


# --- evidence -------------------------------------------------------------------------------------


def test_an_investigation_result_is_checked_for_evidence_like_other_text(library):
    from casebook.evidence import load_evidence

    case = library.case(CASE)
    stage = next(s for s in case.stages if any(q.id == QUESTION for q in s.questions))
    evidence = load_evidence(CASES / CASE).evidence
    assert stage_evidence(case, stage, evidence).unbacked == []
    q = next(q for q in stage.questions if q.id == QUESTION)
    changed = q.model_copy(update={"options": [q.options[0].model_copy(update={"result": "A nodule of 731 mm."}),
                                               *q.options[1:]]})
    stage2 = stage.model_copy(update={"questions": [changed if x.id == QUESTION else x for x in stage.questions]})
    assert "731" in stage_evidence(case, stage2, evidence).unbacked


def test_a_phone_that_posts_the_whole_menu_gets_one_result_and_one_vote(library):
    case = library.case(CASE)
    q = case.question(QUESTION)
    session, key = ask(library, case)
    _, token = library.polls.join(session.join_code, None, NOW)
    library.polls.answer(session.join_code, token, QUESTION, ["ct", "mri", "biopsy"], case, NOW)
    tally = library.polls.tally(session.id, q)
    assert sum(tally.counts) == 1 and tally.right == 0
    library.polls.control(session.id, key, case, "reveal", NOW)
    phone = phone_view(case, library.polls.get(session.id), ["ct", "mri", "biopsy"], NOW)
    assert RESULT_CT in repr(phone) and result_of(q, "mri") not in repr(phone)
