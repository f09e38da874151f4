"""A mischievous or tired student in a real Chromium: odd text typed into answers, a browser that reports
an odd time zone, a profile deleted in one window while a case is played in another."""
from __future__ import annotations

from datetime import timedelta

import pytest

from casebook.core import Casebook
from casebook.progress import Confidence
from tests.conftest import CASES, FIXTURE_CASES, NOW
from tests.e2e.conftest import DESKTOP, click_and_wait, start_server, stop_server, wait_for_app

TYPED = ["foo\n===", "&lt;b&gt;bold&lt;/b&gt; &amp; &copy;"]
LEARNER = "ATKA-TTAC-KKER"
# A browser can report anything as its zone; "Europe" is a folder of zones, not a zone.
ODD_ZONE = """(() => { const real = Intl.DateTimeFormat.prototype.resolvedOptions;
  Intl.DateTimeFormat.prototype.resolvedOptions = function () { return {...real.call(this), timeZone: "Europe"}; };
})();"""


@pytest.fixture(scope="module")
def typed_server(tmp_path_factory) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('db') / 'casebook.db'}"
    book = Casebook(FIXTURE_CASES, db)
    for n, text in enumerate(TYPED):
        a = book.restart(LEARNER, "mini-case", NOW + timedelta(minutes=n))
        book.answer(a.id, "q-single", "a", Confidence.confident, now=NOW)
        book.answer(a.id, "q-multi", ["xr", "sp"], Confidence.confident, now=NOW)
        book.reveal_next(a.id)
        book.answer(a.id, "q-free", text, Confidence.guessing, now=NOW + timedelta(minutes=n))
    book.engine.dispose()
    proc, url = start_server("serve.py", db, cases=FIXTURE_CASES)
    yield url
    stop_server(proc)


@pytest.mark.e2e
def test_typed_answers_read_as_typed_in_the_journal_whatever_zone_the_browser_reports(typed_server, new_page):
    page = new_page(DESKTOP)
    page.add_init_script(ODD_ZONE)
    page.goto(f"{typed_server}/progress?learner={LEARNER}")
    wait_for_app(page)
    page.get_by_text("Mistake journal").wait_for()
    wait_for_app(page)
    text = page.inner_text("main")
    assert "Something went wrong" not in text
    assert "Times are in your time zone (UTC" in text
    assert "You answered: &lt;b&gt;bold&lt;/b&gt; &amp; &copy;" in text  # entities as typed, not decoded
    assert "You answered: foo ===" in text
    headings = page.locator("main h1, main h2, main h3, main h4, main h5, main h6").all_inner_texts()
    assert not [h for h in headings if "answered" in h]  # a line of = under the answer made it a heading


@pytest.fixture(scope="module")
def menu_server(tmp_path_factory) -> str:
    """The seed library, a learner at the investigation menu of the leg case."""
    db = f"sqlite:///{tmp_path_factory.mktemp('db') / 'casebook.db'}"
    book = Casebook(CASES, db)
    case = book.case("painful-wasted-leg")
    a = book.attempt_for(LEARNER, case.id, NOW)
    while not any(q.id == "order-work-up" for q in case.stages[book.attempt(a.id).stage_index].questions):
        for q in case.stages[book.attempt(a.id).stage_index].questions:
            book.answer(a.id, q.id, None, None, gave_up=True, now=NOW)
        book.reveal_next(a.id, NOW)
    for q in case.stages[book.attempt(a.id).stage_index].questions:
        if q.id != "order-work-up":
            book.answer(a.id, q.id, None, None, gave_up=True, now=NOW)
    book.engine.dispose()
    proc, url = start_server("serve.py", db, cases=CASES)
    yield url
    stop_server(proc)


@pytest.mark.e2e
def test_a_profile_deleted_in_one_window_restarts_the_case_in_the_other_with_a_message(menu_server, new_page):
    playing = new_page(DESKTOP)
    playing.goto(f"{menu_server}/study?case=painful-wasted-leg&learner={LEARNER}")
    wait_for_app(playing)
    order = playing.get_by_role("button", name="Order Serum creatine kinase")
    order.wait_for()

    deleting = playing.context.new_page()
    deleting.goto(f"{menu_server}/progress?learner={LEARNER}")
    wait_for_app(deleting)
    click_and_wait(deleting, deleting.get_by_role("button", name="Delete my profile…"))
    click_and_wait(deleting, deleting.get_by_role("button", name="Yes, delete my profile"))
    deleting.get_by_text("is deleted").wait_for()

    click_and_wait(playing, order)
    playing.get_by_text("was deleted (from another window or device)").wait_for()
    wait_for_app(playing)
    text = playing.inner_text("main")
    assert "encountered an error" not in text and "Something went wrong" not in text
    assert "Stage 1 of 8" in text
