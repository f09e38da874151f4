"""A lecturer and three phones run a live poll in real Chromium windows."""
from __future__ import annotations

import re

import pytest

from casebook.loader import load_case
from casebook.room_limits import WRONG_CODES_PER_MINUTE
from tests.conftest import CASES
from tests.e2e.conftest import (choose_present_case, PHONE, axe_serious_violations, click_and_wait, screenshot, sign_in_as_staff,
                                wait_for_app)

CASE = load_case(CASES / "painful-wasted-leg").case
FIRST_Q = CASE.stages[0].questions[0]
PROJECTOR = {"width": 1920, "height": 1080}


def record_poll_traffic(page, bodies: list[str]) -> None:
    """Keep every poll API response the phone receives, to check nothing arrives early. The live
    connection never ends, so it is let through, and the page itself notes each event it is pushed
    (read with `pushed`)."""
    def handle(route):
        if "/events" in route.request.url:
            route.continue_()
            return
        response = route.fetch()
        bodies.append(response.text())
        route.fulfill(response=response)

    page.add_init_script("""(() => {
        const Original = window.EventSource;
        window.__pushed = [];
        window.EventSource = function (url, options) {
            const source = new Original(url, options);
            for (const kind of ["state", "removed", "message"]) {
                source.addEventListener(kind, (event) => window.__pushed.push(event.data));
            }
            return source;
        };
    })();""")
    page.route("**/api/poll/**", handle)


def pushed(page) -> list[str]:
    return page.evaluate("window.__pushed")


def choose_case(lecturer, server: str) -> None:
    """The lecturer opens the Present page and picks the case."""
    choose_present_case(lecturer, server, CASE.title)


def start_presenting(lecturer, server: str) -> str:
    """Sign in as staff, pick the case, start a session, and read the join code off the screen."""
    sign_in_as_staff(lecturer, server)
    choose_case(lecturer, server)
    click_and_wait(lecturer, lecturer.get_by_role("button", name="Start presenting"))
    lecturer.get_by_text("Join on your phone").wait_for()
    lecturer.get_by_text(re.compile(r"/join/[A-Z0-9]{7}")).first.wait_for()
    return re.search(r"/join/([A-Z0-9]{7})", lecturer.content()).group(1)


@pytest.mark.e2e
def test_lecturer_and_three_phones_run_a_question(server, new_page):
    lecturer = new_page(PROJECTOR)
    code = start_presenting(lecturer, server)
    assert "key=" in lecturer.url
    assert not axe_serious_violations(lecturer)

    phones, traffic = [], []
    for n in range(3):
        phone = new_page(PHONE, is_mobile=True, has_touch=True)
        bodies: list[str] = []
        record_poll_traffic(phone, bodies)
        phone.goto(f"{server}/join/{code}")
        phone.get_by_label("Nickname (optional)").fill(f"Student {n + 1}")
        phone.get_by_role("button", name="Join").click()
        phone.get_by_text("Waiting for the next question…").wait_for()
        phones.append(phone)
        traffic.append(bodies)
    assert not axe_serious_violations(phones[0])

    # A student cannot drive the session: without the key the presenter page refuses.
    intruder = new_page(PROJECTOR)
    intruder.goto(lecturer.url.split("&key=")[0].split("?key=")[0])
    wait_for_app(intruder)
    assert "not valid" in intruder.inner_text("body") or "Present a case" in intruder.inner_text("body")

    click_and_wait(lecturer, lecturer.get_by_role("button", name="Ask a question"))
    right = [o for o in FIRST_Q.options if o.correct]
    wrong = next(o for o in FIRST_Q.options if not o.correct)
    phones[0].get_by_text(FIRST_Q.prompt).wait_for()
    assert not axe_serious_violations(phones[0])
    # The first phone picks a wrong option, then changes its mind: it is counted once, with the new answer.
    phones[0].get_by_text(wrong.text, exact=True).click()
    phones[0].get_by_role("button", name="Send answer").click()
    phones[0].get_by_text("Answer recorded").wait_for()
    phones[0].get_by_text(wrong.text, exact=True).click()
    for phone in phones:
        phone.get_by_text(FIRST_Q.prompt).wait_for()
        for option in right:
            phone.get_by_text(option.text, exact=True).click()
        phone.get_by_role("button", name=re.compile("Send answer|Change my answer")).click()
        phone.get_by_text("Answer recorded").wait_for()
    screenshot(phones[0], "phone-answer-recorded")

    # The lecturer's chart catches up by itself: three answers, none of them the wrong option.
    lecturer.locator('[data-testid="stMetricValue"]').nth(1).filter(has_text="3").wait_for(timeout=10_000)
    lecturer.get_by_text(re.compile(rf"{re.escape(wrong.text)}: 0")).wait_for(timeout=10_000)
    lecturer.get_by_text(re.compile(rf"{re.escape(right[0].text)}: 3")).wait_for(timeout=10_000)
    screenshot(lecturer, "present-live-chart")
    assert not axe_serious_violations(lecturer)

    for phone, bodies in zip(phones, traffic):
        events = pushed(phone)
        assert any(FIRST_Q.prompt in e for e in events)  # the question came over the live connection
        received = "".join(bodies) + "".join(events)
        assert FIRST_Q.explanation[:40] not in received
        assert not any(o.feedback[:40] in received for o in FIRST_Q.options)
        assert '"correct"' not in received

    click_and_wait(lecturer, lecturer.get_by_role("button", name="Close voting"))
    for phone in phones:
        phone.get_by_text("Voting closed").wait_for()
    assert not phones[1].get_by_role("button", name=re.compile("Send answer|Change my answer")).count()

    click_and_wait(lecturer, lecturer.get_by_role("button", name="Reveal answer"))
    for phone in phones:
        phone.get_by_text("The answer").wait_for()
        phone.get_by_text(FIRST_Q.explanation[:40]).wait_for()
        phone.get_by_text("✓ You were right.").wait_for()
    screenshot(phones[1], "phone-revealed")
    assert not axe_serious_violations(phones[1])

    # A phone that reloads (a dropped connection) still knows its answer.
    phones[2].reload()
    phones[2].get_by_text("Your answer:").wait_for()
    assert right[0].text in phones[2].inner_text("body")


