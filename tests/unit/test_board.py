"""The differential board: changing it, keeping it per stage, comparing it with the expert's, closure."""
from __future__ import annotations

from datetime import timedelta

import pytest

from casebook.board import (
    BoardChange,
    BoardConfidence,
    BoardError,
    ChangeKind,
    Held,
    StudentBoard,
    apply_change,
    board_stages,
    resolve_typed,
)
from casebook.core import Casebook
from casebook.loader import load_case
from tests.board_case import board_case_text, board_cases
from tests.conftest import NOW

HIGH, MED, LOW = BoardConfidence.high, BoardConfidence.medium, BoardConfidence.low


def add(dx: str, name: str | None = None, conf=MED, ref=None) -> BoardChange:
    return BoardChange(ChangeKind.add, dx, ref, conf, name=name or dx.title())


def change(kind: str, dx: str, ref=None, conf=None) -> BoardChange:
    return BoardChange(ChangeKind(kind), dx, ref, conf)


@pytest.fixture
def case(tmp_path):
    return load_case(board_cases(tmp_path) / "mini-case").case


@pytest.fixture
def book(tmp_path, database_url):
    return Casebook(board_cases(tmp_path), database_url)


def board_of(*changes) -> StudentBoard:
    b = StudentBoard()
    for c in changes:
        b = apply_change(b, c)
    return b


# --- operations -----------------------------------------------------------------------------------


def test_adding_ranks_in_order_and_moving_swaps_neighbours():
    b = board_of(add("tb"), add("pneumonia"), add("cancer"))
    assert [h.diagnosis for h in b.live] == ["tb", "pneumonia", "cancer"]
    b = apply_change(b, change("promote", "cancer"))
    assert [h.diagnosis for h in b.live] == ["tb", "cancer", "pneumonia"]
    b = apply_change(b, change("demote", "tb"))
    assert [h.diagnosis for h in b.live] == ["cancer", "tb", "pneumonia"]
    assert b.rank("pneumonia") == 3 and b.top == "cancer"


def test_striking_out_and_restoring_keeps_the_confidence_unless_given():
    b = board_of(add("tb", conf=HIGH), add("cancer"), change("strike", "tb"))
    assert b.rank("tb") is None and b.is_struck("tb")
    back = apply_change(b, change("restore", "tb"))
    assert back.rank("tb") == 2 and back.held("tb").confidence == HIGH
    assert apply_change(b, change("restore", "tb", conf=LOW)).held("tb").confidence == LOW


@pytest.mark.parametrize("changes, message", [
    ([add("tb"), add("tb")], "already on your board"),
    ([add("tb"), change("strike", "tb"), add("tb")], "restore it instead"),
    ([add("tb"), change("promote", "tb")], "already your most likely"),
    ([add("tb"), change("demote", "tb")], "already last"),
    ([change("strike", "cancer")], "not on your board"),
    ([change("restore", "cancer")], "not struck out"),
    ([add("tb", conf=LOW), change("confidence", "tb", conf=LOW)], "already has that confidence"),
    ([add(f"d{i}") for i in range(7)], "at most 6"),
])
def test_a_change_the_board_does_not_allow_says_why(changes, message):
    with pytest.raises(BoardError, match=message):
        board_of(*changes)


def test_a_typed_diagnosis_is_matched_like_a_free_text_answer(case):
    assert resolve_typed(case, "chest infections") == ("pneumonia", "Pneumonia")
    assert resolve_typed(case, "Tuberculosys") == ("tb", "Tuberculosis")  # a slip of one letter
    assert resolve_typed(case, "bronchial  carcinoma") == ("cancer", "Lung cancer")
    own, name = resolve_typed(case, "  Whooping <b>cough</b> ")
    assert own.startswith("own:") and name == "Whooping <b>cough</b>"  # kept as typed; drawn as plain text
    with pytest.raises(BoardError, match="type a diagnosis"):
        resolve_typed(case, " \u200b ")


def test_the_board_is_kept_until_the_diagnosis(case):
    assert board_stages(case) == 2  # presentation and investigations; the outcome closes it


# --- stored per attempt and stage ---------------------------------------------------------------


