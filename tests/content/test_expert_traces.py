"""The expert's trace in every case with a differential board reads as one clinician's reasoning through the case.

What a student compares their own board with at the end must hold together: the expert reaches the final
diagnosis by the stage that names it, never strikes it on the way (that would be the premature closure the
student is warned about), never brings back a diagnosis once struck, and accounts at every stage for each
diagnosis on the board (still live, or struck at some stage).
"""
from __future__ import annotations

import pytest

from casebook.board import board_stages
from casebook.loader import load_library
from tests.conftest import CASES

LIBRARY = load_library(CASES)
WITH_BOARD = sorted((c for c in LIBRARY.cases.values() if c.board), key=lambda c: c.id)


def final_of(case) -> str:
    return next(d.id for d in case.board if d.final)


def diagnosis_stage(case) -> int:
    """The stage whose differential marks the final diagnosis (where the case names it)."""
    return next(i for i, s in enumerate(case.stages) if any(d.final for d in s.differential))


@pytest.mark.parametrize("case", WITH_BOARD, ids=lambda c: c.id)
def test_every_stage_of_the_board_has_a_trace_and_the_trace_ends_on_the_final_diagnosis(case):
    """Every stage the student's board is open at has the expert's board beside it, and by the stage that names
    the diagnosis the expert ranks it first (a case series may keep a second diagnosis live beside it)."""
    open_at = case.stages[:board_stages(case)]
    assert [s.id for s in open_at if s.expert is None] == [], f"{case.id}: stages without an expert trace"
    traced = [s for s in case.stages[:diagnosis_stage(case) + 1] if s.expert is not None]
    assert traced[-1].expert.live[0].diagnosis == final_of(case)


@pytest.mark.parametrize("case", WITH_BOARD, ids=lambda c: c.id)
def test_the_expert_never_strikes_the_final_diagnosis_nor_revives_a_struck_one(case):
    struck: dict[str, str] = {}
    for stage in (s for s in case.stages if s.expert):
        revived = [h.diagnosis for h in stage.expert.live if h.diagnosis in struck]
        assert revived == [], f"{case.id}: {stage.id} holds again what an earlier stage struck"
        struck.update({h.diagnosis: stage.id for h in stage.expert.struck})
        assert final_of(case) not in struck, f"{case.id}: the final diagnosis is struck at {stage.id}"
        unaccounted = {d.id for d in case.board} - {h.diagnosis for h in stage.expert.live} - set(struck)
        assert unaccounted == set(), f"{case.id}: {stage.id} neither holds nor has struck {sorted(unaccounted)}"


@pytest.mark.parametrize("case", WITH_BOARD, ids=lambda c: c.id)
def test_the_first_trace_holds_the_final_diagnosis_among_others(case):
    """From the first stage the expert keeps a real differential: more than one diagnosis, the final one among them."""
    first = case.stages[0].expert.live
    assert len(first) >= 3 and final_of(case) in [h.diagnosis for h in first]
