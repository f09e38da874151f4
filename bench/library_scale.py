"""A library of 10,000 cases against one of 10: start-up, the first library page, a search, memory.

Generates valid cases into a temporary folder by copying the seed cases with new ids, titles,
specialties, regions and tags (each as long as the seed it comes from), then for each size:

- cold start: a fresh process builds the app object (`Casebook`) with no index yet, and the time
  until its background check of every file has finished;
- warm start: a fresh process builds it again, the index now kept from the first;
- through the real server and Chromium: the first library page load, a later one, and a search
  (a filter change), timed as in bench/stage_advance.py; the server's resident memory after them.

Ratios are 10,000 over 10, measured in this one run.

usage: python bench/library_scale.py [--cases 10000] [--small 10]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stage_advance import Wire, pct  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, start_server, stop_server  # noqa: E402

SPECIALTIES = ["Neurology", "Orthopaedics", "Pathology", "Gastroenterology", "General surgery", "Radiology",
               "Sports medicine", "Cardiology", "Respiratory medicine", "Rheumatology", "Endocrinology",
               "Paediatrics", "Dermatology", "Haematology", "Infectious diseases", "Nephrology", "Urology",
               "Oncology", "Emergency medicine", "Geriatrics"]
REGIONS = ["Lower limb", "Upper limb", "Ankle", "Knee", "Hip", "Abdomen", "Pelvis", "Chest", "Head", "Neck",
           "Spine", "Back", "Skin", "Whole body"]
TAGS = ["chronic pain", "muscle wasting", "MRI", "CT", "ultrasound", "electrodiagnosis", "delayed diagnosis",
        "exercise", "case series", "treatment choice", "single symptom", "rare tumour", "biopsy", "surgery",
        "botulinum toxin", "red flags", "history taking", "examination", "lab results", "follow-up",
        "differential diagnosis", "imaging", "older patient", "young adult", "child"]


def generate(out: Path, n: int, seed: int = 10) -> None:
    rng = random.Random(seed)
    seeds = [(p.name, (p / "case.yaml").read_text(encoding="utf-8")) for p in sorted((ROOT / "cases").iterdir())
             if (p / "case.yaml").is_file()]
    for i in range(n):
        name, text = seeds[i % len(seeds)]
        new_id = f"{name}-{i:05d}"
        title = re.search(r"^title: (.*)$", text, re.MULTILINE).group(1)
        fields = {
            "id": new_id,
            "title": f"{title} ({i + 1:,})",
            "specialty": "[" + ", ".join(rng.sample(SPECIALTIES, rng.randint(1, 3))) + "]",
            "body_region": "[" + ", ".join(rng.sample(REGIONS, rng.randint(1, 2))) + "]",
            "tags": "[" + ", ".join(rng.sample(TAGS, rng.randint(2, 5))) + "]",
            "difficulty": rng.choice(["introductory", "intermediate", "advanced"]),
        }
        for key, value in fields.items():
            text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.MULTILINE)
        (out / new_id).mkdir(parents=True)
        (out / new_id / "case.yaml").write_text(text, encoding="utf-8")


START = """
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from casebook.core import Casebook
t1 = time.perf_counter()
book = Casebook({cases!r}, {db!r}, index_file={index!r})
t2 = time.perf_counter()
cards = len(book.cards)
book.library.wait()
t3 = time.perf_counter()
print(json.dumps(dict(imports=t1 - t0, ready=t2 - t1, checked=t3 - t1, cards=cards, available=len(book.cards),
                      broken=len(book.library.broken))))
"""


def start_once(cases: Path, tmp: Path) -> dict:
    code = START.format(root=str(ROOT), cases=str(cases), db=f"sqlite:///{tmp}/start.db",
                        index=str(tmp / "index.pickle"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def browse(cases: Path, tmp: Path, loads: int) -> dict:
    from playwright.sync_api import sync_playwright

    proc, url = start_server("serve.py", f"sqlite:///{tmp}/casebook.db", cases=cases)
    try:
        idle = rss_mb(proc.pid)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_context(viewport=DESKTOP).new_page()
            wire = Wire(page)
            first = wire.goto(f"{url}/?learner=bench-scale-0001")  # builds the app object: a warm start
            later = [wire.goto(f"{url}/?learner=bench-scale-0001") for _ in range(loads)]
            box = page.get_by_label("Search cases")
            searches = []
            for word in ["leg", "pain", "", "MRI", "neurology", ""] * 2:
                box.fill(word)
                searches.append(wire.press(box, "Enter"))
            browser.close()
        return dict(first=first, loads=later, searches=searches, rss_idle=idle, rss=rss_mb(proc.pid))
    finally:
        stop_server(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--small", type=int, default=10)
    ap.add_argument("--loads", type=int, default=8)
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        for n in (args.small, args.cases):
            tmp = Path(tmpdir) / str(n)
            lib = tmp / "cases"
            lib.mkdir(parents=True)
            t = time.perf_counter()
            generate(lib, n)
            print(f"generated {n:,} cases in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            cold = start_once(lib, tmp)
            warm = start_once(lib, tmp)
            (tmp / "casebook.db").unlink(missing_ok=True)
            # The server keeps its index beside its database: give it the warm one.
            from casebook.case_index import index_file_for
            (tmp / "index.pickle").replace(index_file_for(lib, f"sqlite:///{tmp}/casebook.db", ROOT))
            results[n] = dict(cold=cold, warm=warm, **browse(lib, tmp, args.loads))
            print(f"{n:,} cases: {json.dumps({k: v for k, v in results[n].items() if k in ('cold', 'warm')})}",
                  file=sys.stderr)

    small, big = results[args.small], results[args.cases]

    def row(what: str, a: float, b: float, unit: str = "s") -> str:
        scale = 1000 if unit == "ms" else 1
        return (f"{what:<42} {a * scale:9.2f} {unit:<2} {b * scale:10.2f} {unit:<2}  {b / a:6.1f}×")

    print(f"{'':<42} {args.small:>9,} cases {args.cases:>7,} cases  ratio")
    print(row("cold start: library ready", small["cold"]["ready"], big["cold"]["ready"]))
    print(row("cold start: every file checked", small["cold"]["checked"], big["cold"]["checked"]))
    print(row("warm start: library ready", small["warm"]["ready"], big["warm"]["ready"]))
    print(row("first library page (fresh server)", small["first"], big["first"], "ms"))
    print(row("library page load, median", statistics.median(small["loads"]), statistics.median(big["loads"]), "ms"))
    print(row("search (filter change), median", statistics.median(small["searches"]),
              statistics.median(big["searches"]), "ms"))
    print(row("search (filter change), p90", pct(small["searches"], 0.9), pct(big["searches"], 0.9), "ms"))
    print(f"{'server memory (RSS) before any page':<42} {small['rss_idle']:9.0f} MB {big['rss_idle']:10.0f} MB")
    print(f"{'server memory (RSS) after the pages':<42} {small['rss']:9.0f} MB {big['rss']:10.0f} MB")
    print(f"(cases available / broken after the check: {args.small}: {small['cold']['available']}/"
          f"{small['cold']['broken']}, {args.cases}: {big['cold']['available']}/{big['cold']['broken']})")


if __name__ == "__main__":
    main()
