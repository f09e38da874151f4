"""What each audience may see of a live class session — decided here, not in a page.

Audiences: the projector (the whole room reads it), the lecturer's notes window (their own
screen), and the lecturer's CSV export. Phones get `casebook.poll.phone_view`. A page draws only
from the `PollView` it is handed, so a page bug cannot put an answer or a student's words on the
projector:

- before the reveal the projector's chart says nothing about which answer is right, and a ranking's
  items are listed in the phones' shuffled order, not the right order;
- words students typed reach the projector only once the lecturer has chosen to show them, in the
  chart and in the after-class summary alike;
- speaker notes and the answer key go to the notes window, and to the projector only once revealed;
- the room's differential board reaches the projector only once the lecturer shows it (until then,
  how many phones have sent one), never marks the final diagnosis, and the expert's trace for the
  stage goes to the notes window only.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from casebook.kinds import kind_of
from casebook.kinds.free_text import HIDDEN_WORDS
from casebook.model import Case, Question, Stage
from casebook.poll import Phase, PollSession, PollSnapshot, QuestionSummary, Tally
from casebook.reveal import QuestionView, question_view
from casebook.board import expert_boards
from casebook.poll_board import BoardPhase, RoomBoard

Audience = Literal["projector", "notes", "export"]


@dataclass(frozen=True)
class PollView:
    audience: Audience
    session: PollSession
    stage: Stage
    """The current stage without its questions, and without speaker notes except for the notes window."""
    asked: QuestionView | None
    """The question being asked, as the phones show it (options in their order, nothing marked right)."""
    answer_key: list[Question]
    """Questions whose answers and explanations this audience may read now."""
    joined: int
    answered: int
    tally: Tally | None
    summary: list[QuestionSummary]
    room_board: RoomBoard | None = None
    """The room's differential board at this stage, as this audience may see it."""
    expert_board: list[tuple[str, str]] | None = None
    """(diagnosis, why) the expert holds at this stage, most likely first: the notes window only."""

    @property
    def revealed(self) -> bool:
        return self.session.phase == Phase.revealed


def visible_tally(question: Question, tally: Tally, *, audience: Audience, revealed: bool, typed_shown: bool,
                  order_seed: str) -> Tally:
    """The chart's data for one audience: the question's kind decides what the room may see of it."""
    if audience != "projector":
        return tally
    return kind_of(question).projector_tally(question, tally, revealed=revealed, typed_shown=typed_shown,
                                             order_seed=order_seed)


def visible_summary(case: Case, summaries: list[QuestionSummary], *, audience: Audience,
                    typed_shown: frozenset[str], revealed: frozenset[str] = frozenset()) -> list[QuestionSummary]:
    """The after-class summary. On the projector only questions whose answer the room has seen (a
    question still being asked would have its right share and commonest slip on the screen), and a
    free-text question's commonest wrong answer (a student's words) only when the lecturer showed
    that question's typed answers."""
    if audience != "projector":
        return summaries
    out = []
    for s in summaries:
        if s.question_id not in revealed:
            continue
        if kind_of(case.question(s.question_id)).typed_words and s.question_id not in typed_shown:
            s = replace(s, common_wrong=None, common_wrong_count=0)
        out.append(s)
    return out


def visible_room_board(board: RoomBoard | None, audience: Audience) -> RoomBoard | None:
    """The projector sees the room's board only once shown; before, only how many phones have sent one."""
    if board is None or audience != "projector" or board.phase == BoardPhase.shown:
        return board
    return replace(board, rows=[])


def expert_board_notes(case: Case, stage_index: int) -> list[tuple[str, str]] | None:
    traces = expert_boards(case)
    if stage_index >= len(traces) or traces[stage_index] is None:
        return None
    names = {d.id: d.name for d in case.board}
    return [(names.get(h.diagnosis, h.diagnosis), h.why) for h in traces[stage_index].live]


def visible_poll(case: Case, snapshot: PollSnapshot, audience: Audience) -> PollView:
    session = snapshot.session
    stage = case.stages[session.stage_index]
    revealed = session.phase == Phase.revealed
    asking = session.question_id is not None and session.phase in (Phase.open, Phase.closed, Phase.revealed)
    question = case.question(session.question_id) if asking else None
    tally = None
    if question is not None and snapshot.tally is not None:
        tally = visible_tally(question, snapshot.tally, audience=audience, revealed=revealed,
                              typed_shown=question.id in snapshot.typed_shown, order_seed=session.id)
    if audience == "projector":
        key = [kind_of(question).projector_answer(question, snapshot.tally, session.id)] if question is not None and revealed else []
        shown_stage = stage.model_copy(update={"questions": [], "speaker_notes": None, "expert": None})
    else:
        key = list(stage.questions)
        shown_stage = stage.model_copy(update={"questions": []})
    return PollView(
        audience=audience,
        session=session,
        stage=shown_stage,
        asked=question_view(question, hint_taken=False, shuffle_seed=session.id) if question is not None else None,
        answer_key=key,
        joined=snapshot.joined,
        answered=snapshot.answered if asking else 0,
        tally=tally,
        summary=visible_summary(case, snapshot.summary, audience=audience, typed_shown=snapshot.typed_shown,
                                revealed=snapshot.revealed),
        room_board=visible_room_board(snapshot.room_board, audience),
        expert_board=expert_board_notes(case, session.stage_index) if audience == "notes" else None,
    )


__all__ = ["HIDDEN_WORDS", "Audience", "PollView", "visible_poll", "visible_summary", "visible_tally"]
