"""A lecture hall in one run: N phones join a live poll, follow the lecturer, and all answer within a burst.

Starts the real server (`streamlit run serve.py`) on loopback, drives the phones over HTTP with
aiohttp, and prints, for phones that poll for the state every 1.5 s (the page's fallback) and for
phones that keep an event stream open (push), each with the same joined phones: the time from the
lecturer's click until every phone had the new question (and later the reveal) — p50/p95/max — the
requests per second the phones make to follow along, answered, lost, p50/p95 time to the "recorded"
acknowledgement, the time until every answer was in the database, the time until the lecturer's own
presenter page (open in headless Chromium during the burst) showed the full count, and the load
generator's own ceiling against a trivial endpoint measured in the same run.

Then it compares with the naive design — one Streamlit session per phone, each answer a script
rerun over the websocket. That design is run with fewer phones (--naive-phones) to stay bounded in
time, so the endpoint design is also run again at that same phone count, and the ratio is printed at
equal counts only.

usage: python bench/poll_burst.py [--phones 300] [--burst 5] [--follow both] [--no-chart] [--naive-phones 60]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casebook.core import Casebook, utcnow  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, STAFF_PASSPHRASE, start_server, stop_server  # noqa: E402

CASE_ID = "painful-wasted-leg"
PROJECTOR = {"width": 1920, "height": 1080}


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def ceiling(url: str, seconds: float = 3.0, connections: int = 100) -> float:
    """Requests per second this generator manages against a trivial endpoint."""
    done = 0
    stop = time.perf_counter() + seconds
    conn = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=conn) as http:
        async def worker():
            nonlocal done
            while time.perf_counter() < stop:
                async with http.get(f"{url}/api/ping") as r:
                    await r.read()
                done += 1
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        return done / (time.perf_counter() - start)


class Lecturer:
    """The lecturer's presenter page in headless Chromium, watched while the phones answer.

    Optional: if Chromium or Playwright is missing, `reason` says why and nothing is measured.
    """

    def __init__(self) -> None:
        self.reason: str | None = None
        self._pw = self._browser = self.page = None

    async def open(self, url: str, session_id: str, key: str) -> bool:
        if not Path(CHROMIUM).exists():
            self.reason = f"{CHROMIUM} is missing (apt-get install chromium)"
            return False
        try:
            from playwright.async_api import async_playwright
        except ImportError as exc:
            self.reason = f"Playwright is not installed ({exc})"
            return False
        try:
            self._pw = await async_playwright().start()
            self._browser = await self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                           headless=True)
            self.page = await (await self._browser.new_context(viewport=PROJECTOR)).new_page()
            # The lecturer signs in as staff first (start_server sets the passphrase): the link alone opens nothing.
            await self.page.goto(f"{url}/staff")
            await self.page.get_by_label("Staff passphrase").fill(STAFF_PASSPHRASE)
            await self.page.get_by_role("button", name="Sign in").click()
            await self.page.get_by_text("You are signed in as staff").wait_for(timeout=60_000)
            await self.page.goto(f"{url}/present?session={session_id}&key={key}")
            # the live poll is on screen and counting: Answered shows 0 for the open question
            await self.page.wait_for_function(
                """() => { const v = document.querySelectorAll('[data-testid="stMetricValue"]');
                           return v.length >= 2 && v[1].innerText.trim() === '0'; }""", timeout=60_000)
            return True
        except Exception as exc:  # a browser that cannot start must not sink the phone figures
            self.reason = f"the presenter page could not be opened ({type(exc).__name__}: {str(exc)[:200]})"
            await self.close()
            return False

    async def wait_for_answered(self, count: int, timeout: float) -> float | None:
        """Wall-clock time (epoch seconds, taken inside the page) when Answered first shows `count`.

        A MutationObserver in the page notes the moment the metric changes to the full count, so the
        figure does not depend on how busy this process's event loop is at that instant.
        """
        try:
            await self.page.evaluate(
                """(n) => {
                    const done = () => {
                        const v = document.querySelectorAll('[data-testid="stMetricValue"]');
                        return v.length >= 2 && /[0-9]/.test(v[1].innerText)
                               && Number(v[1].innerText.replace(/[^0-9]/g, '')) >= n;
                    };
                    window.__answeredComplete = done() ? Date.now() : null;
                    if (window.__answeredComplete) return;
                    const watch = new MutationObserver(() => {
                        if (done()) { window.__answeredComplete = Date.now(); watch.disconnect(); }
                    });
                    watch.observe(document.body, {subtree: true, childList: true, characterData: true});
                }""", count)
            handle = await self.page.wait_for_function("() => window.__answeredComplete", polling=100,
                                                       timeout=timeout * 1000)
            return (await handle.json_value()) / 1000
        except Exception as exc:
            self.reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            return None

    async def shown(self) -> list[str]:
        try:
            return [t.strip() for t in await self.page.locator('[data-testid="stMetricValue"]').all_inner_texts()]
        except Exception:
            return []

    async def close(self) -> None:
        for thing, method in ((self._browser, "close"), (self._pw, "stop")):
            if thing is not None:
                try:
                    await getattr(thing, method)()
                except Exception:
                    pass
        self._pw = self._browser = self.page = None


class Phones:
    """The phones of a hall following the session as the phone page does: `poll` asks for the state
    every 1.5 s; `push` keeps one event stream open and asks for its own verdict once after a reveal.

    Each phone notes when it first had each (phase, question) on screen, and every request it makes
    to follow the session is counted (answers are counted apart)."""

    def __init__(self, http: aiohttp.ClientSession, url: str, code: str, tokens: list[str], mode: str):
        self.http, self.url, self.code, self.tokens, self.mode = http, url, code, tokens, mode
        self.seen: dict[str, dict[tuple, float]] = {t: {} for t in tokens}
        self.requests = 0
        self.fallbacks = 0
        self.tasks: list[asyncio.Task] = []

    def note(self, token: str, view: dict) -> None:
        key = (view.get("phase"), (view.get("question") or {}).get("id"))
        self.seen[token].setdefault(key, time.perf_counter())

    async def _state(self, token: str) -> dict | None:
        self.requests += 1
        async with self.http.get(f"{self.url}/api/poll/{self.code}/state", params={"token": token}) as r:
            return await r.json() if r.status == 200 else None

    async def _poll(self, token: str) -> None:
        await asyncio.sleep(random.random() * 1.5)  # phones joined at different moments
        while True:
            try:
                view = await self._state(token)
                if view:
                    self.note(token, view)
            except Exception:
                pass
            await asyncio.sleep(1.5 + random.random() * 0.2)

    async def _verdict(self, token: str) -> None:
        await asyncio.sleep(random.random())  # as the page spreads them over a second
        try:
            await self._state(token)
        except Exception:
            pass

    async def _push(self, token: str) -> None:
        no_timeout = aiohttp.ClientTimeout(total=None, sock_read=30)
        while True:
            try:
                self.requests += 1
                async with self.http.get(f"{self.url}/api/poll/{self.code}/events", params={"token": token},
                                         timeout=no_timeout) as r:
                    if r.status != 200:  # refused: the page polls once, then tries again later
                        self.fallbacks += 1
                        view = await self._state(token)
                        if view:
                            self.note(token, view)
                        await asyncio.sleep(2)
                        continue
                    kind, data, first = "message", [], True
                    async for raw in r.content:
                        line = raw.decode("utf-8").rstrip("\r\n")
                        if line.startswith("event:"):
                            kind = line[6:].strip()
                        elif line.startswith("data:"):
                            data.append(line[5:].strip())
                        elif not line and data:
                            if kind == "state":
                                view = json.loads("\n".join(data))
                                self.note(token, view)
                                # the first event is the state the page already loaded before listening
                                if view.get("phase") == "revealed" and not first:
                                    asyncio.create_task(self._verdict(token))
                                first = False
                            kind, data = "message", []
            except asyncio.CancelledError:
                raise
            except Exception:
                self.fallbacks += 1
                await asyncio.sleep(1)

    def start(self) -> None:
        follow = self._poll if self.mode == "poll" else self._push
        self.tasks = [asyncio.create_task(follow(t)) for t in self.tokens]

    async def stop(self) -> None:
        for t in self.tasks:
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def all_see(self, key: tuple, since: float, timeout: float = 30.0) -> list[float]:
        """Seconds from `since` until each phone had `key` on screen (phones that never did are left out)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and not all(key in s for s in self.seen.values()):
            await asyncio.sleep(0.02)
        return [s[key] - since for s in self.seen.values() if key in s]


