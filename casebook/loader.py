"""Load case folders into `Case` objects, reporting every problem as `file:line: field: message`.

Loading returns one result per folder, so a broken case is listed with its problems while the
rest of the library keeps working.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from casebook.model import RULE_ERROR, Case, Inconsistency, case_inconsistencies

CASE_FILE = "case.yaml"
LONG_PROMPT = 400


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field or '(file)'}: {self.message}"


@dataclass(frozen=True)
class CaseFile:
    folder: Path
    case: Case | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    content_hash: str = ""

    @property
    def case_id(self) -> str:
        return self.case.id if self.case else self.folder.name

    @property
    def ok(self) -> bool:
        return self.case is not None and not self.errors


@dataclass(frozen=True)
class Library:
    files: list[CaseFile]

    @property
    def cases(self) -> dict[str, Case]:
        return {f.case.id: f.case for f in self.files if f.ok}

    @property
    def broken(self) -> list[CaseFile]:
        return [f for f in self.files if not f.ok]

    def file_for(self, case_id: str) -> CaseFile | None:
        return next((f for f in self.files if f.ok and f.case.id == case_id), None)


# --- YAML with line numbers ----------------------------------------------------------------


class _UniqueKeyLoader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):
    """SafeLoader (libyaml's, when PyYAML has it: about 25 times faster) that treats a repeated key as an
    error instead of keeping the last one."""


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int:
    """The line of the YAML node a validation error points at (1-based)."""
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if pair is None:
                if _is_union_tag(node, part):
                    continue  # pydantic adds the discriminator value to the path; YAML has no such level
                return line
            # The key's line: a block list or mapping under `options:` starts on the next line.
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _is_union_tag(node: yaml.MappingNode, part: Any) -> bool:
    return any(k.value == "type" and v.value == part for k, v in node.value)


def _field_path(loc: tuple[Any, ...], root: yaml.Node | None) -> str:
    out = ""
    node = root
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node.value[part] if isinstance(node, yaml.SequenceNode) and part < len(node.value) else None
            continue
        if isinstance(node, yaml.MappingNode) and _is_union_tag(node, part):
            continue
        out += ("." if out else "") + str(part)
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), None)
        else:
            node = None
    return out


def _message(err: dict) -> str:
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    if err["type"] == "extra_forbidden":
        msg = "unknown field (not part of the case format; check the spelling)"
        if " " in str(err["loc"][-1]):
            msg += '; a comma inside {...} splits the value there: put the whole text in "quotes"'
    elif err["type"] == "missing":
        msg = "required field is missing"
    elif err["type"] in ("literal_error", "enum"):
        msg = f"{msg}; found {err.get('input')!r}"
    elif err["type"] in ("union_tag_invalid", "union_tag_not_found"):  # a question's `type:` (a typo, or none)
        ctx = err.get("ctx", {})
        key = str(ctx.get("discriminator", "type")).strip("'")
        if err["type"] == "union_tag_not_found":
            msg = f"{key}: required field is missing (the question's type)"
        else:
            tags = ", ".join(t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(","))
            msg = f"{key}: {ctx.get('tag')!r} is not a question type; use one of {tags}"
    return msg


# --- loading -----------------------------------------------------------------------------------


def load_case(folder: Path) -> CaseFile:
    path = folder / CASE_FILE
    shown = str(path)
    if not path.is_file():
        return CaseFile(folder, None, [Problem(shown, 1, "", f"no {CASE_FILE} in this case folder")])
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()[:16]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return CaseFile(folder, None, [Problem(shown, 1, "", f"not UTF-8 text ({exc.reason})")], content_hash=digest)
    parsed = _parse(text, shown)
    if isinstance(parsed, Problem):
        return CaseFile(folder, None, [parsed], content_hash=digest)
    root, data = parsed
    case, errors, warnings = _check(data, root, shown, folder)
    # A draft still marked DRAFT or TODO is not finished: students never get it.
    errors = _by_line(errors + draft_problems(root, shown))
    return CaseFile(folder, None if errors else case, errors, warnings, digest)


def _parse(text: str, shown: str) -> tuple[yaml.Node, dict] | Problem:
    """The YAML node tree (for line numbers) and the data of a case file, or why it is not one."""
    # One parse: the node tree keeps the line numbers, and the data is built from that same tree.
    loader = _UniqueKeyLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        return Problem(shown, line, "", f"YAML syntax: {problem}")
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return Problem(shown, 1, "", "a case file must be a mapping of fields")
    return root, data


def _check(data: dict, root: yaml.Node, shown: str, folder: Path | None) -> tuple[Case | None, list[Problem], list[Problem]]:
    """Validate parsed case data: the case (None if the model rejects it), errors and warnings by line.

    Without a folder, the checks that need one (id equals the folder name, image files exist) are skipped.
    """
    # Rules spanning several fields are checked on the parsed data, so they are reported together
    # with field errors and each one points at the item that breaks it.
    errors = [_rule_problem(shown, root, f) for f in case_inconsistencies(data)]
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        errors += _field_problems(shown, root, exc, covered={p.field for p in errors})
        return None, _by_line(errors), []

    if folder is not None and case.id != folder.name:
        errors.append(Problem(shown, _line_of(root, ("id",)), "id", f"id {case.id!r} must equal the folder name {folder.name!r}"))
    warnings = _warnings(case, folder, shown, root)
    for w in warnings:
        if w.message.startswith("image file not found"):
            errors.append(w)
    warnings = [w for w in warnings if w not in errors]
    return case, _by_line(errors), _by_line(warnings)


def _by_line(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.line)  # stable: problems on one line keep their order


def _rule_problem(shown: str, root: yaml.Node, found: Inconsistency) -> Problem:
    message = found.message
    if found.see is not None:
        message += f" ({found.see_as} line {_line_of(root, found.see)})"
    return Problem(shown, _line_of(root, found.loc), _field_path(found.loc, root), message)


def _field_problems(shown: str, root: yaml.Node, exc: ValidationError, covered: set[str]) -> list[Problem]:
    """Pydantic's errors, without the cross-field ones already reported at their exact place."""
    out = []
    for e in exc.errors(include_url=False):
        path = _field_path(e["loc"], root)
        if e["type"] == RULE_ERROR and any(_is_within(c, path) for c in covered):
            continue
        out.append(Problem(shown, _line_of(root, e["loc"]), path, _message(e)))
    return out


def _is_within(path: str, parent: str) -> bool:
    return not parent or path == parent or path.startswith((parent + ".", parent + "["))


def _warnings(case: Case, folder: Path | None, shown: str, root: yaml.Node) -> list[Problem]:
    out: list[Problem] = []
    for si, stage in enumerate(case.stages):
        for qi, q in enumerate(stage.questions):
            if len(q.prompt) > LONG_PROMPT:
                loc = ("stages", si, "questions", qi, "prompt")
                out.append(Problem(shown, _line_of(root, loc), _field_path(loc, root),
                                   f"prompt is {len(q.prompt)} characters; students read it on a phone", "warning"))
        for ii, study in enumerate(stage.imaging):
            if study.image is None:
                continue
            loc = ("stages", si, "imaging", ii, "image")
            if folder is not None and not (folder / study.image.file).is_file():
                out.append(Problem(shown, _line_of(root, loc + ("file",)), _field_path(loc + ("file",), root),
                                   f"image file not found: {study.image.file}"))
            if len(study.image.alt) < 20:
                out.append(Problem(shown, _line_of(root, loc + ("alt",)), _field_path(loc + ("alt",), root),
                                   "alt text is very short; describe what the image shows", "warning"))
    return out


def load_library(cases_dir: Path) -> Library:
    cases_dir = Path(cases_dir)
    folders = sorted(p for p in cases_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    files = [load_case(f) for f in folders]
    seen: dict[str, CaseFile] = {}
    checked: list[CaseFile] = []
    for f in files:
        if f.ok and f.case.id in seen:
            dup = Problem(str(f.folder / CASE_FILE), 1, "id", f"id {f.case.id!r} is already used by {seen[f.case.id].folder}")
            checked.append(CaseFile(f.folder, None, [dup], f.warnings, f.content_hash))
            continue
        if f.ok:
            seen[f.case.id] = f
        checked.append(f)
    return Library(checked)


# --- checking text that is not (yet) in a case folder ------------------------------------------

DRAFT_MARK = "DRAFT —"
"""Starts text copied from a report by the importer; the author rewrites it and removes the mark."""
TODO_MARK = "TODO:"
"""Starts a placeholder the author has to replace."""
MAX_TEXT = 300_000
"""Longest case text checked in the app (the longest case in the library is about 30,000 characters)."""
MAX_NODES = 50_000
"""Most YAML values a case may expand to; aliases (*name) repeating big anchors could otherwise
make checking take very long."""


@dataclass(frozen=True)
class TextCheck:
    """The result of checking case text: the case whenever the model accepts it (so it can be
    previewed even while draft marks remain), errors and warnings by line."""

    case: Case | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.case is not None and not self.errors


def validate_text(text: str, *, shown: str = CASE_FILE, folder: Path | None = None) -> TextCheck:
    """Check case YAML that is not (yet) a file, e.g. typed into the authoring page.

    Reports the same problems as `load_case`, plus every DRAFT or TODO mark still in the text.
    Without a folder the checks that need one (id equals the folder name, image files) are skipped.
    """
    if len(text) > MAX_TEXT:
        return TextCheck(None, [Problem(shown, 1, "", f"the text is {len(text):,} characters; a case file is at most "
                                                      f"{MAX_TEXT:,}")])
    try:
        parsed = _parse(text, shown)
        if isinstance(parsed, Problem):
            return TextCheck(None, [parsed])
        root, data = parsed
        if _expanded_size(root, MAX_NODES) > MAX_NODES:
            return TextCheck(None, [Problem(shown, 1, "", f"the file expands to more than {MAX_NODES:,} values; "
                                                          "write it out without repeating anchors (*name)")])
        case, errors, warnings = _check(data, root, shown, folder)
    except RecursionError:
        return TextCheck(None, [Problem(shown, 1, "", "the file nests lists or mappings too deeply")])
    return TextCheck(case, _by_line(errors + draft_problems(root, shown)), warnings)


def draft_problems(root: yaml.Node | None, shown: str) -> list[Problem]:
    """Every text that still carries a DRAFT or TODO mark, at its line and field."""
    out = []
    for loc, value in _strings(root, ()):
        mark = draft_mark(value)
        if mark == TODO_MARK:
            what = placeholder_text(value).rstrip(".")
            message = f"still a placeholder: {what}" if what else "still a placeholder"
        elif mark == DRAFT_MARK:
            message = ("still the report's own sentences, marked DRAFT: rewrite them in your own words "
                       "and remove the mark")
        else:
            continue
        out.append(Problem(shown, _line_of(root, loc), _field_path(loc, root), message))
    return out


def draft_mark(text: str) -> str | None:
    """TODO_MARK for a placeholder, DRAFT_MARK for text copied from a report, None for finished text."""
    if text.strip().startswith(TODO_MARK):
        return TODO_MARK
    return DRAFT_MARK if DRAFT_MARK in text else None


def placeholder_text(text: str) -> str:
    """What a TODO placeholder asks for."""
    return text.strip()[len(TODO_MARK):].strip()


def _strings(node: yaml.Node | None, loc: tuple[Any, ...]):
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
        yield loc, node.value
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            yield from _strings(v, loc + (k.value,))
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            yield from _strings(v, loc + (i,))


def _expanded_size(node: yaml.Node, limit: int) -> int:
    """How many values the data has once aliases are expanded, counting no further than past `limit`."""
    count, stack = 0, [node]
    while stack and count <= limit:
        n = stack.pop()
        count += 1
        if isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack.extend((k, v))
    return count


def read_case_text(folder: Path) -> str:
    """The text of a case folder's file, as its author wrote it (e.g. to start a new case from it)."""
    return (Path(folder) / CASE_FILE).read_text(encoding="utf-8", errors="replace")
