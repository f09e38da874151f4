"""Evidence beside a case: every patient fact with the source sentence it comes from, general
knowledge marked as such, and the check that no number or drug in what students read is unbacked.

The files (see docs/authoring.md, "Evidence"):

- `evidence.yaml` — `facts` (claim + verbatim quote) and `general` (claim + note);
- `source.txt` — the source's text under a header naming citation, DOI/PMID and licence, kept only
  where the licence allows redistribution.

Problems are reported like the case validator's, as `file:line: field.path: message`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from casebook.loader import CASE_FILE, Problem, _field_path, _line_of, _message, _parse, _UniqueKeyLoader, load_case
from casebook.model import Case, Stage

EVIDENCE_FILE = "evidence.yaml"
SOURCE_FILE = "source.txt"
HEADER_END = "---"
HEADER_FIELDS = ("Citation:", "DOI:", "PMID:", "Licence:", "Retrieved from:")

# Fields of a case that are never read by a student as a fact: ids and flags, points and timings
# (pure structure), the grading tolerance, the citation block, image credits and lecturer-only notes.
NOT_FACTS = frozenset({
    "id", "type", "kind", "points", "hint_cost", "minutes", "difficulty", "correct", "final", "abnormal",
    "keep_last", "basis", "category", "site", "side", "source", "speaker_notes", "tolerance", "file", "credit",
    "licence", "time", "max_orders",  # an investigation's turnaround and order limit describe the test, not the patient
})

# Licences under which a source's text may be kept beside the case (the project is non-commercial).
REDISTRIBUTABLE = re.compile(r"\bCC[ -]?BY\b|\bCC0\b|public domain|creative commons attribution", re.I)
NOT_A_LICENCE = re.compile(r"unknown|not stated|not identified|could not|no licence", re.I)

NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
# Word endings of drug names (WHO INN stems and a few classic names). A word in a case with one of
# these endings is a named drug: it must be in an evidence quote, the source text or a `general`
# claim, like a number.
DRUG_ENDINGS = (
    "azepam", "azolam", "oxetine", "triptyline", "gabalin", "pentin", "adol", "etamol", "ophen", "profen",
    "olol", "ainide", "dipine", "statin", "pril", "sartan", "cillin", "mycin", "floxacin", "cycline",
    "prazole", "tidine", "parin", "gliptin", "gliflozin", "semide", "thiazide", "isone", "olone", "caine",
    "mab", "tinib", "ciclib", "barbital", "oxacin", "conazole", "nidazole", "vir", "platin", "rubicin",
    "taxel", "tropium", "terol", "fenac", "coxib", "triptan", "setron", "peridol", "apine", "idone",
)
NOT_DRUGS = frozenset({"april", "person", "unison", "liaison", "poison", "comparison", "garrison", "horizon",
                       "environ", "adrenal", "abdominal", "cholesterol", "histidine"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _FactModel(_Strict):
    claim: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    shown_as: str | None = Field(default=None, min_length=1)
    """How the case words the claim when it differs from the source (an abbreviation, British
    spelling, our own phrasing): "MRI" for "magnetic resonance imaging"."""


class _GeneralModel(_Strict):
    claim: str = Field(min_length=1)
    note: str = Field(min_length=1)


class _EvidenceModel(_Strict):
    facts: list[_FactModel] = []
    general: list[_GeneralModel] = []


@dataclass(frozen=True)
class Fact:
    claim: str
    quote: str
    line: int = 0
    shown_as: str | None = None

    @property
    def wording(self) -> str:
        """The claim as the case's text words it."""
        return self.shown_as or self.claim


@dataclass(frozen=True)
class GeneralClaim:
    claim: str
    note: str
    line: int = 0


@dataclass(frozen=True)
class Evidence:
    facts: list[Fact] = field(default_factory=list)
    general: list[GeneralClaim] = field(default_factory=list)
    source_text: str | None = None
    """The text of source.txt below its header, when the case keeps one."""

    def backed_numbers(self) -> set[str]:
        texts = [f.quote for f in self.facts] + [g.claim for g in self.general] + [self.source_text or ""]
        return {n for t in texts for n in numbers_in(t)}

    def backed_words(self) -> str:
        """Everything a named drug may be found in, folded for matching."""
        texts = [f.quote for f in self.facts] + [g.claim for g in self.general] + [self.source_text or ""]
        return fold(" ".join(texts))