def lecturer_opens_next(book: Casebook, session_id: str, key: str) -> str:
    """The lecturer's "Ask a question": the stage's next question, moving on a stage when it has none."""
    case = book.case(CASE_ID)
    try:
        return book.polls.control(session_id, key, case, "open", utcnow()).question_id
    except Exception:
        book.polls.control(session_id, key, case, "next", utcnow())
        return book.polls.control(session_id, key, case, "open", utcnow()).question_id


async def join_hall(http: aiohttp.ClientSession, url: str, code: str, phones: int) -> tuple[list[str], float]:
    async def join(n: int) -> str | None:
        # All phones come from one address here, like a hall behind one campus NAT: the join
        # limit turns some away with Retry-After, and they wait and try again as the page does.
        for _ in range(120):
            try:
                async with http.post(f"{url}/api/poll/{code}/join", json={"nickname": f"Phone {n}"}) as r:
                    if r.status == 429:
                        await asyncio.sleep(int(r.headers.get("Retry-After", "1")) + random.random() * 0.5)
                        continue
                    return (await r.json()).get("token") if r.status == 200 else None
            except aiohttp.ClientError:  # a connection dropped under load: the page's Join is tapped again
                await asyncio.sleep(1 + random.random())
        return None

    start = time.perf_counter()
    tokens = [t for t in await asyncio.gather(*(join(n) for n in range(phones))) if t]
    return tokens, time.perf_counter() - start


