"""The staff cookie's routes, through Starlette's TestClient: the console link, the hand-off, signing out."""
from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from casebook.core import utcnow
from casebook.staff import STAFF_COOKIE, Mode, StaffSettings, WrongTries
from server import staff


@pytest.fixture
def settings(monkeypatch) -> StaffSettings:
    made = StaffSettings(Mode.generated, passphrase="made-on-first-start")
    monkeypatch.setattr(staff, "settings", lambda: made)
    monkeypatch.setattr(staff, "wrong_tries", WrongTries(("3/minute",)))
    return made


@pytest.fixture
def client(settings) -> TestClient:
    return TestClient(Starlette(routes=staff.routes), base_url="http://localhost:8501")


def test_the_console_link_sets_an_httponly_cookie_and_leaves_the_token_out_of_the_address_bar(client, settings):
    response = client.get(settings.sign_in_link(""), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/present"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{STAFF_COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Max-Age=43200" in cookie
    assert settings.pass_is_valid(response.cookies[STAFF_COOKIE], utcnow())


def test_a_wrong_link_is_refused_with_a_sentence_and_guessing_is_stopped(client, settings):
    for _ in range(3):
        refused = client.get("/staff/sign-in?token=guess", follow_redirects=False)
        assert refused.status_code == 403 and "set-cookie" not in refused.headers
        assert "This sign-in link is not valid" in refused.text
    blocked = client.get(settings.sign_in_link(""), follow_redirects=False)
    assert blocked.status_code == 429 and "Too many wrong sign-in attempts" in blocked.text
    assert "set-cookie" not in blocked.headers


def test_a_right_passphrase_ticket_becomes_a_cookie_and_anything_else_does_not(client, settings):
    done = client.post("/staff/hand-off", content=settings.issue_handoff(utcnow()))
    assert done.status_code == 204 and settings.pass_is_valid(done.cookies[STAFF_COOKIE], utcnow())
    for wrong in ("", "made-on-first-start", settings.issue_pass(utcnow()),
                  StaffSettings(Mode.passphrase, passphrase="other").issue_handoff(utcnow())):
        refused = client.post("/staff/hand-off", content=wrong)
        assert refused.status_code == 403 and "set-cookie" not in refused.headers
    assert client.post("/staff/hand-off", content=b"x" * 100_000).status_code == 413
    assert client.get("/staff/hand-off").status_code == 405


def test_signing_out_clears_the_cookie(client):
    response = client.post("/staff/sign-out")
    assert response.status_code == 204
    assert f'{STAFF_COOKIE}=""' in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
