"""A student plays the first seed case to the end in a real Chromium; nothing leaks ahead of time."""
from __future__ import annotations

import re

import pytest

from casebook.loader import load_case
from casebook.model import FreeText, MultipleChoice, Numeric, Ranking, SingleChoice
from tests.conftest import CASES
from tests.e2e.conftest import DESKTOP, PHONE, axe_serious_violations, click_and_wait, screenshot, wait_for_app

CASE_ID = "painful-wasted-leg"
CASE = load_case(CASES / CASE_ID).case
LEARNER = "e2e-student-0001"
# The imaging stage's differential ranking is the first place the diagnosis is named, as one option.
DIAGNOSIS_FIRST_NAMED = next(i for i, s in enumerate(CASE.stages) if "glomus" in s.model_dump_json().lower())


def snippet(text: str) -> str:
    """A distinctive piece of plain text (no Markdown marks), the same in the page and the websocket."""
    for line in text.strip().splitlines():
        line = line.strip().removeprefix("- ").strip()
        if len(line) >= 30 and not any(mark in line for mark in "*_[`#"):
            return line[:40]
    return text.strip()[:40]


def secrets_ahead(stage_index: int, open_question=None) -> list[str]:
    """Texts the student must not have received while at stage `stage_index`."""
    hidden = [snippet(s.narrative) for s in CASE.stages[stage_index + 1:]]
    hidden.append(CASE.source.title)
    if open_question is not None:
        hidden.append(snippet(open_question.explanation))
        options = getattr(open_question, "options", [])
        hidden += [snippet(o.feedback) for o in options]
    return hidden


def answer(page, q) -> None:
    stage = page.locator('[class*="st-key-stage-"]').last
    if isinstance(q, SingleChoice):
        right = next(o for o in q.options if o.correct)
        stage.get_by_role("radiogroup", name="Your answer").get_by_text(right.text, exact=True).click()
    elif isinstance(q, MultipleChoice):
        for o in q.options:
            if o.correct:
                stage.get_by_text(o.text, exact=True).click()
    elif isinstance(q, FreeText):
        stage.get_by_label("Your answer").fill(q.accepted[0])
    elif isinstance(q, Ranking):
        box = stage.get_by_label("Your order (first = most likely)")
        for item in q.items:  # by keyboard: type to filter, Enter to pick
            box.click()
            box.fill(item.text)
            page.get_by_role("option", name=item.text, exact=True).wait_for()
            box.press("Enter")
        page.keyboard.press("Escape")
    elif isinstance(q, Numeric):
        stage.get_by_label(re.compile(r"^Your answer")).fill(f"{q.answer:g}")
    stage.get_by_role("radiogroup", name="How sure are you?").get_by_text("Confident", exact=True).click()
    click_and_wait(page, stage.get_by_role("button", name="Submit answer"))


@pytest.mark.e2e
def test_student_plays_the_case_to_the_end_without_peeking(server, new_page):
    page = new_page(DESKTOP)
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(
        payload.decode("utf-8", "ignore") if isinstance(payload, bytes) else payload)))
    page.goto(f"{server}/study?case={CASE_ID}&learner={LEARNER}")
    wait_for_app(page)
    assert "For education, not for clinical decisions." in page.content()
    # Opening a page's address first in a fresh server still shows the declared navigation.
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Case library" in nav and "shared" not in nav
    assert not axe_serious_violations(page)

    for index, stage in enumerate(CASE.stages):
        page.get_by_text(snippet(stage.narrative)).first.wait_for()
        for q in stage.questions:
            received = page.content() + "".join(frames)
            for secret in secrets_ahead(index, q):
                assert secret not in received, f"stage {index}: {secret!r} reached the browser early"
            answer(page, q)
            page.get_by_text(snippet(q.explanation)).first.wait_for()
        if index == 2:
            screenshot(page, "study-desktop-mid-case")
        received = page.content() + "".join(frames)
        for secret in secrets_ahead(index):
            assert secret not in received, f"stage {index}: {secret!r} reached the browser early"
        if index < DIAGNOSIS_FIRST_NAMED:
            assert "glomus" not in received.lower(), f"the diagnosis reached the browser at stage {index}"
        label = "Finish the case and see your results" if index == len(CASE.stages) - 1 else "Reveal the next stage"
        click_and_wait(page, page.get_by_role("button", name=label))

    page.get_by_text("Your result", exact=True).wait_for()
    text = page.inner_text("body")
    assert "100%" in text and CASE.source.title in text and "CC BY 4.0" in text
    screenshot(page, "study-desktop-finished")
    assert not axe_serious_violations(page)

    # A refresh keeps the place: the finished case is still there.
    page.reload()
    wait_for_app(page)
    page.get_by_text("Your result", exact=True).wait_for()

    page.goto(f"{server}/review?learner={LEARNER}")
    wait_for_app(page)
    page.get_by_text("Nothing due now").or_(page.get_by_text("Nothing to review yet")).first.wait_for()
    assert not axe_serious_violations(page)


@pytest.mark.e2e
def test_library_on_a_phone_is_accessible_and_opens_a_case(server, new_page):
    page = new_page(PHONE, is_mobile=True, has_touch=True)
    page.goto(f"{server}/?learner=e2e-phone-0001")
    wait_for_app(page)
    page.get_by_text(CASE.title).first.wait_for()
    assert not axe_serious_violations(page)
    screenshot(page, "library-phone")
    card = page.locator(f".st-key-card-{CASE_ID}")
    click_and_wait(page, card.get_by_role("link", name="Start case"))
    page.get_by_text(snippet(CASE.stages[0].narrative)).first.wait_for()
    assert "case=" + CASE_ID in page.url
    screenshot(page, "study-phone-start")
    assert not axe_serious_violations(page)
