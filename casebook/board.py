"""The differential board a student keeps through a case, and how it compares with the expert's.

A student's board is a short ranked list of diagnoses, each with a confidence, plus the ones they
have struck out. At each stage before the diagnosis they change it (add, move up or down, strike
out, restore, change the confidence) and tie each change to what moved them. Everything here is
pure: storage is `casebook.board_store`, drawing is `components/board*.py`.

What a student may see is decided by `visible_board`: the board's names (alphabetical, so the
file's order says nothing), never which one is final, and the expert's trace only once the case
is finished.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import lru_cache

from casebook.grading import match_free_text, normalise
from casebook.kinds import kind_of
from casebook.model import BoardDiagnosis, Case, ExpertBoard, FreeText, StageKind
from casebook.progress import Attempt

MAX_HELD = 6
"""A short differential: more than this and the board stops being a ranking."""
MAX_ON_BOARD = 20
"""Diagnoses held and struck out together: the page stays light however often a student adds and strikes."""
MAX_CHANGES = 60
"""Changes at one stage: enough for any real rethinking, not for a script."""
OWN_PREFIX = "own:"
"""Ids of diagnoses a student typed that are not on the case's board."""
NAME_MAX = 80

CLOSING_KINDS = (StageKind.diagnosis, StageKind.treatment, StageKind.outcome, StageKind.teaching)


class BoardError(ValueError):
    """A change the board does not allow; the message says why, for the student."""


class BoardConfidence(str, Enum):
    """How likely the student thinks a diagnosis is; stored in the database."""

    low = "low"
    medium = "medium"
    high = "high"


CONFIDENCE_WORDS = {BoardConfidence.low: "low", BoardConfidence.medium: "medium", BoardConfidence.high: "high"}
_LEVEL = {BoardConfidence.low: 0, BoardConfidence.medium: 1, BoardConfidence.high: 2}


class ChangeKind(str, Enum):
    add = "add"
    promote = "promote"
    demote = "demote"
    strike = "strike"
    restore = "restore"
    confidence = "confidence"


CHANGE_WORDS = {ChangeKind.add: "added", ChangeKind.promote: "moved up", ChangeKind.demote: "moved down",
                ChangeKind.strike: "struck out", ChangeKind.restore: "restored",
                ChangeKind.confidence: "changed the confidence of"}


@dataclass(frozen=True)
class Held:
    diagnosis: str
    """A board diagnosis id, or OWN_PREFIX + the normalised words for one the student typed."""
    name: str
    """The board's name for it, or the student's words (plain text)."""
    confidence: BoardConfidence


@dataclass(frozen=True)
class StudentBoard:
    live: tuple[Held, ...] = ()
    """Most likely first."""
    struck: tuple[Held, ...] = ()

    def rank(self, diagnosis: str) -> int | None:
        """1 for the most likely; None when not held (struck out or never added)."""
        return next((n for n, h in enumerate(self.live, 1) if h.diagnosis == diagnosis), None)

    def is_struck(self, diagnosis: str) -> bool:
        return any(h.diagnosis == diagnosis for h in self.struck)

    def held(self, diagnosis: str) -> Held | None:
        return next((h for h in self.live + self.struck if h.diagnosis == diagnosis), None)

    @property
    def top(self) -> str | None:
        return self.live[0].diagnosis if self.live else None


@dataclass(frozen=True)
class BoardChange:
    kind: ChangeKind
    diagnosis: str
    ref: str | None = None
    """What moved the student: a finding, event or study id, or a lab or test name, revealed by then."""
    confidence: BoardConfidence | None = None
    """The new confidence (add, restore, confidence)."""
    was: BoardConfidence | None = None
    """The confidence before a confidence change."""
    name: str | None = None
    """The name of a diagnosis being added."""

    @property
    def direction(self) -> int:
        """+1 when the change makes the diagnosis more likely, -1 less, 0 neither."""
        if self.kind in (ChangeKind.add, ChangeKind.promote, ChangeKind.restore):
            return 1
        if self.kind in (ChangeKind.demote, ChangeKind.strike):
            return -1
        if self.kind == ChangeKind.confidence and self.confidence and self.was:
            return (_LEVEL[self.confidence] > _LEVEL[self.was]) - (_LEVEL[self.confidence] < _LEVEL[self.was])
        return 0

    def to_json(self) -> dict:
        return {"kind": self.kind.value, "diagnosis": self.diagnosis, "ref": self.ref,
                "confidence": self.confidence.value if self.confidence else None,
                "was": self.was.value if self.was else None, "name": self.name}

    @classmethod
    def from_json(cls, data: dict) -> "BoardChange":
        return cls(ChangeKind(data["kind"]), data["diagnosis"], data.get("ref"),
                   BoardConfidence(data["confidence"]) if data.get("confidence") else None,
                   BoardConfidence(data["was"]) if data.get("was") else None, data.get("name"))


