"""Storage of a student's differential board per attempt and stage, so it survives a refresh and a restart.

A change is applied with compare-and-set on the stage row's version: two tabs of one attempt each
apply their change to the board as the other left it, never overwriting it.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from casebook.board import (MAX_CHANGES, BoardChange, BoardError, StageBoard, apply_change, board_at, board_from_json,
                            board_to_json)
from casebook.db import board_stages

TRIES = 5


class BoardStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    def records(self, attempt_id: str) -> list[StageBoard]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(board_stages).where(board_stages.c.attempt_id == attempt_id)
                                .order_by(board_stages.c.stage_index)).mappings().all()
        return [StageBoard(r["stage_index"], board_from_json(json.loads(r["board"])),
                           tuple(BoardChange.from_json(c) for c in json.loads(r["changes"])), r["version"]) for r in rows]

    def change(self, attempt_id: str, stage_index: int, change: BoardChange, now: datetime) -> StageBoard:
        """Apply one change at a stage (BoardError when the board does not allow it) and store it."""
        for _ in range(TRIES):
            records = self.records(attempt_id)
            mine = next((r for r in records if r.stage_index == stage_index), None)
            before = mine.board if mine else board_at(records, stage_index)
            if mine and len(mine.changes) >= MAX_CHANGES:
                raise BoardError(f"that is {MAX_CHANGES} changes at this stage; move on to the next one")
            if change.kind.value == "confidence" and change.was is None:
                held = before.held(change.diagnosis)
                change = BoardChange(change.kind, change.diagnosis, change.ref, change.confidence,
                                     held.confidence if held else None, change.name)
            after = apply_change(before, change)
            changes = (mine.changes if mine else ()) + (change,)
            values = dict(board=json.dumps(board_to_json(after)), changes=json.dumps([c.to_json() for c in changes]),
                          updated_at=now)
            try:
                with self.engine.begin() as conn:
                    if mine is None:
                        conn.execute(insert(board_stages).values(attempt_id=attempt_id, stage_index=stage_index,
                                                                 version=1, **values))
                        return StageBoard(stage_index, after, changes, 1)
                    done = conn.execute(update(board_stages).where(and_(
                        board_stages.c.attempt_id == attempt_id, board_stages.c.stage_index == stage_index,
                        board_stages.c.version == mine.version)).values(version=mine.version + 1, **values))
                    if done.rowcount == 1:
                        return StageBoard(stage_index, after, changes, mine.version + 1)
            except IntegrityError:
                pass  # another tab stored this stage's first change meanwhile: apply ours to theirs
        raise RuntimeError("the board kept changing in another window")  # pragma: no cover
