"""The differential board in a real Chromium: a student keeps one through a case and meets the expert's
trace only at the end; in class, phones hold a board and the projector shows the room's aggregate."""
from __future__ import annotations

import re

import pytest

from casebook.board import board_stages
from casebook.loader import load_case
from tests.conftest import CASES
from tests.e2e.conftest import (DESKTOP, choose_present_case, PHONE, axe_serious_violations, click_and_wait, screenshot,
                                sign_in_as_staff, wait_for_app)
from tests.e2e.test_classroom import PROJECTOR, pushed, record_poll_traffic
from tests.e2e.test_study_player import answer, pieces, received, snippet, strings

CASE = load_case(CASES / "constipation-only").case
BOARD = {d.id: d for d in CASE.board}
FINAL = next(d for d in CASE.board if d.final)
# Pieces of the expert's reasoning found nowhere else in the case (a few repeat a question's explanation).
ELSEWHERE = " ".join(strings(CASE.model_dump(exclude={"stages": {"__all__": {"expert"}}}))).lower()
EXPERT_PIECES = [p for s in CASE.stages if s.expert for t in strings(s.expert.model_dump()) for p in pieces(t)
                 if p.lower() not in ELSEWHERE]


def board_box(page):
    return page.locator(".st-key-study-board")


def pick(page, box, option: str) -> None:
    """Choose in a select box by keyboard, as in the answer helper: type to filter, Enter once it is first."""
    for _ in range(3):
        box.click()
        box.fill(option)
        first = page.get_by_role("option").first
        try:
            first.wait_for(timeout=5_000)
        except Exception:
            continue  # the list did not open (a rerun closed it): try again
        if first.inner_text().startswith(option):
            box.press("Enter")
            return
    raise AssertionError(f"could not choose {option!r}")


def choose(page, label, option: str) -> None:
    form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_text("Add a diagnosis", exact=True))
    pick(page, form.get_by_role("combobox", name=label), option)


def add_to_board(page, *, pick: str | None = None, typed: str | None = None, likely: str = "Medium",
                 moved_by: str | None = None) -> None:
    if pick:
        choose(page, "From the case's list", pick)
    if typed:
        page.get_by_role("textbox", name=re.compile(r"type (your|a diagnosis of your) own", re.I)).fill(typed)
    page.get_by_role("radiogroup", name="How likely?").get_by_text(likely, exact=True).click()
    if moved_by:
        choose(page, re.compile(r"^What moved you"), moved_by)
    click_and_wait(page, page.get_by_role("button", name="Add to my board"))


def change_board(page, diagnosis: str, change: str, moved_by: str) -> None:
    form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_text("Change one you hold"))
    pick(page, form.get_by_role("combobox", name="Diagnosis"), diagnosis)
    form.get_by_role("radiogroup", name="Change").get_by_text(change, exact=True).click()
    pick(page, form.get_by_role("combobox", name=re.compile(r"^What moved you")), moved_by)
    click_and_wait(page, page.get_by_role("button", name="Update my board"))


def assert_no_expert_trace(page, frames: list[str], where: str) -> None:
    got = received(page, frames)
    leaks = [p for p in EXPERT_PIECES if p in got]
    assert not leaks, f"{where}: the expert's trace reached the browser: {leaks[:5]}"
    assert "(the diagnosis)" not in got, f"{where}: the browser was told which diagnosis is final"


def finish_stage(page, index: int) -> None:
    stage = CASE.stages[index]
    for q in stage.questions:
        page.get_by_text(snippet(q.prompt)).first.wait_for()
        wait_for_app(page)
        answer(page, q)
        page.get_by_text(snippet(q.explanation)).first.wait_for()
    label = "Finish the case and see your results" if index == len(CASE.stages) - 1 else "Reveal the next stage"
    click_and_wait(page, page.get_by_role("button", name=label))


