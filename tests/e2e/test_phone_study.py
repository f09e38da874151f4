"""A student on a phone: each new stage opens at its heading, and a refused answer is explained where they look."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, click_and_wait, wait_for_app
from tests.e2e.test_study_player import CASE, CASE_ID, answer, snippet


@pytest.mark.e2e
def test_on_a_phone_a_revealed_stage_opens_at_its_heading_not_its_question(server, new_page):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{server}/study?case={CASE_ID}&learner=e2e-phone-scroll-01")
    wait_for_app(page)
    first = page.locator(".st-key-stage-0")
    first.get_by_text(snippet(CASE.stages[0].questions[0].prompt)).first.wait_for()
    wait_for_app(page)
    # The browser runs the page's scroll to the top a moment after the run is drawn: let it, before scrolling down.
    page.locator('[data-testid="stMain"][data-casebook-scrolled-to-top]').wait_for(state="attached")

    # Submit with nothing chosen: everything missing is said at once, beside the button just pressed.
    click_and_wait(page, first.get_by_role("button", name="Submit answer"))
    expect(first.get_by_text("Choose at least one option and say how sure you are.")).to_be_in_viewport()

    for q in CASE.stages[0].questions:
        page.get_by_text(snippet(q.prompt)).first.wait_for()
        wait_for_app(page)
        answer(page, q)
        page.get_by_text(snippet(q.explanation)).first.wait_for()
    wait_for_app(page)
    click_and_wait(page, page.get_by_role("button", name="Reveal the next stage"))

    stage = CASE.stages[1]
    heading = page.locator(".st-key-stage-1").get_by_role("heading", name=f"2. {stage.title}")
    expect(heading).to_be_in_viewport()  # the findings come first …
    box = heading.bounding_box()
    assert box and box["y"] >= 60, f"the heading is hidden under the page header: {box}"
    question = page.locator(".st-key-stage-1").get_by_text(snippet(stage.questions[0].prompt)).first
    expect(question).not_to_be_in_viewport()  # … the question is further down, read after them
