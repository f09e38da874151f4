"""The phone side of a live class poll: a small HTML page and a JSON API.

Phones do not open a Streamlit session: a lecture hall of 300 phones each running a Streamlit
script every second or two would swamp two cores. They load one static page and talk to these
endpoints, which read and write the same database as the lecturer's Streamlit page.
"""
from __future__ import annotations

import json
import os
import threading
import time
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from casebook.core import Casebook, Settings, deployment_secrets, utcnow
from casebook.poll import JoinLimiter, NotJoined, Phase, PollError, phone_view

PAGE = Path(__file__).resolve().parent / "static" / "join.html"
MAX_BODY = 8_000
limiter = JoinLimiter()


@lru_cache(maxsize=1)
def book() -> Casebook:
    return Casebook.from_settings(Settings.from_env(deployment_secrets()))


class _SessionCache:
    """Keeps a session row for half a second, so hundreds of phones polling cost one query."""

    def __init__(self, ttl: float = 0.5):
        self.ttl = ttl
        self._items: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, code: str):
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(code)
            if hit and now - hit[0] < self.ttl:
                return hit[1]
        session = book().polls.by_code(code)
        with self._lock:
            self._items[code] = (now, session)
        return session


sessions = _SessionCache()


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message[:1].upper() + message[1:] + "."}, status_code=status,
                        headers={"Cache-Control": "no-store"})


async def _json_body(request: Request) -> dict:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise PollError("that request is too large")
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        raise PollError("the request could not be read") from None
    if not isinstance(data, dict):
        raise PollError("the request could not be read")
    return data


def join_page(request: Request) -> Response:
    return FileResponse(PAGE, media_type="text/html", headers={
        "Cache-Control": "no-cache",
        "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                                   "connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
    })


def client_address(request: Request) -> str:
    """The phone's address; behind our nginx (CASEBOOK_TRUST_PROXY=1) the one nginx reports."""
    if os.environ.get("CASEBOOK_TRUST_PROXY") == "1" and request.headers.get("x-real-ip"):
        return request.headers["x-real-ip"]
    return request.client.host if request.client else "unknown"


async def join(request: Request) -> Response:
    if refused := _guessing(request):
        return refused
    try:
        data = await _json_body(request)
        learner = data.get("learner").strip() if isinstance(data.get("learner"), str) else None
        session, token = book().polls.join(request.path_params["code"], data.get("nickname"), utcnow(),
                                           learner=learner)
    except PollError as exc:
        if "no session has that code" in str(exc):
            return _unknown_code(request)
        return _error(str(exc))
    return JSONResponse({"token": token, "code": session.join_code, "linked": bool(learner)},
                        headers={"Cache-Control": "no-store"})


def _unknown_code(request: Request) -> JSONResponse:
    """Every wrong code counts towards the guessing limit, whichever endpoint it was tried on."""
    limiter.failed(client_address(request))
    return _error("no session has that code; check the code on the screen", 404)


def _guessing(request: Request) -> JSONResponse | None:
    if limiter.blocked(client_address(request)):
        return _error("too many wrong codes from this device; wait a minute and try again", 429)
    return None


def state(request: Request) -> Response:
    if refused := _guessing(request):
        return refused
    session = sessions.get(request.path_params["code"])
    if session is None:
        return _unknown_code(request)
    case = book().case(session.case_id)
    if case is None:
        return _error("this session's case is no longer available", 410)
    token = request.query_params.get("token", "")
    mine = None
    # The phone asks for its own answer after reconnecting; after a reveal it always gets it, for its verdict.
    wants_mine = request.query_params.get("mine") == "1" or session.phase == Phase.revealed
    if wants_mine and session.question_id and token:
        mine = book().polls.my_answer(session.id, token, session.question_id)
    return JSONResponse(phone_view(case, session, mine, utcnow()), headers={"Cache-Control": "no-store"})


async def answer(request: Request) -> Response:
    if refused := _guessing(request):
        return refused
    try:
        data = await _json_body(request)
        code = request.path_params["code"]
        session = sessions.get(code)
        if session is None:
            return _unknown_code(request)
        case = book().case(session.case_id)
        if case is None:
            return _error("this session's case is no longer available", 410)
        stored = book().polls.answer(code, str(data.get("token", "")), str(data.get("question_id", "")),
                                     data.get("response"), case, utcnow())
    except NotJoined as exc:
        return _error(str(exc), 403)
    except PollError as exc:
        return _error(str(exc), 409 if "closed" in str(exc) or "ended" in str(exc) else 400)
    return JSONResponse({"recorded": stored, "question_id": data.get("question_id")},
                        headers={"Cache-Control": "no-store"})


def ping(request: Request) -> Response:
    """A trivial endpoint: the load generator's own ceiling is measured against it."""
    return Response(b"ok", media_type="text/plain")


routes = [
    Route("/join", join_page, methods=["GET"]),
    Route("/join/{code}", join_page, methods=["GET"]),
    Route("/api/poll/{code}/join", join, methods=["POST"]),
    Route("/api/poll/{code}/state", state, methods=["GET"]),
    Route("/api/poll/{code}/answer", answer, methods=["POST"]),
    Route("/api/ping", ping, methods=["GET"]),
]
