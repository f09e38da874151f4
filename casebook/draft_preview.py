"""What of an unfinished case can already be shown, stage by stage.

A draft (from the importer or half written) parses as YAML long before it is a valid case: it has
TODO placeholders, DRAFT text and no questions yet. Its author still wants to see each stage as
students will. `draft_preview` builds every stage that can be built on its own, leaves out the
items of a stage that are broken (naming them), and says why a stage cannot be shown at all. Each
stage gets the problems that point inside it; the rest belong to the case as a whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from casebook.loader import (CASE_FILE, MAX_NODES, MAX_TEXT, Problem, TextCheck, _expanded_size, _field_path,
                             _line_of, _message, _parse)
from casebook.model import Patient, Stage

_STAGE_FIELD = re.compile(r"^stages\[(\d+)\]")
_LISTS = ("timeline", "findings", "labs", "tests", "imaging", "differential", "teaching_points", "questions")
_NEEDED = ("kind", "title", "narrative")
"""Without these a stage cannot be drawn; anything else broken is left out or stood in for."""


@dataclass(frozen=True)
class StagePart:
    number: int
    """1-based, as the preview numbers stages."""
    line: int
    """Where the stage starts in the file."""
    stage: Stage | None
    """The stage as far as it can be built, or None when it cannot be shown."""
    problems: list[Problem] = field(default_factory=list)
    """Every problem that points inside this stage, by line."""
    left_out: list[str] = field(default_factory=list)
    """Broken items not shown, e.g. "questions[0] (line 80)"."""
    why_not: str = ""
    """Why the stage cannot be shown, when `stage` is None."""


@dataclass(frozen=True)
class DraftPreview:
    title: str | None
    summary: str | None
    patient: Patient | None
    stages: list[StagePart]
    case_problems: list[Problem]
    """Problems outside any single stage (title, source, "a case needs at least one question"...)."""
    why_no_stages: str = ""

    @property
    def shown(self) -> list[Stage]:
        return [p.stage for p in self.stages if p.stage is not None]


def draft_preview(text: str, check: TextCheck, *, shown: str = CASE_FILE) -> DraftPreview | None:
    """The parts of `text` that can be shown, with `check`'s problems shared out among them; None
    when the text is not a YAML mapping at all (the check's problems say why)."""
    if len(text) > MAX_TEXT:
        return None
    try:
        parsed = _parse(text, shown)
        if isinstance(parsed, Problem) or _expanded_size(parsed[0], MAX_NODES) > MAX_NODES:
            return None  # not YAML, not a mapping, or too big: the check's problem says which
        root, data = parsed
        return _preview(root, data, check)
    except RecursionError:
        return None


def _preview(root, data: dict, check: TextCheck) -> DraftPreview:
    problems = check.errors + check.warnings
    by_stage: dict[int, list[Problem]] = {}
    case_problems = []
    for p in problems:
        m = _STAGE_FIELD.match(p.field)
        if m:
            by_stage.setdefault(int(m.group(1)), []).append(p)
        else:
            case_problems.append(p)
    stages_data = data.get("stages")
    parts: list[StagePart] = []
    why_no_stages = ""
    if not isinstance(stages_data, list) or not stages_data:
        why_no_stages = ("The file has no stages yet: add a `stages:` list." if stages_data is None
                         else "`stages` must be a list of stages, each starting with `- id:`.")
    else:
        for i, item in enumerate(stages_data):
            parts.append(_stage_part(i, item, root, sorted(by_stage.pop(i, []), key=lambda p: p.line)))
    for leftover in by_stage.values():  # a stage index the data does not have (should not happen)
        case_problems.extend(leftover)
    return DraftPreview(
        title=_text(data.get("title")), summary=_text(data.get("summary")), patient=_patient(data.get("patient")),
        stages=parts, case_problems=sorted(case_problems, key=lambda p: p.line), why_no_stages=why_no_stages)


def _stage_part(i: int, item: Any, root, problems: list[Problem]) -> StagePart:
    at = ("stages", i)
    line = _line_of(root, at)
    if not isinstance(item, dict):
        return StagePart(i + 1, line, None, problems, why_not="this entry is not a stage (a stage is a mapping "
                                                              "starting with `- id:`)")
    data = dict(item)
    left_out: list[str] = []
    try:
        return StagePart(i + 1, line, Stage.model_validate(data), problems)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    blocking: list[str] = []
    drop: dict[str, set[int]] = {}
    for e in errors:
        loc = e["loc"]
        name = loc[0] if loc else ""
        where = f"line {_line_of(root, at + loc)}"
        if name in _NEEDED:
            blocking.append(f"{_field_path(loc, root)}: {_message(e)} ({where})")
        elif name == "id":
            data["id"] = f"stage-{i + 1}"  # stood in for; the problem list names the real fault
        elif name in _LISTS and len(loc) > 1 and isinstance(loc[1], int) and isinstance(data.get(name), list):
            if loc[1] not in drop.setdefault(name, set()):
                drop[name].add(loc[1])
                left_out.append(f"{name}[{loc[1]}] (line {_line_of(root, at + loc[:2])})")
        elif name in data:
            data.pop(name)
            left_out.append(f"{name} ({where})")
        else:
            blocking.append(f"{_field_path(loc, root) or 'stage'}: {_message(e)} ({where})")
    if blocking:
        return StagePart(i + 1, line, None, problems, left_out, "; ".join(dict.fromkeys(blocking)))
    for name, gone in drop.items():
        data[name] = [x for n, x in enumerate(data[name]) if n not in gone]
    try:
        return StagePart(i + 1, line, Stage.model_validate(data), problems, left_out)
    except ValidationError as exc:
        why = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'stage'}: {_message(e)}" for e in exc.errors(include_url=False))
        return StagePart(i + 1, line, None, problems, left_out, why)


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _patient(value: Any) -> Patient | None:
    if not isinstance(value, dict):
        return None
    try:
        return Patient.model_validate(value)
    except ValidationError:
        return None
