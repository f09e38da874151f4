"""Choose-your-investigation in class: phones vote for the next test, the projector charts the votes and on
reveal shows the result of the room's choice, and of no other test."""
from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import PHONE, axe_serious_violations, click_and_wait, screenshot, wait_for_app
from tests.e2e.test_classroom import CASE, PROJECTOR, start_presenting

MENU = CASE.question("order-work-up")
STAGE = next(i for i, s in enumerate(CASE.stages) if MENU in s.questions)
RESULT = {o.id: o.result for o in MENU.options}
NAME = {o.id: o.name for o in MENU.options}


def frames_of(page) -> list[str]:
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(
        payload.decode("utf-8", "ignore") if isinstance(payload, bytes) else payload)))
    return frames


@pytest.mark.e2e
def test_the_room_orders_a_test_and_sees_only_its_result(server, new_page):
    lecturer = new_page(PROJECTOR)
    frames = frames_of(lecturer)
    code = start_presenting(lecturer, server)
    phones = []
    for n in range(3):
        phone = new_page(PHONE, is_mobile=True, has_touch=True)
        phone.goto(f"{server}/join/{code}")
        phone.get_by_role("button", name="Join").click()
        phone.get_by_text("Waiting for the next question…").wait_for()
        phones.append(phone)
    for _ in range(STAGE):
        click_and_wait(lecturer, lecturer.get_by_role("button", name="Next stage"))
    for q in CASE.stages[STAGE].questions:
        click_and_wait(lecturer, lecturer.get_by_role("button", name="Ask a question"))
        if q.id == MENU.id:
            break
        click_and_wait(lecturer, lecturer.get_by_role("button", name="Reveal answer"))

    for phone, pick in zip(phones, ["ck", "ck", "mri"]):
        phone.get_by_text(MENU.prompt[:40]).wait_for()
        phone.get_by_text(re.compile(rf"^{re.escape(NAME[pick])} \(")).click()
        phone.get_by_role("button", name="Send answer").click()
        phone.get_by_text("Answer recorded").wait_for()
    assert "low cost" in phones[0].inner_text("body")  # the menu says what each test costs
    screenshot(phones[0], "phone-investigation-vote")
    assert not axe_serious_violations(phones[0])
    assert not any(r and r[:30] in phones[0].content() for r in RESULT.values())

    lecturer.get_by_text(re.compile(rf"{re.escape(NAME['ck'])}: 2")).wait_for(timeout=10_000)
    seen = " ".join((lecturer.content() + " ".join(frames)).split())
    assert not any(r and r[:30] in seen for r in RESULT.values()), "a result reached the projector before the reveal"

    click_and_wait(lecturer, lecturer.get_by_role("button", name="Reveal answer"))
    lecturer.get_by_text(RESULT["ck"][:30]).first.wait_for()
    seen = " ".join((lecturer.content() + " ".join(frames)).split())
    for other in ("mri", "biopsy", "ncs", "emg", "ct"):
        assert RESULT[other][:30] not in seen, f"the projector received the result of {other!r}, which the room did not choose"
    screenshot(lecturer, "projector-investigation-revealed")
    assert not axe_serious_violations(lecturer)

    phones[2].get_by_text("The answer").wait_for()
    phones[2].get_by_text(RESULT["mri"][:30]).wait_for()  # the phone that chose MRI reads its result
    assert RESULT["biopsy"][:30] not in phones[2].content()
    screenshot(phones[2], "phone-investigation-revealed")
    assert not axe_serious_violations(phones[2])
