"""How fast one network address may join a class session and try join codes.

A lecture hall often reaches the server through one campus address (NAT), so the limits are sized
for a whole class behind one address, yet too slow for a script to fill a session or find a code.
Counts live in this process's memory (the `limits` library, moving windows); with sticky sessions
a phone keeps talking to one process, which is all a per-address limit needs.
"""
from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

JOIN_LIMITS = "60 per 10 seconds; 300 per minute"
"""Joins from one address into one session.

- 60 per 10 seconds is the burst: a block of seats typing the code the moment it appears. It also
  sustains 6 joins a second, so a class of 300 behind one address is in within about 45 seconds
  (60 at once, then 60 more every 10 seconds); a phone refused meanwhile is told when to try again
  and the phone page retries by itself.
- 300 per minute is the steady ceiling: one script from one address gets at most 300 fake
  participants a minute, so filling a 1000-seat session takes it more than three minutes instead
  of seconds — time for the lecturer to see the joined count run away and lock the room.
A session bigger than 300 behind a single address still fills, just over more than a minute.
"""

WRONG_CODES_PER_MINUTE = 60
GUESS_LIMITS = f"{WRONG_CODES_PER_MINUTE} per minute"
"""Wrong join codes from one address, counted on every phone endpoint.

A code is 7 symbols from 32: 32^7 ≈ 3.4e10 codes. At 60 wrong codes a minute an address can try
about 86,000 a day; with even 1,000 sessions open at once its chance of hitting one is about
1,000 × 86,000 / 3.4e10 ≈ 0.25 % per day of nonstop guessing, and a session lives 12 hours.
60 leaves room for a hall of students behind one address mistyping the code from the projector.
Only requests that do not prove they belong are held up once the limit is reached: a phone
holding a valid code and its participant token keeps its state and answers flowing, so one
student's typos (or a neighbour's guessing script) never freezes the class; new joins from that
address wait until the oldest wrong code is a minute old. The answer is the same 429 for a known
and an unknown code, so a blocked address learns nothing about which codes exist.
"""


def address_key(address: str) -> str:
    """The unit a limit counts: an IPv4 address, or an IPv6 /64.

    One device can use any address of its /64, so counting single IPv6 addresses would hand a
    guesser billions of fresh limits; the phones on one Wi-Fi network share a /64 much as they
    share one address behind an IPv4 NAT, which is what the limits above are sized for."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass(frozen=True)
class Refusal:
    retry_after: int
    """Whole seconds until the same request would be let through."""


class RoomLimits:
    """Rate limits for phones; `clock` must be the clock `limits` uses (time.time), or patched with it."""

    def __init__(self, join_limits: str = JOIN_LIMITS, guess_limits: str = GUESS_LIMITS,
                 clock: Callable[[], float] = time.time):
        self._joins = parse_many(join_limits)
        self._guesses = parse_many(guess_limits)
        self._window = MovingWindowRateLimiter(MemoryStorage())
        self._clock = clock
        self._lock = threading.Lock()  # test-then-hit over several limits is one step

    def guessing(self, address: str) -> Refusal | None:
        """The address has used up its wrong codes: say how long until it may try another."""
        return self._refusal(self._guesses, "guess", address_key(address))

    def wrong_code(self, address: str) -> None:
        key = address_key(address)
        with self._lock:
            for item in self._guesses:
                self._window.hit(item, "guess", key)

    def join(self, address: str, session_id: str) -> Refusal | None:
        """Count a join into `session_id`, or refuse it (and count nothing) when a limit is reached."""
        key = address_key(address)
        with self._lock:
            refused = self._refusal(self._joins, "join", key, session_id)
            if refused is None:
                for item in self._joins:
                    self._window.hit(item, "join", key, session_id)
            return refused

    def _refusal(self, items: list[RateLimitItem], *identifiers: str) -> Refusal | None:
        waits = [self._wait(item, *identifiers) for item in items if not self._window.test(item, *identifiers)]
        return Refusal(max(waits)) if waits else None

    def _wait(self, item: RateLimitItem, *identifiers: str) -> int:
        reset = self._window.get_window_stats(item, *identifiers).reset_time
        return max(1, min(item.get_expiry(), math.ceil(reset - self._clock())))
