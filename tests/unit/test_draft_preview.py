"""An unfinished case previewed stage by stage: what can be built is, what cannot is named with its reason."""
from casebook.draft_preview import draft_preview
from casebook.importer import draft_case
from casebook.loader import validate_text

REPORT = ("Case presentation\nA 62-year-old woman had a cough for three weeks. Her CRP was 12 mg/L (normal <5 mg/L)."
          "\n\nDiagnosis\nShe was diagnosed with pertussis.")


def preview(text: str):
    return draft_preview(text, validate_text(text))


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_an_importer_draft_shows_every_stage_and_shares_out_its_problems():
    text = draft_case(REPORT).yaml_text
    assert "# evidence:" in text
    found = preview(text)
    assert len(found.shown) == len(found.stages) >= 2
    labs = next(p for p in found.stages if p.stage.labs)
    assert labs.stage.labs[0].name == "CRP" and labs.stage.labs[0].value == 12
    assert all(pr.field.startswith(f"stages[{labs.number - 1}]") for pr in labs.problems)
    assert any(pr.message == "a case needs at least one question" for pr in found.case_problems)
    assert not any(pr.field.startswith("stages[") for pr in found.case_problems)
    assert found.patient.age == 62 and found.patient.sex == "female"


def test_a_broken_item_is_left_out_and_named_and_the_rest_of_the_stage_is_shown():
    text = draft_case(REPORT).yaml_text.replace("value: 12", "value: twelve")
    labs = next(p for p in preview(text).stages if p.stage and p.stage.kind.value == "investigations")
    assert labs.stage.labs == [] and labs.stage.narrative
    assert labs.left_out == [f"labs[0] (line {line_of(text, '- name: CRP')})"]
    assert any(pr.field == "stages[1].labs[0].value" for pr in labs.problems)


def test_a_stage_without_a_title_cannot_be_shown_and_says_why():
    text = draft_case(REPORT).yaml_text.replace("    title: The presenting problem\n", "")
    first = preview(text).stages[0]
    assert first.stage is None and first.why_not.startswith("title: required field is missing (line ")
    assert preview(text).stages[1].stage is not None


def test_a_missing_or_repeated_stage_id_does_not_hide_the_stage():
    text = draft_case(REPORT).yaml_text.replace("  - id: presentation\n    kind", "  - kind", 1)
    first = preview(text).stages[0]
    assert first.stage is not None and first.stage.title == "The presenting problem"
    assert any(pr.field == "stages[0].id" and "missing" in pr.message for pr in first.problems)


def test_what_is_not_a_case_mapping_has_no_preview():
    for text in ("- a\n- list\n", "id: [unclosed\n", "stages: 3\n"):
        found = preview(text)
        assert found is None or (found.stages == [] and found.why_no_stages)
    assert preview("- a\n- list\n") is None
    assert preview("id: x\n").why_no_stages.startswith("The file has no stages yet")
    odd = preview("id: x\nstages:\n  - just text\n")
    assert odd.stages[0].stage is None and "not a stage" in odd.stages[0].why_not
