"""The evidence check tells an author, by file and line, which fact in the case has no source."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.evidence import (check_case_evidence, drugs_in, load_evidence, mentions, numbers_in, redistributable,
                               stage_evidence)
from casebook.loader import load_case
from tests.conftest import FIXTURE_CASES, ROOT

GOOD_EVIDENCE = (FIXTURE_CASES / "mini-case" / "evidence.yaml").read_text()
SOURCE = """Citation: Example A. An example report. Example Journal 2020;1(1):1-2.
DOI: none found
PMID: none found   PMCID: none
Licence: CC BY 4.0, https://creativecommons.org/licenses/by/4.0/
Retrieved from: https://example.org/report
---
A 30-year-old woman had a cough for three weeks after a cold. Her CRP was 12 mg/L (normal 0-5 mg/L).
"""


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE_CASES / "mini-case", tmp_path / "mini-case")
    return tmp_path / "mini-case"


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def messages(report) -> list[str]:
    return [str(p) for p in report.errors]


def test_the_practice_case_is_fully_backed(case_dir):
    report = check_case_evidence(case_dir)
    assert report.errors == [] and report.warnings == []


def test_a_case_without_evidence_fails(case_dir):
    (case_dir / "evidence.yaml").unlink()
    [problem] = check_case_evidence(case_dir).errors
    assert problem.file == str(case_dir / "evidence.yaml") and "no evidence.yaml" in problem.message


def test_an_unbacked_number_is_reported_at_its_line_in_the_case(case_dir):
    case_yaml = case_dir / "case.yaml"
    text = case_yaml.read_text().replace("A cough for three weeks after a cold.", "A cough for 17 days after a cold.")
    case_yaml.write_text(text)
    [problem] = check_case_evidence(case_dir).errors
    assert problem.file == str(case_yaml)
    assert problem.line == line_of(text, "A cough for 17 days")
    assert problem.field == "stages[0].narrative"
    assert "the number 17" in problem.message


def test_structure_numbers_are_not_facts(case_dir):
    case_yaml = case_dir / "case.yaml"
    text = case_yaml.read_text().replace("minutes: 5", "minutes: 17").replace("points: 2", "points: 7")
    case_yaml.write_text(text)
    assert check_case_evidence(case_dir).errors == []


def test_a_general_claim_backs_a_number(case_dir):
    (case_dir / "evidence.yaml").write_text(GOOD_EVIDENCE.replace('claim: "3"', 'claim: "about 4"'))
    [problem] = check_case_evidence(case_dir).errors
    assert "the number 3" in problem.message and problem.field.endswith("answer")


def test_general_teaching_points_need_no_evidence(case_dir):
    case_yaml = case_dir / "case.yaml"
    point = "{text: Cough beyond three weeks needs a radiograph., basis: general}"
    text = case_yaml.read_text()
    assert point in text
    case_yaml.write_text(text.replace(point, "{text: In 95 of 100 coughs a radiograph helps., basis: general}"))
    assert check_case_evidence(case_dir).errors == []
    case_yaml.write_text(text.replace(point, "{text: In 95 of 100 coughs a radiograph helps., basis: source}"))
    assert [p.field for p in check_case_evidence(case_dir).errors] == ["stages[2].teaching_points[0].text"] * 2


def test_a_claim_must_be_in_its_quote(case_dir):
    text = GOOD_EVIDENCE.replace('claim: "CRP"', 'claim: "ESR"')
    (case_dir / "evidence.yaml").write_text(text)
    report = check_case_evidence(case_dir)
    assert [(p.line, p.field) for p in report.errors] == [(line_of(text, 'claim: "ESR"'), "facts[1].claim")]
    assert "'ESR' does not occur in its quote" in report.errors[0].message


def test_a_quote_must_be_verbatim_in_source_txt(case_dir):
    (case_dir / "source.txt").write_text(SOURCE)
    assert check_case_evidence(case_dir).errors == []
    text = GOOD_EVIDENCE.replace("Her CRP was 12 mg/L", "Her CRP was raised at 12 mg/L")
    (case_dir / "evidence.yaml").write_text(text)
    [problem] = check_case_evidence(case_dir).errors
    assert problem.field == "facts[1].quote" and "not in source.txt" in problem.message


def test_a_quote_matches_across_line_breaks_and_hyphenation(case_dir):
    (case_dir / "source.txt").write_text(SOURCE.replace("had a cough for three weeks", "had a cou-\ngh for three\n  weeks"))
    assert check_case_evidence(case_dir).errors == []


def test_source_text_only_where_the_licence_allows(case_dir):
    (case_dir / "source.txt").write_text(SOURCE)
    case_yaml = case_dir / "case.yaml"
    case_yaml.write_text(case_yaml.read_text().replace("licence: CC BY 4.0", "licence: unknown (abstract only)"))
    assert any("does not allow keeping the source text" in m for m in messages(check_case_evidence(case_dir)))
    assert redistributable("CC BY-NC 4.0") and redistributable("CC0") and not redistributable("All rights reserved")


def test_source_text_needs_its_header(case_dir):
    (case_dir / "source.txt").write_text(SOURCE.replace("Licence: CC BY 4.0, https://creativecommons.org/licenses/by/4.0/\n", ""))
    assert any("no 'Licence:' line" in m for m in messages(check_case_evidence(case_dir)))
    (case_dir / "source.txt").write_text("just the text, no header\n")
    assert any("no '---' line" in m for m in messages(check_case_evidence(case_dir)))


def test_a_named_drug_needs_evidence_like_a_number(case_dir):
    case_yaml = case_dir / "case.yaml"
    case_yaml.write_text(case_yaml.read_text().replace("A cough for three weeks after a cold.",
                                                       "A cough for three weeks after a cold, treated with amoxicillin."))
    [problem] = check_case_evidence(case_dir).errors
    assert "the drug 'amoxicillin'" in problem.message
    (case_dir / "evidence.yaml").write_text(GOOD_EVIDENCE + '  - claim: "amoxicillin"\n    note: "general knowledge"\n')
    assert check_case_evidence(case_dir).errors == []


def test_unknown_fields_and_yaml_errors_point_at_their_line(case_dir):
    text = GOOD_EVIDENCE.replace('    quote: "Her CRP', '    qoute: "Her CRP')
    (case_dir / "evidence.yaml").write_text(text)
    fields = [(p.line, p.field, p.message) for p in load_evidence(case_dir).errors]
    assert (line_of(text, "qoute:"), "facts[1].qoute", "unknown field (not part of the case format; check the spelling)") in fields
    (case_dir / "evidence.yaml").write_text("facts:\n  - claim: [unclosed\n")
    [problem] = load_evidence(case_dir).errors
    assert problem.line >= 2 and problem.message.startswith("YAML syntax")


def test_a_claim_the_case_no_longer_uses_is_a_warning(case_dir):
    (case_dir / "evidence.yaml").write_text(GOOD_EVIDENCE.replace('claim: "CRP"', 'claim: "12 mg/L"'))
    assert check_case_evidence(case_dir).warnings == []
    (case_dir / "evidence.yaml").write_text(GOOD_EVIDENCE.replace('claim: "CRP"', 'claim: "Her CRP was"'))
    [warning] = check_case_evidence(case_dir).warnings
    assert "not in the case's text any more" in warning.message and "shown_as" in warning.message
    shown = GOOD_EVIDENCE.replace('claim: "CRP"', 'claim: "Her CRP was"').replace(
        '(normal 0-5 mg/L)."', '(normal 0-5 mg/L)."\n    shown_as: "CRP"')
    (case_dir / "evidence.yaml").write_text(shown)
    assert check_case_evidence(case_dir).warnings == []


def test_numbers_drugs_and_mentions():
    assert numbers_in("59−248 U/L, 0.5 mg, 7 cm, L4–L5") == ["59", "248", "0.5", "7", "4", "5"]
    assert drugs_in("tramadol with duloxetine; a person in April") == ["duloxetine", "tramadol"]
    assert mentions("walks dorsiflexed", "dorsiflex") and mentions("aged 47.", "47")
    assert not mentions("1947", "47") and not mentions("aged 470", "47")


def test_stage_evidence_lists_the_facts_a_stage_uses(case_dir):
    case = load_case(case_dir).case
    evidence = load_evidence(case_dir).evidence
    results = next(s for s in case.stages if s.labs)
    shown = stage_evidence(case, results, evidence)
    assert [f.claim for f in shown.facts] == ["30", "CRP"] and shown.unbacked == []
    other = evidence.__class__(evidence.facts[:1], [], None)
    assert "12" in stage_evidence(case, results, other).unbacked


def test_validate_reports_evidence_problems(case_dir):
    (case_dir / "evidence.yaml").write_text(GOOD_EVIDENCE.replace('claim: "CRP"', 'claim: "ESR"'))
    run = subprocess.run([sys.executable, "-m", "casebook", "validate", str(case_dir)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    line = line_of(GOOD_EVIDENCE, 'claim: "CRP"')
    assert f"{case_dir / 'evidence.yaml'}:{line}: facts[1].claim" in run.stdout
    assert "0 of 1 case(s) valid" in run.stderr
    skipped = subprocess.run([sys.executable, "-m", "casebook", "validate", "--no-evidence", str(case_dir)],
                             capture_output=True, text=True, cwd=ROOT)
    assert skipped.returncode == 0
