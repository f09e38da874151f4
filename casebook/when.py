"""Dates and times as a learner reads them: in their own time zone, and "when does it come back" in words.

Everything is stored in UTC; a page passes the learner's zone in (from the browser), so this stays pure
and tests pin both the clock and the zone.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class LearnerZone:
    tz: tzinfo
    label: str
    """The zone's name as shown after a time when it is not the browser's own ("UTC")."""
    from_browser: bool

    def local(self, moment: datetime) -> datetime:
        return as_utc(moment).astimezone(self.tz)

    def clock(self, moment: datetime) -> str:
        """14:05, or 14:05 UTC when the browser did not say its zone."""
        text = f"{self.local(moment):%H:%M}"
        return text if self.from_browser else f"{text} {self.label}"

    def date(self, moment: datetime, *, weekday: bool = False) -> str:
        """3 Dec 2025 (Thursday 3 Dec 2025 with the weekday)."""
        local = self.local(moment)
        return f"{local:%A} {local.day} {local:%b %Y}" if weekday else f"{local.day} {local:%b %Y}"

    def date_and_time(self, moment: datetime) -> str:
        """3 Dec 2025, 14:05 (UTC named when the browser's zone is not known)."""
        return f"{self.date(moment)}, {self.clock(moment)}"


UTC_ZONE = LearnerZone(timezone.utc, "UTC", False)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; everything is stored in UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def learner_zone(name: str | None, offset_minutes: int | None = None) -> LearnerZone:
    """The zone the browser reports: its IANA name (Europe/Berlin), else its offset in minutes as
    JavaScript gives it (minutes *behind* UTC: -60 for UTC+1), else UTC, named."""
    name = name.strip() if isinstance(name, str) else ""
    if 0 < len(name) <= 64:  # the longest IANA name is about 30 characters; a browser may send anything
        try:
            return LearnerZone(ZoneInfo(name), name, True)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    if isinstance(offset_minutes, int) and not isinstance(offset_minutes, bool) and abs(offset_minutes) < 24 * 60:
        east = -offset_minutes
        sign = "+" if east >= 0 else "-"
        label = f"UTC{sign}{abs(east) // 60:02d}:{abs(east) % 60:02d}"
        return LearnerZone(timezone(timedelta(minutes=east), label), label, True)
    return UTC_ZONE


def comes_back(due: datetime, now: datetime, zone: LearnerZone) -> str:
    """When a review question is due, in words: "due now", "in 5 minutes", "today at 16:40",
    "tomorrow at 09:00", "on Thursday 3 Dec (in 2 days)"."""
    due, now = as_utc(due), as_utc(now)
    if due <= now:
        return "due now"
    ahead = due - now
    if ahead < timedelta(hours=1):
        minutes = max(1, math.ceil(ahead.total_seconds() / 60))
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    days = (zone.local(due).date() - zone.local(now).date()).days
    if days == 0:
        return f"today at {zone.clock(due)}"
    if days == 1:
        return f"tomorrow at {zone.clock(due)}"
    local = zone.local(due)
    year = f" {local.year}" if local.year != zone.local(now).year else ""
    return f"on {local:%A} {local.day} {local:%B}{year} (in {days} days)"


def comes_back_summary(dues: list[datetime], now: datetime, zone: LearnerZone, *, most: int = 3) -> str:
    """When questions come back, grouped by the learner's day: "1 due now, 1 in 2 minutes, 2 on Thursday
    3 December (in 2 days)". Each group is told by its earliest question; after `most` groups, "N later"."""
    groups: list[tuple[object, list[datetime]]] = []
    for due in sorted(as_utc(d) for d in dues):
        ahead = due - as_utc(now)
        day = "now" if ahead <= timedelta(0) else "soon" if ahead < timedelta(hours=1) else zone.local(due).date()
        if groups and groups[-1][0] == day:
            groups[-1][1].append(due)
        else:
            groups.append((day, [due]))
    parts = [f"{len(items)} {comes_back(items[0], now, zone)}" for _, items in groups[:most]]
    rest = sum(len(items) for _, items in groups[most:])
    if rest:
        parts.append(f"{rest} later")
    return ", ".join(parts)
