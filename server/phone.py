"""The phone side of a live class poll: a small HTML page and a JSON API.

Phones do not open a Streamlit session: a lecture hall of 300 phones each running a Streamlit
script every second or two would swamp two cores. They load one static page and talk to these
endpoints, which read and write the same database as the lecturer's Streamlit page.

Every request a phone can send is answered with JSON: a 4xx with a message the phone can show for
anything malformed, a 429 with Retry-After when an address goes too fast (casebook/room_limits.py
says why the numbers are what they are). Database work runs in Starlette's thread pool, never on
the event loop that also carries every Streamlit websocket.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from cachetools import TTLCache, cached
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from casebook.core import Casebook, Settings, deployment_secrets, shared_casebook, utcnow
from casebook.poll import (
    MAX_PARTICIPANTS,
    NotJoined,
    Phase,
    PollError,
    PollSession,
    Removed,
    clean_join_code,
    clean_nickname,
    phone_view,
)
from casebook.room_limits import RoomLimits
from server.phone_events import HEARTBEAT, RETRY_MS, Watchers, public_part

log = logging.getLogger(__name__)

PAGE = Path(__file__).resolve().parent / "static" / "join.html"
MAX_BODY = 8_000
"""Bytes: a join or an answer is well under 1 KB; a free-text answer is at most 500 characters."""
MAX_JSON_DEPTH = 4
"""The deepest body a phone sends is {"response": [...]}: two levels."""
TOKEN_MAX = 64

UNREADABLE = "the request could not be read"
TOO_LARGE = "that request is too large"
GUESSING = "too many wrong codes from this network; check the code on the screen and try again in {wait}"
BUSY = "many phones on this network are joining at once; try again in {wait}"


def _wait(seconds: int) -> str:
    return "1 second" if seconds == 1 else f"{seconds} seconds"


room = RoomLimits()


def book() -> Casebook:
    """The process's one Casebook, the same object the Streamlit pages use; tests replace this
    function with one returning their own."""
    return shared_casebook(Settings.from_env(deployment_secrets()))


@cached(TTLCache(maxsize=2048, ttl=0.5), condition=threading.Condition(), key=clean_join_code)
def session_by_code(code: str) -> PollSession | None:
    """A session row kept for half a second, so hundreds of phones polling cost one query (the
    condition makes phones arriving while it is being read wait for that one read)."""
    return book().polls.by_code(code)


@cached(TTLCache(maxsize=2048, ttl=2), condition=threading.Condition(), key=lambda session_id: session_id)
def removed_from(session_id: str) -> frozenset[str]:
    """Phones the lecturer took out of a session, read once per session every two seconds, not once
    per phone."""
    return book().polls.removed(session_id)


_members: TTLCache = TTLCache(maxsize=8192, ttl=60)
_members_lock = threading.Lock()


def belongs(session: PollSession, token: Any) -> bool:
    """The phone joined this session: its token is one the session handed out.

    Only yes is remembered (for a minute), so made-up tokens cannot crowd out real ones."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
        return False
    with _members_lock:
        if _members.get((session.id, token)):
            return True
    if book().polls.participant(session.id, token) is None:
        return False
    with _members_lock:
        _members[(session.id, token)] = True
    return True


_sqlite_writer = threading.Lock()


def one_writer():
    """Phones' writes queue here, one at a time, when the database is SQLite.

    SQLite lets one writer in and makes every other one sleep and retry (up to 100 ms a try), so
    thread-pool workers writing at once wait far longer than the writes take; a lock in the process
    hands the database from one answer to the next without the sleeping. PostgreSQL needs no such queue."""
    return _sqlite_writer if book().polls.engine.dialect.name == "sqlite" else nullcontext()


REMOVED = "the lecturer has removed you from this session"


