"""Server memory per open page: 100 students on the library page, then 100 playing a case.

Starts the real server (`streamlit run serve.py`) and opens websocket sessions to it the way a
browser tab does (one BackMsg asking for a run of the page, then the connection held open), with no
browser, so the machine running the bench does not run out of memory first. Each session waits for
its page's script-finished message. The server's resident memory (RSS, from /proc) is read before
any session, after the library sessions and after the player sessions; the difference divided by
the number of sessions is the memory per session.

`--streamlit-defaults` runs the server with Streamlit's own garbage-collection and file-watching
settings instead of the project's (.streamlit/config.toml), for comparison.

usage: python bench/session_memory.py [--sessions 100] [--case painful-wasted-leg] [--streamlit-defaults]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from tests.e2e.conftest import start_server, stop_server  # noqa: E402

DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def open_session(url: str, page_name: str, query: str, expect: str, timeout: float = 120):
    """A connection that has drawn the page once and stays open; raises if the page lacks `expect`."""
    ws = await websockets.connect(url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=timeout, origin=url)
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page_name
    await ws.send(msg.SerializeToString())
    seen = b""
    deadline = time.monotonic() + timeout
    while True:
        payload = await asyncio.wait_for(ws.recv(), max(0.1, deadline - time.monotonic()))
        if isinstance(payload, bytes):
            seen += payload
            fwd = ForwardMsg()
            fwd.ParseFromString(payload)
            if fwd.WhichOneof("type") == "script_finished" and fwd.script_finished in DONE:
                break
    if expect.encode() not in seen:
        raise RuntimeError(f"the {page_name or 'library'} page did not show {expect!r}")
    return ws


async def open_many(url: str, n: int, page_name: str, query, expect: str, parallel: int = 4) -> list:
    sockets, limit = [], asyncio.Semaphore(parallel)

    async def one(i: int):
        async with limit:
            sockets.append(await open_session(url, page_name, query(i), expect))

    await asyncio.gather(*(one(i) for i in range(n)))
    return sockets


async def measure(url: str, pid: int, n: int, case_id: str, title: str) -> list[tuple[str, float]]:
    # One of each first, so modules, the case and its charts are loaded before the baseline.
    warm = [await open_session(url, "", f"learner=bench-warm-{uuid.uuid4().hex[:8]}", "Case library"),
            await open_session(url, "study", f"case={case_id}&learner=bench-warm-{uuid.uuid4().hex[:8]}", title)]
    await asyncio.sleep(2)
    rows = [("warm (one library page, one player page open)", rss_mb(pid))]
    library = await open_many(url, n, "", lambda i: f"learner=bench-lib-{i:04d}-{uuid.uuid4().hex[:6]}",
                              "Case library")
    await asyncio.sleep(2)
    rows.append((f"+ {n} students on the library page", rss_mb(pid)))
    players = await open_many(url, n, "study",
                              lambda i: f"case={case_id}&learner=bench-play-{i:04d}-{uuid.uuid4().hex[:6]}", title)
    await asyncio.sleep(2)
    rows.append((f"+ {n} students playing {case_id}", rss_mb(pid)))
    for ws in warm + library + players:
        await ws.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=100)
    ap.add_argument("--case", default="painful-wasted-leg")
    ap.add_argument("--streamlit-defaults", action="store_true",
                    help="Streamlit's own runner.postScriptGC and server.fileWatcherType, not the project's")
    args = ap.parse_args()

    from casebook.loader import load_case
    title = load_case(ROOT / "cases" / args.case).case.title
    saved = {k: os.environ.get(k) for k in ("STREAMLIT_RUNNER_POST_SCRIPT_GC", "STREAMLIT_SERVER_FILE_WATCHER_TYPE")}
    if args.streamlit_defaults:
        os.environ["STREAMLIT_RUNNER_POST_SCRIPT_GC"] = "true"
        os.environ["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] = "auto"
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server("serve.py", f"sqlite:///{tmp}/casebook.db")
        try:
            before = rss_mb(proc.pid)
            rows = asyncio.run(measure(url, proc.pid, args.sessions, args.case, title))
        finally:
            stop_server(proc)
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    settings = "Streamlit's defaults" if args.streamlit_defaults else "the project's settings"
    print(f"Server memory (RSS), {args.sessions} sessions of each kind, {settings}")
    print(f"{'server started, no page open':<52} {before:7.0f} MB")
    last = None
    for what, mb in rows:
        per = f"  {(mb - last) * 1024 / args.sessions:6.0f} kB per session" if last is not None else ""
        print(f"{what:<52} {mb:7.0f} MB{per}")
        last = mb


if __name__ == "__main__":
    main()
