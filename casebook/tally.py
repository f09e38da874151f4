"""A live poll's counts for one question: one bar per answer, and how many people were right."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tally:
    question_id: str
    labels: list[str]
    counts: list[int]
    correct: list[bool]
    answered: int
    joined: int
    right: int = 0
    """People whose whole answer was right (a bar counts ticks: one person may tick several)."""

    @property
    def percent_correct(self) -> float | None:
        return round(100 * self.right / self.answered, 1) if self.answered else None
