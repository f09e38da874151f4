"""Named places on the body map, and where each sits on the schematic figure.

Authors name a site and a side; the body map places the mark. Coordinates are on a figure 10 units
tall (soles at 0, crown at 10) drawn in the proportions of an adult (knee joint at 28 % of the height,
eyes at 94 %), `x` measured outwards from the midline, in the view (front or back) where the site is
examined. A site with `x == 0` sits on the midline whatever side is given.
"""
from __future__ import annotations

from enum import Enum
from typing import Literal, NamedTuple


class SitePosition(NamedTuple):
    view: Literal["front", "back"]
    x: float
    y: float


class BodySite(str, Enum):
    head = "head"
    forehead = "forehead"
    eye = "eye"
    nose = "nose"
    face = "face"
    neck = "neck"
    shoulder = "shoulder"
    chest = "chest"
    upper_arm = "upper_arm"
    elbow = "elbow"
    forearm = "forearm"
    wrist = "wrist"
    hand = "hand"
    fingers = "fingers"
    upper_abdomen = "upper_abdomen"
    lower_abdomen = "lower_abdomen"
    flank = "flank"
    pelvis = "pelvis"
    groin = "groin"
    upper_back = "upper_back"
    lower_back = "lower_back"
    buttock = "buttock"
    hip = "hip"
    thigh_front = "thigh_front"
    thigh_outer = "thigh_outer"
    thigh_back = "thigh_back"
    knee = "knee"
    popliteal_fossa = "popliteal_fossa"
    shin = "shin"
    lower_leg_outer = "lower_leg_outer"
    calf = "calf"
    achilles_tendon = "achilles_tendon"
    ankle = "ankle"
    lateral_malleolus = "lateral_malleolus"
    medial_malleolus = "medial_malleolus"
    behind_medial_malleolus = "behind_medial_malleolus"
    foot_dorsum = "foot_dorsum"
    sole = "sole"
    whole_lower_limb = "whole_lower_limb"
    whole_upper_limb = "whole_upper_limb"
    whole_body = "whole_body"


POSITIONS: dict[BodySite, SitePosition] = {
    BodySite.head: SitePosition("front", 0.2, 9.78),          # scalp, above the hairline
    BodySite.forehead: SitePosition("front", 0.17, 9.66),
    BodySite.eye: SitePosition("front", 0.17, 9.42),          # pupils 0.34 apart: about 6 cm in a 1.75 m adult
    BodySite.nose: SitePosition("front", 0.0, 9.2),
    BodySite.face: SitePosition("front", 0.22, 9.12),         # cheek; the midline of the face is the nose
    BodySite.neck: SitePosition("front", 0.12, 8.6),
    BodySite.shoulder: SitePosition("front", 1.05, 8.12),
    BodySite.chest: SitePosition("front", 0.4, 7.35),         # over the heart on the left: precordium
    BodySite.upper_arm: SitePosition("front", 1.11, 7.0),
    BodySite.elbow: SitePosition("front", 1.14, 6.3),
    BodySite.forearm: SitePosition("front", 1.24, 5.6),
    BodySite.wrist: SitePosition("front", 1.34, 4.9),
    BodySite.hand: SitePosition("front", 1.39, 4.45),
    BodySite.fingers: SitePosition("front", 1.4, 4.08),
    BodySite.upper_abdomen: SitePosition("front", 0.32, 6.65),  # epigastrium when midline, hypochondrium when sided
    BodySite.lower_abdomen: SitePosition("front", 0.35, 5.65),  # suprapubic when midline, iliac fossa when sided
    BodySite.flank: SitePosition("back", 0.55, 6.55),          # loin, at the costovertebral angle
    BodySite.pelvis: SitePosition("front", 0.55, 5.55),
    BodySite.groin: SitePosition("front", 0.45, 5.05),          # on the inguinal crease
    BodySite.upper_back: SitePosition("back", 0.4, 7.6),
    BodySite.lower_back: SitePosition("back", 0.25, 6.1),       # lumbar spine when midline
    BodySite.buttock: SitePosition("back", 0.45, 5.1),
    BodySite.hip: SitePosition("front", 0.8, 5.25),             # over the greater trochanter
    BodySite.thigh_front: SitePosition("front", 0.45, 4.0),
    BodySite.thigh_outer: SitePosition("front", 0.74, 4.0),
    BodySite.thigh_back: SitePosition("back", 0.45, 4.0),
    BodySite.knee: SitePosition("front", 0.39, 2.85),
    BodySite.popliteal_fossa: SitePosition("back", 0.39, 2.85),
    BodySite.shin: SitePosition("front", 0.35, 1.8),
    BodySite.lower_leg_outer: SitePosition("front", 0.5, 1.2),
    BodySite.calf: SitePosition("back", 0.38, 2.1),
    BodySite.achilles_tendon: SitePosition("back", 0.36, 0.8),
    BodySite.ankle: SitePosition("back", 0.36, 0.5),            # around and behind both malleoli
    BodySite.lateral_malleolus: SitePosition("front", 0.48, 0.5),
    BodySite.medial_malleolus: SitePosition("front", 0.24, 0.5),
    BodySite.behind_medial_malleolus: SitePosition("back", 0.26, 0.48),
    BodySite.foot_dorsum: SitePosition("front", 0.38, 0.2),
    BodySite.sole: SitePosition("back", 0.38, 0.08),
    BodySite.whole_lower_limb: SitePosition("front", 0.45, 3.9),
    BodySite.whole_upper_limb: SitePosition("front", 1.11, 6.8),
    BodySite.whole_body: SitePosition("front", 0.0, 7.0),
}

