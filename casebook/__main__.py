"""Command line: `python -m casebook validate cases/` and `python -m casebook schema`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casebook.loader import CASE_FILE, load_case, load_library
from casebook.schema import SCHEMA_PATH, schema_text


def _validate(paths: list[str]) -> int:
    results = []
    for p in map(Path, paths):
        if (p / CASE_FILE).is_file():
            results.append(load_case(p))
        elif p.is_file() and p.name == CASE_FILE:
            results.append(load_case(p.parent))
        elif p.is_dir():
            results.extend(load_library(p).files)
        else:
            print(f"{p}: no such case folder or file", file=sys.stderr)
            return 2
    errors = 0
    for r in results:
        for problem in r.errors:
            print(problem)
            errors += 1
        for w in r.warnings:
            print(f"{w} (warning)")
    ok = sum(r.ok for r in results)
    print(f"{ok} of {len(results)} case(s) valid, {errors} error(s)", file=sys.stderr)
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m casebook", description="Casebook case tools")
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check case folders; print file:line: field: message")
    v.add_argument("paths", nargs="+")
    s = sub.add_parser("schema", help="print the case JSON Schema, or --write it to schema/")
    s.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    if args.command == "validate":
        return _validate(args.paths)
    if args.write:
        SCHEMA_PATH.parent.mkdir(exist_ok=True)
        SCHEMA_PATH.write_text(schema_text())
        print(f"wrote {SCHEMA_PATH}")
    else:
        sys.stdout.write(schema_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