@dataclass(frozen=True)
class EvidenceReport:
    evidence: Evidence | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class StageEvidence:
    """What the author sees under a stage in the preview."""

    facts: list[Fact]
    general: list[GeneralClaim]
    unbacked: list[str]
    """Numbers and drug names in the stage that no evidence backs."""


# --- text matching ---------------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


def fold(text: str) -> str:
    """Case-folded, whitespace-normalised text with words hyphenated across a line break re-joined,
    so a quote copied from a wrapped PDF text matches the sentence it came from."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_DASHES).casefold()
    text = re.sub(r"(?<=[a-z])-[ \t]*\n\s*(?=[a-z])", "", text)
    return " ".join(text.split())


def squash(text: str) -> str:
    """Letters and digits only: a quote matches its source whatever the line breaks, hyphenation at
    a line end, spacing or punctuation glyphs of the extracted text."""
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKC", str(text)).casefold())


def numbers_in(text: str) -> list[str]:
    return [_number(n) for n in NUMBER.findall(fold(text))]


def _number(token: str) -> str:
    return f"{float(token):g}" if "." in token else str(int(token))


def drugs_in(text: str) -> list[str]:
    words = re.findall(r"[a-z]+", fold(text))
    return sorted({w for w in words if len(w) > 5 and w.endswith(DRUG_ENDINGS) and w not in NOT_DRUGS})


def mentions(text: str, claim: str) -> bool:
    """`claim` occurs in `text` from the start of a word (case-insensitive): "dorsiflex" is in
    "dorsiflexed"; a number only as a whole number ("47" is not in "470")."""
    c = fold(claim)
    end = r"(?![0-9])" if c[-1:].isdigit() else ""
    return bool(c) and re.search(r"(?<![a-z0-9])" + re.escape(c) + end, fold(text)) is not None


# --- what students read -----------------------------------------------------------------------------


def student_texts(data: Any, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every text and number a student reads in case data (parsed YAML or a dumped Case), with its path.

    Teaching points marked `basis: general` are general knowledge by declaration and are left out.
    """
    if isinstance(data, dict):
        if data.get("basis") == "general":
            return
        for k, v in data.items():
            if k not in NOT_FACTS:
                yield from student_texts(v, loc + (k,))
    elif isinstance(data, (list, tuple)):
        for i, v in enumerate(data):
            yield from student_texts(v, loc + (i,))
    elif isinstance(data, bool) or data is None:
        return
    elif isinstance(data, (int, float)):
        yield loc, f"{data:g}"
    elif isinstance(data, str):
        yield loc, data


def stage_evidence(case: Case, stage: Stage, evidence: Evidence) -> StageEvidence:
    """The facts and general claims a stage's text uses, and what in it no evidence backs."""
    text = " ".join(t for _, t in student_texts(stage.model_dump(mode="json")))
    facts = [f for f in evidence.facts if mentions(text, f.wording)]
    general = [g for g in evidence.general if mentions(text, g.claim)]
    backed, words = evidence.backed_numbers(), evidence.backed_words()
    unbacked = [n for n in dict.fromkeys(numbers_in(text)) if n not in backed]
    unbacked += [d for d in drugs_in(text) if not mentions(words, d)]
    return StageEvidence(facts, general, unbacked)


# --- reading the files --------------------------------------------------------------------------------


def read_source_text(folder: Path) -> tuple[str | None, list[Problem]]:
    """The source text below its header, and what is wrong with the header."""
    path = Path(folder) / SOURCE_FILE
    if not path.is_file():
        return None, []
    shown = str(path)
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.splitlines()
    try:
        end = next(i for i, line in enumerate(lines) if line.strip() == HEADER_END)
    except StopIteration:
        return text, [Problem(shown, 1, "header", f"no '{HEADER_END}' line ends the header (Citation:, DOI:, PMID:, "
                                                  "Licence:, Retrieved from:)")]
    header = "\n".join(lines[:end])
    problems = [Problem(shown, 1, "header", f"the header has no '{name}' line")
                for name in HEADER_FIELDS if name not in header]
    return "\n".join(lines[end + 1:]), problems


