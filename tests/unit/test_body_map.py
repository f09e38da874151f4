"""The body map as a clinician reads it: pupils at the eyes, both sides for a bilateral finding, a diffuse
finding shaded over its region, and the wasted limb drawn thinner than the healthy one."""
import math

import pytest
from pydantic import ValidationError

from casebook.body_map import VIEW_CENTRE, body_map
from casebook.body_sites import POSITIONS, BodySite
from casebook.loader import load_case
from casebook.model import BodyLocation, Finding, case_inconsistencies
from components.body_map import body_map_figure, caption_text
from tests.conftest import CASES


def finding(fid="f", text="A finding", **location):
    return Finding(id=fid, text=text, location=BodyLocation(**location))


def width_at(points, y):
    """Width of a drawn part at height y (its polygon crossed by a horizontal line)."""
    xs = []
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        if (y0 - y) * (y1 - y) < 0:
            xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
    return max(xs) - min(xs)


def area(polygon):
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1]))) / 2


def eyes():
    return [o for o in body_map([]).outlines if o.part == "eye"]


def inside(point, polygon):
    x, y = point
    hit = False
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def test_pupils_are_marked_at_both_eyes_not_on_the_chin():
    drawn = body_map([finding(text="Both pupils dilated", site="eye", side="bilateral")])
    anchors = [m.anchor for m in drawn.marks]
    assert len(anchors) == 2
    for eye in eyes():
        assert any(inside(a, eye.points) for a in anchors), "each eye has its mark"
    head = next(o for o in drawn.outlines if o.part == "head" and o.view == "front")
    chin = min(y for _, y in head.points)
    assert all(y > chin + 0.5 for _, y in anchors)
    assert drawn.entries == ("1. Both pupils dilated — both eyes",)


def test_a_left_eye_finding_is_on_the_viewers_right_in_the_front_view():
    [mark] = body_map([finding(site="eye", side="left")]).marks
    assert mark.view == "front" and mark.anchor[0] > VIEW_CENTRE["front"]
    assert mark.badge != mark.anchor, "the number sits beside the head, a line points at the eye"


def test_a_bilateral_finding_gives_a_mark_on_each_side_with_the_same_number():
    drawn = body_map([finding(site="calf", side="bilateral")])
    left, right = sorted(m.anchor[0] for m in drawn.marks)
    centre = VIEW_CENTRE["back"]
    assert left < centre < right and math.isclose(centre - left, right - centre)
    assert {m.number for m in drawn.marks} == {1}


def test_a_diffuse_finding_shades_its_region_and_a_spot_does_not():
    spot, diffuse = body_map([
        finding("tender", site="calf", side="right"),
        finding("ache", site="calf", side="right", extent="region"),
    ]).marks
    assert not spot.is_region
    assert diffuse.is_region and area(diffuse.area[0]) > 0.3
    assert inside(spot.anchor, diffuse.area[0]), "the shaded calf covers the calf"


def test_whole_limb_findings_shade_the_limb_in_both_views_without_being_asked():
    marks = body_map([finding(site="whole_lower_limb", side="right")]).marks
    assert {m.view for m in marks} == {"front", "back"}
    drawn = body_map([]).outlines
    right_leg = {o.view: o.points for o in drawn if o.part == "leg" and o.side.value == "right"}
    for m in marks:
        assert m.area == (right_leg[m.view],)


def test_the_wasted_limb_is_drawn_thinner_than_the_other():
    drawn = body_map([finding(site="whole_lower_limb", side="right", wasted=True)])
    legs = {(o.view, o.side.value): o for o in drawn.outlines if o.part == "leg"}
    for view in ("front", "back"):
        right, left = legs[(view, "right")], legs[(view, "left")]
        assert right.thinner and not left.thinner
        for y in (4.0, 2.2):  # mid-thigh and calf
            assert width_at(list(right.points), y) < 0.8 * width_at(list(left.points), y)
        assert math.isclose(width_at(list(right.points), 0.45), width_at(list(left.points), 0.45))  # the ankle bones
    assert drawn.thinner_limbs == ("right lower limb",)
    assert "right lower limb is drawn thinner" in caption_text([finding(site="whole_lower_limb", side="right", wasted=True)])


def test_without_wasting_both_legs_are_drawn_the_same():
    legs = [o for o in body_map([finding(site="whole_lower_limb", side="right")]).outlines if o.part == "leg"]
    assert len({round(width_at(list(o.points), 3.7), 6) for o in legs}) == 1


