"""What the body map shows: the figure's outline, each finding's numbered mark or shaded region, and the
same in words for a screen reader.

Pure geometry; components/body_map.py draws it. Coordinates follow casebook/body_sites.py, with the
front view centred at `VIEW_CENTRE["front"]` and the back view at `VIEW_CENTRE["back"]`. The front view
shows the patient facing the viewer, so the patient's right is on the viewer's left; the back view is
seen from behind, so the patient's right is on the viewer's right.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Literal

from casebook.body_sites import POSITIONS, REGION_SITES, BodySite, place_words
from casebook.model import BodyLocation, Finding, Side

View = Literal["front", "back"]
Point = tuple[float, float]
Polygon = tuple[Point, ...]

VIEW_CENTRE: dict[View, float] = {"front": -1.9, "back": 1.9}
BADGE_GAP = 0.56
"""Closest two numbered marks may sit, in figure units (a mark is about half a unit across on screen)."""
WASTED_WIDTH = 0.68
"""How wide the muscle of a wasted limb is drawn, as a share of the healthy side."""

SIDE_WORDS = {
    "front": "Front view: the patient faces you, so their right is on your left.",
    "back": "Back view: seen from behind, so their right is on your right.",
}


@dataclass(frozen=True)
class Outline:
    """One part of the drawn figure."""

    view: View
    part: Literal["head", "neck", "trunk", "arm", "leg", "eye"]
    side: Side | None
    points: Polygon
    thinner: bool = False


@dataclass(frozen=True)
class Mark:
    """One place a finding is drawn: a numbered badge, a dot where it sits exactly, maybe a shaded area."""

    number: int
    finding_id: str
    view: View
    anchor: Point
    """The exact spot (for a region: where its number goes)."""
    badge: Point
    """Where the number sits; away from the anchor when the site is small or another mark is there."""
    area: tuple[Polygon, ...] = ()
    """The shaded region of a diffuse finding (empty for a spot)."""
    side_unstated: bool = False
    """The source does not say which side: drawn hollow, on both sides."""

    @property
    def is_region(self) -> bool:
        return bool(self.area)


@dataclass(frozen=True)
class BodyMap:
    outlines: tuple[Outline, ...]
    marks: tuple[Mark, ...]
    entries: tuple[str, ...]
    """One line per located finding, numbered as on the figure."""
    thinner_limbs: tuple[str, ...]
    """Limbs drawn thinner, in words ("right lower limb")."""

    def marks_for(self, finding_id: str) -> list[Mark]:
        return [m for m in self.marks if m.finding_id == finding_id]


# --- the figure ------------------------------------------------------------------------------------
# Each limb is a centre line with a half-width at fixed heights (y, centre x, half-width, muscle share),
# so a wasted limb is the same limb with its muscle narrowed and its bones (knee, ankle, hand) kept.

_LEG = (
    (4.6, 0.47, 0.42, 1.0), (3.9, 0.45, 0.37, 1.0), (3.2, 0.41, 0.29, 1.0), (2.85, 0.39, 0.25, 0.35),
    (2.5, 0.38, 0.27, 0.9), (2.1, 0.38, 0.29, 1.0), (1.5, 0.37, 0.22, 0.9), (0.9, 0.36, 0.15, 0.3),
    (0.55, 0.36, 0.16, 0.0), (0.3, 0.37, 0.17, 0.0), (0.08, 0.39, 0.2, 0.0),
)
_LEG_TOP = ((0.9, 5.35), (0.04, 4.78))  # outer hip, crotch
_ARM = (
    (7.5, 1.045, 0.185, 0.8), (6.9, 1.095, 0.15, 1.0), (6.3, 1.135, 0.13, 0.5), (5.8, 1.22, 0.14, 1.0),
    (5.3, 1.3, 0.11, 0.8), (4.9, 1.345, 0.09, 0.0), (4.55, 1.39, 0.13, 0.3), (4.15, 1.4, 0.11, 0.0),
)
_ARM_TOP = ((0.98, 8.3), (1.16, 8.12))  # top of the shoulder, over the deltoid
_TRUNK = ((0.2, 8.62), (0.62, 8.46), (0.98, 8.3), (1.06, 8.05), (0.88, 7.55), (0.84, 7.1), (0.72, 6.4),
          (0.78, 5.95), (0.88, 5.5), (0.9, 5.35), (0.0, 4.74))
_HEAD = (0.0, 9.38, 0.42, 0.62)  # centre x, centre y, half-width, half-height
_NECK = ((0.2, 8.5), (0.2, 8.95))
_EYE = (0.07, 0.035)
_HEAD_BADGE_X = 0.8
"""Numbers for the head's small sites sit beside the head, this far from the midline."""
_HEAD_SITES = frozenset({BodySite.head, BodySite.forehead, BodySite.eye, BodySite.nose, BodySite.face})
_SEGMENTS: dict[BodySite, tuple[str, float, float]] = {
    BodySite.upper_arm: ("arm", 7.5, 6.45), BodySite.forearm: ("arm", 6.2, 4.95),
    BodySite.thigh_front: ("leg", 4.6, 3.15), BodySite.thigh_back: ("leg", 4.6, 3.15),
    BodySite.shin: ("leg", 2.55, 0.75), BodySite.calf: ("leg", 2.7, 1.0),
}
"""Sites that are a length of a limb: a diffuse finding there shades that length of the drawn limb."""
_SMALL_REGION = 0.3
"""A region narrower than this (half-width, figure units) would hide under its number: the number goes beside it."""

