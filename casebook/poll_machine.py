"""The live class session as a state machine: one pure function from (state, action, case) to the next state.

Storage (`casebook.poll.PollStore.control`) applies it with compare-and-set on `version`, so two
lecturer windows, a clicker and a restart never overwrite each other: whoever acts on a state that
has moved on is told so instead of silently undoing the other's step.

Phases of the current question: lobby (nothing asked at this stage yet) → open (voting) → closed →
revealed; then the lecturer asks the stage's next question or moves on; `ended` finishes the session.
A question counts as done only once its answer is revealed, so a question that was opened and
closed but never revealed can be asked again later.

Beside the phases, the room's differential board at the current stage (`board`): off → open
(phones hold up to a few diagnoses) → shown (the room's aggregate on the projector). It opens only
while no question is being asked; a question is not asked, and the stage does not change, while the
room is still holding its board; moving on (or asking a question) puts it away.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from casebook.model import Case
from casebook.poll_board import BoardPhase, board_may_open


class Phase(str, Enum):
    lobby = "lobby"
    open = "open"
    closed = "closed"
    revealed = "revealed"
    ended = "ended"


class Action(str, Enum):
    open = "open"          # ask the stage's current or next question
    close = "close"        # stop voting (answers can no longer change)
    reveal = "reveal"      # show the answer to the room and the phones
    next = "next"          # next stage (or end after the last)
    back = "back"          # previous stage
    end = "end"            # end the session now
    lock = "lock"          # no new joins
    unlock = "unlock"
    board = "board"        # the room holds its differential board at this stage (phones pick diagnoses)
    show_board = "show_board"  # the room's aggregate board on the projector


class PollError(ValueError):
    """Something a participant or lecturer tried that the session does not allow; the message says why."""


@dataclass(frozen=True)
class PollState:
    stage_index: int
    question_id: str | None
    phase: Phase
    asked: frozenset[str] = frozenset()
    """Questions opened at least once (the after-class summary lists them)."""
    revealed: frozenset[str] = frozenset()
    """Questions whose answer the room has seen; only these are done."""
    locked: bool = False
    """No new participants may join (those already in carry on)."""
    board: BoardPhase = BoardPhase.off
    """The room's differential board at the current stage."""


def parse_action(action: str) -> Action:
    try:
        return Action(action)
    except ValueError:
        raise PollError(f"unknown action {action!r}") from None


def transition(state: PollState, action: Action | str, case: Case) -> PollState:
    """The state after the lecturer's action, or PollError saying why the action is not allowed now."""
    action = parse_action(action) if isinstance(action, str) else action
    phase = state.phase
    if phase == Phase.ended:
        raise PollError("this session has ended")
    if action == Action.lock:
        return replace(state, locked=True)
    if action == Action.unlock:
        return replace(state, locked=False)
    if action == Action.end:
        return replace(state, phase=Phase.ended)

    stage_questions = [q.id for q in case.stages[state.stage_index].questions]
    asking = phase in (Phase.open, Phase.closed)
    holding = state.board == BoardPhase.open
    if action == Action.board:
        if holding:
            raise PollError("the room is already holding its board")
        if asking:
            raise PollError("reveal the answer before the room holds its board")
        why_not = board_may_open(case, state.stage_index)
        if why_not:
            raise PollError(why_not)
        return replace(state, board=BoardPhase.open)
    if action == Action.show_board:
        if not holding:
            raise PollError("the room is not holding its board: open it first (B)")
        return replace(state, board=BoardPhase.shown)
    if holding and action in (Action.open, Action.next, Action.back):
        raise PollError("the room is still holding its board: show it (V) first")
    if action == Action.open:
        if phase == Phase.open:
            raise PollError("voting is already open")
        # Reopen the question that was closed but not revealed; otherwise the stage's first question
        # not yet revealed (which may be one that was asked and left before its reveal).
        if phase == Phase.closed and state.question_id in stage_questions:
            target = state.question_id
        else:
            target = next((q for q in stage_questions if q not in state.revealed), None)
        if target is None:
            raise PollError("every question of this stage has been asked and revealed; move on to the next stage")
        return replace(state, question_id=target, phase=Phase.open, asked=state.asked | {target}, board=BoardPhase.off)
    if action == Action.close:
        if phase != Phase.open:
            raise PollError("voting is not open")
        return replace(state, phase=Phase.closed)
    if action == Action.reveal:
        if not asking or state.question_id is None:
            raise PollError("there is no question to reveal")
        return replace(state, phase=Phase.revealed, revealed=state.revealed | {state.question_id})
    if action == Action.next:
        if asking:
            raise PollError("reveal the answer before moving on")
        if state.stage_index + 1 >= len(case.stages):
            return replace(state, phase=Phase.ended)
        return replace(state, stage_index=state.stage_index + 1, question_id=None, phase=Phase.lobby,
                       board=BoardPhase.off)
    if action == Action.back:
        if phase == Phase.open:
            raise PollError("voting is open: close voting (and reveal the answer) before going back, "
                            "or the question would be left half-asked")
        if state.stage_index == 0:
            raise PollError("this is the first stage")
        # A question closed but not revealed stays askable: it is not in `revealed`.
        return replace(state, stage_index=state.stage_index - 1, question_id=None, phase=Phase.lobby,
                       board=BoardPhase.off)
    raise PollError(f"unknown action {action.value!r}")  # pragma: no cover - every Action is handled above


def accepts_answer(state: PollState, question_id: str) -> bool:
    """Answers are taken only while that exact question is open."""
    return state.phase == Phase.open and state.question_id == question_id


__all__ = ["Action", "Phase", "PollError", "PollState", "accepts_answer", "parse_action", "transition"]
