"""Timeline rows and the figures a student sees: spans for age ranges, sides on the body map, lab status."""
from casebook.body_map import VIEW_CENTRE
from casebook.model import BodyLocation, Finding, LabResult, TimelineEvent
from casebook.timeline import is_ordered_only, timeline_rows
from components.body_map import body_map_figure, legend_lines, marker_positions
from components.labs import lab_figure, reference_text, status_words
from components.timeline import timeline_figure, timeline_summary

DATED = [
    TimelineEvent(id="adm", label="Admitted", age=47),
    TimelineEvent(id="jhs", label="First tender point", when="junior high school", age_range=(12, 15), category="sign"),
    TimelineEvent(id="pain", label="Pain relievers", age=41, category="treatment"),
]
UNDATED = [TimelineEvent(id="a", label="Exertional pain"), TimelineEvent(id="b", label="MRI", category="investigation")]


def test_dated_rows_are_sorted_by_age_and_ranges_are_spans():
    rows = timeline_rows(DATED)
    assert [r.event_id for r in rows] == ["jhs", "pain", "adm"]
    assert rows[0].is_range and (rows[0].start, rows[0].end) == (12, 15)
    assert not rows[1].is_range and rows[1].start == 41


def test_undated_events_become_an_ordered_sequence():
    assert is_ordered_only(UNDATED) and not is_ordered_only(DATED)
    rows = timeline_rows(UNDATED)
    assert [(r.event_id, r.start) for r in rows] == [("a", 1), ("b", 2)]
    fig = timeline_figure(rows, ordered_only=True)
    assert fig.layout.xaxis.title.text.startswith("Order of events")
    assert list(fig.layout.xaxis.ticktext) == ["1st", "2nd"]
    assert timeline_summary(rows, ordered_only=True) == "In order: 1. Exertional pain; 2. MRI"


def test_timeline_figure_draws_the_range_as_a_bar_and_exact_ages_as_markers():
    fig = timeline_figure(timeline_rows(DATED))
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) == 1 and bars[0].base[0] == 12 and bars[0].x[0] == 3
    points = {x for t in fig.data if t.type == "scatter" for x in t.x}
    assert points == {41, 47}
    assert fig.layout.xaxis.title.text == "Age (years)"


def test_case_text_cannot_inject_markup_into_the_chart():
    evil = [TimelineEvent(id="x", label="<img src=x onerror=alert(1)>", age=3)]
    fig = timeline_figure(timeline_rows(evil))
    assert "<img" not in str(fig.to_dict()) and "&lt;img" in str(fig.to_dict())


def finding(site, side, text="Tender point"):
    return Finding(id=f"f-{site}-{side}".replace("_", "-"), text=text, location=BodyLocation(site=site, side=side))


def test_body_map_respects_the_patients_sides_in_each_view():
    front_centre, back_centre = VIEW_CENTRE["front"], VIEW_CENTRE["back"]
    [(x, _)] = marker_positions(finding("lower_leg_outer", "right"))   # front view
    assert x < front_centre                                          # patient's right = viewer's left
    [(x, _)] = marker_positions(finding("popliteal_fossa", "right"))  # back view
    assert x > back_centre                                           # patient's right = viewer's right
    assert len(marker_positions(finding("knee", "bilateral"))) == 2
    assert marker_positions(finding("lower_back", "midline"))[0][0] == back_centre


def test_body_map_numbers_each_located_finding_and_lists_it_in_words():
    fs = [finding("calf", "right", "Tender point 3"), Finding(id="nowhere", text="No location"),
          finding("achilles_tendon", "right", "Tender point 2")]
    fig = body_map_figure(fs)
    assert [n for t in fig.data if t.mode == "markers+text" for n in t.text] == ["1", "2"]
    assert legend_lines(fs) == ["1. Tender point 3 — right calf", "2. Tender point 2 — right Achilles tendon"]


def test_lab_value_on_the_lower_limit_is_within_range():
    ck = LabResult(name="Creatine kinase", value=59, unit="U/L", ref_low=59, ref_high=248, population="adult men")
    assert ck.status == "normal" and status_words(ck) == "within the reference range, at its limit"
    assert reference_text(ck) == "59–248 U/L (adult men)"
    high = ck.model_copy(update={"value": 300})
    assert status_words(high) == "above the reference range"
    fig = lab_figure([ck, high])
    assert [t.marker.symbol for t in fig.data] == ["circle", "triangle-right"]


def test_open_ended_reference_ranges():
    crp = LabResult(name="CRP", value=2, unit="mg/L", ref_high=5)
    assert crp.status == "normal" and reference_text(crp) == "≤ 5 mg/L"
    assert len(lab_figure([crp]).layout.shapes) == 1


def test_a_long_timeline_label_is_wrapped_whole_and_its_row_made_taller():
    from components.timeline import LABEL_CHARS

    long = "Botulinum toxin A injected at two points in the accessory muscle"
    events = [TimelineEvent(id="inj", label=long, category="treatment"), TimelineEvent(id="ok", label="Pain gone")]
    fig = timeline_figure(timeline_rows(events), ordered_only=True)
    label = next(a.text for a in fig.layout.annotations if "Botulinum" in a.text)
    lines = label.split("<br>")
    assert len(lines) > 1 and all(len(line) <= LABEL_CHARS for line in lines)
    assert " ".join(lines) == long  # every word kept, none cut
    short = timeline_figure(timeline_rows([e.model_copy(update={"label": "Injection"}) if e.id == "inj" else e
                                           for e in events]), ordered_only=True)
    assert fig.layout.height > short.layout.height  # room for the extra line, not labels on top of each other