@pytest.mark.e2e
@pytest.mark.parametrize("viewport, name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_a_student_keeps_a_board_through_the_case_and_sees_the_expert_only_at_the_end(server, new_page, viewport, name):
    page = new_page(viewport)
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(
        payload.decode("utf-8", "ignore") if isinstance(payload, bytes) else payload)))
    page.goto(f"{server}/study?case={CASE.id}&learner=e2e-board-{name}-0001")
    wait_for_app(page)
    page.get_by_text("Your differential board", exact=True).wait_for()

    # Stage 1: one diagnosis from the list, one typed with a slip and matched to the list's own name.
    add_to_board(page, pick=BOARD["bowel-cause"].name, likely="High", moved_by="Constipation, the only symptom")
    add_to_board(page, typed="functionl constipation", likely="Medium")
    held = board_box(page).inner_text()
    assert BOARD["bowel-cause"].name in held and BOARD["functional"].name in held, held
    assert held.index(BOARD["bowel-cause"].name) < held.index(BOARD["functional"].name), held
    assert page.get_by_role("textbox", name=re.compile(r"type (your|a diagnosis of your) own", re.I)).input_value() == ""  # emptied for the next one
    assert not axe_serious_violations(page)
    screenshot(page, f"board-{name}-first-stage")
    assert_no_expert_trace(page, frames, "stage 1")

    finish_stage(page, 0)
    # Stage 2: the tumour found behind the abdomen moves the board.
    add_to_board(page, pick=BOARD["schwannoma"].name, likely="Medium", moved_by="A voluminous retroperitoneal")
    change_board(page, BOARD["functional"].name, "Strike out", "A voluminous retroperitoneal")
    change_board(page, BOARD["schwannoma"].name, "Move up", "A voluminous retroperitoneal")
    held = board_box(page).inner_text()
    assert "Struck out" in held and "moved by" in held
    assert_no_expert_trace(page, frames, "stage 2")

    page.reload()  # a refresh keeps the board
    wait_for_app(page)
    board_box(page).get_by_text("Struck out:").wait_for()

    for index in range(1, len(CASE.stages)):
        finish_stage(page, index)
        if index < len(CASE.stages) - 1:
            assert_no_expert_trace(page, frames, f"stage {index + 2}")
        if index == board_stages(CASE):  # the diagnosis is out: the board is closed
            assert not page.get_by_role("button", name="Add to my board").count()

    page.get_by_text("Your reasoning beside the expert's", exact=True).wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    wait_for_app(page)
    text = page.inner_text("body")
    assert "Findings that should have moved you" in text and "Premature closure" in text
    assert f"{FINAL.name} (the diagnosis)" in text
    why = CASE.stages[2].expert.live[0].why
    assert snippet(why)[:30] in " ".join(text.split())
    assert not axe_serious_violations(page)
    page.get_by_text("Your reasoning beside the expert's", exact=True).scroll_into_view_if_needed()
    screenshot(page, f"board-{name}-finished")


@pytest.mark.e2e
def test_the_room_holds_a_board_and_the_projector_shows_it_only_when_asked(server, new_page):
    lecturer = new_page(PROJECTOR)
    sign_in_as_staff(lecturer, server)
    choose_present_case(lecturer, server, CASE.title)
    click_and_wait(lecturer, lecturer.get_by_role("button", name="Start presenting"))
    lecturer.get_by_text(re.compile(r"/join/[A-Z0-9]{7}")).first.wait_for()
    code = re.search(r"/join/([A-Z0-9]{7})", lecturer.content()).group(1)

    phones, traffic = [], []
    for n in range(2):
        phone = new_page(PHONE, is_mobile=True, has_touch=True)
        bodies: list[str] = []
        record_poll_traffic(phone, bodies)
        phone.goto(f"{server}/join/{code}")
        phone.get_by_role("button", name="Join").click()
        phone.get_by_text("Waiting for the next question…").wait_for()
        phones.append(phone)
        traffic.append(bodies)

    click_and_wait(lecturer, lecturer.get_by_role("button", name="Ask for a board"))
    picks = [[BOARD["bowel-cause"].name, BOARD["functional"].name], [BOARD["bowel-cause"].name]]
    for phone, mine in zip(phones, picks):
        phone.get_by_text("Hold your differential").wait_for()
        for place, diagnosis in zip(("Most likely", "Second"), mine):
            phone.get_by_label(place).select_option(label=diagnosis)
        phone.get_by_role("button", name="Send my board").click()
        phone.get_by_text("Your board is recorded").wait_for()
    assert not axe_serious_violations(phones[0])
    screenshot(phones[0], "board-phone-holding")

    # Before it is shown, the projector says only how many phones have sent one.
    lecturer.get_by_text("2 of 2 phones have sent a board.").wait_for(timeout=10_000)
    assert not lecturer.locator(".st-key-present-room-board table").count()
    click_and_wait(lecturer, lecturer.get_by_role("button", name="Show the room's board"))
    table = lecturer.locator(".st-key-present-room-board table")
    table.wait_for(timeout=10_000)
    rows = table.inner_text()
    assert re.search(re.escape(BOARD["bowel-cause"].name) + r"\s+2\s+2", rows), rows
    assert re.search(re.escape(BOARD["functional"].name) + r"\s+1\s+0", rows), rows
    assert not axe_serious_violations(lecturer)
    screenshot(lecturer, "board-projector-shown")

    for phone in phones:
        phone.get_by_text("The room's board is on the screen").wait_for()
    screenshot(phones[1], "board-phone-shown")
    for phone, bodies in zip(phones, traffic):
        got = "".join(bodies) + "".join(pushed(phone))
        assert '"final"' not in got and not any(p in got for p in EXPERT_PIECES)
