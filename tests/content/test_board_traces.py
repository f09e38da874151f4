"""The seed cases' differential boards and expert traces: a trace at every stage before the diagnosis,
and the expert's reasoning ends on the case's diagnosis."""
import pytest

from casebook.board import board_stages, expert_boards
from casebook.loader import load_library
from tests.conftest import CASES

LIBRARY = load_library(CASES).cases
SEEDS = ["constipation-only", "exertional-ankle-pain", "painful-wasted-leg"]
WITH_BOARD = sorted(set(SEEDS) | {c.id for c in LIBRARY.values() if c.board})


@pytest.mark.parametrize("case_id", WITH_BOARD)
def test_a_case_with_a_board_has_a_trace_at_every_stage_up_to_the_diagnosis(case_id):
    case = LIBRARY[case_id]
    assert case.board, f"{case_id} has no differential board"
    final = next(d.id for d in case.board if d.final)
    count = board_stages(case)
    assert count >= 2
    assert all(case.stages[i].expert is not None for i in range(count)), "a stage before the diagnosis has no trace"
    # The board may close before the diagnosis is named (a treatment stage first): the expert still holds it then.
    last = expert_boards(case)[-1]
    assert final in [h.diagnosis for h in last.live]
    # What the expert strikes stays struck: no diagnosis comes back to life without a reason in the trace.
    struck: set[str] = set()
    for e in expert_boards(case):
        assert not struck & {h.diagnosis for h in e.live}
        struck |= {h.diagnosis for h in e.struck}


@pytest.mark.parametrize("case_id", SEEDS)
def test_the_board_offers_the_cases_own_differential(case_id):
    case = LIBRARY[case_id]
    names = " ".join(d.name.lower() for d in case.board)
    for s in case.stages:
        for d in s.differential:
            first_words = d.diagnosis.lower().split("(")[0].split()[:2]
            assert any(w in names for w in first_words), f"{d.diagnosis!r} of the differential is not on the board"
