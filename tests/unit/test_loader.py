"""A broken case file is reported as file:line: field: message, and the rest of the library still loads."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from casebook.loader import load_case, load_library
from casebook.model import Case
from tests.conftest import FIXTURE_CASES, ROOT

GOOD = (FIXTURE_CASES / "mini-case" / "case.yaml").read_text()


def write_case(root: Path, folder: str, text: str) -> Path:
    d = root / folder
    d.mkdir(parents=True)
    (d / "case.yaml").write_text(text)
    return d


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_unknown_key_is_reported_with_line_and_path(tmp_path):
    text = GOOD.replace("          - {id: b, text: Sneezing, feedback: Common with colds.}",
                        "          - {id: b, text: Sneezing, feedback: Common with colds., colour: red}")
    result = load_case(write_case(tmp_path, "mini-case", text))
    assert not result.ok
    [problem] = result.errors
    assert problem.line == line_of(text, "colour: red")
    assert problem.field == "stages[0].questions[0].options[1].colour"
    assert str(problem).startswith(f"{tmp_path / 'mini-case' / 'case.yaml'}:{problem.line}: stages[0]")


def test_every_problem_is_reported_at_once(tmp_path):
    text = GOOD.replace("difficulty: introductory", "difficulty: hard").replace("minutes: 5", "minutes: -1")
    result = load_case(write_case(tmp_path, "mini-case", text))
    fields = {p.field for p in result.errors}
    assert fields == {"difficulty", "minutes"}
    assert any("introductory" in p.message and "'hard'" in p.message for p in result.errors)


def test_rule_errors_name_the_offending_option(tmp_path):
    text = GOOD.replace("{id: b, text: Sneezing, feedback: Common with colds.}",
                        "{id: b, text: Sneezing, correct: true, feedback: Common with colds.}")
    [problem] = load_case(write_case(tmp_path, "mini-case", text)).errors
    assert problem.field == "stages[0].questions[0].options[1].correct"
    assert "exactly one correct option, found 2" in problem.message
    assert problem.line == line_of(text, "{id: b, text: Sneezing, correct: true")
    assert problem.message.endswith(f"(first correct option at line {line_of(text, '{id: a, text: Weight loss')})")


def test_yaml_syntax_error_names_the_line(tmp_path):
    text = GOOD.replace("minutes: 5", "minutes: [5")
    [problem] = load_case(write_case(tmp_path, "mini-case", text)).errors
    assert "YAML syntax" in problem.message and problem.line >= line_of(text, "minutes: [5")


def test_duplicate_key_is_an_error(tmp_path):
    text = GOOD.replace("minutes: 5", "minutes: 5\nminutes: 6")
    [problem] = load_case(write_case(tmp_path, "mini-case", text)).errors
    assert "duplicate key 'minutes'" in problem.message and problem.line == line_of(text, "minutes: 6")


def test_folder_name_must_match_id(tmp_path):
    [problem] = load_case(write_case(tmp_path, "other-name", GOOD)).errors
    assert problem.field == "id" and "folder name" in problem.message


def test_missing_image_is_an_error_and_short_alt_a_warning(tmp_path):
    text = GOOD.replace("    questions:\n      - id: q-free", """    imaging:
      - id: cxr
        modality: Radiograph
        region: Chest
        findings: [Upper lobe shadow]
        image: {file: images/cxr.png, alt: chest, credit: Example, licence: CC BY 4.0}
    questions:
      - id: q-free""")
    result = load_case(write_case(tmp_path, "mini-case", text))
    assert [p.message for p in result.errors] == ["image file not found: images/cxr.png"]
    assert "alt text is very short" in result.warnings[0].message


def test_one_broken_case_does_not_hide_the_others(tmp_path):
    shutil.copytree(FIXTURE_CASES / "mini-case", tmp_path / "mini-case")
    write_case(tmp_path, "broken-case", "id: broken-case\ntitle: [unclosed\n")
    library = load_library(tmp_path)
    assert list(library.cases) == ["mini-case"]
    assert [b.folder.name for b in library.broken] == ["broken-case"]


def test_validator_cli_prints_problems_and_exits_non_zero(tmp_path):
    shutil.copytree(FIXTURE_CASES / "mini-case", tmp_path / "mini-case")
    write_case(tmp_path, "broken-case", GOOD.replace("id: mini-case", "id: broken-case").replace("title: A cough", "titel: A cough"))
    run = subprocess.run([sys.executable, "-m", "casebook", "validate", str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    assert f"{tmp_path / 'broken-case' / 'case.yaml'}:2: titel: unknown field" in run.stdout
    assert f"{tmp_path / 'broken-case' / 'case.yaml'}:1: title: required field is missing" in run.stdout
    ok = subprocess.run([sys.executable, "-m", "casebook", "validate", str(tmp_path / "mini-case")],
                        capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0


def test_a_comma_in_a_flow_mapping_gets_a_hint(tmp_path):
    text = GOOD.replace("{id: cough, label: Cough begins, age: 30}", "{id: cough, label: Cough, then fever, age: 30}")
    [problem] = load_case(write_case(tmp_path, "mini-case", text)).errors
    assert problem.field == "stages[0].timeline[0].then fever"
    assert 'put the whole text in "quotes"' in problem.message


def test_whole_case_problems_all_point_at_their_item_in_line_order(tmp_path):
    # Same-line edits, so every line number in GOOD still holds.
    text = (GOOD.replace("  - id: outcome", "  - id: history")
                .replace("- id: q-rank", "- id: q-single")
                .replace("{id: xray, label: Radiograph, age: 30,", "{id: xray, label: Radiograph, when: later,"))
    shown = tmp_path / "mini-case" / "case.yaml"
    result = load_case(write_case(tmp_path, "mini-case", text))
    assert [str(p) for p in result.errors] == [
        f"{shown}:{line_of(GOOD, '{id: xray')}: stages[1].timeline[0]: undated timeline event 'xray' among dated ones: "
        f"give it age or age_range (first dated event at line {line_of(GOOD, '{id: cough')})",
        f"{shown}:{line_of(GOOD, '- id: q-rank')}: stages[1].questions[1].id: duplicate question id 'q-single' "
        f"(first at line {line_of(GOOD, '- id: q-single')})",
        f"{shown}:{line_of(GOOD, '  - id: outcome')}: stages[2].id: duplicate stage id 'history' "
        f"(first at line {line_of(GOOD, '  - id: history')})",
    ]
    assert result.case is None and result.warnings == []


def test_whole_case_problems_come_with_field_errors_in_one_run(tmp_path):
    text = (GOOD.replace("minutes: 5", "minutes: -1")
                .replace("{id: b, text: Sneezing,", "{id: a, text: Sneezing,")
                .replace("{id: three, text: Third,", "{id: two, text: Third,")
                .replace("hint_cost: 1", "hint_cost: 3")
                .replace("ref_low: 0, ref_high: 5", "ref_low: 9, ref_high: 5"))
    errors = load_case(write_case(tmp_path, "mini-case", text)).errors
    assert [(p.line, p.field) for p in errors] == [
        (line_of(text, "minutes: -1"), "minutes"),
        (line_of(text, "hint_cost: 3"), "stages[0].questions[0].hint_cost"),
        (line_of(text, "{id: a, text: Sneezing"), "stages[0].questions[0].options[1].id"),
        (line_of(text, "ref_low: 9"), "stages[1].labs[0].ref_low"),
        (line_of(text, "{id: two, text: Third"), "stages[1].questions[1].items[2].id"),
    ]
    assert "duplicate option id 'a'" in errors[2].message
    assert "ref_low (9) is above ref_high (5)" in errors[3].message


def test_a_case_built_in_code_obeys_the_same_rules(tmp_path):
    data = yaml.safe_load(GOOD.replace("- id: q-rank", "- id: q-single").replace("  - id: outcome", "  - id: history"))
    with pytest.raises(ValidationError) as caught:
        Case.model_validate(data)
    message = str(caught.value)
    assert "stages[1].questions[1].id: duplicate question id 'q-single' (first at stages[0].questions[0].id)" in message
    assert "stages[2].id: duplicate stage id 'history' (first at stages[0].id)" in message


def test_validator_cli_prints_whole_case_problems_sorted_by_line(tmp_path):
    text = (GOOD.replace("  - id: outcome", "  - id: history")
                .replace("{id: xray, label: Radiograph, age: 30,", "{id: xray, label: Radiograph, when: later,"))
    write_case(tmp_path, "mini-case", text)
    shutil.copy(FIXTURE_CASES / "mini-case" / "evidence.yaml", tmp_path / "mini-case")
    run = subprocess.run([sys.executable, "-m", "casebook", "validate", str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    shown = tmp_path / "mini-case" / "case.yaml"
    assert run.stdout.splitlines() == [
        f"{shown}:{line_of(GOOD, '{id: xray')}: stages[1].timeline[0]: undated timeline event 'xray' among dated ones: "
        f"give it age or age_range (first dated event at line {line_of(GOOD, '{id: cough')})",
        f"{shown}:{line_of(GOOD, '  - id: outcome')}: stages[2].id: duplicate stage id 'history' "
        f"(first at line {line_of(GOOD, '  - id: history')})",
    ]



def test_a_rule_about_a_whole_list_points_at_its_key(tmp_path):
    text = (GOOD.replace("correct: true, feedback: Cheap", "feedback: Cheap")
                .replace("correct: true, feedback: Checks", "feedback: Checks"))
    [problem] = load_case(write_case(tmp_path, "mini-case", text)).errors
    options_key = next(i for i, line in enumerate(text.splitlines(), 1)
                       if i > line_of(text, "id: q-multi") and line.strip() == "options:")
    assert (problem.line, problem.field) == (options_key, "stages[0].questions[1].options")
    assert problem.message == "multiple_choice needs at least one correct option, found none"


def test_an_unknown_question_type_names_the_types_there_are(tmp_path):
    text = GOOD.replace("type: single_choice", "type: single_choise")
    [problem] = load_case(write_case(tmp_path, "mini-case", text)).errors
    assert problem.field == "stages[0].questions[0]"
    assert problem.message == ("type: 'single_choise' is not a question type; "
                               "use one of single_choice, multiple_choice, free_text, ranking, numeric, investigation")


def test_a_question_without_a_type_says_so(tmp_path):
    text = GOOD.replace("        type: single_choice\n", "")
    [problem] = load_case(write_case(tmp_path, "mini-case", text)).errors
    assert problem.field == "stages[0].questions[0]"
    assert problem.message == "type: required field is missing (the question's type)"
