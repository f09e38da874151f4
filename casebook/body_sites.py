"""Named places on the body map, and where each sits on the schematic figure.

Authors name a site and a side; the body map component places the marker. Coordinates are on
a figure 10 units tall (soles at 0, crown at 10), `x` measured outwards from the midline, in the
view (front or back) where the site is best seen.
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
    lateral_malleolus = "lateral_malleolus"
    medial_malleolus = "medial_malleolus"
    behind_medial_malleolus = "behind_medial_malleolus"
    foot_dorsum = "foot_dorsum"
    sole = "sole"
    whole_lower_limb = "whole_lower_limb"
    whole_upper_limb = "whole_upper_limb"


POSITIONS: dict[BodySite, SitePosition] = {
    BodySite.head: SitePosition("front", 0.0, 9.45),
    BodySite.face: SitePosition("front", 0.0, 9.2),
    BodySite.neck: SitePosition("front", 0.0, 8.6),
    BodySite.shoulder: SitePosition("front", 0.75, 8.15),
    BodySite.chest: SitePosition("front", 0.35, 7.5),
    BodySite.upper_arm: SitePosition("front", 0.95, 7.3),
    BodySite.elbow: SitePosition("front", 1.05, 6.5),
    BodySite.forearm: SitePosition("front", 1.12, 5.8),
    BodySite.wrist: SitePosition("front", 1.2, 5.1),
    BodySite.hand: SitePosition("front", 1.25, 4.7),
    BodySite.fingers: SitePosition("front", 1.3, 4.3),
    BodySite.upper_abdomen: SitePosition("front", 0.3, 6.6),
    BodySite.lower_abdomen: SitePosition("front", 0.3, 5.8),
    BodySite.flank: SitePosition("back", 0.55, 6.3),
    BodySite.pelvis: SitePosition("front", 0.3, 5.2),
    BodySite.groin: SitePosition("front", 0.35, 4.85),
    BodySite.upper_back: SitePosition("back", 0.35, 7.6),
    BodySite.lower_back: SitePosition("back", 0.2, 5.9),
    BodySite.buttock: SitePosition("back", 0.35, 5.0),
    BodySite.hip: SitePosition("front", 0.62, 5.0),
    BodySite.thigh_front: SitePosition("front", 0.35, 4.0),
    BodySite.thigh_outer: SitePosition("front", 0.58, 4.0),
    BodySite.thigh_back: SitePosition("back", 0.35, 4.0),
    BodySite.knee: SitePosition("front", 0.33, 2.95),
    BodySite.popliteal_fossa: SitePosition("back", 0.33, 2.95),
    BodySite.shin: SitePosition("front", 0.3, 1.9),
    BodySite.lower_leg_outer: SitePosition("front", 0.44, 1.2),
    BodySite.calf: SitePosition("back", 0.33, 2.0),
    BodySite.achilles_tendon: SitePosition("back", 0.33, 0.75),
    BodySite.lateral_malleolus: SitePosition("front", 0.44, 0.5),
    BodySite.medial_malleolus: SitePosition("front", 0.2, 0.5),
    BodySite.behind_medial_malleolus: SitePosition("back", 0.22, 0.55),
    BodySite.foot_dorsum: SitePosition("front", 0.35, 0.2),
    BodySite.sole: SitePosition("back", 0.33, 0.1),
    BodySite.whole_lower_limb: SitePosition("front", 0.35, 2.6),
    BodySite.whole_upper_limb: SitePosition("front", 1.0, 6.5),
}


def label(site: BodySite) -> str:
    return site.value.replace("_", " ")
