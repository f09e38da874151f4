"""The key facts of each source report made it into its case, at the stage where a student meets them."""
import re

from casebook.loader import load_case
from tests.conftest import CASES

LEG = load_case(CASES / "painful-wasted-leg").case
ANKLE = load_case(CASES / "exertional-ankle-pain").case
BOWEL = load_case(CASES / "constipation-only").case


def stage(case, stage_id):
    return next(s for s in case.stages if s.id == stage_id)


def text_of(case, stage_id) -> str:
    return stage(case, stage_id).model_dump_json()


def prose(text: str) -> str:
    """Narrative text with its line breaks folded, to search for phrases."""
    return " ".join(text.split())


def before(case, stage_id) -> str:
    shown = []
    for s in case.stages:
        if s.id == stage_id:
            break
        shown.append(s.model_copy(update={"questions": [], "expert": None}).model_dump_json())  # the trace waits for the end
    return " ".join(shown)


def test_leg_patient_and_history():
    assert (LEG.patient.age, LEG.patient.sex) == (47, "male")
    events = {e.id: e for s in LEG.stages for e in s.timeline}
    assert events["analgesics"].age == 41 and events["tender-point-4"].age == 42
    assert events["tender-point-1"].age_range == (12, 15) and events["tender-point-1"].when == "junior high school"
    assert events["tender-point-2"].when == "high school" and events["tender-point-3"].age == 23


def test_leg_four_tender_points_on_the_right_leg():
    points = [f for f in stage(LEG, "examination").findings if f.id.startswith("tender-")]
    assert [(f.location.site.value, f.location.side.value) for f in points] == [
        ("lower_leg_outer", "right"), ("achilles_tendon", "right"), ("calf", "right"), ("popliteal_fossa", "right")]
    assert "7 cm above the lateral malleolus" in points[0].location.detail
    assert "11 cm below the head of the fibula" in points[2].location.detail


def test_leg_medicines_and_doses():
    exam = stage(LEG, "examination").narrative
    for drug, dose in [("tramadol", "75 mg"), ("acetaminophen", "650 mg"), ("pregabalin", "150 mg"),
                       ("duloxetine", "40 mg"), ("eperisone", "150 mg"), ("clonazepam", "0.5 mg"),
                       ("pilsicainide", "50 mg"), ("carteolol", "5 mg")]:
        line = next(line for line in exam.splitlines() if drug in line)
        assert dose in line.split(drug, 1)[1][:40], drug
    # The report gives a reason only for the two drugs taken during pain-driven fast heartbeat.
    assert not re.search(r"neuropathic|muscle relaxant|benzodiazepine|for pain", exam, re.I)
    assert "fast heartbeat" in prose(exam)


def test_leg_story_has_what_the_hints_rely_on():
    story = prose(stage(LEG, "story").narrative)
    assert "keeps his weight off the right foot" in story
    assert "sensation are both reported as normal" in prose(stage(LEG, "examination").narrative)
    assert not re.search(r"vibration|joint position|light touch", text_of(LEG, "examination"), re.I)


def test_leg_one_operation_on_the_timeline():
    events = [e for s in LEG.stages for e in s.timeline]
    operations = [e for e in events if re.search(r"biopsy|excision|operation|surg", e.label, re.I)]
    assert [e.label for e in operations] == ["Excisional biopsy of two nodules"]


def test_leg_teaching_points_from_the_source_say_only_what_it_says():
    source_points = " ".join(p.text for s in LEG.stages for p in s.teaching_points if p.basis == "source")
    assert "dealt with" not in source_points and "recovered by discharge" in prose(source_points)


def test_leg_ck_nerve_studies_and_emg():
    [ck] = stage(LEG, "investigations").labs
    assert (ck.value, ck.unit, ck.ref_low, ck.ref_high) == (59, "U/L", 59, 248) and ck.status == "normal"
    tests = text_of(LEG, "investigations")
    assert "F-waves" in tests and "sural" in tests and "tibialis anterior" in tests and "rectus femoris" in tests


def test_leg_mri_technique_histology_and_outcome():
    mri = next(i for i in stage(LEG, "imaging").imaging if i.modality == "MRI")
    assert mri.plane == "Sagittal" and mri.contrast == "Gadolinium"
    assert "fat-suppressed T1-weighted" in mri.technique and "Dixon" in mri.technique
    assert "gastrocnemius" in " ".join(mri.findings)
    diagnosis = text_of(LEG, "diagnosis")
    assert "positive for smooth muscle actin" in diagnosis and "negative for desmin" in diagnosis
    assert "pupils" in stage(LEG, "outcome").narrative and "sole" in stage(LEG, "outcome").narrative


def test_leg_diagnosis_is_not_named_before_its_stage():
    assert "glomus" not in before(LEG, "diagnosis").lower()
    assert "glomus" not in (LEG.title + LEG.summary + " ".join(LEG.tags)).lower()


