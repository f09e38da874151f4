"""The phone API through HTTP: every malformed request gets a 4xx with a message the phone can show,
never a server error; a big body is refused before it is read; limits hold up scripts and guessers
but never a phone that has joined."""
from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.applications import Starlette

import server.phone as phone
from casebook.core import utcnow
from tests.phone_helpers import open_question, phone_app

QUESTIONS = ["q-single", "q-multi", "q-free", "q-rank", "q-num"]
RIGHT = {"q-single": "a", "q-multi": ["xr", "sp"], "q-free": "HD", "q-rank": ["one", "two", "three"], "q-num": "3,0"}


@pytest.fixture
def live(book):
    """A session of the mini case with one phone joined."""
    case = book.case("mini-case")
    session, key = book.polls.create(case, utcnow())
    with phone_app(book) as http:
        joined = http.post(f"/api/poll/{session.join_code}/join", json={"nickname": "Ana"})
        assert joined.status_code == 200, joined.text
        yield http, book, session, key, joined.json()["token"]


def assert_clear_refusal(response, status: int | tuple = (400, 403, 404, 409, 413, 422)) -> str:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.text)
    message = response.json()["error"]
    assert message and message[0].isupper() and message.endswith(".") and "Traceback" not in message
    return message


def test_a_phone_joins_sees_the_question_and_its_answer_is_recorded(live):
    http, book, session, key, token = live
    open_question(book, session, key, "q-num")
    state = http.get(f"/api/poll/{session.join_code}/state", params={"token": token}).json()
    assert state["phase"] == "open" and state["question"]["id"] == "q-num"
    r = http.post(f"/api/poll/{session.join_code}/answer", json={"token": token, "question_id": "q-num", "response": "3,0"})
    assert r.status_code == 200 and r.json()["recorded"] == 3.0


def test_joining_tells_the_phone_the_nickname_it_is_shown_under(live):
    http, _, session, _, _ = live
    r = http.post(f"/api/poll/{session.join_code}/join", json={"nickname": "  Ｂｅｎ  "})
    assert r.json()["nickname"] == "Ben"
    assert http.post(f"/api/poll/{session.join_code}/join", json={}).json()["nickname"] == ""


@pytest.mark.parametrize("question_id, response", [
    ("q-multi", [["x"]]),
    ("q-multi", [{"id": "xr"}]),
    ("q-multi", ["xr", 1]),
    ("q-multi", "xr"),
    ("q-single", ["a"]),
    ("q-single", {"a": 1}),
    ("q-rank", ["one", 2, "three"]),
    ("q-rank", [["one"], ["two"], ["three"]]),
    ("q-rank", ["one", None, "three"]),
    ("q-rank", "one"),
    ("q-num", int("9" * 400)),
    ("q-num", -int("9" * 400)),
    ("q-num", "9" * 400),
    ("q-num", True),
    ("q-num", [3]),
    ("q-num", {"value": 3}),
    ("q-num", None),
    ("q-free", 42),
    ("q-free", ["HD"]),
    ("q-free", "x" * 501),
])
def test_a_wrong_shaped_answer_gets_a_clear_message_for_every_question_type(live, question_id, response):
    http, book, session, key, token = live
    open_question(book, session, key, question_id)
    r = http.post(f"/api/poll/{session.join_code}/answer",
                  json={"token": token, "question_id": question_id, "response": response})
    assert_clear_refusal(r, 400)
    # and a proper answer to the same question is still taken
    ok = http.post(f"/api/poll/{session.join_code}/answer",
                   json={"token": token, "question_id": question_id, "response": RIGHT[question_id]})
    assert ok.status_code == 200, ok.text


def _raw(body: str | bytes) -> bytes:
    return body.encode() if isinstance(body, str) else body


@pytest.mark.parametrize("endpoint", ["join", "answer"])
@pytest.mark.parametrize("body", [
    '{"response": ' + "[" * 3000 + "]" * 3000 + "}",      # deeply nested, under the size limit
    "[" * 3990 + "]" * 3990,
    '{"nickname": ' + '{"a": ' * 1300 + "1" + "}" * 1301,
    "not json",
    "[]",
    '"a string"',
    "42",
    "null",
    '{"token": NaN}',
    '{"nickname": Infinity}',
    b'{"nickname": "\xff\xfe"}',                           # not UTF-8
    '{"nickname": "\\ud800"}',                             # a lone surrogate cannot be stored or sent back
    '{"token": "x", "question_id": "q-free", "response": "\\udfff"}',
    '{"nickname": 12}',
    '{"nickname": ["Ana"]}',
    '{"learner": {"code": 1}}',
    '{"nickname": ' + "9" * 5000 + "}",                    # longer than Python parses as an integer
])
def test_every_malformed_body_gets_a_clear_4xx(live, endpoint, body):
    http, _, session, _, _ = live
    r = http.post(f"/api/poll/{session.join_code}/{endpoint}", content=_raw(body),
                  headers={"Content-Type": "application/json"})
    assert_clear_refusal(r)


@pytest.mark.parametrize("body", [
    {"token": {"$ne": None}, "question_id": "q-single", "response": "a"},
    {"token": ["t"], "question_id": "q-single", "response": "a"},
    {"token": "x" * 5000, "question_id": "q-single", "response": "a"},
    {"question_id": "q-single", "response": "a"},
    {"token": "TOKEN", "question_id": ["q-single"], "response": "a"},
    {"token": "TOKEN", "question_id": 7, "response": "a"},
    {"token": "TOKEN", "question_id": "no-such-question", "response": "a"},
    {"token": "TOKEN", "response": "a"},
])
def test_an_answer_with_a_wrong_token_or_question_is_refused_clearly(live, body):
    http, book, session, key, token = live
    open_question(book, session, key, "q-single")
    body = {k: (token if v == "TOKEN" else v) for k, v in body.items()}
    assert_clear_refusal(http.post(f"/api/poll/{session.join_code}/answer", json=body))


