"""Searching and filtering the case library, and each case's status for one learner."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from casebook.model import Case, Difficulty
from casebook.progress import Attempt


class Status(str, Enum):
    not_started = "not started"
    in_progress = "in progress"
    finished = "finished"


def status_of(attempt: Attempt | None) -> Status:
    if attempt is None:
        return Status.not_started
    return Status.finished if attempt.finished else Status.in_progress


@dataclass(frozen=True)
class Facets:
    specialties: list[str]
    regions: list[str]
    difficulties: list[str]
    tags: list[str]


def facets(cases: list[Case]) -> Facets:
    order = [d.value for d in Difficulty]
    return Facets(
        specialties=sorted({s for c in cases for s in c.specialty}),
        regions=sorted({r for c in cases for r in c.body_region}),
        difficulties=[d for d in order if any(c.difficulty.value == d for c in cases)],
        tags=sorted({t for c in cases for t in c.tags}, key=str.lower),
    )


@dataclass(frozen=True)
class LibraryFilter:
    query: str = ""
    specialties: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    difficulties: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)

    def matches(self, case: Case, status: Status) -> bool:
        words = self.query.lower().split()
        text = case.searchable_text()
        return (
            all(w in text for w in words)
            and (not self.specialties or bool(set(self.specialties) & set(case.specialty)))
            and (not self.regions or bool(set(self.regions) & set(case.body_region)))
            and (not self.difficulties or case.difficulty.value in self.difficulties)
            and (not self.tags or set(self.tags) <= set(case.tags))
            and (not self.statuses or status in self.statuses)
        )


def filter_cases(cases: list[Case], flt: LibraryFilter, progress: dict[str, Attempt]) -> list[Case]:
    return [c for c in sorted(cases, key=lambda c: c.title.lower()) if flt.matches(c, status_of(progress.get(c.id)))]
