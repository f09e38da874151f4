"""A broken case file is reported as file:line: field: message, and the rest of the library still loads."""
import shutil
import subprocess
import sys
from pathlib import Path

from casebook.loader import load_case, load_library
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


def test_rule_errors_name_the_question(tmp_path):
    text = GOOD.replace("{id: b, text: Sneezing, feedback: Common with colds.}",
                        "{id: b, text: Sneezing, correct: true, feedback: Common with colds.}")
    [problem] = load_case(write_case(tmp_path, "mini-case", text)).errors
    assert problem.field == "stages[0].questions[0]"
    assert "exactly one correct option, found 2" in problem.message
    assert problem.line == line_of(text, "id: q-single")


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