def test_the_board_is_stored_per_stage_and_carried_forward(book, tmp_path):
    attempt = book.attempt_for("board-learner-1", "mini-case", NOW)
    book.change_board(attempt.id, add("tb", "Tuberculosis", HIGH), NOW)
    book.change_board(attempt.id, add("pneumonia", "Pneumonia", MED), NOW)
    answer_stage(book, attempt.id, 0)
    view = book.board(book.attempt(attempt.id))
    assert view.stage_index == 1 and [h.name for h in view.board.live] == ["Tuberculosis", "Pneumonia"]
    assert view.changes == ()  # nothing changed yet at this stage: the board carried forward
    with pytest.raises(BoardError, match="say what moved you"):
        book.change_board(attempt.id, change("promote", "pneumonia"), NOW)
    with pytest.raises(BoardError, match="what this case has shown so far"):
        book.change_board(attempt.id, change("promote", "pneumonia", ref="not-shown-yet"), NOW)
    book.change_board(attempt.id, change("promote", "pneumonia", ref="crackles"), NOW)

    again = Casebook(book.cases_dir, str(book.engine.url.render_as_string(hide_password=False)))  # a restart
    view = again.board(again.attempt(attempt.id))
    assert [h.name for h in view.board.live] == ["Pneumonia", "Tuberculosis"]
    assert [h.name for h in view.history[0][2].live] == ["Tuberculosis", "Pneumonia"]  # stage 1 as it was left
    assert view.changes[0].ref == "crackles"


def test_two_windows_each_change_the_board_as_the_other_left_it(book):
    attempt = book.attempt_for("board-learner-2", "mini-case", NOW)
    book.change_board(attempt.id, add("tb"), NOW)
    book.change_board(attempt.id, add("cancer"), NOW)  # as if from a second tab with an older page
    assert [h.diagnosis for h in book.board(book.attempt(attempt.id)).board.live] == ["tb", "cancer"]


def test_the_board_closes_when_the_diagnosis_is_out_and_after_finishing(book):
    attempt = book.attempt_for("board-learner-3", "mini-case", NOW)
    answer_stage(book, attempt.id, 0)
    answer_stage(book, attempt.id, 1)
    assert not book.board(book.attempt(attempt.id)).editable
    with pytest.raises(BoardError, match="board is closed"):
        book.change_board(attempt.id, add("tb"), NOW)


def test_the_student_view_never_says_which_diagnosis_is_final(book):
    attempt = book.attempt_for("board-learner-4", "mini-case", NOW)
    view = book.board(attempt)
    assert [o.name for o in view.options] == ["Lung cancer", "Pneumonia", "Tuberculosis"]  # alphabetical
    assert not hasattr(view.options[0], "final") and view.comparison is None
    assert book.visible(attempt).stages[0].stage.expert is None
    assert "EXPERT" not in repr(view) + repr(book.visible(attempt))


# --- comparison with the expert -------------------------------------------------------------------


def play(book, learner: str, stage0: list, stage1: list):
    attempt = book.attempt_for(learner, "mini-case", NOW)
    for c in stage0:
        book.change_board(attempt.id, c, NOW)
    answer_stage(book, attempt.id, 0)
    for c in stage1:
        book.change_board(attempt.id, c, NOW)
    answer_stage(book, attempt.id, 1)
    answer_stage(book, attempt.id, 2)
    return book.board(book.attempt(attempt.id)).comparison


def test_ranks_across_stages_convergence_and_moves_taken(book):
    got = play(book, "board-learner-5",
               [add("tb", ref="cough"), add("pneumonia", ref="cough"), add("cancer")],
               [change("promote", "pneumonia", ref="crackles"), change("strike", "tb", ref="CRP")])
    assert got.student_ranks["pneumonia"] == [2, 1] and got.expert_ranks["pneumonia"] == [1, 1]
    assert got.student_ranks["tb"] == [1, None] and got.student_struck["tb"] == [False, True]
    assert got.expert_struck["tb"] == [False, True]
    assert got.converged_at == 1 and got.student_final_first == 1 and got.expert_final_first == 0
    assert got.missed == [] and got.taken == 3
    assert got.closure == []
    assert [e.live[0][0] for e in got.expert] == ["Pneumonia", "Pneumonia"]
    assert "EXPERT-WHY-SECOND" in got.expert[1].live[0][1]


def test_a_finding_that_should_have_moved_the_student_and_did_not(book):
    got = play(book, "board-learner-6",
               [add("cancer"), add("tb"), add("pneumonia")],
               [change("promote", "tb", ref="crackles")])
    missed = {(m.stage_index, m.ref): m for m in got.missed}
    assert set(missed) == {(1, "crackles"), (1, "CRP")}  # the cough: pneumonia was on the board from the start
    assert missed[(1, "crackles")].moved_otherwise and not missed[(1, "CRP")].moved_otherwise
    assert missed[(1, "crackles")].promotes == ["Pneumonia"] and "EXPERT-MOVE-CRACKLES" in missed[(1, "crackles")].why
    assert got.converged_at is None


def test_a_board_that_already_shows_a_move_is_not_told_it_missed_it(book):
    got = play(book, "board-learner-7", [add("pneumonia"), add("tb")], [])
    assert (0, "cough") not in {(m.stage_index, m.ref) for m in got.missed}


