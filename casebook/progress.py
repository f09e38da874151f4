"""A learner's attempt at a case: how far it is revealed and what was answered."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Callable

from casebook.points import total_points


LEARNER_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,40}$")


def is_learner_code(code: str | None) -> bool:
    """A study code: 8 to 40 letters, digits, - or _ (kept in the page address, typed on another device)."""
    return isinstance(code, str) and bool(LEARNER_PATTERN.match(code))


_ISSUED_SYMBOLS = re.compile(r"^[A-HJ-NP-Z2-9]{12}$")
_ISSUED_SHAPE = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$")
# What a student or a phone keyboard puts between the groups: spaces, hyphens, dashes, dots, underscores.
_GROUP_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212._]+")
CODE_EXAMPLE = "K7QM-3XPA-9DHT"
CODE_SHAPE = f"A code looks like {CODE_EXAMPLE}: three groups of four letters and digits."


def clean_learner_code(text: str) -> str:
    """A study code as typed on another device, in the one form it was issued (K7QM-3XPA-9DHT):
    `4zb6 duze 2y77`, `4ZB6DUZE2Y77` and `4zb6-duze-2y77` are all `4ZB6-DUZE-2Y77`. A longer code from
    before (not of the issued shape) keeps its letters as typed, without spaces."""
    text = str(text).strip()
    symbols = _GROUP_SEPARATORS.sub("", text).upper()
    if _ISSUED_SYMBOLS.fullmatch(symbols):
        return "-".join(symbols[i:i + 4] for i in range(0, 12, 4))
    return "".join(text.split())


class CodeCheck(str, Enum):
    """What typing a study code in the switch box leads to."""

    switch = "switch"        # progress is saved under it: use it at once
    ask = "ask"              # a well-formed code with nothing saved: a typo, or a new profile? ask first
    same = "same"            # the code already in use
    invalid = "invalid"      # not a study code: say what one looks like


@dataclass(frozen=True)
class TypedCode:
    outcome: CodeCheck
    code: str
    """The code in its issued form ("" when invalid); safe to show (letters, digits and -)."""
    message: str


def check_typed_code(text: str, current: str, has_progress: Callable[[str], bool]) -> TypedCode:
    """Decide what a typed study code does. A new profile is only ever started from a code of the issued
    shape, and only after the student says so; an older, longer code is accepted when progress is saved
    under it. The typed text itself is never echoed (it could be anything)."""
    code = clean_learner_code(text or "")
    if not code:
        return TypedCode(CodeCheck.invalid, "", f"Type your study code first. {CODE_SHAPE}")
    if code == current:
        return TypedCode(CodeCheck.same, code, f"You are already using {code}.")
    if is_learner_code(code) and has_progress(code):
        return TypedCode(CodeCheck.switch, code, f"Switched to {code}.")
    if _ISSUED_SHAPE.fullmatch(code):
        return TypedCode(CodeCheck.ask, code, f"No progress is saved under {code}. Start a new profile with it?")
    symbols = _GROUP_SEPARATORS.sub("", code)
    if len(symbols) == 12 and symbols.isascii() and symbols.isalnum():
        return TypedCode(CodeCheck.invalid, "", f"Study codes never use 0, 1, I or O. {CODE_SHAPE}")
    if is_learner_code(code):
        return TypedCode(CodeCheck.invalid, "", f"No progress is saved under that code. {CODE_SHAPE}")
    return TypedCode(CodeCheck.invalid, "", f"That is not a study code. {CODE_SHAPE}")


class Confidence(str, Enum):
    """How sure the student was; stored with every answer for calibration."""

    guessing = "guessing"
    unsure = "unsure"
    confident = "confident"


@dataclass(frozen=True)
class AnswerRecord:
    question_id: str
    response: Any
    fraction: float
    points: float
    max_points: float
    correct: bool
    gave_up: bool
    hint_used: bool
    confidence: Confidence | None
    answered_at: datetime


@dataclass(frozen=True)
class Attempt:
    id: str
    learner: str
    case_id: str
    case_hash: str
    stage_index: int
    started_at: datetime
    finished_at: datetime | None = None
    answers: dict[str, AnswerRecord] = field(default_factory=dict)
    hints: frozenset[str] = frozenset()
    orders: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per investigation question, the tests ordered so far, in the order they were ordered."""

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def points(self) -> float:
        return total_points(self.answers.values())


@dataclass(frozen=True)
class AttemptResult:
    """One attempt at a case as its history shows it: when, how far, and the score."""

    number: int
    started_at: datetime
    finished_at: datetime | None
    points: float
    max_points: float
    stage_index: int
    attempt_id: str

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.max_points) if self.max_points else 0