@dataclass(frozen=True)
class StageBoard:
    """The board as the student left it at one stage, and the changes they made there."""

    stage_index: int
    board: StudentBoard
    changes: tuple[BoardChange, ...] = ()
    version: int = 0


def board_to_json(board: StudentBoard) -> dict:
    row = lambda h: {"diagnosis": h.diagnosis, "name": h.name, "confidence": h.confidence.value}
    return {"live": [row(h) for h in board.live], "struck": [row(h) for h in board.struck]}


def board_from_json(data: dict) -> StudentBoard:
    held = lambda rows: tuple(Held(r["diagnosis"], r["name"], BoardConfidence(r["confidence"])) for r in rows)
    return StudentBoard(held(data.get("live", [])), held(data.get("struck", [])))


# --- changing a board ----------------------------------------------------------------------------


def apply_change(board: StudentBoard, change: BoardChange) -> StudentBoard:
    """The board after one change, or BoardError saying why it cannot be made."""
    dx = change.diagnosis
    live, struck = list(board.live), list(board.struck)
    at = next((i for i, h in enumerate(live) if h.diagnosis == dx), None)
    out = next((i for i, h in enumerate(struck) if h.diagnosis == dx), None)
    if change.kind == ChangeKind.add:
        if at is not None:
            raise BoardError(f"{live[at].name} is already on your board")
        if out is not None:
            raise BoardError(f"you struck out {struck[out].name}: restore it instead")
        if len(live) >= MAX_HELD:
            raise BoardError(f"keep the board short: at most {MAX_HELD} diagnoses; strike one out first")
        if len(live) + len(struck) >= MAX_ON_BOARD:
            raise BoardError(f"your board already lists {MAX_ON_BOARD} diagnoses, struck out ones included")
        if change.confidence is None or not change.name:
            raise BoardError("say how likely it is")
        return StudentBoard(tuple(live + [Held(dx, change.name, change.confidence)]), board.struck)
    if change.kind == ChangeKind.restore:
        if out is None:
            raise BoardError("that diagnosis is not struck out")
        if len(live) >= MAX_HELD:
            raise BoardError(f"keep the board short: at most {MAX_HELD} diagnoses; strike one out first")
        held = struck.pop(out)
        if change.confidence is not None:
            held = replace(held, confidence=change.confidence)
        return StudentBoard(tuple(live + [held]), tuple(struck))
    if at is None:
        raise BoardError("that diagnosis is not on your board" if out is None else "restore it first")
    if change.kind == ChangeKind.promote:
        if at == 0:
            raise BoardError(f"{live[at].name} is already your most likely diagnosis")
        live[at - 1], live[at] = live[at], live[at - 1]
    elif change.kind == ChangeKind.demote:
        if at == len(live) - 1:
            raise BoardError(f"{live[at].name} is already last on your board")
        live[at + 1], live[at] = live[at], live[at + 1]
    elif change.kind == ChangeKind.strike:
        struck.append(live.pop(at))
    elif change.kind == ChangeKind.confidence:
        if change.confidence is None:
            raise BoardError("say how likely it is")
        if change.confidence == live[at].confidence:
            raise BoardError(f"{live[at].name} already has that confidence")
        live[at] = replace(live[at], confidence=change.confidence)
    return StudentBoard(tuple(live), tuple(struck))


def clean_name(text: str) -> str:
    """A diagnosis as typed: plain printable text, single-spaced, at most NAME_MAX characters."""
    text = unicodedata.normalize("NFKC", str(text))
    text = "".join(ch for ch in text if ch.isprintable() and unicodedata.category(ch) != "Cf")
    text = " ".join(text.split())
    if not text:
        raise BoardError("type a diagnosis first")
    if len(text) > NAME_MAX:
        raise BoardError(f"keep a diagnosis under {NAME_MAX} characters")
    return text