def test_premature_closure_final_struck_and_never_restored(book):
    got = play(book, "board-learner-8", [add("pneumonia"), add("tb")],
               [change("strike", "pneumonia", ref="crackles")])
    [closed] = [c for c in got.closure if c.kind == "struck"]
    assert closed.stage_index == 1 and "Pneumonia" in closed.text and "never put it back" in closed.text


def test_premature_closure_final_dropped_early_then_restored(book):
    attempt = book.attempt_for("board-learner-9", "mini-case", NOW)
    for c in [add("pneumonia"), add("tb"), change("strike", "pneumonia")]:
        book.change_board(attempt.id, c, NOW)
    answer_stage(book, attempt.id, 0)
    book.change_board(attempt.id, change("restore", "pneumonia", ref="crackles"), NOW)
    for i in (1, 2):
        answer_stage(book, attempt.id, i)
    got = book.board(book.attempt(attempt.id)).comparison
    assert [(c.kind, c.stage_index, c.restored_at) for c in got.closure if c.kind != "narrowed"] == [("dropped", 0, 1)]


def test_a_single_diagnosis_held_while_the_expert_weighs_several_is_closure(book):
    got = play(book, "board-learner-10", [add("cancer")], [])
    kinds = {c.kind: c for c in got.closure}
    assert set(kinds) == {"never", "narrowed"}
    assert "Lung cancer" in kinds["narrowed"].text and kinds["narrowed"].stage_index == 0


def test_the_students_own_diagnoses_are_in_the_comparison(book):
    attempt = book.attempt_for("board-learner-11", "mini-case", NOW)
    dx, name = resolve_typed(book.case("mini-case"), "Whooping cough")
    book.change_board(attempt.id, BoardChange(ChangeKind.add, dx, None, LOW, name=name), NOW)
    for i in range(3):
        answer_stage(book, attempt.id, i)
    got = book.board(book.attempt(attempt.id)).comparison
    assert (dx, "Whooping cough", False) in got.diagnoses and got.student_ranks[dx] == [1, 1]
    assert got.expert_ranks[dx] == [None, None]


def answer_stage(book, attempt_id: str, index: int) -> None:
    case = book.case("mini-case")
    for q in case.stages[index].questions:
        book.answer(attempt_id, q.id, None, None, gave_up=True, now=NOW + timedelta(minutes=index))
    book.reveal_next(attempt_id, NOW + timedelta(minutes=index))


def test_board_case_text_is_the_mini_case_plus_a_board():
    assert "final: true" in board_case_text()


def test_a_change_tied_to_another_fact_of_the_same_stage_counts_for_the_expert_move(book):
    got = play(book, "board-learner-12", [add("tb"), add("pneumonia")],
               [change("promote", "pneumonia", ref="xray")])  # the radiograph's timeline event, not the crackles
    assert [(m.stage_index, m.ref) for m in got.missed] == []


def test_a_script_cannot_grow_a_board_without_end(book):
    attempt = book.attempt_for("board-learner-13", "mini-case", NOW)
    for n in range(19):
        book.change_board(attempt.id, add(f"own:dx {n}", f"Diagnosis {n}"), NOW)
        book.change_board(attempt.id, change("strike", f"own:dx {n}"), NOW)
    book.change_board(attempt.id, add("tb"), NOW)
    with pytest.raises(BoardError, match="already lists 20"):
        book.change_board(attempt.id, add("cancer"), NOW)
    for _ in range(10):
        book.change_board(attempt.id, change("confidence", "tb", conf=HIGH), NOW)
        book.change_board(attempt.id, change("confidence", "tb", conf=LOW), NOW)
    book.change_board(attempt.id, change("confidence", "tb", conf=HIGH), NOW)  # the 60th change at this stage
    with pytest.raises(BoardError, match="60 changes at this stage"):
        book.change_board(attempt.id, change("confidence", "tb", conf=LOW), NOW)


def test_the_cases_list_is_withheld_while_a_typed_answer_is_asked_for(book):
    """At a stage asking the student to type a diagnosis, the board's list would print the answer beside the box:
    the list comes back once the typed question is answered (or given up)."""
    attempt = book.attempt_for("board-learner-20", "mini-case", NOW)
    assert book.board(attempt).options and not book.board(attempt).list_held  # stage 1 asks no typed question
    answer_stage(book, attempt.id, 0)
    waiting = book.board(book.attempt(attempt.id))
    assert waiting.list_held and waiting.options == [] and waiting.editable
    book.answer(attempt.id, "q-free", None, None, gave_up=True, now=NOW)
    after = book.board(book.attempt(attempt.id))
    assert not after.list_held and [o.name for o in after.options] == ["Lung cancer", "Pneumonia", "Tuberculosis"]