async def follow_one_question(http, url: str, book: Casebook, session_id: str, code: str, key: str,
                              tokens: list[str], mode: str, burst: float, watch_chart: bool) -> dict:
    """Phones follow the session (`mode`); the lecturer opens a question, the phones answer in a burst,
    the lecturer closes and reveals. Measures when every phone showed the question and the reveal."""
    phones = Phones(http, url, code, tokens, mode)
    phones.start()
    current = book.polls.get(session_id)
    now_key = (current.phase.value, current.question_id if current.phase.value != "lobby" else None)
    await phones.all_see(now_key, time.perf_counter())  # every phone is up to date before the click
    idle_start, idle_before = time.perf_counter(), phones.requests
    await asyncio.sleep(3.0)  # the room waits for the next question
    idle_rps = (phones.requests - idle_before) / (time.perf_counter() - idle_start)
    window_start, requests_before = time.perf_counter(), phones.requests

    clicked = time.perf_counter()
    question_id = await asyncio.to_thread(lecturer_opens_next, book, session_id, key)
    open_stored = time.perf_counter() - clicked
    shown = await phones.all_see(("open", question_id), clicked)

    case = book.case(CASE_ID)
    question = case.question(question_id)
    right = [o.id for o in question.options if o.correct]
    response = right if question.type == "multiple_choice" else right[0]
    acks: list[float] = []
    errors: list[str] = []
    last_ack = [0.0]
    lecturer = Lecturer()
    watching = watch_chart and await lecturer.open(url, session_id, key)
    if not watch_chart:
        lecturer.reason = "no presenter page in this run"

    async def answer(token: str):
        await asyncio.sleep(random.random() * burst)
        body = {"token": token, "question_id": question_id, "response": response}
        for attempt in range(5):  # the phone page retries a dropped answer
            start = time.perf_counter()
            try:
                async with http.post(f"{url}/api/poll/{code}/answer", json=body) as r:
                    await r.read()
                    if r.status == 200:
                        acks.append(time.perf_counter() - start)
                        last_ack[0] = max(last_ack[0], time.perf_counter() - burst_start)
                        return
                    errors.append(f"HTTP {r.status}")
                    return
            except Exception as exc:  # connection trouble: retry like a phone would
                errors.append(type(exc).__name__)
                await asyncio.sleep(0.5 * 2 ** attempt)

    try:
        burst_start = time.perf_counter()
        burst_wall = time.time()
        chart = (asyncio.create_task(lecturer.wait_for_answered(len(tokens), burst + 30)) if watching else None)
        answering = asyncio.gather(*(answer(t) for t in tokens))
        complete_at = None
        while complete_at is None and time.perf_counter() - burst_start < burst + 30:
            _, answered = await asyncio.to_thread(book.polls.counts, session_id, question_id)
            if answered >= len(tokens):
                complete_at = time.perf_counter() - burst_start
                break
            await asyncio.sleep(0.1)
        await answering
        chart_at = None
        if chart is not None:
            seen_wall = await chart
            chart_at = None if seen_wall is None else max(0.0, seen_wall - burst_wall)
        on_chart = await lecturer.shown() if watching else []
    finally:
        await lecturer.close()

    await asyncio.to_thread(book.polls.control, session_id, key, case, "close", utcnow())
    await phones.all_see(("closed", question_id), time.perf_counter())
    clicked = time.perf_counter()
    await asyncio.to_thread(book.polls.control, session_id, key, case, "reveal", utcnow())
    reveal_stored = time.perf_counter() - clicked
    revealed = await phones.all_see(("revealed", question_id), clicked)
    await asyncio.sleep(1.2)  # the verdicts the reveal sets off (push) are part of following it
    window = time.perf_counter() - window_start
    requests = phones.requests - requests_before
    await phones.stop()
    _, stored = book.polls.counts(session_id, question_id)
    return {"mode": mode, "phones": len(tokens), "question": question_id,
            "open_shown": len(shown), "open_p50": pct(shown, 0.5), "open_p95": pct(shown, 0.95),
            "open_max": max(shown, default=float("nan")),
            "reveal_shown": len(revealed), "reveal_p50": pct(revealed, 0.5), "reveal_p95": pct(revealed, 0.95),
            "reveal_max": max(revealed, default=float("nan")),
            "open_stored": open_stored, "reveal_stored": reveal_stored,
            "follow_requests": requests, "follow_window": window, "follow_rps": requests / window,
            "idle_rps": idle_rps, "requests_per_phone": requests / max(1, len(tokens)),
            "fallbacks": phones.fallbacks,
            "answered": len(acks), "stored": stored, "lost": len(tokens) - stored, "errors": len(errors),
            "p50": pct(acks, 0.5), "p95": pct(acks, 0.95),
            "last_ack_after_burst_start": last_ack[0], "complete_after_burst_start": complete_at,
            "chart_measured": watching, "chart_problem": lecturer.reason,
            "chart_complete_after_burst_start": chart_at, "chart_shown_at_end": on_chart}


