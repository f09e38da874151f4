"""Pushing a live poll to phones: one watcher per session in each process, fanned out to every open stream.

A hall of 1,000 phones polling every 1.5 s costs ~670 requests a second and still leaves a phone up to
1.5 s behind the lecturer. Instead each phone keeps one server-sent-events stream open. The watcher of a
session reads its row (one small query every WATCH_INTERVAL seconds, however many phones listen, and
whichever process the lecturer's click went to), turns it into the public part of the phone view once,
and wakes every stream of that session. Only a phone's own answer and verdict are per phone: the phone
asks for those with one ordinary request when it needs them.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

WATCH_INTERVAL = 0.1
"""Seconds between two reads of a watched session: the most a change waits before phones are told."""
LINGER = 30.0
"""Seconds a watcher keeps reading after its last stream closed, so phones reconnecting find it warm."""
HEARTBEAT = 10
"""Seconds between keep-alive comments: under nginx's 15 s read timeout for the phone API and under
the idle timeouts of the proxies and Wi-Fi gateways phones sit behind."""
RETRY_MS = 2000
"""How long a browser waits before it reopens a stream that dropped."""

PER_PERSON_VIEW = ("my_answer", "my_result", "my_board")
"""Keys of the phone view that differ from phone to phone: never part of what is fanned out."""


@dataclass(frozen=True)
class Snapshot:
    """What every phone of one session is told: the public view, as text, once per change."""
    key: tuple
    """(version, phase, data): the version goes out as the event's id."""
    data: str
    removed: frozenset[str] = frozenset()


def public_part(view: dict) -> dict:
    """The phone view without anything that belongs to one phone."""
    return {k: v for k, v in view.items() if k not in PER_PERSON_VIEW}


@dataclass
class SessionWatch:
    """Reads one session while phones listen and wakes them when what they may see has changed.

    `read` is blocking (it runs in a worker thread) and returns the public view (a dict) and the set of
    removed tokens, or None when the session is gone."""
    session_id: str
    read: Callable[[str], tuple[dict, frozenset[str]] | None]
    interval: float = WATCH_INTERVAL
    linger: float = LINGER
    listeners: int = 0
    latest: Snapshot | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task | None = None
    _idle_since: float | None = None
    gone: bool = False
    """The session (or its case) no longer exists: streams end, and the phone's next request is told why."""

    def start(self, on_stop: Callable[[], None]) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(on_stop), name=f"watch {self.session_id}")

    @property
    def stopped(self) -> bool:
        """Its task is over, or belongs to an event loop that is no longer this one (a test's client)."""
        if self._task is None or self._task.done():
            return True
        try:
            return self._task.get_loop() is not asyncio.get_running_loop()
        except RuntimeError:
            return True

    @property
    def event(self) -> asyncio.Event:
        """Set at the next change; take it before reading `latest`, then wait on it."""
        return self._changed

    def _publish(self, snap: Snapshot | None) -> None:
        self.latest = snap
        woken, self._changed = self._changed, asyncio.Event()
        woken.set()

    async def _run(self, on_stop: Callable[[], None]) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                try:
                    found = await asyncio.to_thread(self.read, self.session_id)
                except Exception:  # a database hiccup: phones keep what they have, the next read tries again
                    log.exception("reading poll session %s for its phones failed", self.session_id)
                    found = ...
                if found is None:
                    self.gone = True
                    return
                if found is not ...:
                    view, removed = found
                    data = json.dumps(public_part(view), ensure_ascii=False, separators=(",", ":"))
                    key = (view.get("version"), view.get("phase"), data)
                    if self.latest is None or self.latest.key != key or self.latest.removed != removed:
                        self._publish(Snapshot(key, data, removed))
                if self.listeners:
                    self._idle_since = None
                elif self._idle_since is None:
                    self._idle_since = loop.time()
                elif loop.time() - self._idle_since > self.linger:
                    return
                await asyncio.sleep(self.interval)
        finally:
            on_stop()
            self._changed.set()  # a stream waiting on a stopped watcher wakes up and finds a new one


class Watchers:
    """The watchers of this process, one per session with phones listening, and the open streams' counts."""

    def __init__(self, read: Callable[[str], tuple[dict, frozenset[str]] | None], *,
                 interval: float = WATCH_INTERVAL, linger: float = LINGER):
        self.read = read
        self.interval = interval
        self.linger = linger
        self._watches: dict[str, SessionWatch] = {}
        self.by_address: Counter[str] = Counter()
        self.by_token: Counter[tuple[str, str]] = Counter()

    def watch(self, session_id: str) -> SessionWatch:
        w = self._watches.get(session_id)
        if w is None or w.stopped:
            w = SessionWatch(session_id, self.read, self.interval, self.linger)
            self._watches[session_id] = w

            def forget(w=w):
                if self._watches.get(session_id) is w:
                    del self._watches[session_id]
            w.start(forget)
        return w

    def __len__(self) -> int:
        return len(self._watches)

    @property
    def streams(self) -> int:
        return sum(self.by_address.values())
