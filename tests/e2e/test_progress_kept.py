"""A student's progress in a real Chromium: a mistyped study code is asked about in a dialog, a code
typed with spaces opens the saved profile, "Start this case again" asks first and keeps the result
(also when a second window presses it too), and the dates shown are in the browser's own zone."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from casebook.core import Casebook, utcnow
from casebook.progress import Confidence
from tests.conftest import FIXTURE_CASES
from tests.e2e.conftest import (DESKTOP, PHONE, axe_serious_violations, click_and_wait, start_server, stop_server,
                                wait_for_app)

pytestmark = pytest.mark.e2e

SAVED = "4ZB6-DUZE-2Y77"
OTHER = "K7QM-3XPA-9DHT"
ZONE = "Asia/Kolkata"  # UTC+05:30: a time in UTC can never be mistaken for it


def finish_mini_case(book: Casebook, learner: str, when) -> str:
    attempt = book.restart(learner, "mini-case", when)
    while not (current := book.attempt(attempt.id)).finished:
        for q in book.case("mini-case").stages[current.stage_index].questions:
            book.answer(attempt.id, q.id, None, Confidence.guessing, gave_up=True, now=when)
        book.reveal_next(attempt.id, when)
    return attempt.id


@pytest.fixture(scope="module")
def kept(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('db') / 'casebook.db'}"
    book = Casebook(FIXTURE_CASES, db)
    book.attempt_for(SAVED, "mini-case")
    proc, url = start_server("serve.py", db, cases=FIXTURE_CASES)
    yield url, book
    stop_server(proc)


def open_sidebar(page) -> None:
    expand = page.get_by_test_id("stExpandSidebarButton")
    if expand.count() and expand.is_visible():
        expand.click()
    page.get_by_label("Continue with another code").wait_for()


def close_sidebar(page) -> None:
    collapse = page.get_by_test_id("stSidebarCollapseButton").locator("button")
    if collapse.count() and page.viewport_size["width"] < 700:
        collapse.click()


def type_code(page, typed: str) -> None:
    page.get_by_label("Continue with another code").fill(typed)
    click_and_wait(page, page.get_by_role("button", name="Use this code"))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "laptop"])
def test_a_mistyped_code_is_asked_about_and_a_spaced_one_opens_the_saved_profile(kept, new_page, viewport):
    url, _ = kept
    page = new_page(viewport, timezone_id=ZONE)
    page.goto(f"{url}/?learner={OTHER}")
    wait_for_app(page)
    open_sidebar(page)
    type_code(page, "4zb6 duze 2y78")  # one character off the saved code
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("No progress is saved under 4ZB6-DUZE-2Y78. Start a new profile with it?").wait_for()
    assert OTHER in page.url  # nothing switched yet
    assert not axe_serious_violations(page)
    click_and_wait(page, dialog.get_by_role("button", name=f"Cancel, keep {OTHER}"))
    assert dialog.count() == 0 and OTHER in page.url

    open_sidebar(page)
    type_code(page, "4zb6 duze 2y77")
    page.get_by_text(f"Switched to {SAVED}.").wait_for()
    assert f"learner={SAVED}" in page.url
    assert page.get_by_text(f"Your study code: {SAVED} · keep it").count() == 1  # the main column says so too


def test_start_again_asks_keeps_the_result_and_a_second_window_adds_no_third_attempt(kept, new_page):
    url, book = kept
    learner = "RSTU-VWXY-2345"
    finished = utcnow() - timedelta(days=2)
    finish_mini_case(book, learner, finished)
    address = f"{url}/study?case=Mini-Case&learner={learner}"  # capitals as someone typed them
    first, second = new_page(PHONE, timezone_id=ZONE), new_page(DESKTOP, timezone_id=ZONE)
    for page in (first, second):
        page.goto(address)
        wait_for_app(page)
        close_sidebar(page)
        page.get_by_text("Your result", exact=True).wait_for()

    click_and_wait(first, first.get_by_role("button", name="Start this case again"))
    first.get_by_text("Start this case again from the first stage?").wait_for()
    assert first.get_by_text("stays in your history").count() == 1
    assert not axe_serious_violations(first)
    first.reload()  # a refresh (or Back and forward) while asked: the result is still there, nothing started
    wait_for_app(first)
    close_sidebar(first)
    first.get_by_text("Your result", exact=True).wait_for()

    for page in (first, second):  # both windows, each showing the finished result, say yes
        click_and_wait(page, page.get_by_role("button", name="Start this case again"))
        click_and_wait(page, page.get_by_role("button", name="Yes, start again"))
        page.get_by_text("Your earlier attempts at this case: 1 · best").wait_for()
    assert len(book.attempt_history(learner, "mini-case")) == 2  # the result and one new attempt

    history = second.get_by_text("Your earlier attempts at this case")
    click_and_wait(second, history)
    local = book.attempt_history(learner, "mini-case")[0].finished_at
    local = (local if local.tzinfo else local.replace(tzinfo=ZoneInfo("UTC"))).astimezone(ZoneInfo(ZONE))
    line = second.get_by_text("Attempt 1 · finished")
    line.wait_for()
    assert f"{local.day} {local:%b %Y}, {local:%H:%M} · 0%" in line.inner_text()
    assert "UTC" not in line.inner_text()
