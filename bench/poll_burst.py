"""A lecture hall in one run: N phones join a live poll, then all answer within a burst.

Starts the real server (`streamlit run serve.py`) on loopback, drives the phones over HTTP with
aiohttp, and prints: joined, answered, lost, p50/p95 time to the "recorded" acknowledgement, the
time until the lecturer's tally was complete, and the load generator's own ceiling against a
trivial endpoint measured in the same run. Then it measures the naive design — one Streamlit
session per phone, each answer a script rerun over the websocket — and prints the ratios.

usage: python bench/poll_burst.py [--phones 300] [--burst 5] [--naive-phones 60]
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
from tests.e2e.conftest import start_server, stop_server  # noqa: E402

CASE_ID = "painful-wasted-leg"


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


async def hall(url: str, book: Casebook, code: str, session_id: str, phones: int, burst: float) -> dict:
    case = book.case(CASE_ID)
    question = case.stages[0].questions[0]
    right = [o.id for o in question.options if o.correct]
    conn = aiohttp.TCPConnector(limit=phones + 10)
    timeout = aiohttp.ClientTimeout(total=30)
    acks: list[float] = []
    errors: list[str] = []
    async with aiohttp.ClientSession(connector=conn, timeout=timeout) as http:
        async def join(n: int) -> str | None:
            async with http.post(f"{url}/api/poll/{code}/join", json={"nickname": f"Phone {n}"}) as r:
                return (await r.json()).get("token") if r.status == 200 else None

        tokens = [t for t in await asyncio.gather(*(join(n) for n in range(phones))) if t]
        polling = True

        async def poll_state(token: str):  # every phone keeps polling, as the real page does
            while polling:
                try:
                    async with http.get(f"{url}/api/poll/{code}/state", params={"token": token}) as r:
                        await r.read()
                except Exception:
                    pass
                await asyncio.sleep(1.5 + random.random() * 0.2)

        pollers = [asyncio.create_task(poll_state(t)) for t in tokens]

        async def answer(token: str):
            await asyncio.sleep(random.random() * burst)
            body = {"token": token, "question_id": question.id, "response": right}
            for attempt in range(5):  # the phone page retries a dropped answer
                start = time.perf_counter()
                try:
                    async with http.post(f"{url}/api/poll/{code}/answer", json=body) as r:
                        await r.read()
                        if r.status == 200:
                            acks.append(time.perf_counter() - start)
                            return
                        errors.append(f"HTTP {r.status}")
                        return
                except Exception as exc:  # connection trouble: retry like a phone would
                    errors.append(type(exc).__name__)
                    await asyncio.sleep(0.5 * 2 ** attempt)

        burst_start = time.perf_counter()
        answering = asyncio.gather(*(answer(t) for t in tokens))
        complete_at = None
        while complete_at is None and time.perf_counter() - burst_start < burst + 30:
            _, answered = await asyncio.to_thread(book.polls.counts, session_id, question.id)
            if answered >= len(tokens):
                complete_at = time.perf_counter() - burst_start
                break
            await asyncio.sleep(0.1)
        await answering
        polling = False
        await asyncio.gather(*pollers, return_exceptions=True)
    _, stored = book.polls.counts(session_id, question.id)
    return {"joined": len(tokens), "answered": len(acks), "stored": stored, "lost": len(tokens) - stored,
            "errors": len(errors), "p50": pct(acks, 0.5), "p95": pct(acks, 0.95),
            "complete_after_burst_start": complete_at}


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--phones", type=int, default=300)
    ap.add_argument("--burst", type=float, default=5.0)
    ap.add_argument("--naive-phones", type=int, default=60)
    args = ap.parse_args()
    args.phones = max(1, min(args.phones, 1000))          # bounded: this runs on a shared machine
    args.naive_phones = max(0, min(args.naive_phones, 300))

    tmp = tempfile.mkdtemp(prefix="casebook-bench-")
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
    proc, url = start_server("serve.py", db_url)
    try:
        book = Casebook(ROOT / "cases", db_url)
        case = book.case(CASE_ID)
        session, key = book.polls.create(case, utcnow())
        book.polls.control(session.id, key, case, "open", utcnow())
        gen = asyncio.run(ceiling(url))
        result = asyncio.run(hall(url, book, session.join_code, session.id, args.phones, args.burst))
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

    print(f"database: {db_url.split(':')[0]}")
    print(f"load generator ceiling (trivial endpoint, 100 connections): {gen:,.0f} requests/s")
    print(f"phones joined:   {result['joined']}")
    print(f"answers acked:   {result['answered']}  stored: {result['stored']}  lost: {result['lost']}  "
          f"errors/retries: {result['errors']}")
    print(f"ack time:        p50 {result['p50'] * 1000:.0f} ms   p95 {result['p95'] * 1000:.0f} ms")
    done = result["complete_after_burst_start"]
    print(f"tally complete:  {done:.2f} s after the {args.burst:g} s burst began"
          f" ({max(0.0, done - args.burst):.2f} s after its end); the lecturer's chart refreshes every 2 s"
          if done is not None else "tally complete:  never (answers missing)")
    if naive_result:
        n = naive_result
        print(f"naive design ({n['phones']} Streamlit sessions, one rerun per answer): answered {n['answered']}, "
              f"failed {n['failed']}, p50 {n['p50'] * 1000:.0f} ms, p95 {n['p95'] * 1000:.0f} ms")
        if n["p95"] == n["p95"] and result["p95"] > 0:
            print(f"ratio naive/p95 ÷ endpoint/p95 at {n['phones']} vs {result['joined']} phones: "
                  f"{n['p95'] / result['p95']:.1f}x slower with {result['joined'] / n['phones']:.1f}x fewer phones")
    print(json.dumps({"hall": result, "naive": naive_result, "generator_rps": gen}, default=str))
    return 0 if result["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
