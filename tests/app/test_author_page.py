"""The authoring page as an author uses it: start, check, fix, preview, download — and nothing saved on the server."""
import shutil

import pytest

from casebook.loader import DRAFT_MARK
from components.problem_list import plain
from tests.app.helpers import page_text
from tests.conftest import FIXTURE_CASES

AUTHOR = "pages/author.py"
GOOD = (FIXTURE_CASES / "mini-case" / "case.yaml").read_text()
REPORT = ("Case presentation\nA 62-year-old woman had a cough for three weeks. Her CRP was 12 mg/L (normal <5 mg/L)."
          "\n\nDiagnosis\nShe was diagnosed with pertussis.")


@pytest.fixture
def cases(tmp_path):
    target = tmp_path / "cases"
    shutil.copytree(FIXTURE_CASES, target)
    return target


@pytest.fixture
def author(app_factory, cases):
    return app_factory(cases, page=AUTHOR, staff=True)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def editor(at):
    return at.text_area(key="author:yaml")


def check(at, text=None):
    if text is not None:
        editor(at).input(text)
    return at.button(key="author:check").click().run()


def test_the_page_says_nothing_is_saved_on_the_server(author):
    assert not author.exception
    text = page_text(author)
    assert "Nothing you write here is saved on this server" in text and "cases/<id>/case.yaml" in text


def test_the_blank_template_lists_every_placeholder_by_line_and_field(author):
    at = author.button(key="author:start-blank").click().run()
    template = editor(at).value
    assert "TODO:" in template
    at = check(at)
    text = page_text(at)
    assert "problems to fix before students can use the case" in text
    assert f"**line {line_of(template, 'title:')}:** `title`: still a placeholder" in text
    assert "`stages[0].questions[0].prompt`" in text
    # Its shape is already a case, so it can be previewed, with a reminder that it is not ready.
    assert "Fix the problems above before students use the case." in text


def test_a_valid_case_is_previewed_stage_by_stage_with_its_answers_and_can_be_downloaded(author):
    at = check(author, GOOD)
    assert not at.exception
    text = page_text(at)
    assert "No problems. Download case.yaml and save it as cases/mini-case/case.yaml" in text
    assert "Preview: the case as students will see it" in text
    for heading in ("#### 1. The story", "#### 2. Results", "#### 3. What happened"):
        assert heading in text
    assert "SECRET-SHADOW" in text and "OUTCOME-TEXT" in text  # the author sees every stage …
    assert "Weight loss is a red flag." in text and "Accepted answers: Hidden diagnosis, HD" in text  # … and answer
    assert "Ask the room about red flags." in text  # … and speaker notes
    [download] = at.download_button
    assert download.label == "Download case.yaml" and not download.proto.disabled


def test_a_broken_field_is_reported_at_its_line_and_the_fix_brings_the_preview(author):
    broken = GOOD.replace("minutes: 5", "minutes: lots")
    at = check(author, broken)
    text = page_text(at)
    assert f"**line {line_of(broken, 'minutes: lots')}:** `minutes`: Input should be a valid integer" in text
    assert "`minutes: lots`" in text  # the offending line is quoted
    assert "Preview: the case as students will see it" not in text
    at = check(at, GOOD)
    assert "Preview: the case as students will see it" in page_text(at)


def test_warnings_are_listed_apart_from_errors(author):
    long_prompt = "Which sign matters most? " + "Think about it. " * 30
    at = check(author, GOOD.replace("prompt: Which sign matters most?", f"prompt: {long_prompt}"))
    text = page_text(at)
    assert "1 warning: the case works, but have a look" in text
    assert "problems to fix" not in text and "No problems" in text


def test_pasting_a_report_puts_a_draft_in_the_editor(author):
    author.text_area(key="author:report").input(REPORT)
    author.text_input(key="author:report-id").input("cough-for-weeks")
    at = author.button(key="author:start-report").click().run()
    assert not at.exception
    draft = editor(at).value
    assert draft.startswith("# DRAFT of a Casebook case") and DRAFT_MARK in draft
    assert "id: cough-for-weeks" in draft and "age: 62" in draft and "sex: female" in draft
    assert "its to-do list at the top of the file" in page_text(at)
    at = check(at)
    text = page_text(at)
    assert "a case needs at least one question" in text and "marked DRAFT" in text


