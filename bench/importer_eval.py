"""How well the importer drafts real case reports: each report's draft is scored against a key.

    python bench/importer_eval.py            # a table and "n of N right" per item
    python bench/importer_eval.py -v         # and, for each miss, what the draft gave

The reports and keys are in bench/importer_eval/ (see keys.yaml for what each item means). A report
whose licence does not allow a copy has only its key and address; save its text as
bench/importer_eval/local/<name>.txt and it is scored too.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casebook.importer import DraftResult, draft_case  # noqa: E402
from casebook.loader import DRAFT_MARK  # noqa: E402

EVAL = Path(__file__).resolve().parent / "importer_eval"
ITEMS = ["age/sex", "diagnosis", "findings", "labs", "imaging", "kept", "evidence", "not invented"]


@dataclass
class Score:
    name: str
    right: dict[str, bool] = field(default_factory=dict)
    why: dict[str, str] = field(default_factory=dict)

    def mark(self, item: str, ok: bool, why: str = "") -> None:
        self.right[item] = ok
        if not ok:
            self.why[item] = why


def report_text(name: str) -> str | None:
    for folder in ("reports", "local"):
        path = EVAL / folder / f"{name}.txt"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            # The header (citation, licence, address) is ours, not the report's.
            head, sep, body = text.partition("\n---\n")
            return body if sep and head.startswith("#") else text
    return None


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2010", "-").replace("\u2011", "-")).strip().lower()


def numbers(text: str) -> set[float]:
    return {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?|\.\d+", text)}


def diagnosis_form(text: str | None) -> str:
    words = re.findall(r"[a-z0-9]+", (text or "").lower().replace("tumour", "tumor"))
    words = [w for w in words if w not in ("a", "an", "the")]
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(("sis", "ss", "us")) else w
                    for w in words)


def unit_form(unit: str) -> str:
    return unit.replace("μ", "u").replace("µ", "u").replace(" ", "").lower()


def stage_text(draft: DraftResult) -> str:
    out = []
    for stage in draft.case["stages"]:
        narrative = stage.get("narrative", "")
        if narrative.startswith(DRAFT_MARK):
            narrative = narrative.split("\n", 1)[1] if "\n" in narrative else ""
        out.append(narrative)
    return "\n".join(out)


def yaml_without_comment_marks(draft: DraftResult) -> str:
    return flat("\n".join(re.sub(r"^\s*#\s?", "", line) for line in draft.yaml_text.splitlines()))


def sentences(text: str) -> list[str]:
    """Sentences line by line (a heading is its own line), without an inline heading such as "Case presentation:"."""
    out = []
    for line in text.splitlines():
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“])", re.sub(r"\s+", " ", line).strip()):
            s = re.sub(r"^[A-Z][A-Za-z ]{2,40}:\s+(?=\S)", "", s)
            if s.strip():
                out.append(s)
    return out


def score(name: str, key: dict, body: str) -> tuple[Score, DraftResult]:
    draft = draft_case(body)
    s = Score(name)
    story = flat(stage_text(draft))
    source = flat(body)

    s.mark("age/sex", (draft.age, draft.sex) == (key.get("age"), key.get("sex")),
           f"gave {draft.age}/{draft.sex}, key {key.get('age')}/{key.get('sex')}")

    accepted = {diagnosis_form(d) for d in key["diagnosis"]}
    s.mark("diagnosis", diagnosis_form(draft.diagnosis) in accepted,
           f"gave {draft.diagnosis!r} (candidates {draft.diagnosis_candidates[:4]})")

    missing = [f for f in key.get("findings", []) if flat(f) not in story]
    s.mark("findings", not missing, f"missing {missing}")

    stage_labs = [lab for st in draft.case["stages"] for lab in st.get("labs", [])]
    unmatched = list(stage_labs)
    lost = []
    for want in key.get("labs", []):
        hit = next((got for got in unmatched if _same_lab(want, got)), None)
        if hit is None:
            lost.append(want)
        else:
            unmatched.remove(hit)
    s.mark("labs", not lost and not unmatched, f"missing {lost}; not in the key {unmatched}")

    modalities = {i["modality"] for st in draft.case["stages"] for i in st.get("imaging", [])}
    s.mark("imaging", modalities == set(key.get("imaging", [])),
           f"gave {sorted(modalities)}, key {sorted(key.get('imaging', []))}")

    lost_sentences = [k for k in key.get("keep", []) if flat(k) not in story]
    s.mark("kept", not lost_sentences, f"lost {lost_sentences}")

    s.mark("evidence", *_evidence(draft, body))
    s.mark("not invented", *_not_invented(draft, body, source))
    return s, draft


def _same_lab(want: dict, got: dict) -> bool:
    if float(want["value"]) != float(got["value"]) or unit_form(want["unit"]) != unit_form(got["unit"]):
        return False
    for bound in ("ref_low", "ref_high"):
        if (want.get(bound) is None) != (got.get(bound) is None):
            return False
        if want.get(bound) is not None and float(want[bound]) != float(got[bound]):
            return False
    a, b = flat(want["name"]), flat(got["name"])
    return a in b or b in a


def _evidence(draft: DraftResult, body: str) -> tuple[bool, str]:
    """Every fact the draft filled in keeps, beside it, a sentence of the report that holds it: in a comment,
    or in the text of the stage the fact is in."""
    comments = flat("\n".join(line.split("#", 1)[1] for line in draft.yaml_text.splitlines() if "#" in line))
    report = sentences(body)
    problems = []

    def held(words: list[str], near: str, what: str, *alternatives: str) -> None:
        holding = [s for s in report if all(flat(w) in flat(s) for w in words)
                   or any(re.search(rf"\b{re.escape(a)}\b", s) for a in alternatives)]
        if not any(flat(s) in comments or flat(s) in flat(near) for s in holding):
            problems.append(what)

    if draft.age is not None or draft.sex is not None:
        held([str(draft.age)] if draft.age is not None else [], "", f"patient {draft.age}/{draft.sex}")
    for st in draft.case["stages"]:
        near = stage_text_of(st)
        for lab in st.get("labs", []):
            held([_num(lab["value"])], near, f"lab {lab['name']} {lab['value']}")
        for study in st.get("imaging", []):
            finding = study["findings"][0].split(":", 1)[-1].strip() if study.get("findings") else ""
            if not finding or flat(finding) not in flat(body):
                problems.append(f"study {study['id']} without the report's words")
        for d in st.get("differential", []):
            if d.get("final"):
                held([draft.diagnosis or d["diagnosis"]], near, f"diagnosis {d['diagnosis']}",
                     *_abbreviations_of(draft.diagnosis or d["diagnosis"], body))
    if draft.diagnosis and not any(d.get("final") for st in draft.case["stages"] for d in st.get("differential", [])):
        held([draft.diagnosis], "", f"diagnosis {draft.diagnosis} (not placed in a stage)")
    return not problems, f"no evidence for {problems}"


def _abbreviations_of(name: str, body: str) -> list[str]:
    """What the report calls the diagnosis for short: "pulmonary tuberculosis (PTB)" gives PTB."""
    return [m.group(1) for m in re.finditer(rf"{re.escape(name)}s?\s*\(([A-Z][A-Za-z]{{0,7}}?)s?\)", body, re.I)]


def _num(value: float) -> str:
    return str(int(value)) if float(value) == int(value) else str(value)


def _not_invented(draft: DraftResult, body: str, source: str) -> tuple[bool, str]:
    found = numbers(body)
    problems = []
    if draft.age is not None and not re.search(rf"\b{draft.age}[- ]?(?:year|yr)s?[- ]?old\b|\baged {draft.age}\b",
                                               body.replace("\u2010", "-"), re.I):
        problems.append(f"age {draft.age}")
    if draft.sex is not None and not re.search(
            {"male": r"\b(?:man|male|boy|gentleman|he|his)\b", "female": r"\b(?:woman|female|girl|lady|she|her)\b"}
            [draft.sex], body, re.I):
        problems.append(f"sex {draft.sex}")
    for st in draft.case["stages"]:
        for lab in st.get("labs", []):
            for k in ("value", "ref_low", "ref_high"):
                if k in lab and float(lab[k]) not in found:
                    problems.append(f"{lab['name']} {k} {lab[k]}")
            if flat(lab["name"]) not in source:
                problems.append(f"lab name {lab['name']!r}")
        for sent in sentences(stage_text_of(st)):
            if flat(sent) not in source:
                problems.append(f"sentence {sent[:60]!r}")
    if draft.diagnosis and flat(draft.diagnosis) not in source:
        problems.append(f"diagnosis {draft.diagnosis!r}")
    return not problems, f"not in the report: {problems}"


def stage_text_of(stage: dict) -> str:
    narrative = stage.get("narrative", "")
    if narrative.startswith(DRAFT_MARK):
        return narrative.split("\n", 1)[1] if "\n" in narrative else ""
    return ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="say what the draft gave for each miss")
    args = ap.parse_args(argv)
    keys = yaml.safe_load((EVAL / "keys.yaml").read_text(encoding="utf-8"))
    scores, skipped = [], []
    for name, key in keys.items():
        body = report_text(name)
        if body is None:
            skipped.append(name)
            continue
        scores.append(score(name, key, body)[0])

    width = max(len(s.name) for s in scores)
    print(f"{'report':<{width}}  " + "  ".join(ITEMS))
    for s in scores:
        cells = "  ".join(("yes" if s.right[i] else "NO").center(len(i)) for i in ITEMS)
        print(f"{s.name:<{width}}  {cells}")
        if args.verbose:
            for item, why in s.why.items():
                print(f"    {item}: {why}")
    n = len(scores)
    print()
    for item in ITEMS:
        print(f"{item:>13}: {sum(s.right[item] for s in scores)} of {n} right")
    print(f"{'every item':>13}: {sum(all(s.right.values()) for s in scores)} of {n} reports")
    if skipped:
        print(f"\nnot scored (no text; see keys.yaml): {', '.join(skipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