@lru_cache(maxsize=1024)
def _as_question(name: str, synonyms: tuple[str, ...]) -> FreeText:
    """A board diagnosis as a free-text question, so typed names are matched exactly like typed answers."""
    return FreeText(id="board", type="free_text", prompt=name, explanation=name, accepted=[name, *synonyms])


def resolve_typed(case: Case, typed: str) -> tuple[str, str]:
    """(id, name) of a typed diagnosis: a board diagnosis when it matches its name or a synonym (the
    fuzzy matching free-text answers get; an exact match anywhere wins over a near one), else one of
    the student's own."""
    text = clean_name(typed)
    found = [(d, match_free_text(_as_question(d.name, tuple(d.synonyms)), text)) for d in case.board]
    hits = sorted((not m.exact, n) for n, (d, m) in enumerate(found) if m.accepted is not None)
    if hits:
        d = found[hits[0][1]][0]
        return d.id, d.name
    key = normalise(text)
    if not key:
        raise BoardError("type a diagnosis in words")
    return OWN_PREFIX + key[:NAME_MAX], text


def make_change(case: Case, kind: ChangeKind | str | None, diagnosis: str | None, *, typed: str | None = None,
                confidence: BoardConfidence | str | None = None, ref: str | None = None) -> BoardChange:
    """A change from what the student chose on the page (anything may be missing), or BoardError saying
    what is missing."""
    try:
        kind = ChangeKind(kind) if kind is not None else None
        confidence = BoardConfidence(confidence) if confidence is not None else None
    except ValueError:
        raise BoardError("choose from the options given") from None
    if kind is None:
        raise BoardError("choose what to change: move up, move down, strike out, restore or change the confidence")
    if kind == ChangeKind.add:
        if typed is not None and str(typed).strip():
            if diagnosis:
                raise BoardError("choose from the list or type your own, not both")
            diagnosis, name = resolve_typed(case, typed)
        elif diagnosis:
            name = None
        else:
            raise BoardError("choose a diagnosis from the list or type your own")
        if confidence is None:
            raise BoardError("say how likely it is")
        return BoardChange(kind, diagnosis, ref, confidence, name=name)
    if not diagnosis:
        raise BoardError("choose a diagnosis on your board")
    if kind == ChangeKind.confidence and confidence is None:
        raise BoardError("choose the new confidence")
    return BoardChange(kind, diagnosis, ref, confidence)


# --- the stages a board is kept at, and what the student can tie a change to ---------------------


def board_stages(case: Case) -> int:
    """How many stages, from the first, the board is kept at: those before the diagnosis is given
    (the first stage of kind diagnosis, treatment, outcome or teaching). 0 when the case has no board."""
    if not case.board:
        return 0
    return next((i for i, s in enumerate(case.stages) if s.kind in CLOSING_KINDS), len(case.stages))


@dataclass(frozen=True)
class RefOption:
    ref: str
    label: str
    stage_index: int


def stage_refs(case: Case, stage_index: int) -> list[RefOption]:
    """What in one stage can move a differential: findings, timeline events, imaging, labs and tests."""
    s = case.stages[stage_index]
    out = [RefOption(f.id, f.text, stage_index) for f in s.findings]
    out += [RefOption(e.id, e.label, stage_index) for e in s.timeline]
    out += [RefOption(i.id, f"{i.modality} of the {i.region.lower()}: {i.findings[0]}", stage_index) for i in s.imaging]
    out += [RefOption(lab.name, f"{lab.name}: {lab.value:g} {lab.unit}", stage_index) for lab in s.labs]
    out += [RefOption(t.name, f"{t.name}: {t.result}", stage_index) for t in s.tests]
    return out


def revealed_refs(case: Case, upto: int) -> list[RefOption]:
    """Everything a student has read by stage `upto`, newest stage first (what moved them is usually new)."""
    return [r for i in range(upto, -1, -1) for r in stage_refs(case, i)]


# --- one attempt's boards ------------------------------------------------------------------------


def board_at(records: list[StageBoard], stage_index: int) -> StudentBoard:
    """The board as it stood at a stage: that stage's, or carried forward from the last stage changed."""
    before = [r for r in records if r.stage_index <= stage_index]
    return max(before, key=lambda r: r.stage_index).board if before else StudentBoard()