def test_making_a_draft_without_a_report_is_explained(author):
    at = author.button(key="author:start-report").click().run()
    assert "Paste the text of a case report first." in page_text(at)
    assert editor(at).value == ""


def test_a_library_case_is_a_starting_point_and_replaced_text_can_be_brought_back(author):
    editor(author).input("id: my-own-work\n")
    at = author.button(key="author:start-library").click().run()
    assert editor(at).value == GOOD
    at = at.button(key="author:undo").click().run()
    assert editor(at).value == "id: my-own-work\n"


def test_pasted_html_is_never_rendered_as_html(author):
    at = check(author, GOOD.replace("A cough for three weeks after a cold.",
                                    "'<img src=x onerror=alert(1)> Cough.'"))
    assert not at.exception
    assert any("<img src=x" in m.value for m in at.markdown)  # shown in the preview …
    assert not at.get("html")  # … never through st.html, and no markdown is allowed to render HTML
    assert not any(m.proto.allow_html for m in at.markdown)


def test_nothing_is_written_to_the_cases_folder(author, cases):
    before = sorted((p.relative_to(cases), p.read_bytes()) for p in cases.rglob("*") if p.is_file())
    author.text_area(key="author:report").input(REPORT)
    at = author.button(key="author:start-report").click().run()
    at = check(at)
    at = at.button(key="author:start-library").click().run()
    at = check(at, GOOD.replace("id: mini-case", "id: another-case"))
    assert "cases/another-case/case.yaml" in page_text(at)
    after = sorted((p.relative_to(cases), p.read_bytes()) for p in cases.rglob("*") if p.is_file())
    assert after == before


def test_when_there_is_no_preview_the_page_says_why(author):
    author.text_area(key="author:report").input(REPORT)
    at = author.button(key="author:start-report").click().run()
    at = check(at)
    assert "Preview: the case as students will see it" not in page_text(at)
    assert [i.value for i in at.info if i.value.startswith("The preview appears")] == [
        "The preview appears once the file is a complete case: fix the errors above (a case needs at least one "
        "question)."]
    at = check(at, GOOD)
    assert not any(i.value.startswith("The preview appears") for i in at.info)


def test_an_unknown_question_type_names_the_types_there_are(author):
    broken = GOOD.replace("type: single_choice", "type: single_choise")
    text = page_text(check(author, broken))
    message = ("type: 'single_choise' is not a question type; use one of single_choice, multiple_choice, free_text, "
               "ranking, numeric")
    assert f"`stages[0].questions[0]`: {plain(message)}" in text  # escaped so it shows as written
    assert "Input tag" not in text


def test_a_library_case_is_previewed_with_the_evidence_beside_each_fact(author, cases):
    at = author.button(key="author:start-library").click().run()
    at = at.button(key="author:check").click().run()
    assert not at.exception
    text = page_text(at)
    assert "Evidence for this stage" in text
    # The lab stage shows its CRP fact beside the sentence it comes from, as plain text.
    assert "**CRP** — from the source: “Her CRP was 12 mg/L \\(normal 0\\-5 mg/L\\)\\.”" in text
    assert "**3** — general knowledge:" in text


def test_an_unbacked_fact_is_flagged_under_its_stage(author, cases):
    at = author.button(key="author:start-library").click().run()
    at = check(at, GOOD.replace("A cough for three weeks after a cold.", "A cough for 17 days after a cold."))
    warnings = [w.value for w in at.warning]
    assert any("Not backed by evidence.yaml or the source text: 17" in w for w in warnings)


def test_typed_text_gets_no_evidence_it_does_not_have(author):
    at = check(author, GOOD)
    assert "Evidence for this stage" not in page_text(at)
