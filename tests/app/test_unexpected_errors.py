"""A page that fails unexpectedly tells the student what to do, in Casebook's words, not with a traceback."""
import logging

import casebook.library
from casebook.loader import load_case
from tests.app.helpers import answer_open_question, page_text
from tests.conftest import FIXTURE_CASES

MINI = load_case(FIXTURE_CASES / "mini-case").case

FRIENDLY = ("Something went wrong on this page. Your progress is saved. Reload the page, or go back to the case "
            "library.")


def test_a_failing_page_shows_a_friendly_message_and_logs_the_error(app_factory, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("SECRET-INTERNALS of a bug")

    monkeypatch.setattr(casebook.library, "filter_cases", broken)  # the library page uses it
    with caplog.at_level(logging.ERROR, logger="casebook"):
        at = app_factory(FIXTURE_CASES, query={"learner": "learner-0001"})
    assert not at.exception  # no Streamlit exception box …
    text = page_text(at)
    assert FRIENDLY in [e.value for e in at.error]
    assert "SECRET-INTERNALS" not in text and "Traceback" not in text and "RuntimeError" not in text  # … no traceback
    [link] = [link for link in at.main.get("page_link") if link.proto.label == "Go to the case library"]
    assert "learner=learner-0001" in link.proto.query_string  # back to the library as the same student
    assert any("SECRET-INTERNALS" in r.exc_text for r in caplog.records if r.exc_text)  # … but we can find it


def test_a_page_that_stops_or_reruns_on_purpose_is_not_an_error(app_factory):
    at = app_factory(FIXTURE_CASES, query={"case": "no-such-case", "learner": "learner-0001"}, page="pages/study.py")
    assert "Case not found" in page_text(at)  # the study page calls st.stop() here
    assert FRIENDLY not in page_text(at)
    at = app_factory(FIXTURE_CASES, query={"case": "mini-case", "learner": "learner-0001"}, page="pages/study.py")
    at = answer_open_question(at, MINI)  # answering ends in st.rerun()
    assert "Correct — 2 of 2 points" in page_text(at) and FRIENDLY not in page_text(at)
