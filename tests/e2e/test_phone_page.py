"""The phone page in a real Chromium at phone size: it shows the nickname it joined with, the lecturer's
next question arrives over its live connection without polling, and when that connection cannot stay
open it polls instead; a connection problem or a busy network is said once and gone as soon as requests
work again."""
from __future__ import annotations

import json

import pytest

from casebook.core import Casebook, utcnow
from tests.conftest import CASES
from tests.e2e.conftest import PHONE, screenshot, start_server, stop_server

CASE_ID = "painful-wasted-leg"


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    """A running server and the lecturer's side of it, driven through the same database."""
    db = f"sqlite:///{tmp_path_factory.mktemp('db') / 'casebook.db'}"
    proc, url = start_server("serve.py", db)
    yield url, Casebook(CASES, db)
    stop_server(proc)


def phone_page(new_page):
    return new_page(PHONE, is_mobile=True, has_touch=True)


def fail_requests(page, pattern: str, status: int, message: str | None = None, times: int = 1):
    """The next `times` requests matching `pattern` fail as a busy or broken network would answer."""
    left = [times]

    def handle(route):
        if left[0] <= 0:
            route.continue_()
            return
        left[0] -= 1
        if message is None:
            route.abort("connectionreset")
        else:
            route.fulfill(status=status, content_type="application/json", headers={"Retry-After": "1"},
                          body=json.dumps({"error": message}))

    page.route(pattern, handle)


@pytest.mark.e2e
def test_the_phone_shows_its_nickname_and_drops_connection_trouble_once_requests_work(hall, new_page):
    url, book = hall
    case = book.case(CASE_ID)
    session, key = book.polls.create(case, utcnow())
    question = case.stages[0].questions[0]
    right = next(o for o in question.options if o.correct)

    phone = phone_page(new_page)
    # A network (or proxy) that never lets the live connection stay open: the page polls instead,
    # and that polling is what this test watches fail and recover.
    phone.route("**/events*", lambda route: route.abort("connectionrefused"))
    phone.goto(f"{url}/join/{session.join_code}")
    nickname = "Ana & *Bo* <i>"  # < and > are refused; what is left is shown as typed, never as markup
    phone.get_by_label("Nickname (optional)").fill(nickname)
    phone.get_by_role("button", name="Join").click()
    phone.get_by_text("Nickname cannot contain < or >").wait_for()
    phone.get_by_label("Nickname (optional)").fill("Ana & *Bo*")
    phone.get_by_role("button", name="Join").click()
    phone.get_by_text("Waiting for the next question…").wait_for()
    assert phone.locator("#who").inner_text() == "You joined as Ana & *Bo*."
    screenshot(phone, "phone-joined")

    book.polls.control(session.id, key, case, "open", utcnow())
    phone.get_by_text(question.prompt).wait_for()
    phone.get_by_text(right.text, exact=True).click()
    screenshot(phone, "phone-question")
    phone.get_by_role("button", name="Send answer").click()
    phone.get_by_text("Answer recorded").wait_for()
    screenshot(phone, "phone-answer-recorded")

    # The network drops for two polls: one notice says so, the question stays on screen ...
    fail_requests(phone, "**/state*", 0, times=2)
    notice = phone.locator("#connection")
    notice.get_by_text("Reconnecting…").wait_for()
    assert phone.locator("#phase").inner_text() == "Question"
    screenshot(phone, "phone-reconnecting")
    # ... and the notice is gone with the first poll that works.
    notice.wait_for(state="hidden")
    assert phone.locator("#phase").inner_text() == "Question" and "Reconnecting" not in phone.inner_text("body")

    # The same for a busy server: its words are shown, then dropped.
    fail_requests(phone, "**/state*", 429, "Too many requests from this network; try again in 1 seconds.")
    notice.get_by_text("Too many requests from this network").wait_for()
    notice.wait_for(state="hidden")
    assert "Too many requests" not in phone.inner_text("body")
    screenshot(phone, "phone-after-trouble")

    # After a reload the phone still knows who it is.
    phone.reload()
    phone.get_by_text(question.prompt).wait_for()
    assert phone.locator("#who").inner_text() == "You joined as Ana & *Bo*."


@pytest.mark.e2e
def test_a_phone_refused_because_many_are_joining_tries_again_by_itself(hall, new_page):
    url, book = hall
    session, _ = book.polls.create(book.case(CASE_ID), utcnow())
    phone = phone_page(new_page)
    fail_requests(phone, "**/join", 429,
                  "Many phones on this network are joining at once; try again in 1 seconds.")
    phone.goto(f"{url}/join/{session.join_code}")
    phone.get_by_role("button", name="Join").click()
    phone.get_by_text("This phone will try again by itself in 1 second.").wait_for()
    screenshot(phone, "phone-join-busy")
    phone.get_by_text("Waiting for the next question…").wait_for(timeout=10_000)
    assert phone.locator("#who").inner_text() == "You joined without a nickname."
    assert "joining at once" not in phone.inner_text("body")


@pytest.mark.e2e
def test_a_new_question_reaches_the_phone_over_its_live_connection_without_polling(hall, new_page):
    url, book = hall
    case = book.case(CASE_ID)
    session, key = book.polls.create(case, utcnow())
    question = case.stages[0].questions[0]
    right = [o for o in question.options if o.correct]

    phone = phone_page(new_page)
    phone.goto(f"{url}/join/{session.join_code}")
    phone.get_by_label("Nickname (optional)").fill("Cai")
    with phone.expect_response("**/events*") as live:
        phone.get_by_role("button", name="Join").click()
    assert live.value.status == 200 and live.value.headers["content-type"].startswith("text/event-stream")
    phone.get_by_text("Waiting for the next question…").wait_for()

    # From now on asking for the state fails: whatever reaches the screen came over the live connection.
    asked: list[str] = []

    def refuse(route):
        asked.append(route.request.url)
        route.abort("connectionrefused")
    phone.route("**/state*", refuse)
    phone.wait_for_timeout(2_000)  # longer than a polling phone waits between two requests
    assert asked == []
    book.polls.control(session.id, key, case, "open", utcnow())
    phone.get_by_text(question.prompt).wait_for(timeout=3_000)
    assert phone.locator("#phase").inner_text() == "Question"
    assert asked == [] and "Reconnecting" not in phone.inner_text("body")
    for option in right:
        phone.get_by_text(option.text, exact=True).click()
    phone.get_by_role("button", name="Send answer").click()
    phone.get_by_text("Answer recorded").wait_for()
    screenshot(phone, "phone-question-pushed")

    # The reveal arrives the same way; the phone then asks once for its own verdict.
    phone.unroute("**/state*")
    book.polls.control(session.id, key, case, "close", utcnow())
    phone.get_by_text("Voting closed").wait_for(timeout=3_000)
    book.polls.control(session.id, key, case, "reveal", utcnow())
    phone.get_by_text("You were right.").wait_for(timeout=5_000)
    assert all(option.feedback in phone.inner_text("body") for option in right)
    screenshot(phone, "phone-reveal-pushed")