def changes_at(records: list[StageBoard], stage_index: int) -> tuple[BoardChange, ...]:
    return next((r.changes for r in records if r.stage_index == stage_index), ())


def check_change(case: Case, attempt: Attempt, change: BoardChange) -> BoardChange:
    """The change as it will be stored (a board diagnosis under the board's own name), or BoardError
    when it may not be made now: the case is finished, the diagnosis is out, or the change is tied
    to something the student has not read."""
    if attempt.finished:
        raise BoardError("this attempt is finished")
    if attempt.stage_index >= board_stages(case):
        raise BoardError("the diagnosis is out: the board is closed" if case.board else "this case has no board")
    if change.ref is not None and change.ref not in {r.ref for r in revealed_refs(case, attempt.stage_index)}:
        raise BoardError("choose what moved you from what this case has shown so far")
    if change.ref is None and attempt.stage_index > 0 and change.kind != ChangeKind.confidence:
        raise BoardError("say what moved you: choose the finding or result behind this change")
    known = {d.id: d.name for d in case.board}
    if change.diagnosis in known:
        return replace(change, name=known[change.diagnosis]) if change.kind == ChangeKind.add else change
    if not change.diagnosis.startswith(OWN_PREFIX) or len(change.diagnosis) > len(OWN_PREFIX) + NAME_MAX:
        raise BoardError("choose a diagnosis from the list or type your own")
    if change.kind == ChangeKind.add:
        return replace(change, name=clean_name(change.name or ""))
    return change


# --- what a student sees --------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardOption:
    id: str
    name: str


@dataclass(frozen=True)
class BoardView:
    """The board for a student's page. Never says which diagnosis is final; `comparison` (the
    expert's trace) only once the case is finished."""

    options: list[BoardOption]
    """The case's board, alphabetical."""
    stage_index: int
    editable: bool
    board: StudentBoard
    """The board at the current stage."""
    changes: tuple[BoardChange, ...]
    """Changes made at the current stage."""
    refs: list[RefOption]
    history: list[tuple[int, str, StudentBoard, tuple[BoardChange, ...]]]
    """(stage index, stage title, board, changes) for each board stage revealed so far."""
    comparison: "BoardComparison | None" = None
    list_held: bool = False
    """True while the current stage asks a typed question: the case's list is withheld (`options` empty) so
    the answer cannot be read off the board; the student may still type their own diagnosis."""

    def ref_label(self, ref: str | None) -> str | None:
        return next((r.label for r in self.refs if r.ref == ref), ref)


def visible_board(case: Case, attempt: Attempt, records: list[StageBoard]) -> BoardView | None:
    """None for a case without a board."""
    count = board_stages(case)
    if count == 0:
        return None
    current = min(attempt.stage_index, len(case.stages) - 1)
    shown = min(current, count - 1) if not attempt.finished else count - 1
    options = sorted((BoardOption(d.id, d.name) for d in case.board), key=lambda o: o.name.lower())
    held = not attempt.finished and typed_question_open(case, attempt, current)
    if held:
        options = []
    history = [(i, case.stages[i].title, board_at(records, i), changes_at(records, i)) for i in range(shown + 1)]
    return BoardView(
        options=options,
        stage_index=current,
        editable=not attempt.finished and current < count,
        board=board_at(records, current),
        changes=changes_at(records, current),
        refs=revealed_refs(case, current if not attempt.finished else len(case.stages) - 1),
        history=history,
        comparison=compare(case, records) if attempt.finished else None,
        list_held=held,
    )


def typed_question_open(case: Case, attempt: Attempt, stage_index: int) -> bool:
    """Whether the stage still waits for a typed (free-text) answer, which the board's list could give away."""
    if stage_index >= len(case.stages):
        return False
    return any(kind_of(q).typed_words and q.id not in attempt.answers for q in case.stages[stage_index].questions)


# --- the expert's trace and the comparison -----------------------------------------------------


def expert_boards(case: Case) -> list[ExpertBoard | None]:
    """The expert's board at each board stage; a stage without a trace keeps the previous one."""
    out: list[ExpertBoard | None] = []
    last = None
    for s in case.stages[: board_stages(case)]:
        last = s.expert or last
        out.append(last)
    return out


