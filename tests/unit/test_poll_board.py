"""The room's differential board in a class: the state machine, phones' boards, and what each screen sees."""
from __future__ import annotations

from datetime import timedelta

import pytest

from casebook.core import Casebook
from casebook.loader import load_case
from casebook.poll import PollConflict, PollError, phone_view
from casebook.poll_board import BoardPhase
from casebook.poll_machine import Phase, PollState, transition
from casebook.poll_views import visible_poll
from tests.board_case import board_cases
from tests.conftest import FIXTURE_CASES, NOW


@pytest.fixture
def case(tmp_path):
    return load_case(board_cases(tmp_path) / "mini-case").case


def test_the_board_opens_only_while_no_question_is_asked_and_before_the_diagnosis(case):
    lobby = PollState(0, None, Phase.lobby)
    holding = transition(lobby, "board", case)
    assert holding.board == BoardPhase.open
    with pytest.raises(PollError, match="already holding"):
        transition(holding, "board", case)
    for action in ("open", "next", "back"):
        with pytest.raises(PollError, match="still holding its board"):
            transition(holding, action, case)
    shown = transition(holding, "show_board", case)
    assert shown.board == BoardPhase.shown
    asked = transition(shown, "open", case)
    assert asked.board == BoardPhase.off and asked.phase == Phase.open  # asking puts the board away
    with pytest.raises(PollError, match="reveal the answer"):
        transition(asked, "board", case)
    with pytest.raises(PollError, match="open it first"):
        transition(lobby, "show_board", case)
    assert transition(shown, "next", case).board == BoardPhase.off
    with pytest.raises(PollError, match="only before the diagnosis"):
        transition(PollState(2, None, Phase.lobby), "board", case)


def test_a_case_without_a_board_has_no_room_board():
    mini = load_case(FIXTURE_CASES / "mini-case").case
    with pytest.raises(PollError, match="no differential board"):
        transition(PollState(0, None, Phase.lobby), "board", mini)


@pytest.fixture
def room(tmp_path, database_url):
    book = Casebook(board_cases(tmp_path), database_url)
    case = book.case("mini-case")
    session, key = book.polls.create(case, NOW)
    phones = [book.polls.join(session.join_code, f"p{i}", NOW)[1] for i in range(4)]
    return book, case, session, key, phones


def test_phones_hold_boards_the_projector_sees_the_aggregate_only_once_shown(room):
    book, case, session, key, phones = room
    code = session.join_code
    with pytest.raises(PollError, match="board is closed"):
        book.hold_room_board(code, phones[0], 0, ["pneumonia"], NOW)
    s = book.control_poll(session.id, key, "board", NOW)
    board = phone_view(case, s, None, NOW)["board"]
    assert board["phase"] == "open" and board["max"] == 3
    assert [name for _, name in board["options"]] == ["Lung cancer", "Pneumonia", "Tuberculosis"]
    assert "final" not in repr(board).lower() and "EXPERT" not in repr(phone_view(case, s, None, NOW))

    book.hold_room_board(code, phones[0], 0, ["tb", "pneumonia"], NOW)
    book.hold_room_board(code, phones[1], 0, ["pneumonia", "cancer", "tb"], NOW)
    book.hold_room_board(code, phones[2], 0, ["tb"], NOW)
    book.hold_room_board(code, phones[2], 0, ["pneumonia"], NOW)  # changed before the board is shown
    with pytest.raises(PollError, match="at most 3"):
        book.hold_room_board(code, phones[3], 0, ["tb", "pneumonia", "cancer", "tb"], NOW)
    with pytest.raises(PollError, match="from the list"):
        book.hold_room_board(code, phones[3], 0, ["<script>"], NOW)
    with pytest.raises(PollError, match="board is closed"):
        book.hold_room_board(code, phones[3], 1, ["tb"], NOW)  # a stage not yet shown

    projector = visible_poll(case, book.polls.snapshot(session.id, case), "projector")
    assert projector.room_board.sent == 3 and projector.room_board.rows == []  # counts only, before it is shown
    notes = visible_poll(case, book.polls.snapshot(session.id, case), "notes")
    assert [(r.name, r.held, r.first) for r in notes.room_board.rows] == [
        ("Pneumonia", 3, 2), ("Tuberculosis", 2, 1), ("Lung cancer", 1, 0)]
    assert notes.expert_board[0][0] == "Pneumonia" and projector.expert_board is None

    s = book.control_poll(session.id, key, "show_board", NOW)
    with pytest.raises(PollError, match="board is closed"):
        book.hold_room_board(code, phones[3], 0, ["tb"], NOW)
    projector = visible_poll(case, book.polls.snapshot(session.id, case), "projector")
    assert [(r.name, r.held, r.first) for r in projector.room_board.rows][0] == ("Pneumonia", 3, 2)
    assert projector.stage.expert is None
    assert phone_view(case, s, None, NOW)["board"]["options"] == []

    book.control_poll(session.id, key, "next", NOW)
    after = visible_poll(case, book.polls.snapshot(session.id, case), "projector")
    assert after.room_board is None and "board" not in phone_view(case, book.polls.get(session.id), None, NOW)
    assert book.room_boards.mine(session.id, phones[2], 0) == ["pneumonia"]  # kept for the record