@pytest.mark.e2e
def test_a_wrong_join_code_is_explained(server, new_page):
    phone = new_page(PHONE, is_mobile=True)
    phone.goto(f"{server}/join")
    phone.get_by_label("Join code (on the screen)").fill("NOPE123")
    phone.get_by_role("button", name="Join").click()
    phone.get_by_text("No session has that code").wait_for()


@pytest.mark.e2e
def test_a_student_joins_from_the_app_with_their_study_code(server, new_page):
    lecturer = new_page(PROJECTOR)
    code = start_presenting(lecturer, server)

    # The study page's sidebar links to the join page with the student's own code filled in.
    phone = new_page(PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"{server}/?learner=e2e-linked-0001")
    wait_for_app(phone)
    href = phone.get_by_role("link", name="Join a class poll with this code").get_attribute("href")
    assert href == "/join?learner=e2e-linked-0001"
    phone.goto(f"{server}{href}")
    assert phone.get_by_label("Study code (optional)").input_value() == "e2e-linked-0001"
    phone.get_by_label("Join code (on the screen)").fill(code)
    phone.get_by_role("button", name="Join").click()
    phone.get_by_text("Joined with your study code").wait_for()
    assert not axe_serious_violations(phone)


@pytest.mark.e2e
def test_the_lecturer_downloads_a_worksheet_without_the_answers(server, new_page):
    import io

    from pypdf import PdfReader

    lecturer = new_page(PROJECTOR, accept_downloads=True)
    choose_case(lecturer, server)
    with lecturer.expect_download() as download:
        lecturer.get_by_role("button", name="Worksheet PDF (stops before the diagnosis, no answers)").click()
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert CASE.title in text and "For education, not for clinical decisions." in text
    assert CASE.source.title not in text and "the diagnosis in this case" not in text


@pytest.mark.e2e
def test_guessing_join_codes_is_rate_limited_and_big_requests_refused(server):
    """Runs last in this module: it leaves this server's limiter blocking the test machine for a minute."""
    import json
    import urllib.error
    import urllib.request

    def post(path: str, body: bytes) -> tuple[int, str]:
        request = urllib.request.Request(f"{server}{path}", data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    assert post("/api/poll/ZZZZZZZ/answer", b"x" * 10_000)[0] == 413
    statuses = [post(f"/api/poll/GUESS{n:02d}/join", b"{}")[0] for n in range(WRONG_CODES_PER_MINUTE + 2)]
    assert statuses[:WRONG_CODES_PER_MINUTE - 1].count(404) == WRONG_CODES_PER_MINUTE - 1 and statuses[-1] == 429
    # Guessing through the other endpoints is held up just the same.
    assert post("/api/poll/GUESS98/answer", b"{}")[0] == 429
    status, body = post("/api/poll/GUESS99/join", b"{}")
    assert status == 429 and "Too many wrong codes" in json.loads(body)["error"]
