"""Command line: `python -m casebook validate cases/` (the case files and the evidence beside them), `python -m casebook schema` and
`python -m casebook draft report.txt --id my-case` (a draft case from a report's text)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casebook.evidence import check_case_evidence
from casebook.loader import CASE_FILE, load_case, load_library
from casebook.schema import SCHEMA_PATH, schema_text


def _validate(paths: list[str], evidence: bool = True) -> int:
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
    errors = ok = 0
    for r in results:
        found, warnings = list(r.errors), list(r.warnings)  # text still marked DRAFT or TODO counts: it is not finished
        if evidence and (r.folder / CASE_FILE).is_file():
            report = check_case_evidence(r.folder)
            found, warnings = found + report.errors, warnings + report.warnings
        for problem in found:
            print(problem)
        for w in warnings:
            print(f"{w} (warning)")
        errors += len(found)
        ok += r.ok and not found
    print(f"{ok} of {len(results)} case(s) valid, {errors} error(s)", file=sys.stderr)
    return 1 if errors else 0


def _draft(report: str, case_id: str | None, out: str | None, force: bool) -> int:
    from casebook.importer import draft_case

    try:
        text = sys.stdin.read() if report == "-" else Path(report).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        print(f"{report}: cannot read the report ({exc.strerror})", file=sys.stderr)
        return 2
    draft = draft_case(text, case_id)
    if out:
        target = Path(out)
        if target.exists() and not force:
            print(f"{target} already exists; choose another --out, or add --force to replace it", file=sys.stderr)
            return 2
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(draft.yaml_text, encoding="utf-8")
        print(f"wrote a draft to {target}")
    else:
        sys.stdout.write(draft.yaml_text)
    report_to = sys.stdout if out else sys.stderr
    for w in draft.warnings:
        print(f"note: {w}", file=report_to)
    print(f"\nTo do before the case is ready ({len(draft.todo)}):", file=report_to)
    for t in draft.todo:
        print(f"  - {t}", file=report_to)
    print("Then check it: python -m casebook validate " + (str(Path(out).parent) if out else "cases/<id>/"),
          file=report_to)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m casebook", description="Casebook case tools")
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check case folders; print file:line: field: message")
    v.add_argument("paths", nargs="+")
    v.add_argument("--no-evidence", action="store_true",
                   help="skip the evidence check (evidence.yaml, source.txt), e.g. for a draft")
    s = sub.add_parser("schema", help="print the case JSON Schema, or --write it to schema/")
    s.add_argument("--write", action="store_true")
    d = sub.add_parser("draft", help="draft a case from a case report's plain text, for you to finish")
    d.add_argument("report", help="the report as a text file (- reads standard input)")
    d.add_argument("--id", dest="case_id", help="permanent id of the new case (not naming the diagnosis)")
    d.add_argument("--out", help="where to write the draft, e.g. cases/my-case/case.yaml (default: print it)")
    d.add_argument("--force", action="store_true", help="replace --out if it already exists")
    args = ap.parse_args(argv)
    if args.command == "validate":
        return _validate(args.paths, evidence=not args.no_evidence)
    if args.command == "draft":
        return _draft(args.report, args.case_id, args.out, args.force)
    if args.write:
        SCHEMA_PATH.parent.mkdir(exist_ok=True)
        SCHEMA_PATH.write_text(schema_text())
        print(f"wrote {SCHEMA_PATH}")
    else:
        sys.stdout.write(schema_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
