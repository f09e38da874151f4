"""The class session's state machine: every action in every phase, as a lecturer would press it."""
from __future__ import annotations

import pytest

from casebook.loader import load_library
from casebook.poll_machine import Action, Phase, PollError, PollState, accepts_answer, transition
from tests.conftest import FIXTURE_CASES

CASE = load_library(FIXTURE_CASES).cases["mini-case"]  # stages: q-single, q-multi | q-free, q-rank, q-num | none

LOBBY = PollState(0, None, Phase.lobby)
OPEN = PollState(0, "q-single", Phase.open, frozenset({"q-single"}))
CLOSED = PollState(0, "q-single", Phase.closed, frozenset({"q-single"}))
REVEALED = PollState(0, "q-single", Phase.revealed, frozenset({"q-single"}), frozenset({"q-single"}))
ENDED = PollState(0, None, Phase.ended)
PHASES = {"lobby": LOBBY, "open": OPEN, "closed": CLOSED, "revealed": REVEALED, "ended": ENDED}

# (phase, action) -> phase after, or the words of the refusal
EXPECTED = {
    ("lobby", "open"): Phase.open, ("lobby", "close"): "voting is not open", ("lobby", "reveal"): "no question",
    ("lobby", "next"): Phase.lobby, ("lobby", "back"): "first stage", ("lobby", "end"): Phase.ended,
    ("open", "open"): "already open", ("open", "close"): Phase.closed, ("open", "reveal"): Phase.revealed,
    ("open", "next"): "reveal the answer", ("open", "back"): "voting is open", ("open", "end"): Phase.ended,
    ("closed", "open"): Phase.open, ("closed", "close"): "voting is not open", ("closed", "reveal"): Phase.revealed,
    ("closed", "next"): "reveal the answer", ("closed", "back"): "first stage", ("closed", "end"): Phase.ended,
    ("revealed", "open"): Phase.open, ("revealed", "close"): "voting is not open",
    ("revealed", "reveal"): "no question", ("revealed", "next"): Phase.lobby, ("revealed", "back"): "first stage",
    ("revealed", "end"): Phase.ended,
}


@pytest.mark.parametrize("phase,action", sorted(EXPECTED))
def test_every_action_in_every_phase(phase, action):
    expected = EXPECTED[(phase, action)]
    if not isinstance(expected, Phase):  # a refusal, in words
        with pytest.raises(PollError, match=expected):
            transition(PHASES[phase], action, CASE)
    else:
        assert transition(PHASES[phase], action, CASE).phase == expected


@pytest.mark.parametrize("action", [a.value for a in Action])
def test_nothing_moves_once_the_session_has_ended(action):
    with pytest.raises(PollError, match="ended"):
        transition(ENDED, action, CASE)


def test_an_unknown_action_is_refused_by_name():
    with pytest.raises(PollError, match="unknown action 'jump'"):
        transition(LOBBY, "jump", CASE)


def test_back_during_voting_keeps_the_question_open_and_says_why():
    with pytest.raises(PollError, match="close voting"):
        transition(PollState(1, "q-free", Phase.open, frozenset({"q-free"})), "back", CASE)


def test_a_question_left_before_its_reveal_can_be_asked_again():
    # Asked at stage 2, closed, the lecturer goes back a stage and returns: the question is asked again.
    state = PollState(1, "q-free", Phase.closed, frozenset({"q-free"}))
    state = transition(state, "back", CASE)
    assert (state.stage_index, state.phase) == (0, Phase.lobby)
    state = transition(transition(transition(state, "open", CASE), "reveal", CASE), "next", CASE)
    state = transition(state, "open", CASE)
    assert (state.stage_index, state.question_id, state.phase) == (1, "q-free", Phase.open)


def test_the_next_question_is_the_first_of_the_stage_not_yet_revealed():
    state = transition(REVEALED, "open", CASE)
    assert state.question_id == "q-multi"
    state = transition(state, "reveal", CASE)
    with pytest.raises(PollError, match="every question of this stage"):
        transition(state, "open", CASE)


def test_reveal_marks_the_question_done_and_asked_is_kept_for_the_summary():
    state = transition(transition(LOBBY, "open", CASE), "reveal", CASE)
    assert state.revealed == {"q-single"} and state.asked == {"q-single"}


def test_the_last_stage_ends_the_session_on_next():
    state = PollState(2, None, Phase.lobby)
    assert transition(state, "next", CASE).phase == Phase.ended


def test_lock_and_unlock_keep_the_question_where_it_is():
    locked = transition(OPEN, "lock", CASE)
    assert locked.locked and locked.phase == Phase.open and locked.question_id == "q-single"
    assert not transition(locked, "unlock", CASE).locked


def test_answers_are_accepted_only_for_the_open_question():
    assert accepts_answer(OPEN, "q-single")
    assert not accepts_answer(OPEN, "q-multi")
    assert not accepts_answer(CLOSED, "q-single") and not accepts_answer(REVEALED, "q-single")
