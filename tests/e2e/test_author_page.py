"""An author copies a library case, breaks a field, reads the line-numbered error, fixes it and sees the preview."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import FIXTURE_CASES, FIXTURE_REPORTS
from tests.e2e.conftest import (DESKTOP, PHONE, axe_serious_violations, click_and_wait, screenshot,
                                sign_in_as_staff, wait_for_app)

GOOD = (FIXTURE_CASES / "mini-case" / "case.yaml").read_text()


@pytest.fixture(scope="module")
def server(fixture_case_server) -> str:
    return fixture_case_server


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def open_author_page(server, new_page, viewport=DESKTOP):
    """The author page of a staff member (the preview shows every answer)."""
    page = new_page(viewport)
    sign_in_as_staff(page, server)
    page.goto(f"{server}/author")
    wait_for_app(page)
    return page


def copy_library_case(page) -> None:
    page.get_by_role("tab", name="From the library").click()
    click_and_wait(page, page.get_by_role("button", name="Copy this case into the editor"))


def check(page, text: str) -> None:
    page.locator(".st-key-author-yaml textarea").fill(text)
    click_and_wait(page, page.get_by_role("button", name="Check and preview"))


def test_author_fixes_a_broken_field_and_sees_the_case_as_students_will(server, new_page):
    page = open_author_page(server, new_page)
    expect(page.get_by_text("Nothing you write here is saved on this server")).to_be_visible()
    copy_library_case(page)
    editor = page.locator(".st-key-author-yaml textarea")
    assert editor.input_value() == GOOD

    broken = GOOD.replace("difficulty: introductory", "difficulty: hard")
    check(page, broken)
    line = line_of(broken, "difficulty: hard")
    expect(page.get_by_text(f"line {line}: difficulty:")).to_be_visible()
    expect(page.get_by_text("1 problem to fix before students")).to_be_visible()
    expect(page.get_by_text("Preview: the case as students will see it")).to_have_count(0)
    screenshot(page, "author-desktop-error")

    check(page, broken.replace("difficulty: hard", "difficulty: advanced"))
    expect(page.get_by_text("No problems. Download case.yaml")).to_be_visible()
    expect(page.get_by_text("Preview: the case as students will see it")).to_be_visible()
    for n, title in enumerate(["The story", "Results", "What happened"], 1):
        expect(page.get_by_text(f"{n}. {title}", exact=True)).to_be_visible()
    first_stage = page.locator(".st-key-author-preview-stage-1")
    expect(first_stage.get_by_text("Weight loss is a red flag.")).to_be_visible()  # the author sees the answer key
    expect(page.get_by_role("button", name="Download case.yaml")).to_be_enabled()
    screenshot(page, "author-desktop-preview")
    assert axe_serious_violations(page) == []


def test_a_report_becomes_a_draft_and_pasted_html_stays_text(server, new_page):
    page = open_author_page(server, new_page, PHONE)
    page.get_by_role("tab", name="From a report").click()
    report = ("Case presentation\nA 62-year-old woman had a cough <img src=x onerror=\"window.__pwned=1\"> for "
              "three weeks. Her CRP was 12 mg/L (normal <5 mg/L).\n\nDiagnosis\nShe was diagnosed with pertussis.")
    page.get_by_label("Plain text of the case report").fill(report)
    click_and_wait(page, page.get_by_role("button", name="Make a draft"))
    draft = page.locator(".st-key-author-yaml textarea").input_value()
    assert "DRAFT — rewrite in your own words" in draft and "age: 62" in draft and "sex: female" in draft
    click_and_wait(page, page.get_by_role("button", name="Check and preview"))
    expect(page.get_by_role("listitem").filter(has_text="a case needs at least one question")).to_be_visible()
    expect(page.get_by_text("Preview of the draft, stage by stage")).to_be_visible()  # shown before it is finished
    screenshot(page, "author-phone-draft")

    # A case that parses is previewed: its HTML is shown as text, never run.
    copy_library_case(page)
    check(page, GOOD.replace("A cough for three weeks after a cold.",
                             "'<img src=x onerror=\"window.__pwned=1\"> <script>window.__pwned=2</script> Cough.'"))
    expect(page.get_by_text("Preview: the case as students will see it")).to_be_visible()
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate("window.__pwned") is None
    screenshot(page, "author-phone-preview")
    assert axe_serious_violations(page) == []


REPORT = (FIXTURE_REPORTS / "foot-drop.txt").read_text()  # a short made-up report


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_author_finds_each_problem_line_of_a_draft_and_sees_its_stages(server, new_page, viewport):
    page = open_author_page(server, new_page, viewport)
    page.get_by_role("tab", name="From a report").click()
    page.get_by_label("Plain text of the case report").fill(REPORT)
    click_and_wait(page, page.get_by_role("button", name="Make a draft"))
    editor = page.locator(".st-key-author-yaml textarea")
    draft = editor.input_value()
    click_and_wait(page, page.get_by_role("button", name="Check and preview"))
    assert editor.input_value() == draft  # the text survives the rerun

    # The numbered copy of the text marks the line each problem names.
    line = line_of(draft, "reasoning: 'TODO: what in this case")
    expect(page.get_by_text(f"line {line}:", exact=True).first).to_be_visible()  # in the list beside the editor
    listing = page.get_by_test_id("stCode").filter(has_text="│")
    marked = listing.get_by_text(f"▶ {line} │", exact=False)
    marked.scroll_into_view_if_needed()
    expect(marked).to_be_visible()
    numbered = listing.inner_text().splitlines()
    assert len(numbered) == len(draft.splitlines())
    assert numbered[line - 1].startswith("▶") and numbered[line - 2].startswith(" ")

    # Each stage of the draft is shown with its own problems beside it.
    diagnosis = page.locator(".st-key-author-draft-stage-5")
    expect(diagnosis.get_by_text("5. The diagnosis", exact=True)).to_be_visible()
    expect(diagnosis.get_by_text(f"line {line}:", exact=True)).to_be_visible()
    expect(page.locator(".st-key-author-draft-stage-3").get_by_text("Laboratory results")).to_be_visible()

    # Keyboard: from the editor's buttons, Tab reaches the line-numbered copy and Page Down scrolls it.
    page.get_by_role("button", name="Download case.yaml").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('.st-key-numbered-text')")
    scroller = page.locator(".st-key-numbered-text")
    before = scroller.evaluate("e => e.scrollTop")
    page.keyboard.press("PageDown")
    page.wait_for_function("([sel, y]) => document.querySelector(sel).scrollTop > y",
                           arg=[".st-key-numbered-text", before])
    # And the editor still takes typing, its text kept across the rerun that follows.
    editor.focus()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n# my note")
    click_and_wait(page, page.get_by_role("button", name="Check and preview"))
    assert editor.input_value() == draft + "\n# my note"
    expect(listing.get_by_text("# my note")).to_be_visible()  # the copy follows the text
    screenshot(page, f"author-draft-{'desktop' if viewport is DESKTOP else 'phone'}")
    assert axe_serious_violations(page) == []