def test_findings_at_the_same_place_keep_their_own_readable_numbers():
    drawn = body_map([finding(f"f{i}", site="hip", side="left") for i in range(3)])
    badges = [m.badge for m in drawn.marks]
    assert [m.number for m in drawn.marks] == [1, 2, 3]
    assert all(math.dist(a, b) >= 0.5 for i, a in enumerate(badges) for b in badges[i + 1:])


def test_a_finding_seen_in_two_places_has_one_number_at_both():
    f = Finding(id="lumps", text="Lumps", location=BodyLocation(site="lower_back", side="midline"),
                also_at=[BodyLocation(site="forehead", side="right")])
    drawn = body_map([f])
    assert {(m.view, m.number) for m in drawn.marks} == {("back", 1), ("front", 1)}
    assert drawn.entries == ("1. Lumps — lower back, midline; right forehead",)


def test_side_not_stated_is_drawn_hollow_on_both_sides_and_said_in_words():
    drawn = body_map([finding(text="Pain behind the ankle", site="ankle", side="unstated", extent="region")])
    assert len(drawn.marks) == 2 and all(m.side_unstated and m.is_region for m in drawn.marks)
    assert drawn.entries == ("1. Pain behind the ankle — ankle, side not stated, shaded area",)


def test_every_site_sits_on_the_drawn_figure_in_its_view():
    outline = body_map([]).outlines
    for site, pos in POSITIONS.items():
        side = "midline" if site is BodySite.whole_body else "right"
        [mark, *_] = body_map([finding(site=site.value, side=side)]).marks
        parts = [o.points for o in outline if o.view == mark.view and o.part != "eye"]
        assert any(inside(mark.anchor, p) for p in parts), f"{site.value} at {mark.anchor} is off the figure"


@pytest.mark.parametrize("site, view, lower, upper", [
    ("eye", "front", 9.2, 9.6), ("nose", "front", 9.0, 9.4), ("chest", "front", 7.0, 7.8),
    ("knee", "front", 2.6, 3.1), ("popliteal_fossa", "back", 2.6, 3.1), ("calf", "back", 1.6, 2.5),
    ("achilles_tendon", "back", 0.5, 1.2), ("sole", "back", 0.0, 0.2), ("lower_back", "back", 5.7, 6.5),
])
def test_sites_sit_at_their_anatomical_height_and_view(site, view, lower, upper):
    pos = POSITIONS[BodySite(site)]
    assert pos.view == view and lower <= pos.y <= upper


def test_wasting_needs_a_whole_limb_on_a_named_side():
    with pytest.raises(ValidationError, match="wasted: true draws a limb thinner"):
        BodyLocation(site="calf", side="right", wasted=True)
    with pytest.raises(ValidationError, match="needs the side that is wasted"):
        BodyLocation(site="whole_lower_limb", side="unstated", wasted=True)
    data = {"stages": [{"findings": [{"id": "w", "text": "x", "location": {"site": "knee", "side": "left", "wasted": True}},
                                     {"id": "v", "text": "y", "also_at": [{"site": "knee", "side": "left"}]}]}]}
    found = {(f.loc, f.message.split(",")[0]) for f in case_inconsistencies(data)}
    assert (("stages", 0, "findings", 0, "location", "wasted"),
            "wasted: true draws a limb thinner") in found
    assert any(loc == ("stages", 0, "findings", 1, "also_at") for loc, _ in found)


def test_the_figure_shades_regions_and_numbers_each_mark():
    fig = body_map_figure([finding("w", site="whole_lower_limb", side="right", wasted=True),
                           finding("p", site="eye", side="bilateral")])
    fills = [t for t in fig.data if t.fill == "toself"]
    assert len(fills) == 2 and all(t.fillpattern.shape == "/" for t in fills)  # hatched, not colour alone
    numbers = [n for t in fig.data if t.mode == "markers+text" for n in t.text]
    assert sorted(numbers) == ["1", "1", "2", "2"]


def test_the_painful_wasted_leg_case_draws_its_wasting_and_its_pupils():
    case = load_case(CASES / "painful-wasted-leg").case
    stage = next(s for s in case.stages if any(f.id == "wasting" for f in s.findings))
    drawn = body_map(stage.findings)
    assert drawn.thinner_limbs == ("right lower limb",)
    pupils = next(f for f in stage.findings if f.id == "pupils")
    assert all(any(inside(m.anchor, e.points) for e in eyes()) for m in drawn.marks_for(pupils.id))
    assert all(m.is_region for m in drawn.marks_for("wasting"))