async def hall(url: str, book: Casebook, code: str, session_id: str, key: str, phones: int, burst: float,
               modes: list[str], watch_chart: bool = True) -> dict:
    """N phones join once; then for each mode they follow the lecturer through one question."""
    conn = aiohttp.TCPConnector(limit=0)  # one connection per phone, as each phone has its own
    async with aiohttp.ClientSession(connector=conn, timeout=aiohttp.ClientTimeout(total=30)) as http:
        tokens, joined_in = await join_hall(http, url, code, phones)
        runs = [await follow_one_question(http, url, book, session_id, code, key, tokens, mode, burst, watch_chart)
                for mode in modes]
    return {"phones": phones, "joined": len(tokens), "joined_in": joined_in, "runs": runs}


async def naive(url: str, phones: int, burst: float) -> dict:
    """One Streamlit session per phone: each answer is a full script rerun over the websocket."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ws_url = url.replace("http", "ws") + "/_stcore/stream"
    times: list[float] = []
    failures = 0
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        async def run_once(ws) -> None:
            msg = BackMsg()
            msg.rerun_script.query_string = "learner=naive-phone-000"
            msg.rerun_script.page_name = ""
            await ws.send_bytes(msg.SerializeToString())
            while True:
                frame = await ws.receive()
                if frame.type != aiohttp.WSMsgType.BINARY:
                    raise RuntimeError("websocket closed")
                fwd = ForwardMsg()
                fwd.ParseFromString(frame.data)
                if fwd.WhichOneof("type") == "script_finished":
                    return

        async def phone(n: int):
            nonlocal failures
            try:
                async with http.ws_connect(ws_url, protocols=("streamlit",)) as ws:
                    await run_once(ws)  # opening the page
                    await asyncio.sleep(random.random() * burst)
                    start = time.perf_counter()
                    await run_once(ws)  # the answer: one rerun
                    times.append(time.perf_counter() - start)
            except Exception:
                failures += 1

        start = time.perf_counter()
        await asyncio.gather(*(phone(n) for n in range(phones)))
        wall = time.perf_counter() - start
    return {"phones": phones, "answered": len(times), "failed": failures, "p50": pct(times, 0.5),
            "p95": pct(times, 0.95), "wall": wall}


def seconds_after(at: float | None, result: dict, burst: float, missing: str) -> str:
    if at is None:
        return missing
    return (f"{at:.2f} s after the {burst:g} s burst began, "
            f"{max(0.0, at - result['last_ack_after_burst_start']):.2f} s after the last answer was recorded")


def ms(x: float) -> str:
    return "n/a" if x != x else f"{x * 1000:.0f} ms"


def new_session(book: Casebook) -> tuple:
    session, key = book.polls.create(book.case(CASE_ID), utcnow())
    return session, key


def print_run(r: dict, burst: float) -> None:
    how = {"poll": "polling: each phone asks for the state every 1.5 s",
           "push": "push: one event stream per phone, one reader of the session per process"}[r["mode"]]
    print(f"  {r['mode']} ({how})")
    print(f"    question on every phone:  {r['open_shown']}/{r['phones']} phones, "
          f"p50 {ms(r['open_p50'])}  p95 {ms(r['open_p95'])}  max {ms(r['open_max'])} after the lecturer's click "
          f"(of which storing the click: {ms(r['open_stored'])})")
    print(f"    reveal on every phone:    {r['reveal_shown']}/{r['phones']} phones, "
          f"p50 {ms(r['reveal_p50'])}  p95 {ms(r['reveal_p95'])}  max {ms(r['reveal_max'])} "
          f"(of which storing the click: {ms(r['reveal_stored'])})")
    print(f"    requests while waiting:   {r['idle_rps']:,.0f} requests/s (3 s before the click)")
    print(f"    requests to follow along: {r['follow_rps']:,.0f} requests/s, {r['requests_per_phone']:.1f} per phone "
          f"({r['follow_requests']:,} in {r['follow_window']:.1f} s: the question, the burst, close, reveal"
          + (", each phone's verdict" if r["mode"] == "push" else "") + ")"
          + (f"; {r['fallbacks']} streams dropped or refused" if r["fallbacks"] else ""))
    print(f"    answers acked:   {r['answered']}  stored: {r['stored']}  lost: {r['lost']}  "
          f"errors/retries: {r['errors']}   ack time: p50 {ms(r['p50'])}   p95 {ms(r['p95'])}")
    db_done = seconds_after(r["complete_after_burst_start"], r, burst,
                            f"not within {burst + 30:g} s of the burst's start (answers missing)")
    print(f"    database tally complete:   {db_done}")
    if r["chart_measured"]:
        shown = r["chart_shown_at_end"]
        on_screen = (f"; the page then showed Joined {shown[0]}, Answered {shown[1]}" if len(shown) >= 2 else "")
        missing = f"not within {burst + 30:g} s of the burst's start ({r['chart_problem']})"
        print(f"    lecturer's chart complete: "
              f"{seconds_after(r['chart_complete_after_burst_start'], r, burst, missing)}"
              f" (presenter page in headless Chromium{on_screen}; it refreshes every 2 s, so this lag"
              f" varies from run to run by up to 2 s)")
    else:
        print(f"    lecturer's chart complete: not measured — {r['chart_problem']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--phones", type=int, default=300)
    ap.add_argument("--burst", type=float, default=5.0)
    ap.add_argument("--follow", choices=("poll", "push", "both"), default="both",
                    help="how the phones follow the session: polling (the fallback), the event stream, or "
                         "one after the other with the same phones (default)")
    ap.add_argument("--no-chart", action="store_true", help="do not open the lecturer's presenter page")
    ap.add_argument("--naive-phones", type=int, default=60)
    args = ap.parse_args()
    args.phones = max(1, min(args.phones, 1000))          # bounded: this runs on a shared machine
    args.naive_phones = max(0, min(args.naive_phones, 300))
    args.burst = max(0.5, min(args.burst, 30.0))
    modes = ["poll", "push"] if args.follow == "both" else [args.follow]
    began = time.perf_counter()

    tmp = tempfile.mkdtemp(prefix="casebook-bench-")
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    proc, url = start_server("serve.py", db_url)
    same = None
    try:
        book = Casebook(ROOT / "cases", db_url)
        session, key = new_session(book)
        gen = asyncio.run(ceiling(url))
        result = asyncio.run(hall(url, book, session.join_code, session.id, key, args.phones, args.burst,
                                  modes, watch_chart=not args.no_chart))
        if args.naive_phones:  # the endpoint design again, at the naive design's phone count
            session, key = new_session(book)
            same = asyncio.run(hall(url, book, session.join_code, session.id, key, args.naive_phones, args.burst,
                                    ["push"], watch_chart=False))["runs"][0]
    finally:
        stop_server(proc)

    naive_result = None
    if args.naive_phones:
        os.environ["STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION"] = "false"  # lets the bench open raw websockets
        proc, url = start_server("serve.py", f"sqlite:///{tmp}/naive.db")
        try:
            naive_result = asyncio.run(naive(url, args.naive_phones, args.burst))
        finally:
            stop_server(proc)

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"database: {db_url.split(':')[0]}   cores: {os.cpu_count()}   load average at the end (1, 5, 15 min): "
          f"{load} (above {os.cpu_count()}, other work on this machine slowed every figure)")
    print(f"load generator ceiling (trivial endpoint, 100 connections): {gen:,.0f} requests/s")
    print()
    print(f"Endpoint design (phones: light page + JSON endpoints; lecturer: Streamlit) — "
          f"{result['phones']} phones, answers spread over a {args.burst:g} s burst")
    print(f"  phones joined:   {result['joined']} in {result['joined_in']:.1f} s (one address: the per-address join "
          f"limit lets 60 in at once, then about 6 a second)")
    for r in result["runs"]:
        print_run(r, args.burst)
    runs = {r["mode"]: r for r in result["runs"]}
    if len(runs) == 2:
        poll, push = runs["poll"], runs["push"]
        print(f"  push / poll: question p95 {ms(push['open_p95'])} / {ms(poll['open_p95'])}, "
              f"requests per phone for one question {push['requests_per_phone']:.1f} / {poll['requests_per_phone']:.1f} "
              f"= {push['requests_per_phone'] / poll['requests_per_phone']:.2f}, "
              f"ack p95 {ms(push['p95'])} / {ms(poll['p95'])}")

    if naive_result and same:
        n = naive_result
        print()
        print(f"Naive design compared at the same phone count: {n['phones']} phones each "
              f"(the main run above had {result['phones']}; the naive design is not run at {result['phones']} "
              f"to keep the bench short)")
        print(f"  endpoint design, {same['phones']} phones: answered {same['answered']}, lost {same['lost']}, "
              f"p50 {ms(same['p50'])}, p95 {ms(same['p95'])}")
        print(f"  naive design,    {n['phones']} phones: answered {n['answered']}, failed {n['failed']}, "
              f"p50 {ms(n['p50'])}, p95 {ms(n['p95'])}  (one Streamlit session per phone; each answer is "
              f"a full script rerun over the websocket)")
        for q in ("p50", "p95"):
            if n[q] == n[q] and same[q] == same[q] and same[q] > 0:
                print(f"  {q} at {n['phones']} phones each: naive {ms(n[q])} / endpoint {ms(same[q])} = "
                      f"{n[q] / same[q]:.0f}x slower")
        print("  (the endpoint times are small, so a few milliseconds of noise moves these ratios a lot between"
              " runs; read the absolute times first)")
        print("  (the naive sessions sit idle between opening the page and answering — no run_every polling — "
              "so its figures are, if anything, better than a real naive page would get)")
    print()
    print(f"bench wall time: {time.perf_counter() - began:.0f} s")
    print(json.dumps({"hall": result, "endpoint_at_naive_count": same, "naive": naive_result,
                      "generator_rps": gen}, default=str))
    lost = sum(r["lost"] for r in result["runs"]) + (same["lost"] if same else 0)
    missed = sum(r["phones"] - r["open_shown"] for r in result["runs"])
    return 0 if lost == 0 and missed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
