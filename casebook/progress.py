"""A learner's attempt at a case: how far it is revealed and what was answered."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from casebook.points import total_points


LEARNER_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,40}$")


def is_learner_code(code: str | None) -> bool:
    """A study code: 8 to 40 letters, digits, - or _ (kept in the page address, typed on another device)."""
    return isinstance(code, str) and bool(LEARNER_PATTERN.match(code))


ISSUED_CODE = re.compile(r"^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$", re.IGNORECASE)


def clean_learner_code(text: str) -> str:
    """A study code as typed on another device: spaces dropped, and a code of the issued shape
    (K7QM-3XPA-9DHT) in capitals as issued, since phone keyboards often type it in lower case."""
    text = "".join(str(text).split())
    return text.upper() if ISSUED_CODE.fullmatch(text) else text


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

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def points(self) -> float:
        return total_points(self.answers.values())