_REGION_SIZE: dict[BodySite, tuple[float, float]] = {
    BodySite.head: (0.3, 0.2), BodySite.forehead: (0.16, 0.1), BodySite.eye: (0.09, 0.06),
    BodySite.nose: (0.07, 0.12), BodySite.face: (0.15, 0.18), BodySite.neck: (0.12, 0.14),
    BodySite.shoulder: (0.16, 0.16), BodySite.chest: (0.32, 0.36), BodySite.upper_arm: (0.13, 0.45),
    BodySite.forearm: (0.12, 0.45), BodySite.upper_abdomen: (0.3, 0.32), BodySite.lower_abdomen: (0.3, 0.3),
    BodySite.flank: (0.2, 0.35), BodySite.upper_back: (0.35, 0.4), BodySite.lower_back: (0.25, 0.3),
    BodySite.buttock: (0.3, 0.3), BodySite.thigh_front: (0.25, 0.55), BodySite.thigh_outer: (0.13, 0.55),
    BodySite.thigh_back: (0.25, 0.55), BodySite.knee: (0.2, 0.2), BodySite.popliteal_fossa: (0.17, 0.17),
    BodySite.shin: (0.14, 0.55), BodySite.lower_leg_outer: (0.1, 0.45), BodySite.calf: (0.24, 0.5),
    BodySite.achilles_tendon: (0.08, 0.3), BodySite.ankle: (0.25, 0.28),
}
_DEFAULT_REGION = (0.14, 0.14)


def _width(half: float, muscle: float, wasted: bool) -> float:
    return half * (1 - muscle * (1 - WASTED_WIDTH)) if wasted else half


def _segment(levels, top: float, bottom: float, wasted: bool) -> list[Point]:
    """The length of a limb between two heights, as a polygon: down the outside, back up the inside."""
    def at(y: float) -> tuple[float, float, float, float]:
        for (y0, *a), (y1, *b) in zip(levels, levels[1:]):
            if y1 <= y <= y0:
                t = (y0 - y) / (y0 - y1)
                return (y, *(u + t * (v - u) for u, v in zip(a, b)))
        raise ValueError(f"height {y} is outside the limb")
    rows = [at(top)] + [lv for lv in levels if bottom < lv[0] < top] + [at(bottom)]
    outer = [(c + _width(h, m, wasted), y) for y, c, h, m in rows]
    inner = [(c - _width(h, m, wasted), y) for y, c, h, m in rows]
    return [*outer, *reversed(inner)]


def _limb(levels, top: tuple[Point, Point], wasted: bool, outer_first: bool) -> list[Point]:
    def width(half: float, muscle: float) -> float:
        return _width(half, muscle, wasted)

    outer = [(c + width(h, m), y) for y, c, h, m in levels]
    inner = [(c - width(h, m), y) for y, c, h, m in levels]
    bottom_y = levels[-1][0] - 0.08
    c_end = levels[-1][1]
    if outer_first:  # leg: hip, down the outside, across the sole, up the inside to the crotch
        return [top[0], *outer, (c_end + 0.12, bottom_y), (c_end - 0.1, bottom_y), *reversed(inner), top[1]]
    # arm: shoulder top, down the outside, round the fingertips, up the inside to the armpit
    return [*top, *outer, (c_end, bottom_y), *reversed(inner)]


def _ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 28) -> Polygon:
    return tuple((cx + rx * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n)) for i in range(n))


def _mirror_sign(view: View, side: Side) -> int:
    """+1 if the patient's `side` is on the viewer's right in this view."""
    patient_right_on_viewer_left = view == "front"
    if side == Side.right:
        return -1 if patient_right_on_viewer_left else 1
    return 1 if patient_right_on_viewer_left else -1


