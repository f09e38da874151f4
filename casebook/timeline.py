"""Timeline data: events as rows on an age axis, or as an ordered sequence when the source gives no ages."""
from __future__ import annotations

from dataclasses import dataclass

from casebook.model import TimelineEvent


@dataclass(frozen=True)
class TimelineRow:
    event_id: str
    label: str
    when: str | None
    start: float
    end: float
    category: str

    @property
    def is_range(self) -> bool:
        return self.end > self.start


def is_ordered_only(events: list[TimelineEvent]) -> bool:
    return bool(events) and not any(e.is_dated for e in events)


def timeline_rows(events: list[TimelineEvent]) -> list[TimelineRow]:
    """Rows in time order: ages for dated cases, positions 1..n (file order) for undated ones."""
    if is_ordered_only(events):
        return [TimelineRow(e.id, e.label, e.when, float(n), float(n), e.category) for n, e in enumerate(events, 1)]
    rows = []
    for e in events:
        start, end = (e.age, e.age) if e.age is not None else e.age_range
        rows.append(TimelineRow(e.id, e.label, e.when, float(start), float(end), e.category))
    return sorted(rows, key=lambda r: (r.start, r.end))  # sorted() is stable: file order breaks ties
