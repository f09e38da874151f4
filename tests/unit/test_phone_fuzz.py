"""Random requests against the phone API, for every question type: whatever arrives, the answer is
JSON, a server error never happens, and every refusal carries a message the phone can show."""
from __future__ import annotations

import json
import shutil
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.core import Casebook, utcnow
from casebook.room_limits import RoomLimits
from tests.conftest import FIXTURE_CASES
from tests.phone_helpers import open_question, phone_app

QUESTIONS = ["q-single", "q-multi", "q-free", "q-rank", "q-num"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=10**300, max_value=10**420)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=40)
           | st.sampled_from(["a", "b", "xr", "sp", "pet", "one", "two", "three", "3", "3,5", "HD", "", " "]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=20)


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    """One session per question type, voting open on it, one phone joined to each."""
    tmp = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(FIXTURE_CASES, tmp / "cases")
    book = Casebook(tmp / "cases", f"sqlite:///{tmp / 'casebook.db'}")
    case = book.case("mini-case")
    sessions = {}
    # generous limits: the fuzzing is about what a request holds, not how many arrive
    room = RoomLimits(join_limits="100000 per second", guess_limits="100000 per second")
    with phone_app(book, room=room) as http:
        for qid in QUESTIONS:
            session, key = book.polls.create(case, utcnow())
            token = http.post(f"/api/poll/{session.join_code}/join", json={"nickname": qid}).json()["token"]
            open_question(book, session, key, qid)
            sessions[qid] = (session.join_code, token)
        yield http, sessions


def assert_answered_in_json(response) -> None:
    assert response.status_code < 500, (response.status_code, response.text)
    data = response.json()
    if response.status_code >= 400:
        assert isinstance(data["error"], str) and data["error"].strip()


@FUZZ
@given(question=st.sampled_from(QUESTIONS), response=json_values, own_token=st.booleans(),
       extra=st.dictionaries(st.text(max_size=8), json_values, max_size=2))
def test_any_answer_to_any_question_type_is_answered_in_json(hall, question, response, own_token, extra):
    http, sessions = hall
    code, token = sessions[question]
    body = {**extra, "token": token if own_token else extra.get("token", "nope"), "question_id": question,
            "response": response}
    assert_answered_in_json(http.post(f"/api/poll/{code}/answer", json=body))


@FUZZ
@given(question=st.sampled_from(QUESTIONS), body=json_values, endpoint=st.sampled_from(["join", "answer"]))
def test_any_json_body_is_answered_in_json(hall, question, body, endpoint):
    http, sessions = hall
    code, _ = sessions[question]
    assert_answered_in_json(http.post(f"/api/poll/{code}/{endpoint}", content=json.dumps(body),
                                      headers={"Content-Type": "application/json"}))


@FUZZ
@given(question=st.sampled_from(QUESTIONS), nickname=json_values, learner=json_values)
def test_any_join_is_answered_in_json(hall, question, nickname, learner):
    http, sessions = hall
    code, _ = sessions[question]
    assert_answered_in_json(http.post(f"/api/poll/{code}/join", json={"nickname": nickname, "learner": learner}))


@FUZZ
@given(question=st.sampled_from(QUESTIONS), raw=st.binary(max_size=300)
       | st.text(alphabet="[]{}\":,0123456789eE.-+ \\untrfals", max_size=300).map(str.encode),
       endpoint=st.sampled_from(["join", "answer"]))
def test_any_bytes_are_answered_in_json(hall, question, raw, endpoint):
    http, sessions = hall
    code, _ = sessions[question]
    assert_answered_in_json(http.post(f"/api/poll/{code}/{endpoint}", content=raw))


@FUZZ
@given(question=st.sampled_from(QUESTIONS), code=st.none() | st.text(max_size=30), token=st.text(max_size=80),
       mine=st.sampled_from(["1", "0", "", "yes"]))
def test_any_state_request_is_answered_in_json(hall, question, code, token, mine):
    http, sessions = hall
    real_code, _ = sessions[question]
    # a code is one path segment: a "/" in it would name another address, not this endpoint, and "." or ".."
    # are resolved away by the client before the request is sent (another address again)
    path_code = real_code if code is None else (quote(code.replace("/", ""), safe="") or "X")
    if path_code in (".", ".."):
        path_code = "X" + path_code
    assert_answered_in_json(http.get(f"/api/poll/{path_code}/state", params={"token": token, "mine": mine}))