def _place(view: View, side: Side, points: Iterable[Point]) -> Polygon:
    cx, sign = VIEW_CENTRE[view], _mirror_sign(view, side)
    return tuple((round(cx + sign * x, 3), round(y, 3)) for x, y in points)


def _whole_trunk(view: View) -> Polygon:
    cx = VIEW_CENTRE[view]
    half = list(_TRUNK)
    return tuple((round(cx + x, 3), y) for x, y in half) + tuple((round(cx - x, 3), y) for x, y in reversed(half))


def figure_outline(thinner: frozenset[tuple[BodySite, Side]] = frozenset()) -> tuple[Outline, ...]:
    """Both views of the figure, with each (limb site, side) in `thinner` drawn wasted."""
    parts: list[Outline] = []
    for view in VIEW_CENTRE:
        cx = VIEW_CENTRE[view]
        parts.append(Outline(view, "trunk", None, _whole_trunk(view)))
        for side in (Side.right, Side.left):
            arm_thin = (BodySite.whole_upper_limb, side) in thinner
            leg_thin = (BodySite.whole_lower_limb, side) in thinner
            parts.append(Outline(view, "arm", side, _place(view, side, _limb(_ARM, _ARM_TOP, arm_thin, False)), arm_thin))
            parts.append(Outline(view, "leg", side, _place(view, side, _limb(_LEG, _LEG_TOP, leg_thin, True)), leg_thin))
        (nx, y0), (_, y1) = _NECK
        parts.append(Outline(view, "neck", None, ((cx - nx, y0), (cx + nx, y0), (cx + nx, y1), (cx - nx, y1))))
        hx, hy, rx, ry = _HEAD
        parts.append(Outline(view, "head", None, _ellipse(cx + hx, hy, rx, ry, 40)))
        if view == "front":  # the eyes say "this is the front" at a glance, and show where the pupils are
            for side in (Side.right, Side.left):
                (ex, ey) = _place(view, side, [POSITIONS[BodySite.eye][1:]])[0]
                parts.append(Outline(view, "eye", side, _ellipse(ex, ey, *_EYE, 16)))
    return tuple(parts)


# --- placing findings ------------------------------------------------------------------------------


def _sides(loc: BodyLocation) -> list[Side]:
    pos = POSITIONS[loc.site]
    if loc.side == Side.midline or pos.x == 0:
        return [Side.midline]
    if loc.side in (Side.bilateral, Side.unstated):
        return [Side.right, Side.left]
    return [loc.side]


def _views(loc: BodyLocation) -> list[View]:
    return ["front", "back"] if loc.site in REGION_SITES and loc.is_region else [POSITIONS[loc.site].view]


def _region(loc: BodyLocation, view: View, side: Side, outline: tuple[Outline, ...],
            thinner: frozenset[tuple[BodySite, Side]]) -> tuple[Polygon, ...]:
    if loc.site is BodySite.whole_body:
        return tuple(o.points for o in outline if o.view == view and o.part != "eye")
    if loc.site in (BodySite.whole_lower_limb, BodySite.whole_upper_limb):
        part = "leg" if loc.site is BodySite.whole_lower_limb else "arm"
        return tuple(o.points for o in outline if o.view == view and o.part == part and o.side == side)
    if loc.site in _SEGMENTS and side != Side.midline:
        part, top, bottom = _SEGMENTS[loc.site]
        levels, limb = (_ARM, BodySite.whole_upper_limb) if part == "arm" else (_LEG, BodySite.whole_lower_limb)
        return (_place(view, side, _segment(levels, top, bottom, (limb, side) in thinner)),)
    pos = POSITIONS[loc.site]
    rx, ry = _REGION_SIZE.get(loc.site, _DEFAULT_REGION)
    if side == Side.midline:  # a midline region on a paired site spans both sides
        return (_ellipse(VIEW_CENTRE[view], pos.y, pos.x + rx if pos.x else rx, ry),)
    return (_place(view, side, _ellipse(pos.x, pos.y, rx, ry)),)


def _anchor(loc: BodyLocation, view: View, side: Side) -> Point:
    pos = POSITIONS[loc.site]
    if side == Side.midline:
        return (VIEW_CENTRE[view], pos.y)
    return _place(view, side, [(pos.x, pos.y)])[0]


def _small_region(loc: BodyLocation) -> bool:
    return loc.is_region and loc.site not in REGION_SITES and loc.site not in _SEGMENTS