class Refused(Exception):
    """A request the phone API turns down; the message is shown on the phone as it is."""

    def __init__(self, message: str, status: int = 400, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def _error(message: str, status: int = 400, retry_after: int | None = None) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    body: dict = {"error": message[:1].upper() + message[1:] + "."}
    if message == REMOVED:
        body["removed"] = True  # the phone shows it has been taken out, rather than asking to join again
    return JSONResponse(body, status_code=status, headers=headers)


def _ok(data: dict) -> JSONResponse:
    return JSONResponse(data, headers={"Cache-Control": "no-store"})


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in a JSON text, counted without parsing it."""
    depth = deepest = 0
    for bracket in re.findall(r"[\[\]{}]", _JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number")


def parse_body(raw: bytes) -> dict:
    """A phone's JSON object, or Refused: not UTF-8, not JSON, not an object, nested too deeply."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(UNREADABLE) from None
    if not text.strip():
        return {}
    if json_depth(text) > MAX_JSON_DEPTH:
        raise Refused("that request is nested too deeply to be an answer")
    try:
        data = json.loads(text, parse_constant=_no_constant)
        json.dumps(data, ensure_ascii=False).encode("utf-8")  # a lone surrogate (\ud800) cannot be stored
    except (ValueError, RecursionError):  # UnicodeError is a ValueError
        raise Refused(UNREADABLE) from None
    if not isinstance(data, dict):
        raise Refused(UNREADABLE)
    return data


async def read_body(request: Request) -> dict:
    """The body, refused as soon as it is known to be too large: from Content-Length, else while reading."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise Refused(UNREADABLE)
        if len(declared) > 9 or int(declared) > MAX_BODY:
            raise Refused(TOO_LARGE, 413)
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise Refused(TOO_LARGE, 413)
    return parse_body(bytes(raw))


_writers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="casebook-phone-writes")


def phone_api(handler: Callable[[Request, dict], dict], *, writes: bool = False) -> Callable:
    """An endpoint: read the body on the event loop, do the database work in a worker thread.

    Joins and answers (`writes`) have workers of their own, so a hall of phones polling for the
    state (Starlette's thread pool) never queues ahead of an answer waiting to be recorded."""
    async def endpoint(request: Request) -> Response:
        try:
            body = await read_body(request) if request.method == "POST" else {}
            if writes:
                data = await asyncio.get_running_loop().run_in_executor(_writers, handler, request, body)
            else:
                data = await run_in_threadpool(handler, request, body)
            return _ok(data)
        except Refused as exc:
            return _error(str(exc), exc.status, exc.retry_after)
        except ClientDisconnect:  # the phone hung up mid-request: nothing to answer, nothing to log
            return _error("the request did not arrive whole", 400)
        except Exception:
            log.exception("phone request %s %s failed", request.method, request.url.path)
            return _error("something went wrong on the server; try again in a moment", 500)
    endpoint.__name__ = handler.__name__
    return endpoint


def client_address(request: Request) -> str:
    """The phone's address; behind our nginx (CASEBOOK_TRUST_PROXY=1) the one nginx reports."""
    if os.environ.get("CASEBOOK_TRUST_PROXY") == "1" and request.headers.get("x-real-ip"):
        return request.headers["x-real-ip"]
    return request.client.host if request.client else "unknown"


def admit(request: Request, token: Any = None) -> PollSession:
    """The session the phone names, or Refused.

    Wrong codes count towards the address's guessing limit. Once it is reached, only a phone that
    proves it belongs (a known code with one of its participant tokens) gets through; everything
    else gets the same 429, whether its code exists or not.
    """
    address = client_address(request)
    guessing = room.guessing(address)
    if guessing is not None and not isinstance(token, str):
        raise Refused(GUESSING.format(wait=_wait(guessing.retry_after)), 429, guessing.retry_after)
    session = session_by_code(request.path_params["code"])
    if guessing is not None:
        if session is None or not belongs(session, token):
            raise Refused(GUESSING.format(wait=_wait(guessing.retry_after)), 429, guessing.retry_after)
        return session
    if session is None:
        room.wrong_code(address)
        raise Refused("no session has that code; check the code on the screen", 404)
    return session


def _text_field(body: dict, name: str, what: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise Refused(f"{what} is plain text")
    return value


def join(request: Request, body: dict) -> dict:
    session = admit(request)
    nickname = _text_field(body, "nickname", "a nickname")
    learner = (_text_field(body, "learner", "a study code") or "").strip() or None
    try:
        name = clean_nickname(nickname)
    except PollError as exc:
        raise Refused(str(exc)) from None
    if busy := room.join(client_address(request), session.id):
        raise Refused(BUSY.format(wait=_wait(busy.retry_after)), 429, busy.retry_after)
    try:
        with one_writer():
            session, token = book().polls.join(session.join_code, nickname, utcnow(), learner=learner)
    except PollError as exc:
        raise Refused(str(exc)) from None
    return {"token": token, "code": session.join_code, "linked": bool(learner), "nickname": name}


def state(request: Request, body: dict) -> dict:
    token = request.query_params.get("token", "")
    session = admit(request, token)
    if token and token in removed_from(session.id):
        raise Refused(REMOVED, 403)
    case = book().case(session.case_id)
    if case is None:
        raise Refused("this session's case is no longer available", 410)
    mine = None
    # The phone asks for its own answer after reconnecting; after a reveal it always gets it, for its verdict.
    wants_mine = request.query_params.get("mine") == "1" or session.phase == Phase.revealed
    if wants_mine and session.question_id and token and len(token) <= TOKEN_MAX:
        mine = book().polls.my_answer(session.id, token, session.question_id)
    view = phone_view(case, session, mine, utcnow())
    if "board" in view and request.query_params.get("mine") == "1" and token and len(token) <= TOKEN_MAX:
        view["my_board"] = book().room_boards.mine(session.id, token, session.stage_index)
    return view


def answer(request: Request, body: dict) -> dict:
    token = body.get("token")
    session = admit(request, token)
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
        raise Refused("join the session first", 403)
    question_id = body.get("question_id")
    if not isinstance(question_id, str):
        raise Refused("there is no such question in this session")
    case = book().case(session.case_id)
    if case is None:
        raise Refused("this session's case is no longer available", 410)
    try:
        with one_writer():
            stored = book().polls.answer(session.join_code, token, question_id, body.get("response"), case, utcnow())
    except Removed:
        raise Refused(REMOVED, 403) from None
    except NotJoined as exc:
        raise Refused(str(exc), 403) from None
    except PollError as exc:
        raise Refused(str(exc), 409 if "closed" in str(exc) or "ended" in str(exc) else 400) from None
    return {"recorded": stored, "question_id": question_id}


def hold_board(request: Request, body: dict) -> dict:
    """A phone's differential board at the current stage, while the room's board is open."""
    token = body.get("token")
    session = admit(request, token)
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
        raise Refused("join the session first", 403)
    try:
        with one_writer():
            picks = book().hold_room_board(session.join_code, token, body.get("stage"), body.get("picks"), utcnow())
    except Removed:
        raise Refused(REMOVED, 403) from None
    except NotJoined as exc:
        raise Refused(str(exc), 403) from None
    except PollError as exc:
        raise Refused(str(exc), 409 if "closed" in str(exc) or "ended" in str(exc) else 400) from None
    except KeyError:
        raise Refused("this session's case is no longer available", 410) from None
    return {"recorded": picks, "stage": body.get("stage")}


MAX_STREAMS_PER_ADDRESS = MAX_PARTICIPANTS + 200
"""A whole hall behind one campus address, with room for phones that reopen a stream before the old one
is noticed gone. A phone refused a stream polls instead."""
MAX_STREAMS_PER_PHONE = 3
"""A student with the page open in a few tabs; a script reusing one token cannot hold more."""
MAX_STREAMS = 5 * MAX_PARTICIPANTS
"""Open streams in one process, whatever their addresses."""
TOO_MANY_STREAMS = "too many live connections from here; this phone will check for the next question every few seconds instead"


def _read_for_phones(session_id: str) -> tuple[dict, frozenset[str]] | None:
    """What every phone of a session may see now (the gate is phone_view), and who was removed."""
    session = book().polls.get(session_id)
    case = book().case(session.case_id) if session is not None else None
    if case is None:
        return None
    return public_part(phone_view(case, session, None, utcnow())), removed_from(session_id)


watchers = Watchers(_read_for_phones)


def admit_stream(request: Request, token: str) -> PollSession:
    """Streams are for phones that joined: a known code with one of its tokens, not removed, case present."""
    session = admit(request, token)
    if not belongs(session, token):
        raise Refused("join the session first", 403)
    if token in removed_from(session.id):
        raise Refused(REMOVED, 403)
    if book().case(session.case_id) is None:
        raise Refused("this session's case is no longer available", 410)
    return session


class _Lease:
    """One open stream counted against its address and its phone, given back exactly once."""

    def __init__(self, address: str, phone: tuple[str, str]):
        self.address, self.phone, self.held = address, phone, True
        watchers.by_address[address] += 1
        watchers.by_token[phone] += 1

    def release(self) -> None:
        if self.held:
            self.held = False
            for counter, key in ((watchers.by_address, self.address), (watchers.by_token, self.phone)):
                counter[key] -= 1
                if counter[key] <= 0:
                    del counter[key]


def _removed_event() -> ServerSentEvent:
    return ServerSentEvent(event="removed", data=json.dumps({"error": REMOVED[:1].upper() + REMOVED[1:] + ".",
                                                             "removed": True}))


async def events(request: Request) -> Response:
    """The session pushed to one phone: an event whenever what phones may see changes, a comment every
    HEARTBEAT seconds otherwise. Every refusal is the same JSON as the other routes; the page then polls."""
    token = request.query_params.get("token", "")
    try:
        session = await run_in_threadpool(admit_stream, request, token)
    except Refused as exc:
        return _error(str(exc), exc.status, exc.retry_after)
    except Exception:
        log.exception("phone request %s %s failed", request.method, request.url.path)
        return _error("something went wrong on the server; try again in a moment", 500)
    address = client_address(request)
    phone_key = (session.id, token)
    if (watchers.streams >= MAX_STREAMS or watchers.by_address[address] >= MAX_STREAMS_PER_ADDRESS
            or watchers.by_token[phone_key] >= MAX_STREAMS_PER_PHONE):
        return _error(TOO_MANY_STREAMS, 429, 30)
    lease = _Lease(address, phone_key)

    async def stream():
        try:
            yield ServerSentEvent(comment="connected", retry=RETRY_MS)
            watch = watchers.watch(session.id)
            watch.listeners += 1
            sent = None
            try:
                while True:
                    woken = watch.event
                    snap = watch.latest
                    if watch.gone:
                        return  # the session or its case is gone: the page polls and is told why
                    if watch.stopped:
                        watch.listeners -= 1
                        watch = watchers.watch(session.id)
                        watch.listeners += 1
                        continue
                    if snap is None:
                        await woken.wait()
                        continue
                    if token in snap.removed:
                        yield _removed_event()
                        return
                    if snap.key != sent:
                        sent = snap.key
                        yield ServerSentEvent(data=snap.data, event="state", id=str(snap.key[0]))
                    await woken.wait()
            finally:
                watch.listeners -= 1
        finally:
            lease.release()

    # The background task gives the lease back even when the stream never started (a HEAD request).
    return EventSourceResponse(stream(), ping=HEARTBEAT, send_timeout=HEARTBEAT,
                               headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
                               background=BackgroundTask(lease.release))


def join_page(request: Request) -> Response:
    return FileResponse(PAGE, media_type="text/html", headers={
        "Cache-Control": "no-cache",
        "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                                   "connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
    })


def ping(request: Request) -> Response:
    """A trivial endpoint: the load generator's own ceiling is measured against it."""
    return Response(b"ok", media_type="text/plain")


routes = [
    Route("/join", join_page, methods=["GET"]),
    Route("/join/{code}", join_page, methods=["GET"]),
    Route("/api/poll/{code}/join", phone_api(join, writes=True), methods=["POST"]),
    Route("/api/poll/{code}/state", phone_api(state), methods=["GET"]),
    Route("/api/poll/{code}/answer", phone_api(answer, writes=True), methods=["POST"]),
    Route("/api/poll/{code}/board", phone_api(hold_board, writes=True), methods=["POST"]),
    Route("/api/poll/{code}/events", events, methods=["GET"]),
    Route("/api/ping", ping, methods=["GET"]),
]