REGION_SITES = frozenset({BodySite.whole_lower_limb, BodySite.whole_upper_limb, BodySite.whole_body})
"""Sites that are a whole part of the figure: shaded (a region) unless the author asks for a spot, and
shown in both views."""

LIMB_SITES = frozenset({BodySite.whole_lower_limb, BodySite.whole_upper_limb})
"""Sites that can be drawn thinner than the other side (a wasted limb)."""

_PLURALS = {
    BodySite.eye: "both eyes", BodySite.shoulder: "both shoulders", BodySite.elbow: "both elbows",
    BodySite.wrist: "both wrists", BodySite.hand: "both hands", BodySite.hip: "both hips",
    BodySite.knee: "both knees", BodySite.calf: "both calves", BodySite.ankle: "both ankles",
    BodySite.buttock: "both buttocks", BodySite.sole: "both soles", BodySite.flank: "both flanks",
    BodySite.forearm: "both forearms", BodySite.upper_arm: "both upper arms", BodySite.shin: "both shins",
    BodySite.whole_lower_limb: "the whole of both lower limbs", BodySite.whole_upper_limb: "the whole of both upper limbs",
}


_NAMES = {
    BodySite.upper_abdomen: "upper abdomen", BodySite.lower_abdomen: "lower abdomen",
    BodySite.thigh_front: "front of the thigh", BodySite.thigh_outer: "outer thigh", BodySite.thigh_back: "back of the thigh",
    BodySite.popliteal_fossa: "back of the knee (popliteal fossa)", BodySite.lower_leg_outer: "outer side of the lower leg",
    BodySite.achilles_tendon: "Achilles tendon", BodySite.lateral_malleolus: "outer ankle bone (lateral malleolus)",
    BodySite.medial_malleolus: "inner ankle bone (medial malleolus)",
    BodySite.behind_medial_malleolus: "behind the inner ankle bone", BodySite.foot_dorsum: "top of the foot",
    BodySite.whole_body: "whole body",
}

_SIDE_OF = frozenset({BodySite.head, BodySite.face, BodySite.neck, BodySite.chest, BodySite.pelvis,
                      BodySite.upper_back, BodySite.lower_back})
"""Sites a side is one half of: "left side of the chest"."""


def label(site: BodySite) -> str:
    """The site's name in words, e.g. "outer side of the lower leg"."""
    return _NAMES.get(site, site.value.replace("_", " "))


def place_words(site: BodySite, side: str) -> str:
    """Where a mark is, as a sentence would say it: "right calf", "both eyes", "whole right lower limb"."""
    name = label(site)
    if side == "bilateral":
        return _PLURALS.get(site, f"{name}, both sides")
    if side == "unstated":
        return f"{name}, side not stated"
    if side == "midline" or POSITIONS[site].x == 0:
        return name if POSITIONS[site].x == 0 or site in REGION_SITES else f"{name}, midline"
    if name.startswith("whole "):
        return f"whole {side} {name.removeprefix('whole ')}"
    if site in _SIDE_OF:
        return f"{side} side of the {name}"
    for lead in ("front of the ", "back of the ", "outer side of the ", "top of the ", "behind the "):
        if name.startswith(lead):  # "back of the right knee", not "right back of the knee"
            return f"{lead}{side} {name.removeprefix(lead)}"
    return f"{side} {name}"
