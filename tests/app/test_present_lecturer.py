"""The lecturer's walkthrough of the Present page: the join address, what the room sees, Back during
voting, and the end of the session."""
import re

import pytest

from casebook import join_address
from casebook.core import Casebook, Settings, utcnow
from casebook.poll import Phase
from tests.app.helpers import page_text
from tests.app.test_present_page import start
from tests.conftest import FIXTURE_CASES

PRESENT = "pages/present.py"


@pytest.fixture
def lan(monkeypatch):
    """This computer's address on the local network, as the page will find it (None: no network)."""
    def set_to(ip):
        monkeypatch.setattr(join_address, "lan_address", lambda: ip)
    monkeypatch.delenv("CASEBOOK_PUBLIC_URL", raising=False)
    set_to("192.168.1.20")
    return set_to


def join_addresses(at) -> set[str]:
    return set(re.findall(r"\S+/join/[A-Z0-9]{7}", page_text(at)))


def charts(at) -> list:
    """The live answer charts on the page (not the timeline)."""
    return [c for c in at.get("plotly_chart") if c.key and c.key.endswith(":chart")]


def qr_alt(at) -> str:
    return next(img.alt for image in at.get("image") for img in image.proto.imgs if img.alt.startswith("QR code"))


def test_the_configured_public_address_is_where_the_qr_code_sends_phones(app_factory, lan, monkeypatch):
    monkeypatch.setenv("CASEBOOK_PUBLIC_URL", "https://casebook.example.edu/")
    at = start(app_factory)
    code = Casebook.from_settings(Settings.from_env()).polls.get(at.query_params["session"]).join_code
    assert join_addresses(at) == {f"`https://casebook.example.edu/join/{code}"}
    assert qr_alt(at) == f"QR code that opens https://casebook.example.edu/join/{code}"
    assert not at.warning


def test_opened_at_localhost_phones_are_sent_to_this_computers_network_address(app_factory, lan):
    at = start(app_factory)  # AppTest has no address bar: the page takes it as http://localhost:8501
    code = Casebook.from_settings(Settings.from_env()).polls.get(at.query_params["session"]).join_code
    assert join_addresses(at) == {f"`http://192.168.1.20:8501/join/{code}"}
    assert qr_alt(at) == f"QR code that opens http://192.168.1.20:8501/join/{code}"  # port included
    assert not at.warning


def test_when_phones_could_not_reach_the_address_the_lecturer_is_told_how_to_fix_it(app_factory, lan):
    lan(None)
    at = start(app_factory)
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and "Phones cannot open `http://localhost:8501`" in warnings[0]
    assert "CASEBOOK_PUBLIC_URL" in warnings[0]
    session, key = at.query_params["session"], at.query_params["key"]
    notes = app_factory(FIXTURE_CASES, query={"session": session, "key": key, "view": "notes"}, page=PRESENT,
                        staff=True)
    assert any("CASEBOOK_PUBLIC_URL" in w.value for w in notes.warning)


def open_second_stage(app_factory):
    at = start(app_factory)
    at = at.button(key="present:next").click().run()
    return at.button(key="present:open").click().run()


def test_back_while_voting_is_open_keeps_the_question_and_says_why(app_factory, lan):
    at = open_second_stage(app_factory)
    book = Casebook.from_settings(Settings.from_env())
    session_id = at.query_params["session"]
    before = book.polls.get(session_id)
    assert (before.stage_index, before.phase) == (1, Phase.open)
    at = at.button(key="present:back").click().run()
    after = book.polls.get(session_id)
    assert (after.stage_index, after.question_id, after.phase) == (1, before.question_id, Phase.open)
    assert [w.value for w in at.warning] == [
        "Voting is still open on this question. Show the answer (S) before going back a stage; "
        "close voting first (X) if you like."]
    assert "Name the most likely diagnosis." in page_text(at)  # the question is still on the screen

    at = at.button(key="present:close").click().run()
    at = at.button(key="present:back").click().run()
    assert book.polls.get(session_id).phase == Phase.closed
    assert [w.value for w in at.warning] == ["The room has not seen this answer yet. Show it (S) before going back a stage."]

    at = at.button(key="present:reveal").click().run()
    at = at.button(key="present:back").click().run()  # once the room has seen the answer, Back goes back
    assert book.polls.get(session_id).stage_index == 0 and not at.warning


def test_next_while_voting_is_open_says_why_instead_of_doing_nothing(app_factory, lan):
    at = start(app_factory).button(key="present:open").click().run()
    at = at.button(key="present:next").click().run()
    book = Casebook.from_settings(Settings.from_env())
    session = book.polls.get(at.query_params["session"])
    assert (session.stage_index, session.phase) == (0, Phase.open)
    assert "before moving on" in at.warning[0].value


def test_the_lecturer_can_keep_the_chart_back_until_voting_closes(app_factory, lan):
    projected = start(app_factory)
    session, key = projected.query_params["session"], projected.query_params["key"]
    book = Casebook.from_settings(Settings.from_env())
    case = book.case("mini-case")
    code = book.polls.get(session).join_code
    notes = app_factory(FIXTURE_CASES, query={"session": session, "key": key, "view": "notes"}, page=PRESENT,
                        staff=True)
    notes = notes.toggle(key="present:hide-chart").set_value(True).run()
    projected = projected.button(key="present:open").click().run()
    for n, choice in enumerate(["a", "b", "b"]):
        _, token = book.polls.join(code, f"Student {n}", utcnow())
        book.polls.answer(code, token, "q-single", choice, case, utcnow())
    projected = projected.run()
    text = page_text(projected)
    assert not charts(projected) and "Sneezing" not in text  # nothing of what was answered
    assert "**3 of 3** have answered." in text and "Answered: 3" in text
    assert projected.toggle(key="present:hide-chart").value is True  # the projector's own switch follows
    notes = notes.run()
    assert charts(notes) and "Sneezing: 2" in " ".join(str(h.proto) for h in notes.get("html"))

    projected = projected.button(key="present:close").click().run()
    assert charts(projected) and "have answered." not in page_text(projected)

    # Switched off from the projector, the next question's chart is live again, in both windows.
    projected = projected.toggle(key="present:hide-chart").set_value(False).run()
    assert book.screen.hide_chart_while_voting(session) is False
    assert notes.run().toggle(key="present:hide-chart").value is False


def test_the_ended_session_thanks_the_room_and_shows_the_summary_without_controls(app_factory, lan):
    at = start(app_factory)
    session, key = at.query_params["session"], at.query_params["key"]
    book = Casebook.from_settings(Settings.from_env())
    book.polls.control(session, key, book.case("mini-case"), "end", utcnow())
    at = at.run()
    text = page_text(at)
    assert "The session has ended. Thank you!" in text and "Class summary" in text
    assert not [b for b in at.button if b.key and b.key.startswith("present:") and b.key != "present:csv"]
    assert "A cough for three weeks" not in text and "Join on your phone" not in text