def test_ankle_pressure_test_confirmed_compartment_syndrome_in_one_patient_only():
    narrative = prose(stage(ANKLE, "pressure-test").narrative)
    assert "found in **only one** of the five patients" in narrative
    assert not re.search(r"abnormal in (all|each|every)|values are abnormal", text_of(ANKLE, "pressure-test"), re.I)


def test_ankle_series_facts():
    assert ANKLE.patient.age is None and ANKLE.patient.sex is None and "five" in ANKLE.patient.description
    assert "No evidence of a compression neuropathy" in text_of(ANKLE, "work-up")
    assert "Doppler" in text_of(ANKLE, "work-up")
    assert "only one" in stage(ANKLE, "pressure-test").narrative
    assert "two points" in stage(ANKLE, "treatment").narrative
    assert "No side effects" in stage(ANKLE, "outcome").narrative
    assert "soleus" not in before(ANKLE, "imaging").lower()
    assert all(not e.is_dated for s in ANKLE.stages for e in s.timeline)


def test_bowel_case_facts():
    assert BOWEL.patient.age is None and BOWEL.patient.sex is None
    assert "fourth right lumbar" in prose(stage(BOWEL, "origin").narrative)
    assert "neurilemmoma (schwannoma)" in stage(BOWEL, "diagnosis").narrative
    # How long this patient had the constipation is not known: "recent" is the authors' general remark.
    assert "general remark" in prose(stage(BOWEL, "presentation").narrative)
    # MRI is the authors' general advice; the abstract reports no imaging findings for this patient.
    assert "MRI is the best approach" in prose(stage(BOWEL, "diagnosis").narrative)
    assert not any(s.imaging for s in BOWEL.stages)
    assert "does not say which examination or scan" in prose(stage(BOWEL, "finding").narrative)
    treatment = prose(stage(BOWEL, "treatment").narrative)
    assert "partial excision" in treatment and "complete resection" in treatment
    assert "does not say which operation" in treatment
    assert not any(w in before(BOWEL, "diagnosis").lower() for w in ("schwannoma", "neurilemmoma", "neurinoma"))
    assert all(not e.is_dated for s in BOWEL.stages for e in s.timeline)


def test_bowel_case_invents_nothing_about_the_patient():
    told = " ".join([BOWEL.summary, BOWEL.patient.description or ""]
                    + [s.narrative for s in BOWEL.stages if s.kind.value != "teaching"]).lower()
    assert not re.search(r"\badult|\bclinic\b|comes to", told)
    # The authors' remark on strength after total resection is not this patient's result.
    events = [e for s in BOWEL.stages for e in s.timeline]
    assert not [e for e in events if e.category in ("outcome", "treatment")]
    assert "no follow-up for this patient" in prose(stage(BOWEL, "outcome").narrative)


def student_text(case) -> str:
    """Everything a student may read in a case, the lecturer's notes left out."""
    return prose(" ".join([case.title, case.summary]
                          + [s.model_copy(update={"speaker_notes": None}).model_dump_json() for s in case.stages]))


def test_bowel_case_does_not_make_the_authors_general_remark_a_fact_about_the_patient():
    told = " ".join([BOWEL.title, BOWEL.summary, BOWEL.patient.description or ""]
                    + [s.narrative for s in BOWEL.stages]).lower()
    assert not re.search(r"recent|\bnew\b", told.replace("all the more when it is new", ""))
    first = BOWEL.question("worth-investigating")
    assert not re.search(r"because it is new|the recent onset", " ".join(o.text + o.feedback for o in first.options))
    events = [e.label.lower() for s in BOWEL.stages for e in s.timeline]
    assert not [e for e in events if "recent" in e]
    # "Outside the dura" is inferred from the authors' remark about extradural tumours, and says so.
    for s in BOWEL.stages:
        for text in [s.narrative] + [q.prompt for q in s.questions]:
            if "outside the dura" in prose(text):
                assert "inference" in prose(text), s.id


def test_leg_case_says_only_what_the_report_gives():
    told = student_text(LEG).lower()
    assert not re.search(r"pain (can be )?provoked by tapping|in one operation|sweat|normal tissue between", told)
    story = prose(stage(LEG, "story").narrative)
    assert "tingling" in story and "Tapping the outer ankle bone" in story
    red_flags = LEG.question("red-flags")
    assert "tingling" in next(o.text for o in red_flags.options if o.id == "tap-trigger")


def test_the_bowel_case_does_not_ask_what_it_has_just_said():
    """The last question asks why strength can recover, not what the authors said about it."""
    partial = BOWEL.question("for-partial")
    assert "strength" not in (partial.explanation + " ".join(o.text + o.feedback for o in partial.options)).lower()
    after = BOWEL.question("after-resection")
    assert after.prompt.lower().startswith("how ")
