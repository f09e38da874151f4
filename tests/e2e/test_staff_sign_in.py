"""Staff sign-in in a real Chromium: the console link of a first start, the passphrase, a refresh, signing out."""
from __future__ import annotations

import os
import re
import select
import stat
import time

import pytest
from playwright.sync_api import expect

from tests.conftest import FIXTURE_CASES
from tests.e2e.conftest import (DESKTOP, PHONE, STAFF_PASSPHRASE, axe_serious_violations, click_and_wait, screenshot,
                                sign_in_as_staff, start_server, stop_server, wait_for_app)

CASE_TITLE = "A cough that would not settle"  # the fixture's mini case
NEEDS_STAFF = "Starting a class session and printing a case with its answers needs staff sign-in."


@pytest.fixture(scope="module")
def server(fixture_case_server) -> str:
    return fixture_case_server


def choose_case(page, server: str) -> None:
    page.goto(f"{server}/present")
    wait_for_app(page)
    page.locator(".st-key-present-case").get_by_role("combobox").click()
    page.get_by_role("option", name=CASE_TITLE).click()
    wait_for_app(page)


def printed_sign_in_link(proc, timeout: float = 30) -> str:
    """The link the server prints at start-up (read from its console output as it comes)."""
    seen, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        if select.select([proc.stdout], [], [], 0.5)[0]:
            seen += os.read(proc.stdout.fileno(), 65536)
            if found := re.search(rb"http://\S+/staff/sign-in\?token=\w+", seen):
                return found.group(0).decode()
    raise AssertionError(f"no sign-in link in the console: {seen.decode(errors='replace')[-2000:]}")


@pytest.mark.e2e
def test_a_student_cannot_start_a_session_and_a_lecturer_signs_in_with_the_passphrase(server, new_page):
    student = new_page(PHONE, is_mobile=True, has_touch=True)
    choose_case(student, server)
    expect(student.get_by_text(NEEDS_STAFF)).to_be_visible()
    expect(student.get_by_role("button", name="Start presenting")).to_have_count(0)
    expect(student.get_by_role("button", name="Case with answers PDF")).to_have_count(0)
    expect(student.get_by_role("button", name=re.compile("Worksheet PDF"))).to_be_visible()
    screenshot(student, "staff-needed-phone")

    student.get_by_label("Staff passphrase").fill("lecture-hall")  # the sign-in is right there
    click_and_wait(student, student.get_by_role("button", name="Sign in"))
    expect(student.get_by_text("That is not the staff passphrase. Check it and try again.")).to_be_visible()
    assert not any(c["name"] == "casebook_staff" for c in student.context.cookies())
    assert not axe_serious_violations(student)
    screenshot(student, "staff-wrong-passphrase-phone")

    lecturer = new_page(DESKTOP)
    lecturer.goto(f"{server}/staff")
    wait_for_app(lecturer)
    screenshot(lecturer, "staff-sign-in-desktop")
    sign_in_as_staff(lecturer, server, STAFF_PASSPHRASE)
    cookie = next(c for c in lecturer.context.cookies() if c["name"] == "casebook_staff")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "casebook_staff" not in lecturer.evaluate("document.cookie")  # page scripts cannot read it
    assert STAFF_PASSPHRASE not in lecturer.url
    screenshot(lecturer, "staff-signed-in-desktop")

    lecturer.reload()  # a new Streamlit session: the cookie keeps the sign-in
    wait_for_app(lecturer)
    expect(lecturer.get_by_text("You are signed in as staff")).to_be_visible()
    choose_case(lecturer, server)
    expect(lecturer.get_by_role("button", name="Case with answers PDF")).to_be_visible()
    screenshot(lecturer, "staff-present-desktop")
    click_and_wait(lecturer, lecturer.get_by_role("button", name="Start presenting"))
    lecturer.get_by_text("Join on your phone").wait_for()
    assert "key=" in lecturer.url and "staff" not in lecturer.url
    screenshot(lecturer, "staff-started-session-desktop")

    lecturer.goto(f"{server}/staff")
    wait_for_app(lecturer)
    click_and_wait(lecturer, lecturer.get_by_role("button", name="Sign out"))
    expect(lecturer.get_by_text("You are signed out.")).to_be_visible()
    lecturer.reload()
    wait_for_app(lecturer)
    expect(lecturer.get_by_role("button", name="Sign in")).to_be_visible()  # the cookie is gone too
    choose_case(lecturer, server)
    expect(lecturer.get_by_text(NEEDS_STAFF)).to_be_visible()


@pytest.mark.e2e
def test_on_a_first_start_the_printed_link_signs_the_lecturer_in(tmp_path, new_page):
    folder = tmp_path / "data"
    proc, url = start_server("serve.py", f"sqlite:///{folder / 'casebook.db'}", cases=FIXTURE_CASES,
                             staff_passphrase=None)
    try:
        link = printed_sign_in_link(proc)
        passphrase = (folder / "staff-passphrase").read_text().strip()
        assert stat.S_IMODE((folder / "staff-passphrase").stat().st_mode) == 0o600
        assert passphrase not in link
        page = new_page(DESKTOP)
        page.goto(link.replace("http://localhost:", "http://127.0.0.1:"))
        wait_for_app(page)
        assert page.url.endswith("/present")  # the token does not stay in the address bar
        page.locator(".st-key-present-case").get_by_role("combobox").click()
        page.get_by_role("option", name=CASE_TITLE).click()
        wait_for_app(page)
        expect(page.get_by_role("button", name="Start presenting")).to_be_enabled()

        other = new_page(PHONE, is_mobile=True)
        other.goto(re.sub(r"token=\w+", "token=" + "0" * 64, link).replace("localhost", "127.0.0.1"))
        expect(other.get_by_text("This sign-in link is not valid")).to_be_visible()
        other.goto(f"{url}/staff")
        wait_for_app(other)
        other.get_by_label("Staff passphrase").fill(passphrase)  # the file's passphrase works when typed
        click_and_wait(other, other.get_by_role("button", name="Sign in"))
        expect(other.get_by_text("You are signed in as staff")).to_be_visible()
        screenshot(other, "staff-signed-in-phone")
    finally:
        stop_server(proc)


@pytest.mark.e2e
def test_a_made_up_or_altered_staff_cookie_gets_a_student_nothing(server, new_page):
    student = new_page(DESKTOP)
    sign_in_as_staff(student, server)
    real = next(c for c in student.context.cookies() if c["name"] == "casebook_staff")
    expires, nonce, mac = real["value"].split(".")
    student.context.clear_cookies()
    for forged in (f"{int(expires) + 10**6}.{nonce}.{mac}", f"{expires}.{nonce}.{'0' * 64}", "staff", "1"):
        student.context.add_cookies([{**real, "value": forged}])
        choose_case(student, server)
        expect(student.get_by_text(NEEDS_STAFF)).to_be_visible()
        expect(student.get_by_role("button", name="Start presenting")).to_have_count(0)
