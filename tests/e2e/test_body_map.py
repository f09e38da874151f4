"""The body map in a real Chromium, on a phone and a laptop: the figure draws its numbered marks and shaded
regions, and the same findings are there as a text list for a screen reader."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE, axe_serious_violations, screenshot, wait_for_app


@pytest.mark.e2e
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "laptop"])
def test_the_body_map_draws_its_marks_and_lists_them_in_words(server, new_page, viewport):
    page = new_page(viewport)
    page.goto(f"{server}/study?case=exertional-ankle-pain&learner=e2e-body-map-{viewport['width']}")
    wait_for_app(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has=page.locator("g.annotation-text-g", has_text="Front"))
    chart.locator("g.textpoint").first.wait_for()
    # Side not stated in the report: both ankles, each with the pain (1, shaded) and the mass (2).
    numbers = chart.locator("g.textpoint text").evaluate_all("els => els.map(e => e.textContent)")
    assert sorted(numbers) == ["1", "1", "2", "2"]
    assert chart.locator("path.js-fill").count() == 2, "the diffuse pain is shaded at both ankles"
    assert chart.bounding_box()["width"] <= viewport["width"]

    caption = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Body map.")
    expect(caption).to_contain_text("the patient faces you, so their right is on your left")
    expect(caption).to_contain_text("the source does not say which side")
    items = caption.get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.first).to_have_text(
        "Exercise-induced pain around and behind the malleolus — ankle, side not stated, shaded area")
    chart.scroll_into_view_if_needed()
    screenshot(page, f"body-map-{viewport['width']}")
    assert not axe_serious_violations(page)
