"""Phones told of the lecturer's clicks through one open stream (server-sent events) instead of polling:
a change reaches every open stream, nothing hidden travels in it early, a removed phone is told, and
only phones that joined may open one."""
from __future__ import annotations

import json
import queue
import socket
import threading
import time
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

import server.phone as phone
from casebook.core import utcnow
from casebook.room_limits import WRONG_CODES_PER_MINUTE, RoomLimits
from server.phone_events import Watchers
from tests.phone_helpers import open_question


@contextmanager
def phone_server(book, monkeypatch, interval: float = 0.05):
    """The phone routes in a real server on a free loopback port: a stream has to stay open while the
    lecturer acts, which a test client that waits for the whole response cannot show."""
    monkeypatch.setattr(phone, "book", lambda: book)
    monkeypatch.setattr(phone, "room", RoomLimits())
    monkeypatch.setattr(phone, "HEARTBEAT", 0.2)  # a line now and then, so a reader notices it was closed
    reads: list[str] = []

    def counted_read(session_id: str):
        reads.append(session_id)
        return phone._read_for_phones(session_id)

    monkeypatch.setattr(phone, "watchers", Watchers(counted_read, interval=interval, linger=0.5))
    phone.session_by_code.cache_clear()
    phone.removed_from.cache_clear()
    phone._members.clear()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=phone.routes), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off",
                                           timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            http.reads = reads
            yield http
    finally:
        server.should_exit = True
        thread.join(10)
        phone.session_by_code.cache_clear()
        phone.removed_from.cache_clear()
        phone._members.clear()


class Stream:
    """One phone's open stream, read in a thread: every event (and the raw text) as it arrives."""

    def __init__(self, http: httpx.Client, code: str, token: str):
        self.events: queue.Queue = queue.Queue()
        self.raw: list[str] = []
        self._response = None
        self._stop = threading.Event()
        self.status: int | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(http, code, token), daemon=True)
        self._thread.start()
        self._ready.wait(5)

    def _read(self, http, code, token):
        try:
            with http.stream("GET", f"/api/poll/{code}/events", params={"token": token},
                             timeout=httpx.Timeout(5, read=60)) as r:
                self._response, self.status = r, r.status_code
                self._ready.set()
                if r.status_code != 200:
                    self.events.put(("refused", json.loads(r.read())))
                    return
                kind, data = "message", []
                for line in r.iter_lines():
                    if self._stop.is_set():
                        return
                    self.raw.append(line)
                    if line.startswith("event:"):
                        kind = line[6:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].strip())
                    elif line == "" and data:
                        self.events.put((kind, json.loads("\n".join(data))))
                        kind, data = "message", []
                self.events.put(("closed", None))
        except (httpx.HTTPError, RuntimeError):
            self.events.put(("closed", None))
        finally:
            self._ready.set()

    def next(self, timeout: float = 5.0):
        return self.events.get(timeout=timeout)

    def until(self, check, timeout: float = 5.0):
        deadline = time.monotonic() + timeout
        while True:
            kind, data = self.next(max(0.01, deadline - time.monotonic()))
            if check(kind, data):
                return kind, data

    def close(self):
        self._stop.set()
        self._thread.join(5)


@pytest.fixture
def hall(book, monkeypatch):
    case = book.case("mini-case")
    session, key = book.polls.create(case, utcnow())
    with phone_server(book, monkeypatch) as http:
        def join(name="Ana"):
            r = http.post(f"/api/poll/{session.join_code}/join", json={"nickname": name})
            assert r.status_code == 200, r.text
            return r.json()["token"]
        streams: list[Stream] = []

        def listen(token):
            s = Stream(http, session.join_code, token)
            streams.append(s)
            return s
        yield http, book, session, key, join, listen
        for s in streams:
            s.close()


def test_a_question_the_lecturer_opens_reaches_an_open_stream_without_asking(hall):
    http, book, session, key, join, listen = hall
    stream = listen(join())
    kind, first = stream.next()
    assert (kind, first["phase"]) == ("state", "lobby")
    started = time.monotonic()
    open_question(book, session, key, "q-single")
    kind, view = stream.until(lambda k, d: k == "state" and d["phase"] == "open")
    assert view["question"]["prompt"] == "Which sign matters most?"
    assert time.monotonic() - started < 2
    texts = [text for _, text in view["question"]["choices"]]
    assert sorted(texts) == ["Sneezing", "Weight loss"]


def test_nothing_hidden_travels_in_the_stream_before_its_reveal(hall):
    http, book, session, key, join, listen = hall
    token = join()
    stream = listen(token)
    stream.next()
    case = book.case("mini-case")
    open_question(book, session, key, "q-single")
    stream.until(lambda k, d: d and d.get("phase") == "open")
    http.post(f"/api/poll/{session.join_code}/answer", json={"token": token, "question_id": "q-single", "response": "a"})
    book.polls.control(session.id, key, case, "close", utcnow())
    stream.until(lambda k, d: d and d.get("phase") == "closed")
    before_reveal = "\n".join(stream.raw)
    for secret in ("Weight loss is a red flag", "A red flag.", "Common with colds", '"correct"',
                   "Which tests first", "HIDDEN-DIAGNOSIS", "my_answer", "my_result"):
        assert secret not in before_reveal, secret
    book.polls.control(session.id, key, case, "reveal", utcnow())
    _, revealed = stream.until(lambda k, d: d and d.get("phase") == "revealed")
    assert revealed["reveal"]["explanation"] == "Weight loss is a red flag."
    # the phone's own answer and verdict stay out of what every phone is sent
    assert "my_answer" not in revealed and "my_result" not in revealed
    phone.session_by_code.cache_clear()  # as if its half second had passed
    mine = http.get(f"/api/poll/{session.join_code}/state", params={"token": token}).json()
    assert mine["my_result"]["verdict"] == "correct"


