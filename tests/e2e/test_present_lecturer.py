"""The lecturer's walkthrough in real Chromium: presenter keys after a switch, ← during voting, the
end-session popover, and the join address a phone would get."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import click_and_wait, wait_for_app
from tests.e2e.test_classroom import CASE, PROJECTOR, start_presenting


def press_and_wait(page, key: str) -> None:
    """Press a presenter key (as a clicker does) and wait for the rerun it starts."""
    click_and_wait(page, _Keyboard(page, key))


class _Keyboard:
    """Lets click_and_wait watch a key press the way it watches a click."""

    def __init__(self, page, key: str):
        self.page, self.key = page, key

    def click(self) -> None:
        self.page.keyboard.press(self.key)


def phase(page) -> str:
    return page.locator('[data-testid="stCaptionContainer"]').first.inner_text()


@pytest.mark.e2e
def test_presenter_keys_keep_working_after_a_switch_is_clicked(server, new_page):
    lecturer = new_page(PROJECTOR)
    start_presenting(lecturer, server)
    wait_for_app(lecturer)
    lecturer.locator(".st-key-present-screen button").first.click()
    lecturer.get_by_role("dialog", name="Screen").wait_for()
    switch = lecturer.get_by_role("switch", name="Show the join code")
    click_and_wait(lecturer, lecturer.locator(".st-key-present-show-join label"))
    assert not switch.is_checked()
    assert not lecturer.evaluate("document.activeElement && document.activeElement.matches('input')")
    press_and_wait(lecturer, "a")
    lecturer.get_by_text("Voting is open").first.wait_for(timeout=10_000)
    assert "Voting is open" in phase(lecturer)

    # The same in the lecturer's notes window, with its own switch.
    notes = lecturer.context.new_page()   # the lecturer's own second window, signed in like the first
    notes.goto(lecturer.url + "&view=notes")
    wait_for_app(notes)
    click_and_wait(notes, notes.locator(".st-key-present-results label"))
    notes.get_by_role("heading", name="Class summary").wait_for()
    press_and_wait(notes, "x")
    notes.get_by_text("Voting is closed").first.wait_for(timeout=10_000)


@pytest.mark.e2e
def test_back_during_voting_keeps_the_question_open_and_says_why(server, new_page):
    lecturer = new_page(PROJECTOR)
    start_presenting(lecturer, server)
    press_and_wait(lecturer, "ArrowRight")
    second = CASE.stages[1]
    lecturer.get_by_role("heading", name=f"2. {second.title}").wait_for()
    press_and_wait(lecturer, "a")
    lecturer.get_by_role("heading", name=second.questions[0].prompt).wait_for()
    press_and_wait(lecturer, "ArrowLeft")
    lecturer.get_by_text("Voting is still open on this question. Show the answer (S) before going back a stage").wait_for()
    assert "Stage 2 of" in phase(lecturer) and "Voting is open" in phase(lecturer)
    assert lecturer.get_by_role("heading", name=second.questions[0].prompt).is_visible()
    press_and_wait(lecturer, "s")
    press_and_wait(lecturer, "ArrowLeft")
    lecturer.get_by_role("heading", name=f"1. {CASE.stages[0].title}").wait_for()


@pytest.mark.e2e
def test_ending_the_session_closes_the_popover_and_thanks_the_room(server, new_page):
    lecturer = new_page(PROJECTOR)
    start_presenting(lecturer, server)
    for _ in range(len(CASE.stages) - 1):
        press_and_wait(lecturer, "ArrowRight")
    assert f"Stage {len(CASE.stages)} of {len(CASE.stages)}" in phase(lecturer)
    lecturer.locator(".st-key-present-end button").first.click()
    confirm = lecturer.get_by_role("button", name="Yes, end the session for everyone")
    click_and_wait(lecturer, confirm)
    lecturer.get_by_text("The session has ended. Thank you!").wait_for()
    # The popover goes once the run that ended the session has finished drawing (it would time out if it stayed).
    lecturer.get_by_text("Phones will show that the session has ended").wait_for(state="hidden", timeout=15_000)
    confirm.wait_for(state="hidden", timeout=5_000)
    lecturer.get_by_role("heading", name="Class summary").wait_for()


@pytest.mark.e2e
def test_the_qr_code_names_its_whole_address_and_a_local_only_server_is_explained(server, new_page):
    lecturer = new_page(PROJECTOR)
    code = start_presenting(lecturer, server)
    port = urlsplit(server).port
    qr = lecturer.get_by_role("img", name=re.compile("QR code"))
    assert qr.get_attribute("alt") == f"QR code that opens http://127.0.0.1:{port}/join/{code}"
    # The test server listens on 127.0.0.1 only: phones could not reach it, and the screen says so.
    lecturer.get_by_text(re.compile("Phones cannot open http://127.0.0.1")).wait_for()
    assert "CASEBOOK_PUBLIC_URL" in lecturer.inner_text("body")
