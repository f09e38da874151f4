"""What the projected screen shows the room while a class answers, as the lecturer has set it.

Kept in the database beside the session, so the projector and the lecturer's notes window (two
browser windows, perhaps served by two processes) agree, and a reload keeps the choice.
"""
from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from casebook.db import poll_screen
from casebook.poll import NotLecturer, Phase, PollStore


def chart_hidden(phase: Phase, hide_while_voting: bool) -> bool:
    """Whether the room sees only how many have answered: while voting is open, if the lecturer
    chose so, so that early answers do not sway the rest; the chart appears once voting closes."""
    return hide_while_voting and phase == Phase.open


class ScreenSettings:
    def __init__(self, engine: Engine, polls: PollStore):
        self.engine = engine
        self.polls = polls

    def hide_chart_while_voting(self, session_id: str) -> bool:
        with self.engine.connect() as conn:
            value = conn.execute(select(poll_screen.c.hide_chart_while_voting)
                                 .where(poll_screen.c.session_id == session_id)).scalar()
        return bool(value)

    def set_hide_chart_while_voting(self, session_id: str, key: str | None, hide: bool) -> None:
        if not self.polls.is_lecturer(session_id, key):
            raise NotLecturer("only the lecturer can control this session")
        with self.engine.begin() as conn:
            conn.execute(delete(poll_screen).where(poll_screen.c.session_id == session_id))
            conn.execute(insert(poll_screen).values(session_id=session_id, hide_chart_while_voting=hide))