def load_evidence(folder: Path) -> EvidenceReport:
    """Read evidence.yaml (and source.txt) beside a case; a missing evidence.yaml is an error."""
    folder = Path(folder)
    path = folder / EVIDENCE_FILE
    shown = str(path)
    source_text, errors = read_source_text(folder)
    if not path.is_file():
        return EvidenceReport(None, errors + [Problem(shown, 1, "", f"no {EVIDENCE_FILE} beside {CASE_FILE}: every "
                                                                   "patient fact needs the source sentence it comes "
                                                                   "from (see docs/authoring.md, Evidence)")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return EvidenceReport(None, errors + [Problem(shown, 1, "", f"not UTF-8 text ({exc.reason})")])
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return EvidenceReport(None, errors + [Problem(shown, mark.line + 1 if mark else 1, "", f"YAML syntax: {problem}")])
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return EvidenceReport(None, errors + [Problem(shown, 1, "", "an evidence file is a mapping with `facts:` and "
                                                                  "`general:` lists")])
    try:
        model = _EvidenceModel.model_validate(data)
    except ValidationError as exc:
        return EvidenceReport(None, errors + [Problem(shown, _line_of(root, e["loc"]), _field_path(e["loc"], root),
                                                      _message(e)) for e in exc.errors(include_url=False)])
    facts = [Fact(f.claim, f.quote, _line_of(root, ("facts", i)), f.shown_as) for i, f in enumerate(model.facts)]
    general = [GeneralClaim(g.claim, g.note, _line_of(root, ("general", i))) for i, g in enumerate(model.general)]
    evidence = Evidence(facts, general, source_text)
    for i, f in enumerate(facts):
        if fold(f.claim) not in fold(f.quote):
            errors.append(Problem(shown, _line_of(root, ("facts", i, "claim")), f"facts[{i}].claim",
                                  f"{f.claim!r} does not occur in its quote"))
        if source_text is not None and squash(f.quote) not in squash(source_text):
            errors.append(Problem(shown, _line_of(root, ("facts", i, "quote")), f"facts[{i}].quote",
                                  f"the quote is not in {SOURCE_FILE}; copy the sentence exactly"))
    return EvidenceReport(evidence, errors)


def check_case_evidence(folder: Path) -> EvidenceReport:
    """Everything wrong with a case folder's evidence, errors and warnings by file and line.

    Errors: no evidence.yaml; a claim not in its quote; a quote not in source.txt; a source.txt kept
    under a licence that does not allow it, or without its header; a number or drug name in what
    students read that is in no quote, not in the source text and not a `general` claim.
    Warning: a claim that the case's text no longer uses.
    """
    folder = Path(folder)
    report = load_evidence(folder)
    errors, warnings = list(report.errors), list(report.warnings)
    loaded = load_case(folder)
    case_path = folder / CASE_FILE
    if loaded.case is None:
        return EvidenceReport(report.evidence, errors, warnings)  # the case's own problems are reported by validate
    if (folder / SOURCE_FILE).is_file() and not redistributable(loaded.case.source.licence):
        errors.append(Problem(str(folder / SOURCE_FILE), 1, "", f"the case's licence ({loaded.case.source.licence!r}) "
                                                                "does not allow keeping the source text; delete "
                                                                f"{SOURCE_FILE} and keep the quotes in {EVIDENCE_FILE}"))
    if report.evidence is None:
        return EvidenceReport(None, errors, warnings)
    parsed = _parse(case_path.read_text(encoding="utf-8"), str(case_path))
    root, data = parsed  # load_case succeeded, so the file parses
    evidence = report.evidence
    backed, words = evidence.backed_numbers(), evidence.backed_words()
    everything = []
    for loc, text in student_texts(data):
        everything.append(text)
        missing = [n for n in dict.fromkeys(numbers_in(text)) if n not in backed]
        missing += [f"the drug {d!r}" for d in drugs_in(text) if not mentions(words, d)]
        for what in missing:
            what = what if what.startswith("the drug") else f"the number {what}"
            errors.append(Problem(str(case_path), _line_of(root, loc), _field_path(loc, root),
                                  f"{what} is in no evidence quote, not in {SOURCE_FILE} and not a `general` claim "
                                  f"of {EVIDENCE_FILE}"))
    all_text = fold(" ".join(everything))
    for i, f in enumerate(evidence.facts):
        if fold(f.wording) not in all_text:
            warnings.append(Problem(str(folder / EVIDENCE_FILE), f.line, f"facts[{i}].{'shown_as' if f.shown_as else 'claim'}",
                                    f"{f.wording!r} is not in the case's text any more"
                                    + ("" if f.shown_as else "; if the case words it differently, add shown_as:")))
    return EvidenceReport(evidence, sorted(errors, key=lambda p: (p.file, p.line)),
                          sorted(warnings, key=lambda p: (p.file, p.line)))


def redistributable(licence: str) -> bool:
    return bool(REDISTRIBUTABLE.search(licence)) and not NOT_A_LICENCE.search(licence)