@dataclass(frozen=True)
class MissedMove:
    stage_index: int
    ref: str
    ref_label: str
    promotes: list[str]
    demotes: list[str]
    """Names of the diagnoses."""
    why: str
    basis: str
    moved_otherwise: bool
    """The student tied a change to it, but not in the direction the expert moved."""


@dataclass(frozen=True)
class Closure:
    kind: str
    """"struck" (struck out and never restored), "dropped" (struck out while the expert held it, restored
    later), "never" (never on the board), "narrowed" (one diagnosis held while the expert still weighed several)."""
    stage_index: int
    restored_at: int | None
    text: str


@dataclass(frozen=True)
class ExpertStageView:
    stage_index: int
    title: str
    live: list[tuple[str, str, str]]
    """(name, why, basis), most likely first."""
    struck: list[tuple[str, str, str]]
    moved_by: list[tuple[str, str, str, str]]
    """(what, effect in words, why, basis)."""
    own: bool
    """False when the stage keeps the previous stage's trace."""


@dataclass(frozen=True)
class BoardComparison:
    stages: list[tuple[int, str]]
    """(index, title) of each board stage."""
    diagnoses: list[tuple[str, str, bool]]
    """(id, name, final): the case's board, then the student's own, in order of first appearance."""
    student_ranks: dict[str, list[int | None]]
    expert_ranks: dict[str, list[int | None]]
    student_struck: dict[str, list[bool]]
    expert_struck: dict[str, list[bool]]
    converged_at: int | None
    """First stage from which the student's most likely diagnosis was the expert's, to the end."""
    student_final_first: int | None
    expert_final_first: int | None
    missed: list[MissedMove]
    taken: int
    """Expert moves the student made, or whose effect their board already showed."""
    closure: list[Closure]
    expert: list[ExpertStageView]
    final_name: str
    ties: list[tuple[int, BoardChange, str | None]] = field(default_factory=list)
    """(stage, change, what moved them in words) for every change the student made."""


def _agrees(board: StudentBoard, promotes: list[str], demotes: list[str]) -> bool:
    """The board already shows what a move says: promoted diagnoses held, demoted ones below them or gone."""
    if any(board.rank(p) is None for p in promotes):
        return False
    best = min((board.rank(p) for p in promotes), default=None)
    for d in demotes:
        r = board.rank(d)
        if r is not None and (best is None and r == 1 or best is not None and r < best):
            return False
    return True


