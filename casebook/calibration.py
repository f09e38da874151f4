"""Calibration: how often a learner is right at each level of confidence they reported.

A well-calibrated learner is right most of the time when confident and about as often as chance
when guessing. The verdict names over- or under-confidence only once there are enough answers.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo

from casebook.progress import AnswerRecord, Confidence

ENOUGH = 5  # answers at a level before saying anything about it
RECENT = 20

STATED_CHANCE = {Confidence.guessing: 0.25, Confidence.unsure: 0.65, Confidence.confident: 0.9}
"""How often each level of confidence claims to be right, for the reliability diagram and the Brier score:
a guess about as often as one of four options, "fairly sure" about two times in three, "confident" nine in ten."""


@dataclass(frozen=True)
class Band:
    confidence: Confidence
    answered: int
    right: int

    @property
    def percent_right(self) -> int | None:
        return round(100 * self.right / self.answered) if self.answered else None

    @property
    def stated_percent(self) -> int:
        """How often this level of confidence claims to be right (STATED_CHANCE), in percent."""
        return round(100 * STATED_CHANCE[self.confidence])


@dataclass(frozen=True)
class Calibration:
    bands: list[Band]
    verdict: str
    recent_confident: Band | None
    """The last RECENT confident answers, to show whether over-confidence is easing."""

    @property
    def answered(self) -> int:
        return sum(b.answered for b in self.bands)


def calibration(records: list[AnswerRecord]) -> Calibration:
    rated = [r for r in records if r.confidence is not None]
    bands = [Band(level, sum(1 for r in rated if r.confidence is level),
                  sum(1 for r in rated if r.confidence is level and r.correct and not r.gave_up))
             for level in Confidence]
    by = {b.confidence: b for b in bands}
    confident = [r for r in rated if r.confidence is Confidence.confident][-RECENT:]
    recent = Band(Confidence.confident, len(confident), sum(1 for r in confident if r.correct and not r.gave_up))
    return Calibration(bands, _verdict(by), recent if len(confident) >= ENOUGH else None)


def _verdict(by: dict[Confidence, Band]) -> str:
    sure, guess = by[Confidence.confident], by[Confidence.guessing]
    if sure.answered < ENOUGH and guess.answered < ENOUGH:
        return (f"Rate how sure you are with every answer; after {ENOUGH} answers at a level, this shows "
                "whether your confidence matches your results.")
    notes = []
    if sure.answered >= ENOUGH and sure.percent_right < 70:
        notes.append(f"When you feel confident you are right {sure.percent_right}% of the time: you tend to be "
                     "over-confident. Before committing, name the finding that decides the answer.")
    if guess.answered >= ENOUGH and guess.percent_right > 60:
        notes.append(f"When you think you are guessing you are right {guess.percent_right}% of the time: you know "
                     "more than you credit yourself with.")
    return " ".join(notes) or "Your confidence matches your results well: keep rating every answer honestly."


def _right(r: AnswerRecord) -> bool:
    return r.correct and not r.gave_up


def brier_score(records: list[AnswerRecord]) -> float | None:
    """Mean squared gap between the confidence stated (as STATED_CHANCE) and being right (1) or not (0):
    0 is perfect, 0.25 is what always saying "half and half" earns. None without rated answers."""
    rated = [r for r in records if r.confidence is not None]
    if not rated:
        return None
    return sum((STATED_CHANCE[r.confidence] - (1.0 if _right(r) else 0.0)) ** 2 for r in rated) / len(rated)


@dataclass(frozen=True)
class BrierDay:
    day: date
    """The day in the learner's time zone."""
    score: float
    answered: int


def brier_by_day(records: list[AnswerRecord], tz: tzinfo = timezone.utc) -> list[BrierDay]:
    """The Brier score of each day's rated answers, oldest day first."""
    days: dict[date, list[AnswerRecord]] = defaultdict(list)
    for r in records:
        if r.confidence is not None:
            days[_local_day(r.answered_at, tz)].append(r)
    return [BrierDay(day, brier_score(rs), len(rs)) for day, rs in sorted(days.items())]


def _local_day(moment: datetime, tz: tzinfo) -> date:
    utc = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
    return utc.astimezone(tz).date()
