"""The presenter page: only the lecturer's link controls a session; nothing ahead is shown."""
from tests.app.helpers import page_text
from tests.conftest import FIXTURE_CASES

PRESENT = "pages/present.py"


def test_starting_a_session_shows_the_join_code_and_only_the_first_stage(app_factory):
    at = app_factory(FIXTURE_CASES, page=PRESENT)
    at.selectbox(key="present:case").set_value("mini-case").run()
    at = at.button(key="present:start").click().run()
    assert not at.exception
    assert at.query_params["session"] and at.query_params["key"]
    text = page_text(at)
    assert "Join on your phone" in text and "A cough for three weeks" in text
    assert "SECRET-SHADOW" not in text and "Ask the room about red flags" not in text  # notes start hidden


def test_the_lecturer_asks_and_reveals_and_sees_the_explanation_only_after(app_factory):
    at = app_factory(FIXTURE_CASES, page=PRESENT)
    at.selectbox(key="present:case").set_value("mini-case").run()
    at = at.button(key="present:start").click().run()
    at = at.button(key="present:open").click().run()
    assert "Which sign matters most?" in page_text(at)
    assert "Weight loss is a red flag." not in page_text(at)
    at = at.button(key="present:reveal").click().run()
    assert "Weight loss is a red flag." in page_text(at)


def test_a_link_without_the_lecturer_key_cannot_control_the_session(app_factory):
    at = app_factory(FIXTURE_CASES, page=PRESENT)
    at.selectbox(key="present:case").set_value("mini-case").run()
    at = at.button(key="present:start").click().run()
    session = at.query_params["session"]
    intruder = app_factory(FIXTURE_CASES, query={"session": session, "key": "guessed"}, page=PRESENT)
    assert "This presenter link is not valid" in page_text(intruder)
    assert not any(b.key == "present:open" for b in intruder.button)
