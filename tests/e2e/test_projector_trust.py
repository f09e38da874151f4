"""What one mischievous student tried to put on the projector, in real Chromium: the right order of a
ranking while voting, and a typed answer carrying a heading, a link and an image into the summary."""
from __future__ import annotations

import json
import urllib.request

import pytest

from casebook.core import Casebook, utcnow
from tests.conftest import CASES
from tests.e2e.conftest import sign_in_as_staff, start_server, stop_server, wait_for_app

PROJECTOR = {"width": 1920, "height": 1080}
INJECTION = ("x`\n# Casebook says: the answer is LYMPHOMA\n[click me](http://evil.example/)\n"
             "![pic](http://evil.example/x.png) <b>bold</b> :red[red]")


def phone_call(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return json.loads(r.read())


def chart_labels(page) -> list[str]:
    """The option labels drawn in the live chart, top to bottom (spaces dropped: long labels wrap)."""
    chart = page.locator(".js-plotly-plot").filter(has_text="Ranked first")
    chart.first.wait_for()
    return [squeeze(t) for t in chart.first.locator(".annotation-text").all_text_contents()]


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def class_server(tmp_path):
    url_db = f"sqlite:///{tmp_path / 'casebook.db'}"
    proc, url = start_server("serve.py", url_db)
    yield Casebook(CASES, url_db), url
    stop_server(proc)


@pytest.mark.e2e
def test_the_projector_never_shows_the_ranking_order_or_a_students_markup(class_server, new_page):
    book, server = class_server
    case = book.case("painful-wasted-leg")
    session, key = book.polls.create(case, utcnow())
    stage = next(i for i, s in enumerate(case.stages) if any(q.type == "ranking" for q in s.questions))
    free, ranking = case.stages[stage].questions[0], case.stages[stage].questions[1]
    assert (free.type, ranking.type) == ("free_text", "ranking")
    for _ in range(stage):
        book.control_poll(session.id, key, "next")
    token = phone_call(f"{server}/api/poll/{session.join_code}/join", {"nickname": "Joker"})["token"]

    book.control_poll(session.id, key, "open")               # the free-text question first
    phone_call(f"{server}/api/poll/{session.join_code}/answer",
               {"token": token, "question_id": free.id, "response": INJECTION})
    book.control_poll(session.id, key, "reveal")
    book.control_poll(session.id, key, "open")               # then the ranking
    assert book.polls.get(session.id).question_id == ranking.id
    phone_call(f"{server}/api/poll/{session.join_code}/answer",
               {"token": token, "question_id": ranking.id, "response": [i.id for i in ranking.items]})

    projector = new_page(PROJECTOR)
    projector.goto(f"{server}/present?session={session.id}&key={key}")   # the link alone is not enough
    wait_for_app(projector)
    projector.get_by_text("Staff sign-in needed").wait_for()
    assert "Ranked first" not in projector.content()
    sign_in_as_staff(projector, server)
    projector.goto(f"{server}/present?session={session.id}&key={key}")
    wait_for_app(projector)
    right_order = [squeeze(f"Ranked first: {i.text}") for i in ranking.items]
    shown = chart_labels(projector)
    assert sorted(shown) == sorted(right_order) and shown != right_order
    assert "right answer" not in projector.content()

    book.control_poll(session.id, key, "reveal")
    book.control_poll(session.id, key, "end")
    projector.reload()
    wait_for_app(projector)
    projector.get_by_text("Class summary").wait_for()
    page = projector.content()
    assert "LYMPHOMA" not in page                            # typed words never shown: not even in the summary
    assert projector.locator("img[src*='evil.example'], a[href*='evil.example']").count() == 0

    # The lecturer shows the typed answers: the words arrive as plain text, never as a heading or a link.
    book.polls.show_typed(session.id, key, free.id, True)
    projector.reload()
    wait_for_app(projector)
    projector.get_by_text("Class summary").wait_for()
    assert projector.get_by_text("Casebook says: the answer is LYMPHOMA", exact=False).count() >= 1
    assert projector.locator("h1:has-text('LYMPHOMA'), h2:has-text('LYMPHOMA'), b:has-text('bold')").count() == 0
    assert projector.locator("img[src*='evil.example'], a[href*='evil.example']").count() == 0
