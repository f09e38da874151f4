"""How long a student waits in the case player and the library, against a bare Streamlit page.

Starts the real server (`streamlit run serve.py`) and a bare one-button page (bench/bare_page.py)
side by side, drives Debian's Chromium through every case (each question given up or answered,
then "Reveal the next stage"), and prints per-case medians, p90 and the ratio of the medians to the
bare page's button press, all measured in this one run. The library page load and a search (a
filter change) are measured the same way.

A time runs from the click (the browser's rerun request leaving on the websocket) until the
server's script-finished message arrives (the final one of the rerun, after any st.rerun), decoded
from the websocket frames; the browser's painting is not counted. A page load runs from
`page.goto` until the same message.

usage: python bench/stage_advance.py [--rounds 3] [--cases-dir cases] [--library-loads 10]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from casebook.loader import load_library  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, start_server, stop_server, wait_for_app  # noqa: E402

SEEDS = ("constipation-only", "exertional-ankle-pain", "painful-wasted-leg")
DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def cpu_seconds(pid: int | None) -> float:
    """CPU time the server process has used so far (user + system), from /proc; 0 when unknown."""
    if not pid:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Wire:
    """Every rerun request the page sends and every script-finished message it receives, timed."""

    def __init__(self, page, pid: int | None = None):
        self.page = page
        self.pid = pid  # the server's process, for the CPU time a click costs it
        self.last_cpu = 0.0
        self.sent: list[float] = []
        self.finished: list[float] = []
        self.received_bytes = 0  # every frame the server sent, so a rerun's size is a difference
        self.last_bytes = 0  # bytes received during the last click, press or page load
        self.received_msgs = 0
        self.last_msgs = 0  # messages (mostly one per element drawn) received during the last click
        page.on("websocket", self._watch)

    def _watch(self, ws) -> None:
        ws.on("framesent", self._sent)
        ws.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        if isinstance(payload, bytes):
            msg = BackMsg()
            try:
                msg.ParseFromString(payload)
            except Exception:
                return
            if msg.WhichOneof("type") == "rerun_script":
                self.sent.append(time.perf_counter())

    def _received(self, payload) -> None:
        if not isinstance(payload, bytes):
            return
        self.received_bytes += len(payload)
        self.received_msgs += 1
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:
            return
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished in DONE:
            self.finished.append(time.perf_counter())

    def _wait_finished(self, after: int, timeout: float) -> float:
        deadline = time.perf_counter() + timeout
        while len(self.finished) <= after:
            if time.perf_counter() > deadline:
                raise TimeoutError("no script-finished message")
            self.page.wait_for_timeout(5)
        return self.finished[after]

    def click(self, locator, timeout: float = 30) -> float:
        """Seconds from the click's rerun request until its final script-finished message."""
        locator.scroll_into_view_if_needed()
        sent, done, size, msgs = len(self.sent), len(self.finished), self.received_bytes, self.received_msgs
        cpu = cpu_seconds(self.pid)
        start = time.perf_counter()
        locator.click()
        end = self._wait_finished(done, timeout)
        self.last_cpu = cpu_seconds(self.pid) - cpu
        began = self.sent[sent] if len(self.sent) > sent else start
        wait_for_app(self.page)
        self.last_bytes = self.received_bytes - size
        self.last_msgs = self.received_msgs - msgs
        return end - began

    def press(self, locator, key: str, timeout: float = 30) -> float:
        sent, done = len(self.sent), len(self.finished)
        start = time.perf_counter()
        locator.press(key)
        end = self._wait_finished(done, timeout)
        began = self.sent[sent] if len(self.sent) > sent else start
        wait_for_app(self.page)
        return end - began

    def goto(self, url: str, timeout: float = 60) -> float:
        done = len(self.finished)
        start = time.perf_counter()
        self.page.goto(url)
        end = self._wait_finished(done, timeout)
        wait_for_app(self.page)
        return end - start


def bare_presses(browser, url: str, n: int, pid: int | None = None, cpu: list[float] | None = None) -> list[float]:
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    wire = Wire(page, pid)
    wire.goto(url)
    button = page.get_by_role("button", name="Press me")
    times = []
    for _ in range(n):
        times.append(wire.click(button))
        if cpu is not None:
            cpu.append(wire.last_cpu)
    ctx.close()
    return times


def bare_loads(browser, url: str, n: int) -> list[float]:
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    wire = Wire(page)
    times = [wire.goto(url) for _ in range(n)]
    ctx.close()
    return times


def play_case(browser, url: str, case_id: str, stages: int,
              pid: int | None = None) -> list[tuple[int, float, int, int, float]]:
    """Play one case to its last stage; (stage revealed, seconds, bytes and messages received, server CPU
    seconds) per press of "Reveal the next stage"."""
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    wire = Wire(page, pid)
    learner = f"bench-{uuid.uuid4().hex[:12]}"
    wire.goto(f"{url}/study?case={case_id}&learner={learner}")
    out = []
    for index in range(stages - 1):
        give_up = page.get_by_role("button", name="I don't know — show me")
        while give_up.count():
            wire.click(give_up.first)
        seconds = wire.click(page.get_by_role("button", name="Reveal the next stage"))
        out.append((index + 1, seconds, wire.last_bytes, wire.last_msgs, wire.last_cpu))
    ctx.close()
    return out


