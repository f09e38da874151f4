"""The Progress page in a real Chromium: a learner who played with mistakes sees their history (axe clean
on a laptop and a phone), follows a journal entry back to its stage, downloads the CSV and deletes the profile."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from casebook.core import Casebook
from casebook.progress import Confidence
from tests.conftest import FIXTURE_CASES, NOW
from tests.e2e.conftest import (DESKTOP, PHONE, axe_serious_violations, click_and_wait, screenshot, start_server,
                                stop_server, wait_for_app)

LEARNER = "e2e-progress-0001"


@pytest.fixture(scope="module")
def played_server(tmp_path_factory) -> str:
    """A server on the fixture library, with a learner at the second stage of the mini case after a mistake."""
    db = f"sqlite:///{tmp_path_factory.mktemp('db') / 'casebook.db'}"
    book = Casebook(FIXTURE_CASES, db)
    a = book.attempt_for(LEARNER, "mini-case", NOW)
    book.answer(a.id, "q-single", "b", Confidence.confident, now=NOW)
    book.answer(a.id, "q-multi", ["xr", "pet"], Confidence.unsure, now=NOW + timedelta(minutes=1))
    book.reveal_next(a.id, NOW + timedelta(minutes=2))
    book.answer(a.id, "q-free", "<img src=x onerror=alert(1)> **loud**", Confidence.guessing,
                now=NOW + timedelta(minutes=3))
    book.engine.dispose()
    proc, url = start_server("serve.py", db, cases=FIXTURE_CASES)
    yield url
    stop_server(proc)


@pytest.mark.e2e
def test_a_learner_reads_their_progress_and_follows_a_mistake_back_to_its_stage(played_server, new_page):
    page = new_page(DESKTOP, timezone_id="Europe/Berlin")
    page.goto(f"{played_server}/progress?learner={LEARNER}")
    wait_for_app(page)
    page.get_by_text("Mistake journal").wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    wait_for_app(page)
    text = page.inner_text("body")
    assert "Progress" in page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Europe/Berlin" in text and "24 Nov 2026, 10:00" in text  # 09:00 UTC, in the learner's zone
    assert "You answered: Sneezing" in text and "You answered: Chest radiograph; PET scan" in text
    # What they typed is shown as typed, never run or styled.
    assert "<img src=x onerror=alert(1)> **loud**" in text
    assert page.locator("main img[src='x']").count() == 0
    assert not axe_serious_violations(page)
    screenshot(page, "progress-desktop")

    # The journal's link opens the first stage again, scrolled into view; the stage it asks for is open.
    click_and_wait(page, page.get_by_role("link", name="Open stage 1 of this case").first)
    story = page.get_by_text("A cough for three weeks after a cold.")
    story.wait_for()
    expect(story).to_be_in_viewport()
    assert "case=mini-case" in page.url and "stage=" not in page.url
    screenshot(page, "progress-link-to-stage")
    assert "OUTCOME-TEXT" not in page.content()  # the last stage is still hidden

    # A link to a stage not yet revealed opens nothing of it.
    page.goto(f"{played_server}/study?case=mini-case&learner={LEARNER}&stage=3")
    wait_for_app(page)
    page.get_by_text("You have not reached stage 3 in this attempt yet").wait_for()
    assert "OUTCOME-TEXT" not in page.content() and "What happened" not in page.content()


@pytest.mark.e2e
def test_on_a_phone_the_history_downloads_and_the_profile_is_deleted_after_asking(played_server, new_page):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{played_server}/progress?learner={LEARNER}")
    wait_for_app(page)
    page.get_by_text("Mistake journal").wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    wait_for_app(page)
    assert not axe_serious_violations(page)
    screenshot(page, "progress-phone")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download my history (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert [r["question_id"] for r in rows] == ["q-single", "q-multi", "q-free"]
    assert rows[0]["answer"] == "Sneezing" and rows[0]["confidence"] == "confident"

    click_and_wait(page, page.get_by_role("button", name="Delete my profile…"))
    page.get_by_text("This cannot be undone").wait_for()
    assert not axe_serious_violations(page)
    click_and_wait(page, page.get_by_role("button", name="Yes, delete my profile"))
    page.get_by_text("is deleted").wait_for()
    page.get_by_text("No progress yet — open a case from the Library.").wait_for()
    assert not axe_serious_violations(page)
    click_and_wait(page, page.get_by_role("button", name="Start with a new study code"))
    expect(page).not_to_have_url(f"{played_server}/progress?learner={LEARNER}")
    assert f"learner={LEARNER}" not in page.url