def _preferred_badge(loc: BodyLocation, view: View, side: Side, anchor: Point, in_small_region: bool) -> Point:
    """Where the number would sit with nothing else near: on the spot, or beside a small site or region."""
    pos = POSITIONS[loc.site]
    rx, ry = _REGION_SIZE.get(loc.site, _DEFAULT_REGION)
    if loc.site in _HEAD_SITES:  # the head is barely wider than two numbers: they go beside it
        out = _HEAD_BADGE_X
    elif _small_region(loc) and side != Side.midline and rx >= _SMALL_REGION:
        # on the region's upper outer edge, so most of the shading stays in view
        return _place(view, side, [(pos.x + 0.7 * rx, pos.y + 0.7 * ry)])[0]
    elif (_small_region(loc) or in_small_region) and side != Side.midline:
        out = pos.x + rx + BADGE_GAP * 0.6
    else:
        return anchor
    y = max(pos.y, 0.8)  # not on the floor line under the feet
    if side == Side.midline:
        return (round(VIEW_CENTRE[view] - out, 3), round(y, 3))
    return _place(view, side, [(out, y)])[0]


def _inside(point: Point, polygon: Polygon) -> bool:
    x, y = point
    hit = False
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def _free_spot(wanted: Point, outward: int, taken: list[Point]) -> Point:
    """The nearest place to `wanted` (stepping up, then outwards, then down) at least BADGE_GAP from every taken badge."""
    x, y = wanted
    steps = [(0, 0), (0, 1)] + [(outward * k, 0) for k in (1, 2, 3)] + [(0, -1)] + \
            [(outward * k, d) for k in (1, 2) for d in (1, -1)] + [(-outward * k, 0) for k in (1, 2)]
    for dx, dy in steps:
        cand = (round(x + dx * BADGE_GAP, 3), round(y + dy * BADGE_GAP, 3))
        if all(math.dist(cand, t) >= BADGE_GAP - 1e-9 for t in taken):
            return cand
    return (round(x + outward * 4 * BADGE_GAP, 3), y)


def body_map(findings: Iterable[Finding]) -> BodyMap:
    """The body map of the given findings; those without a location are left off and not numbered."""
    located = [f for f in findings if f.location]
    thinner = frozenset((loc.site, side) for f in located for loc in f.places if loc.wasted for side in _sides(loc))
    outline = figure_outline(thinner)
    placed = []  # (number, finding id, location, view, side, anchor, area), before the numbers are laid out
    for number, finding in enumerate(located, 1):
        for loc in finding.places:
            for view in _views(loc):
                for side in _sides(loc):
                    area = _region(loc, view, side, outline, thinner) if loc.is_region else ()
                    placed.append((number, finding.id, loc, view, side, _anchor(loc, view, side), area))
    # A spot inside another finding's small shaded region would hide it: its number goes beside.
    small = [(view, poly) for _, _, loc, view, _, _, area in placed if _small_region(loc) for poly in area]
    marks: list[Mark] = []
    taken: dict[View, list[Point]] = {"front": [], "back": []}
    for number, finding_id, loc, view, side, anchor, area in placed:
        covered = not area and any(v == view and _inside(anchor, poly) for v, poly in small)
        outward = 1 if side == Side.midline else _mirror_sign(view, side)
        badge = _free_spot(_preferred_badge(loc, view, side, anchor, covered), outward, taken[view])
        taken[view].append(badge)
        marks.append(Mark(number, finding_id, view, anchor, badge, area, loc.side == Side.unstated))
    limbs = tuple(sorted({f"{side.value} {'lower' if site is BodySite.whole_lower_limb else 'upper'} limb"
                          for site, side in thinner}))
    return BodyMap(outline, tuple(marks), tuple(entry_lines(located)), limbs)


def entry_lines(findings: Iterable[Finding]) -> list[str]:
    """The numbered list a screen reader reads in place of the figure."""
    lines = []
    for n, f in enumerate((f for f in findings if f.location), 1):
        places = "; ".join(_place_text(loc) for loc in f.places)
        since = f" (since {f.since})" if f.since else ""
        lines.append(f"{n}. {f.text} — {places}{since}")
    return lines


def _place_text(loc: BodyLocation) -> str:
    words = place_words(loc.site, loc.side.value)
    if loc.detail:
        words += f", {loc.detail}"
    if loc.is_region and loc.site not in REGION_SITES:
        words += ", shaded area"
    elif loc.is_region:
        words += ", shaded"
    if loc.wasted:
        words += ", drawn thinner than the other side"
    return words