def library_times(browser, url: str, loads: int, searches: list[str]) -> tuple[list[float], list[float]]:
    """Library page loads, then searches typed into its box (each a filter change)."""
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    wire = Wire(page)
    learner = f"bench-{uuid.uuid4().hex[:12]}"
    load = [wire.goto(f"{url}/?learner={learner}") for _ in range(loads)]
    box = page.get_by_label("Search cases")
    filtered = []
    for word in searches:
        box.fill(word)
        filtered.append(wire.press(box, "Enter"))
    ctx.close()
    return load, filtered


def line(what: str, times: list[float], bare: float | None) -> str:
    med = statistics.median(times)
    ratio = f"{med / bare:5.1f}×" if bare else "     "
    return f"{what:<44} n={len(times):>3}  median {med * 1000:7.0f} ms  p90 {pct(times, 0.9) * 1000:7.0f} ms  {ratio}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3, help="times each case is played through")
    ap.add_argument("--cases-dir", type=Path, default=ROOT / "cases")
    ap.add_argument("--library-loads", type=int, default=10)
    ap.add_argument("--cases", nargs="*", default=list(SEEDS),
                    help="case ids to play (default: the three seed cases; give none for every case)")
    args = ap.parse_args()

    library = load_library(args.cases_dir)
    cases = sorted((c for c in library.cases.values() if not args.cases or c.id in args.cases), key=lambda c: c.id)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        app, app_url = start_server("serve.py", f"sqlite:///{tmp}/casebook.db", cases=args.cases_dir)
        bare, bare_url = start_server("bench/bare_page.py", f"sqlite:///{tmp}/bare.db")
        print(f"server pid {app.pid}, bare page pid {bare.pid}", file=sys.stderr, flush=True)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                bare_loads(browser, bare_url, 2)  # warm both servers and the browser before timing
                library_times(browser, app_url, 2, ["leg", ""])
                bare_cpu: list[float] = []
                app_cpu: list[float] = []
                presses = bare_presses(browser, bare_url, 20, bare.pid, bare_cpu)
                per_case: dict[str, list[float]] = {c.id: [] for c in cases}
                per_stage: dict[tuple[str, int], list[float]] = {}
                sizes: dict[tuple[str, int], list[int]] = {}
                for _ in range(args.rounds):
                    for c in cases:
                        for stage, t, size, msgs, cpu in play_case(browser, app_url, c.id, len(c.stages), app.pid):
                            app_cpu.append(cpu)
                            per_case[c.id].append(t)
                            per_stage.setdefault((c.id, stage), []).append(t)
                            sizes.setdefault((c.id, stage), []).append((size, msgs))
                presses += bare_presses(browser, bare_url, 20, bare.pid, bare_cpu)
                loads_bare = bare_loads(browser, bare_url, args.library_loads)
                lib_load, lib_filter = library_times(browser, app_url, args.library_loads,
                                                     ["leg", "pain", "", "tumour", "nerve", ""] * 2)
                browser.close()
        finally:
            stop_server(app)
            stop_server(bare)

    bare_med = statistics.median(presses)
    load_med = statistics.median(loads_bare)
    print(f"Stage advance, {args.rounds} round(s) of {len(cases)} case(s); ratio = median / bare page's median")
    print(line("bare page: button press", presses, None))
    everything = [t for ts in per_case.values() for t in ts]
    for c in cases:
        print(line(f"{c.id} ({len(c.stages)} stages)", per_case[c.id], bare_med))
        for (cid, stage), ts in sorted(per_stage.items()):
            if cid == c.id:
                kb = statistics.median(b for b, _ in sizes[(cid, stage)]) / 1000
                msgs = statistics.median(m for _, m in sizes[(cid, stage)])
                print("  " + line(f"stage {stage + 1} revealed", ts, bare_med)[:-7]
                      + f"  {kb:6.1f} kB in {msgs:3.0f} messages")
    print(line("all cases", everything, bare_med))
    print(f"  max {max(everything) * 1000:.0f} ms; worst case median ratio "
          f"{max(statistics.median(ts) for ts in per_case.values()) / bare_med:.2f}×")
    # Server CPU is less at the mercy of other work on the machine than the wall-clock time is (the
    # clock ticks are 10 ms, so these are means over every press).
    if bare_cpu and app_cpu and sum(bare_cpu):
        bare_mean, app_mean = statistics.fmean(bare_cpu), statistics.fmean(app_cpu)
        print(f"server CPU per press, mean: bare page {bare_mean * 1000:.1f} ms, stage advance "
              f"{app_mean * 1000:.1f} ms ({app_mean / bare_mean:.1f}×)")
    print()
    print(f"Library of {len(cases)} case(s)")
    print(line("bare page: load", loads_bare, None))
    print(line("library page load", lib_load, load_med))
    print(line("library search (filter change)", lib_filter, bare_med))


if __name__ == "__main__":
    main()