def compare(case: Case, records: list[StageBoard]) -> BoardComparison:
    count = board_stages(case)
    names = {d.id: d.name for d in case.board}
    final = next(d.id for d in case.board if d.final)
    boards = [board_at(records, i) for i in range(count)]
    changes = [changes_at(records, i) for i in range(count)]
    experts = expert_boards(case)
    own: dict[str, str] = {}
    for b in boards:
        for h in b.live + b.struck:
            if h.diagnosis not in names:
                own.setdefault(h.diagnosis, h.name)
    diagnoses = [(d.id, d.name, d.final) for d in case.board] + [(k, v, False) for k, v in own.items()]

    def expert_rank(e: ExpertBoard | None, dx: str) -> int | None:
        return next((n for n, h in enumerate(e.live, 1) if h.diagnosis == dx), None) if e else None

    def expert_struck(i: int, dx: str) -> bool:
        return any(h.diagnosis == dx for e in experts[: i + 1] if e for h in e.struck) and expert_rank(experts[i], dx) is None

    student_ranks = {dx: [b.rank(dx) for b in boards] for dx, _, _ in diagnoses}
    student_struck = {dx: [b.is_struck(dx) for b in boards] for dx, _, _ in diagnoses}
    expert_ranks = {dx: [expert_rank(e, dx) for e in experts] for dx, _, _ in diagnoses}
    expert_struck_map = {dx: [expert_struck(i, dx) for i in range(count)] for dx, _, _ in diagnoses}

    tops = [(b.top, e.live[0].diagnosis if e else None) for b, e in zip(boards, experts)]
    converged = None
    for i in range(count - 1, -1, -1):
        if tops[i][0] is not None and tops[i][0] == tops[i][1]:
            converged = i
        else:
            break
    first = lambda ranks: next((i for i, r in enumerate(ranks) if r == 1), None)

    refs = {r.ref: r.label for i in range(count) for r in stage_refs(case, i)}
    missed, taken = [], 0
    for i in range(count):
        trace = case.stages[i].expert
        for move in (trace.moved_by if trace else []):
            way = lambda c: (c.diagnosis in move.promotes and c.direction > 0) or (c.diagnosis in move.demotes and c.direction < 0)
            tied = [c for cs in changes[i:] for c in cs if c.ref == move.ref]
            # A stage often tells one fact twice (a finding and its timeline event): a change the right way
            # at this stage, tied to another thing this stage showed, counts too.
            same_stage = {r.ref for r in stage_refs(case, i)}
            right = [c for c in tied if way(c)] + [c for c in changes[i] if c.ref in same_stage and way(c)]
            if right or (not tied and _agrees(boards[i], move.promotes, move.demotes)):
                taken += 1
                continue
            missed.append(MissedMove(i, move.ref, refs.get(move.ref, move.ref), [names.get(p, p) for p in move.promotes],
                                     [names.get(d, d) for d in move.demotes], move.why, move.basis, bool(tied)))

    closure: list[Closure] = []
    final_name = names[final]
    ranks, struck = student_ranks[final], student_struck[final]
    struck_at = next((i for i, s in enumerate(struck) if s), None)
    if struck_at is not None:
        restored = next((i for i in range(struck_at + 1, count) if ranks[i] is not None), None)
        if restored is None and ranks[-1] is None:
            closure.append(Closure("struck", struck_at, None,
                                   f"You struck out {final_name} at stage {struck_at + 1} and never put it back."))
        elif expert_ranks[final][struck_at] is not None:
            closure.append(Closure("dropped", struck_at, restored,
                                   f"You struck out {final_name} at stage {struck_at + 1} while the expert still held it, "
                                   f"and restored it at stage {restored + 1}."))
    elif all(r is None for r in ranks):
        closure.append(Closure("never", 0, None, f"{final_name} was never on your board."))
    for i, (b, e) in enumerate(zip(boards, experts)):
        if len(b.live) == 1 and e is not None and len(e.live) >= 2:
            closure.append(Closure("narrowed", i, None,
                                   f"At stage {i + 1} you held only {b.live[0].name}, while the expert still weighed "
                                   f"{len(e.live)} diagnoses."))
            break

    expert_view = []
    closing = case.stages[count].expert if count < len(case.stages) else None
    if closing is not None:  # the trace at the diagnosis itself, when the author wrote one
        refs |= {r.ref: r.label for r in stage_refs(case, count)}
    for i, e in enumerate(experts + ([closing] if closing is not None else [])):
        if e is None:
            continue
        own_trace = case.stages[i].expert is not None
        moves = []
        for m in (e.moved_by if own_trace else []):
            effect = "; ".join(part for part in (
                "makes more likely: " + ", ".join(names.get(p, p) for p in m.promotes) if m.promotes else "",
                "makes less likely: " + ", ".join(names.get(d, d) for d in m.demotes) if m.demotes else "") if part)
            moves.append((refs.get(m.ref, m.ref), effect, m.why, m.basis))
        expert_view.append(ExpertStageView(
            i, case.stages[i].title, [(names.get(h.diagnosis, h.diagnosis), h.why, h.basis) for h in e.live],
            [(names.get(h.diagnosis, h.diagnosis), h.why, h.basis) for h in (e.struck if own_trace else [])],
            moves, own_trace))

    ties = [(i, c, refs.get(c.ref, c.ref) if c.ref else None) for i in range(count) for c in changes[i]]
    return BoardComparison(
        stages=[(i, case.stages[i].title) for i in range(count)], diagnoses=diagnoses,
        student_ranks=student_ranks, expert_ranks=expert_ranks, student_struck=student_struck,
        expert_struck=expert_struck_map, converged_at=converged, student_final_first=first(ranks),
        expert_final_first=first(expert_ranks[final]), missed=missed, taken=taken, closure=closure,
        expert=expert_view, final_name=final_name, ties=ties)


__all__ = ["BoardChange", "BoardComparison", "BoardConfidence", "BoardError", "BoardOption", "BoardView", "ChangeKind",
           "Held", "StageBoard", "StudentBoard", "apply_change", "board_at", "board_stages", "check_change", "compare",
           "expert_boards", "resolve_typed", "revealed_refs", "stage_refs", "visible_board"]