def test_many_phones_share_one_reader_of_the_session(hall):
    http, book, session, key, join, listen = hall
    streams = [listen(join(f"P{n}")) for n in range(12)]
    for s in streams:
        assert s.next()[1]["phase"] == "lobby"
    http.reads.clear()
    open_question(book, session, key, "q-single")
    for s in streams:
        assert s.until(lambda k, d: d and d.get("phase") == "open")[1]["question"]["id"] == "q-single"
    time.sleep(0.5)
    # about one read every 50 ms for the session, however many phones listen, not one per phone
    assert 0 < len(http.reads) <= 20, len(http.reads)
    assert set(http.reads) == {session.id}


def test_a_removed_phone_is_told_on_its_stream_and_cannot_open_another(hall):
    http, book, session, key, join, listen = hall
    token = join()
    join("Ben")
    stream = listen(token)
    stream.next()
    number = next(p.number for p in book.polls.participants(session.id) if p.nickname == "Ana")
    book.polls.remove_participant(session.id, key, number, utcnow())
    kind, data = stream.until(lambda k, d: k in ("removed", "closed"), timeout=6)
    assert kind == "removed" and data["removed"] is True and "removed you" in data["error"]
    assert stream.next()[0] == "closed"
    again = http.get(f"/api/poll/{session.join_code}/events", params={"token": token})
    assert again.status_code == 403 and again.json()["removed"] is True


def test_only_a_phone_that_joined_can_open_a_stream(hall):
    http, book, session, key, join, listen = hall
    for params in ({}, {"token": "made-up"}, {"token": "x" * 500}):
        r = http.get(f"/api/poll/{session.join_code}/events", params=params)
        assert r.status_code == 403 and r.json()["error"] == "Join the session first.", r.text
    r = http.get("/api/poll/NOSUCH1/events", params={"token": "made-up"})
    assert r.status_code == 404 and "no session has that code" in r.json()["error"].lower()


def test_wrong_codes_on_the_stream_count_towards_the_guessing_limit(hall):
    http, book, session, key, join, listen = hall
    token = join()
    statuses = [http.get(f"/api/poll/WRONG{n:02d}/events").status_code for n in range(WRONG_CODES_PER_MINUTE + 1)]
    assert statuses[0] == 404 and statuses[-1] == 429
    # a phone that proves it belongs still gets its stream
    stream = listen(token)
    assert stream.status == 200 and stream.next()[0] == "state"


def test_one_phone_cannot_hold_more_than_a_few_streams_and_a_closed_one_is_given_back(hall, monkeypatch):
    http, book, session, key, join, listen = hall
    token = join()
    held = [listen(token) for _ in range(phone.MAX_STREAMS_PER_PHONE)]
    for s in held:
        assert s.next()[0] == "state"
    refused = http.get(f"/api/poll/{session.join_code}/events", params={"token": token})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "30"
    assert "check for the next question" in refused.json()["error"]
    held[0].close()
    deadline = time.monotonic() + 5
    while phone.watchers.by_token[(session.id, token)] >= phone.MAX_STREAMS_PER_PHONE:
        assert time.monotonic() < deadline, "a closed stream was never given back"
        time.sleep(0.05)
    assert listen(token).next()[0] == "state"
    # HEAD opens no stream and keeps nothing
    other = join("Ben")
    for _ in range(phone.MAX_STREAMS_PER_PHONE + 1):
        assert http.head(f"/api/poll/{session.join_code}/events", params={"token": other}).status_code == 200
    time.sleep(0.1)  # the count is given back just after the (empty) response is sent
    assert phone.watchers.by_token[(session.id, other)] == 0


def test_polling_still_works_for_a_phone_whose_stream_cannot_stay_open(hall):
    http, book, session, key, join, listen = hall
    token = join()
    open_question(book, session, key, "q-multi")
    state = http.get(f"/api/poll/{session.join_code}/state", params={"token": token, "mine": "1"}).json()
    assert state["phase"] == "open" and state["question"]["prompt"] == "Which tests first?"


def test_the_stream_sends_keep_alive_comments(hall):
    http, book, session, key, join, listen = hall
    stream = listen(join())
    stream.next()
    time.sleep(0.7)
    assert any(line.startswith(": ping") for line in stream.raw), stream.raw


def test_nginx_passes_each_event_on_at_once_and_outlasts_the_keep_alive():
    from deploy.nginx_conf import compose_config

    conf = compose_config()
    block = conf[conf.index("location ~ ^/api/poll/[^/]+/events$"):]
    block = block[:block.index("}")]
    assert "proxy_buffering off;" in block
    timeout = int(block.split("proxy_read_timeout ")[1].split("s;")[0])
    assert timeout >= 2 * phone.HEARTBEAT
