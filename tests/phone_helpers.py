"""The phone API as a test can drive it: the real routes in a Starlette app, on a test's own Casebook."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

import server.phone as phone
from casebook.core import Casebook, utcnow
from casebook.poll import PollError, PollSession


@contextmanager
def phone_app(book: Casebook, room=None, client: tuple[str, int] = ("10.0.0.1", 50000)):
    """A TestClient on the phone routes, talking to `book`, with fresh rate limits and caches."""
    from casebook.room_limits import RoomLimits

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(phone, "book", lambda: book)
        mp.setattr(phone, "room", room or RoomLimits())
        phone.session_by_code.cache_clear()
        phone._members.clear()
        with TestClient(Starlette(routes=phone.routes), raise_server_exceptions=False, client=client) as http:
            yield http
        phone.session_by_code.cache_clear()
        phone._members.clear()


def open_question(book: Casebook, session: PollSession, key: str, question_id: str) -> PollSession:
    """Drive the session as the lecturer would until voting is open on `question_id`."""
    case = book.case(session.case_id)
    s = book.polls.get(session.id)
    for _ in range(40):
        if s.phase.value == "open" and s.question_id == question_id:
            phone.session_by_code.cache_clear()  # as if the half second had passed
            return s
        if s.phase.value == "open":
            action = "close"
        elif s.phase.value == "closed":
            action = "reveal"
        else:
            action = "open"
        try:
            s = book.polls.control(session.id, key, case, action, utcnow())
        except PollError:  # this stage has nothing left to ask: on to the next
            s = book.polls.control(session.id, key, case, "next", utcnow())
    raise AssertionError(f"could not open {question_id}")
