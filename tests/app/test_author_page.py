"""The authoring page as an author uses it: start, check, fix, preview, download — and nothing saved on the server."""
import shutil

import pytest

from casebook.loader import DRAFT_MARK
from components.problem_list import plain
from tests.app.helpers import page_text
from tests.conftest import FIXTURE_CASES, FIXTURE_REPORTS

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
    at = check(author, "- just\n- a list\n")
    assert "Preview" not in page_text(at)
    assert [i.value for i in at.info if i.value.startswith("Nothing can be previewed")] == [
        "Nothing can be previewed until the text is a case file's list of fields: fix the problem above."]
    at = check(at, GOOD)
    assert not any(i.value.startswith("Nothing can be previewed") for i in at.info)


FOOT_DROP = (FIXTURE_REPORTS / "foot-drop.txt").read_text()  # a short made-up report


def block(at, key: str):
    """The container drawn with `key`, searched through the whole page."""
    def walk(node):
        if getattr(node, "proto", None) is not None and str(getattr(node.proto, "id", "")).endswith(f"-{key}"):
            return node
        for child in getattr(node, "children", {}).values():
            found = walk(child)
            if found is not None:
                return found
        return None
    return walk(at.main)


def block_text(node) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "warning", "info") for e in node.get(kind))


def draft_from_report(at):
    at.text_area(key="author:report").input(FOOT_DROP)
    at = at.button(key="author:start-report").click().run()
    assert "# evidence: " in editor(at).value  # the importer's evidence comments are in the text …
    return check(at)  # … and do not stop the check


def test_a_draft_from_a_report_is_previewed_stage_by_stage_with_each_stages_problems(author):
    at = draft_from_report(author)
    assert not at.exception
    draft, text = editor(at).value, page_text(at)
    assert "Preview of the draft, stage by stage" in text
    assert "a case needs at least one question" in text  # the whole list is still beside the editor
    stages = [block(at, f"author:draft-stage-{n}") for n in range(1, 7)]
    assert all(stages) and block(at, "author:draft-stage-7") is None
    first, investigations, imaging, diagnosis = (block_text(stages[i]) for i in (0, 2, 3, 4))
    assert "#### 1. The presenting problem" in first and "three\\-month history of left foot drop" not in first
    assert "three-month history of left foot drop" in first  # the narrative, as students will read it
    assert "No question yet" in first
    narrative_line = line_of(draft, "title: The presenting problem") + 1
    assert f"**line {narrative_line}:** `stages[0].narrative`: still the report" in first  # its problem, beside it
    assert "#### 3. Investigations" in investigations and "Laboratory results" in investigations
    assert "stages[0]" not in investigations  # only the stage's own problems
    assert "MRI" in imaging and "`stages[3].imaging[0].findings[0]`" in imaging
    assert "Intraneural ganglion cyst of the common peroneal nerve" in diagnosis
    reasoning = line_of(draft, "reasoning: 'TODO: what in this case")
    assert f"**line {reasoning}:** `stages[4].differential[0].reasoning`" in diagnosis


def test_a_stage_that_cannot_be_built_is_named_with_the_reason(author):
    at = draft_from_report(author)
    draft = editor(at).value.replace("    title: Imaging\n", "", 1)
    at = check(at, draft)
    stage = block_text(block(at, "author:draft-stage-4"))
    assert "cannot be shown yet" in stage and "Why: " + plain("title: required field is missing (line") in stage
    assert "#### 5. The diagnosis" in block_text(block(at, "author:draft-stage-5"))  # the others still are


def test_a_visitor_who_is_not_staff_sees_the_problems_but_no_preview_or_answers(app_factory, cases):
    at = draft_from_report(app_factory(cases, page=AUTHOR))
    at = check(at, editor(at).value.replace("    title: On examination\n", """    title: On examination
    speaker_notes: NOTE-FOR-LECTURER
    questions:
      - id: q1
        type: free_text
        prompt: What is it?
        accepted: [ANSWER-KEY]
        explanation: WHY-IT-IS
""", 1))
    assert not at.exception and "ANSWER-KEY" in editor(at).value
    shown = "\n".join(str(e.value) for kind in ("markdown", "caption", "info", "warning", "error") for e in at.get(kind))
    assert "still the report's own sentences" in shown  # the problem list …
    assert "needs staff sign-in" in shown  # … and where the preview would be, why it is not
    assert block(at, "author:draft-stage-1") is None and "#### 1." not in shown
    for secret in ("ANSWER-KEY", "WHY-IT-IS", "NOTE-FOR-LECTURER"):  # (the visitor's own text is still in the
        assert secret not in shown                                    # line-numbered copy of the editor)


def test_the_text_is_shown_with_line_numbers_and_the_problem_lines_marked(author):
    broken = GOOD.replace("minutes: 5", "minutes: lots")
    at = check(author, broken)
    [listing] = [c.value for c in at.code if "│" in c.value]
    lines = listing.splitlines()
    assert len(lines) == len(broken.splitlines())
    bad = line_of(broken, "minutes: lots")
    assert lines[bad - 1].startswith("▶") and lines[bad - 1].endswith("│ minutes: lots")
    assert f" {bad} │" in lines[bad - 1]
    assert [n for n, line in enumerate(lines, 1) if line.startswith("▶")] == [bad]


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