def test_a_removed_phone_cannot_hold_a_board_and_does_not_count(room):
    book, case, session, key, phones = room
    book.control_poll(session.id, key, "board", NOW)
    book.hold_room_board(session.join_code, phones[0], 0, ["tb"], NOW)
    number = next(p.number for p in book.polls.participants(session.id) if p.token == phones[0])
    book.polls.remove_participant(session.id, key, number, NOW)
    with pytest.raises(PollError, match="removed"):
        book.hold_room_board(session.join_code, phones[0], 0, ["tb"], NOW)
    notes = visible_poll(case, book.polls.snapshot(session.id, case), "notes")
    assert notes.room_board.sent == 0


def test_a_board_action_from_a_screen_that_fell_behind_is_refused(room):
    book, case, session, key, _ = room
    book.control_poll(session.id, key, "board", NOW, expected_version=session.version)
    with pytest.raises(PollConflict):
        book.control_poll(session.id, key, "show_board", NOW, expected_version=session.version)
    assert book.polls.get(session.id).board == BoardPhase.open


def test_the_board_phase_survives_a_restart(room, tmp_path):
    book, case, session, key, _ = room
    book.control_poll(session.id, key, "board", NOW)
    again = Casebook(book.cases_dir, book.engine.url.render_as_string(hide_password=False))
    assert again.polls.get(session.id).board == BoardPhase.open
    again.control_poll(session.id, key, "show_board", NOW + timedelta(seconds=1))
    assert book.polls.get(session.id).board == BoardPhase.shown


def test_the_phone_api_takes_a_board_only_while_it_is_open_and_explains_refusals(tmp_path):
    from casebook.core import utcnow
    import server.phone as phone
    from tests.phone_helpers import phone_app

    book = Casebook(board_cases(tmp_path), f"sqlite:///{tmp_path / 'phone.db'}")
    session, key = book.polls.create(book.case("mini-case"), utcnow())
    with phone_app(book) as http:
        token = http.post(f"/api/poll/{session.join_code}/join", json={"nickname": "Ana"}).json()["token"]
        send = lambda body: http.post(f"/api/poll/{session.join_code}/board", json={"token": token, **body})
        closed = send({"stage": 0, "picks": ["tb"]})
        assert closed.status_code == 409 and closed.json()["error"] == "The room's board is closed."
        book.control_poll(session.id, key, "board", utcnow())
        phone.session_by_code.cache_clear()  # as if the half second had passed
        state = http.get(f"/api/poll/{session.join_code}/state", params={"token": token, "mine": "1"}).json()
        assert state["board"]["phase"] == "open" and state["my_board"] is None
        for bad in ({"stage": "0", "picks": ["tb"]}, {"stage": True, "picks": ["tb"]}, {"stage": 0, "picks": "tb"},
                    {"stage": 0, "picks": [["tb"]]}, {"stage": 0, "picks": []}, {"stage": 0}):
            r = send(bad)
            assert r.status_code in (400, 409) and r.json()["error"].endswith("."), (bad, r.text)
        ok = send({"stage": 0, "picks": ["pneumonia", "tb"]})
        assert ok.status_code == 200 and ok.json()["recorded"] == ["pneumonia", "tb"]
        state = http.get(f"/api/poll/{session.join_code}/state", params={"token": token, "mine": "1"}).json()
        assert state["my_board"] == ["pneumonia", "tb"]
        stranger = http.post(f"/api/poll/{session.join_code}/board", json={"token": "x" * 20, "stage": 0, "picks": ["tb"]})
        assert stranger.status_code == 403