def test_a_body_over_the_limit_is_refused_as_too_large(live):
    http, _, session, _, token = live
    r = http.post(f"/api/poll/{session.join_code}/answer",
                  json={"token": token, "question_id": "q-free", "response": "x" * 9000})
    assert "too large" in assert_clear_refusal(r, 413)


def _asgi_post(path: str, chunks, headers: list[tuple[bytes, bytes]]) -> tuple[int, dict, int]:
    """POST straight into the ASGI app; returns status, JSON body and how many chunks were read."""
    app = Starlette(routes=phone.routes)
    read = 0
    sent: list[dict] = []

    async def receive():
        nonlocal read
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        read += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": headers, "client": ("10.0.0.9", 1234), "server": ("testserver", 80)}
    # in a thread of its own: a browser test's Playwright may already run a loop in this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body), read


def fifty_megabytes():
    chunk = b"x" * 65_536
    return iter([chunk] * (50 * 1024 * 1024 // len(chunk)))


def test_a_fifty_megabyte_body_is_refused_without_being_read(live):
    _, _, session, _, _ = live
    # sent without a length: refused as soon as what has arrived is over the limit
    status, body, read = _asgi_post(f"/api/poll/{session.join_code}/answer", fifty_megabytes(),
                                    [(b"content-type", b"application/json")])
    assert status == 413 and "too large" in body["error"] and read == 1
    # announced with its length: refused before a byte of it is read
    status, body, read = _asgi_post(f"/api/poll/{session.join_code}/join", fifty_megabytes(),
                                    [(b"content-length", str(50 * 1024 * 1024).encode())])
    assert status == 413 and read == 0


def test_json_depth_is_counted_outside_strings():
    assert phone.json_depth('{"response": ["a", "b"]}') == 2
    assert phone.json_depth('{"nickname": "[[[[[[{{{{ \\" [[[["}') == 1
    assert phone.json_depth("[[[[[1]]]]]") == 5


def test_the_database_work_of_every_phone_request_runs_off_the_event_loop(live, monkeypatch):
    """A slow query must hold up one worker thread, never the loop that carries every websocket."""
    import threading

    http, book, session, key, token = live
    open_question(book, session, key, "q-single")
    loop_threads = set()
    calls = []
    real_by_code, real_answer, real_join = book.polls.by_code, book.polls.answer, book.polls.join

    def on_loop() -> bool:
        try:
            asyncio.get_running_loop()
            return True
        except RuntimeError:
            return False

    def watch(real):
        def wrapped(*args, **kwargs):
            calls.append(on_loop())
            loop_threads.add(threading.current_thread().name)
            return real(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(book.polls, "by_code", watch(real_by_code))
    monkeypatch.setattr(book.polls, "answer", watch(real_answer))
    monkeypatch.setattr(book.polls, "join", watch(real_join))
    phone.session_by_code.cache_clear()
    assert http.post(f"/api/poll/{session.join_code}/join", json={}).status_code == 200
    phone.session_by_code.cache_clear()
    assert http.post(f"/api/poll/{session.join_code}/answer",
                     json={"token": token, "question_id": "q-single", "response": "a"}).status_code == 200
    phone.session_by_code.cache_clear()
    assert http.get(f"/api/poll/{session.join_code}/state", params={"token": token}).status_code == 200
    assert len(calls) >= 5 and not any(calls)


def test_hundreds_of_phones_polling_within_half_a_second_cost_one_session_query(live, monkeypatch):
    http, book, session, key, token = live
    queries = []
    real = book.polls.by_code
    monkeypatch.setattr(book.polls, "by_code", lambda code: queries.append(code) or real(code))
    phone.session_by_code.cache_clear()
    for _ in range(10):  # a few milliseconds each, all well inside the half second (3 leaves room for a slow machine)
        assert http.get(f"/api/poll/{session.join_code.lower()}/state", params={"token": token}).status_code == 200
    assert len(queries) <= 3
    assert phone.session_by_code.cache.maxsize <= 10_000  # bounded: made-up codes cannot grow it for ever


def test_an_unexpected_failure_reaches_the_phone_as_a_message_not_a_stack_trace(live, monkeypatch):
    http, book, session, _, token = live

    def broken(*args, **kwargs):
        raise RuntimeError("database is locked at /srv/casebook/data.db")

    monkeypatch.setattr(book.polls, "by_code", broken)
    phone.session_by_code.cache_clear()
    r = http.get(f"/api/poll/{session.join_code}/state", params={"token": token})
    assert r.status_code == 500 and r.json() == {"error": "Something went wrong on the server; try again in a moment."}


def test_a_phone_the_lecturer_removed_is_told_so_and_its_answers_stop(live):
    http, book, session, key, token = live
    open_question(book, session, key, "q-single")
    assert http.post(f"/api/poll/{session.join_code}/answer",
                     json={"token": token, "question_id": "q-single", "response": "a"}).status_code == 200
    book.polls.remove_participant(session.id, key, 1, utcnow())
    phone.removed_from.cache_clear()
    answer = http.post(f"/api/poll/{session.join_code}/answer",
                       json={"token": token, "question_id": "q-single", "response": "b"})
    assert "removed you" in assert_clear_refusal(answer, 403) and answer.json()["removed"] is True
    state = http.get(f"/api/poll/{session.join_code}/state", params={"token": token})
    assert "removed you" in assert_clear_refusal(state, 403) and state.json()["removed"] is True
    assert book.polls.tally(session.id, book.case("mini-case").question("q-single")).answered == 0
