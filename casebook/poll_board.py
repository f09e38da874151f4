"""The room's differential board in a live class: each phone holds up to a few diagnoses at a stage,
and the lecturer shows the room's aggregate on the projector before revealing the next stage.

The board's phase at a stage (off, open to phones, shown to the room) is part of the session's
state machine (`casebook.poll_machine`), so it moves with the same compare-and-set on the session's
version as every other lecturer action. What each audience sees of the aggregate is decided in
`casebook.poll_views`; phones never learn which diagnosis is final.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, and_, exists, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from casebook.board import board_stages
from casebook.db import poll_board_phase, poll_board_picks, poll_participants, poll_removed, poll_sessions
from casebook.model import Case

MAX_PHONE_PICKS = 3
"""Diagnoses a phone may hold at once: enough to rank, few enough to pick quickly on a phone."""


class BoardPhase(str, Enum):
    off = "off"
    open = "open"        # phones may hold their board at this stage
    shown = "shown"      # the room's aggregate is on the projector; phones' boards are kept, not changed


class BoardPickError(ValueError):
    """A phone's board that cannot be taken; the message is shown on the phone."""


def board_options(case: Case) -> list[tuple[str, str]]:
    """(id, name) of the case's board, alphabetical: the order says nothing of which one is final."""
    return sorted(((d.id, d.name) for d in case.board), key=lambda o: o[1].lower())


def check_picks(case: Case, picks: Any) -> list[str]:
    """A phone's board as ids, most likely first, or BoardPickError."""
    known = {d.id for d in case.board}
    if not isinstance(picks, list) or not all(isinstance(p, str) for p in picks):
        raise BoardPickError("choose diagnoses from the list")
    if not picks:
        raise BoardPickError("choose at least one diagnosis")
    if len(picks) > MAX_PHONE_PICKS:
        raise BoardPickError(f"hold at most {MAX_PHONE_PICKS} diagnoses")
    if len(set(picks)) != len(picks):
        raise BoardPickError("each diagnosis can be on your board only once")
    if any(p not in known for p in picks):
        raise BoardPickError("choose diagnoses from the list")
    return list(picks)


def phone_board(case: Case, phase: BoardPhase, stage_index: int) -> dict | None:
    """What a phone may see of the room's board: the list to pick from while it is open."""
    if phase == BoardPhase.off or not case.board:
        return None
    return {"phase": phase.value, "stage": stage_index, "max": MAX_PHONE_PICKS,
            "options": [list(o) for o in board_options(case)] if phase == BoardPhase.open else []}


def board_may_open(case: Case, stage_index: int) -> str | None:
    """Why the room's board cannot be opened at this stage, or None."""
    if not case.board:
        return "this case has no differential board"
    if stage_index >= board_stages(case):
        return "the room's board is kept only before the diagnosis comes out"
    return None


@dataclass(frozen=True)
class RoomBoardRow:
    diagnosis: str
    name: str
    held: int
    """Phones holding it anywhere on their board."""
    first: int
    """Phones ranking it first."""


@dataclass(frozen=True)
class RoomBoard:
    stage_index: int
    phase: BoardPhase
    rows: list[RoomBoardRow]
    """Most held first; empty in a view that shows only how many phones have sent a board."""
    sent: int
    joined: int


def room_board(case: Case, stage_index: int, phase: BoardPhase, boards: list[list[str]], joined: int) -> RoomBoard:
    names = dict(board_options(case))
    held = Counter(dx for b in boards for dx in set(b) if dx in names)
    first = Counter(b[0] for b in boards if b and b[0] in names)
    rows = [RoomBoardRow(dx, names[dx], held[dx], first[dx]) for dx in names if held[dx]]
    rows.sort(key=lambda r: (-r.held, -r.first, r.name.lower()))
    return RoomBoard(stage_index, phase, rows, len(boards), joined)


class RoomBoardStore:
    """Phones' boards per session and stage."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._postgres = engine.dialect.name == "postgresql"

    def hold(self, session_id: str, token: str, stage_index: int, picks: list[str], now: datetime) -> bool:
        """Store (or change) a phone's board; False when the room's board is not open at that stage (or the
        session ended, or the phone was removed). The check and the write are one statement."""
        open_now = select(
            literal(session_id, String), literal(token, String), literal(stage_index, Integer),
            literal(json.dumps(picks), Text), literal(now, DateTime(timezone=True)),
        ).where(and_(
            exists().where(and_(poll_board_phase.c.session_id == session_id,
                                poll_board_phase.c.stage_index == stage_index,
                                poll_board_phase.c.phase == BoardPhase.open.value)),
            exists().where(and_(poll_sessions.c.id == session_id, poll_sessions.c.stage_index == stage_index,
                                poll_sessions.c.phase != "ended", poll_sessions.c.expires_at > now)),
            exists().where(and_(poll_participants.c.id == token, poll_participants.c.session_id == session_id)),
            ~exists().where(poll_removed.c.participant_id == token),
        ))
        stmt = (pg_insert if self._postgres else sqlite_insert)(poll_board_picks).from_select(
            ["session_id", "participant_id", "stage_index", "picks", "updated_at"], open_now)
        stmt = stmt.on_conflict_do_update(
            index_elements=["session_id", "participant_id", "stage_index"],
            set_={"picks": stmt.excluded.picks, "updated_at": stmt.excluded.updated_at},
        ).returning(poll_board_picks.c.stage_index)
        with self.engine.begin() as conn:
            return conn.execute(stmt).first() is not None

    def mine(self, session_id: str, token: str, stage_index: int) -> list[str] | None:
        with self.engine.connect() as conn:
            raw = conn.execute(select(poll_board_picks.c.picks).where(and_(
                poll_board_picks.c.session_id == session_id, poll_board_picks.c.participant_id == token,
                poll_board_picks.c.stage_index == stage_index))).scalar()
        return json.loads(raw) if raw is not None else None

    def boards(self, session_id: str, stage_index: int) -> list[list[str]]:
        """Every counted phone's board at a stage (removed participants left out)."""
        removed = select(poll_removed.c.participant_id).where(poll_removed.c.session_id == session_id)
        with self.engine.connect() as conn:
            rows = conn.execute(select(poll_board_picks.c.picks).where(and_(
                poll_board_picks.c.session_id == session_id, poll_board_picks.c.stage_index == stage_index,
                poll_board_picks.c.participant_id.not_in(removed)))).all()
        return [json.loads(r[0]) for r in rows]

    def count(self, session_id: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(poll_board_picks)
                                .where(poll_board_picks.c.session_id == session_id)).scalar()


__all__ = ["BoardPhase", "BoardPickError", "MAX_PHONE_PICKS", "RoomBoard", "RoomBoardRow", "RoomBoardStore",
           "board_may_open", "board_options", "check_picks", "phone_board", "room_board"]
