"""Points as a student meets them: whole or half points, stored as shown, so totals add up.

The rule (docs/authoring.md, "Grading"): each question's earned points are rounded to the nearest
half point when it is graded (a quarter rounds up), and an answer that is partly right keeps at
least half a point and never reaches the full points. A case's total is then a sum of halves:
`23.5 of 28`, never `23.33 of 28`, and the total is the sum of what each question showed.
"""
from __future__ import annotations

import math


def to_half_points(earned: float, max_points: float) -> float:
    """`earned` (0..max_points) on the half-point scale the student is shown."""
    if earned <= 0:
        return 0.0
    if earned >= max_points:
        return float(max_points)
    # round(…, 6) first: 2 × 0.75 is 1.4999999… in floating point, and a quarter must round up.
    halves = math.floor(round(earned * 2, 6) + 0.5) / 2
    # Partly right is neither nothing nor everything (on a question worth at least a point).
    if max_points >= 1:
        halves = min(max(halves, 0.5), max_points - 0.5)
    return float(halves)


def total_points(records) -> float:
    """The sum of each answer's points as shown (answers stored before rounding rounded the same way)."""
    return float(sum(to_half_points(r.points, r.max_points) for r in records))


def number_text(value: float) -> str:
    """23.5, 28, 0.5: a point count without trailing zeros."""
    return f"{value:g}"


def points_text(points: float) -> str:
    """Points in words: 1 point, 2 points, 0.5 points."""
    return f"{number_text(points)} point{'' if points == 1 else 's'}"


def earned_text(earned: float, max_points: float) -> str:
    """`1.5 of 2 points`: what an answer or a case earned, on the half-point scale."""
    return f"{number_text(to_half_points(earned, max_points))} of {points_text(max_points)}"



def card_points_text(*, finished: bool, earned: float, possible: float) -> str | None:
    """What a library card says of an attempt's points: `23.5 of 28 points` once finished,
    `4.5 of 6 points so far` on the questions answered while in progress, nothing before an answer.
    `earned` is already on the half-point scale (a sum of `to_half_points`)."""
    if not possible:
        return None
    shown = f"{number_text(earned)} of {points_text(possible)}"
    return shown if finished else f"{shown} so far"
