"""Two app processes on one database serve one class, and a restart loses no answer."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from casebook.core import Casebook, utcnow
from tests.conftest import CASES
from tests.e2e.conftest import start_server, stop_server


def call(url: str, body: dict | None = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.e2e
def test_two_processes_share_a_session_and_a_restart_keeps_the_answers(database_url):
    book = Casebook(CASES, database_url)
    case = book.case("painful-wasted-leg")
    session, key = book.polls.create(case, utcnow())
    question = case.stages[0].questions[0]
    right = [o.id for o in question.options if o.correct]

    first, url_a = start_server("serve.py", database_url)
    second, url_b = start_server("serve.py", database_url)
    try:
        status, joined = call(f"{url_a}/api/poll/{session.join_code}/join", {"nickname": "Ana"})
        assert status == 200
        token = joined["token"]
        book.polls.control(session.id, key, case, "open", utcnow())   # the lecturer, on any process

        status, _ = call(f"{url_b}/api/poll/{session.join_code}/answer",
                         {"token": token, "question_id": question.id, "response": right})
        assert status == 200                                       # answered through the other process
        assert book.polls.tally(session.id, question).answered == 1

        stop_server(first)                                         # restart in the middle of the class
        first, url_a = start_server("serve.py", database_url)
        status, state = call(f"{url_a}/api/poll/{session.join_code}/state?token={token}&mine=1")
        assert status == 200 and state["phase"] == "open" and state["my_answer"] == right
        assert "explanation" not in json.dumps(state)

        status, refused = call(f"{url_b}/api/poll/{session.join_code}/answer",
                               {"token": token, "question_id": question.id, "response": ["no-such-option"]})
        assert status == 400 and "Unknown option" in refused["error"]
        assert book.polls.my_answer(session.id, token, question.id) == right
    finally:
        stop_server(first)
        stop_server(second)
