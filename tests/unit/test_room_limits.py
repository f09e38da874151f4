"""Limits on one network address: a class behind one campus address gets in, a script does not
fill the session, and wrong codes never hold up phones that have joined."""
from __future__ import annotations

import types

import pytest

import limits.storage.memory
from casebook.core import utcnow
from casebook.room_limits import WRONG_CODES_PER_MINUTE, RoomLimits, address_key
from tests.phone_helpers import open_question, phone_app


class Clock:
    """Stands in for the wall clock the `limits` library reads."""

    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(limits.storage.memory, "time", types.SimpleNamespace(time=c))
    return c


def test_a_class_of_300_behind_one_address_is_in_within_a_minute(clock):
    room = RoomLimits(clock=clock)
    waiting = {n: 0.0 for n in range(300)}        # phone -> when it (re)tries
    joined_at = {}
    while waiting and clock.now < 1_000_000 + 120:
        for n, at in sorted(waiting.items()):
            if at <= clock.now:
                refused = room.join("198.51.100.7", "session-1")
                if refused is None:
                    joined_at[n] = clock.now - 1_000_000
                    del waiting[n]
                else:
                    assert 1 <= refused.retry_after <= 60
                    waiting[n] = clock.now + refused.retry_after  # the phone page waits, then tries again
        clock.now += 0.25
    assert len(joined_at) == 300 and max(joined_at.values()) <= 60


def test_a_script_on_one_address_cannot_fill_a_session_in_seconds(clock):
    room = RoomLimits(clock=clock)
    joined = 0
    for _ in range(100):                            # 1000 tries over ten seconds
        for _ in range(10):
            joined += room.join("203.0.113.5", "session-1") is None
        clock.now += 0.1
    assert joined <= 60
    for _ in range(50):                             # a full minute of trying
        for _ in range(10):
            joined += room.join("203.0.113.5", "session-1") is None
        clock.now += 1
    assert joined <= 300
    # the same address may still join a different session, and others are not held up at all
    assert room.join("203.0.113.5", "session-2") is None and room.join("203.0.113.6", "session-1") is None


def test_wrong_codes_are_limited_per_address_and_ipv6_counts_a_whole_64(clock):
    room = RoomLimits(clock=clock)
    for n in range(WRONG_CODES_PER_MINUTE):
        assert room.guessing("2001:db8:1:2::1") is None
        room.wrong_code(f"2001:db8:1:2::{n + 1:x}")    # each try from a new address in the same /64
    refused = room.guessing("2001:db8:1:2:abcd::1")
    assert refused is not None and 1 <= refused.retry_after <= 60
    assert room.guessing("2001:db8:1:3::1") is None and room.guessing("192.0.2.1") is None
    clock.now += 61
    assert room.guessing("2001:db8:1:2::1") is None
    assert address_key("::ffff:192.0.2.1") == "192.0.2.1" and address_key("not an ip") == "not an ip"


# --- the same through HTTP --------------------------------------------------------------------

def test_one_script_joining_over_and_over_is_told_to_wait(book):
    case = book.case("mini-case")
    session, _ = book.polls.create(case, utcnow())
    with phone_app(book, client=("192.0.2.50", 1)) as http:
        statuses = [http.post(f"/api/poll/{session.join_code}/join", json={}).status_code for _ in range(150)]
        assert statuses.count(200) == 60 and statuses[60:] == [429] * 90
        refused = http.post(f"/api/poll/{session.join_code}/join", json={})
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 10
        wait = int(refused.headers["Retry-After"])
        assert f"try again in {wait} second{'' if wait == 1 else 's'}." in refused.json()["error"]
    assert book.polls.counts(session.id, None)[0] == 60


def test_a_mistyped_code_never_blocks_phones_that_have_joined(book, monkeypatch):
    """A campus NAT is one address: 60 wrong codes from it must not freeze the class behind it."""
    monkeypatch.setenv("CASEBOOK_TRUST_PROXY", "1")
    case = book.case("mini-case")
    session, key = book.polls.create(case, utcnow())
    code = session.join_code
    nat = {"X-Real-IP": "198.51.100.7"}
    with phone_app(book) as http:
        token = http.post(f"/api/poll/{code}/join", json={"nickname": "Ana"}, headers=nat).json()["token"]
        open_question(book, session, key, "q-single")
        wrong = [http.post(f"/api/poll/{'Z' * 6}{n % 10}{'Y' * (n // 10)}/join", json={}, headers=nat).status_code
                 for n in range(WRONG_CODES_PER_MINUTE)]
        assert wrong == [404] * WRONG_CODES_PER_MINUTE
        # the phone that joined carries on: its state and its answer go through
        state = http.get(f"/api/poll/{code}/state", params={"token": token}, headers=nat)
        assert state.status_code == 200 and state.json()["question"]["id"] == "q-single"
        r = http.post(f"/api/poll/{code}/answer", json={"token": token, "question_id": "q-single", "response": "a"},
                      headers=nat)
        assert r.status_code == 200 and r.json()["recorded"] == "a"
        # guessing stays expensive: from that address a new join, a made-up token or another unknown code all
        # get the same 429, so the address cannot tell a real code from a wrong one
        for request in (lambda: http.post(f"/api/poll/{code}/join", json={}, headers=nat),
                        lambda: http.get(f"/api/poll/{code}/state", params={"token": "made-up"}, headers=nat),
                        lambda: http.get(f"/api/poll/{code}/state", headers=nat),
                        lambda: http.post(f"/api/poll/{code}/answer", json={"token": "made-up"}, headers=nat),
                        lambda: http.post("/api/poll/QQQQQQQ/join", json={}, headers=nat),
                        lambda: http.get("/api/poll/QQQQQQQ/state", params={"token": token}, headers=nat)):
            refused = request()
            assert refused.status_code == 429 and "wrong codes" in refused.json()["error"]
            assert 1 <= int(refused.headers["Retry-After"]) <= 60
        # another address is not affected
        assert http.post(f"/api/poll/{code}/join", json={}, headers={"X-Real-IP": "198.51.100.8"}).status_code == 200
