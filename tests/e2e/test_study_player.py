"""A student plays the first seed case to the end in a real Chromium; nothing leaks ahead of time."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from casebook.loader import load_case
from casebook.model import FreeText, Investigation, MultipleChoice, Numeric, Ranking, SingleChoice
from tests.conftest import CASES
from tests.e2e.conftest import DESKTOP, PHONE, axe_serious_violations, click_and_wait, screenshot, wait_for_app

CASE_ID = "painful-wasted-leg"
CASE = load_case(CASES / CASE_ID).case
LEARNER = "e2e-student-0001"
# The imaging stage's differential ranking is the first place the diagnosis is named, as one option.
# The differential board lists the diagnosis among its mimics from the first stage (never saying which
# is right); the expert's trace, which reasons about it, waits for the end.
DIAGNOSIS_FIRST_NAMED = next(i for i, s in enumerate(CASE.stages)
                             if "glomus" in s.model_dump_json(exclude={"expert"}).lower())
BOARD_NAMES = [d.name for d in CASE.board]


def snippet(text: str) -> str:
    """A distinctive piece of plain text (no Markdown marks), the same in the page and the websocket."""
    for line in text.strip().splitlines():
        line = line.strip().removeprefix("- ").strip()
        if len(line) >= 30 and not any(mark in line for mark in "*_[`#"):
            return line[:40]
    return text.strip()[:40]


# Case text reaches the browser as Markdown source (websocket), rendered HTML (page) or plotly JSON
# (charts). Runs of these characters come through all three unchanged, so they are what we search for;
# anything else (Markdown marks, quotes, &, <, dashes, non-ASCII) splits a text into separate pieces.
PLAIN_RUN = re.compile(r"[A-Za-z0-9 ,.;:()?!%+/-]+")
LIST_MARK = re.compile(r"^\s*(?:[-+*]|\d+\.)\s+")
CLAUSE_END = re.compile(r"(?<=[.;:?!])\s+")
MIN_PIECE, MAX_PIECE = 12, 60
# Structured values that are never shown as words of the case (ids, file names, vocabularies).
NOT_TEXT = {"id", "kind", "file", "site", "side", "category", "basis", "abnormal", "final", "correct"}


def pieces(text: str) -> list[str]:
    """Distinctive pieces of a text as plain characters: one per clause, at most MAX_PIECE long."""
    found = []
    for line in str(text).splitlines():
        for run in PLAIN_RUN.findall(LIST_MARK.sub("", line)):
            for clause in CLAUSE_END.split(run):
                clause = " ".join(clause.split())[:MAX_PIECE].strip(" ,.;:")
                if len(clause) >= MIN_PIECE:
                    found.append(clause)
    return found


def strings(value, skip: set[str] = frozenset()) -> list[str]:
    """Every string in a model dump (nested lists and models included), leaving out `skip` keys."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in NOT_TEXT | skip for s in strings(v, skip)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings(v, skip)]
    return []


def stage_text(stage) -> list[str]:
    """What a student sees of a stage once it is revealed: every text field but questions, notes and the
    expert's trace (shown only at the end)."""
    return strings(stage.model_dump(exclude={"questions", "speaker_notes", "expert"}))


def question_shown(q) -> list[str]:
    """What the open question shows before it is answered."""
    return strings(q.model_dump(include={"prompt", "placeholder", "unit", "options", "items"}),
                   skip={"feedback", "keep_last", "result", "value"})  # a test's result comes only once ordered


def question_answer(q) -> list[str]:
    """What only answering a question earns: why, feedback per option or item, accepted answers."""
    texts = [q.explanation]
    texts += [o.feedback for o in getattr(q, "options", [])]
    texts += [i.feedback for i in getattr(q, "items", [])]
    texts += getattr(q, "accepted", [])
    if isinstance(q, Investigation):  # this student orders the decisive tests
        texts += [o.result for o in q.options if o.value == "decisive"]
    return texts


def results_never_ordered(q) -> list[tuple[str, str]]:
    """The results of the tests this student does not order: never sent, not even after the work-up."""
    if not isinstance(q, Investigation):
        return []
    return [(f"result of {o.id!r} (not ordered)", o.result) for o in q.options if o.result and o.value != "decisive"]


def known_at(stage_index: int, open_question=None) -> str:
    """Everything the student has legitimately been shown at this point, lower-case, one line."""
    texts = [CASE.title, CASE.summary, CASE.difficulty.value, *CASE.objectives, *CASE.specialty,
             *CASE.body_region, *CASE.tags, *(s.kind.value for s in CASE.stages), *BOARD_NAMES]
    for stage in CASE.stages[: stage_index + 1]:
        texts += stage_text(stage)
        for q in stage.questions:
            if q is open_question:
                texts += question_shown(q)
                break
            texts += question_shown(q) + question_answer(q)
    return " ".join(" ".join(texts).split()).lower()


def secrets_ahead(stage_index: int, open_question=None) -> list[tuple[str, str]]:
    """(what, piece) pairs the student must not have received at stage `stage_index`, with
    `open_question` open (or None once the stage's questions are answered).

    Later stages in full (including their questions), the answers to the open question and every
    later one, hints (this student takes none), all speaker notes and the source citation. Pieces
    the student has already been shown elsewhere are left out: repeating them is not a leak.
    """
    hidden: list[tuple[str, str]] = []
    later = CASE.stages[stage_index + 1:]
    for stage in later:
        hidden += [(f"stage {stage.id!r}", t) for t in stage_text(stage)]
        hidden += [(f"question {q.id!r}", t) for q in stage.questions for t in question_shown(q)]
    current = CASE.stages[stage_index].questions
    unanswered = current[current.index(open_question):] if open_question is not None else []
    for q in unanswered + [q for s in later for q in s.questions]:
        hidden += [(f"answer to {q.id!r}", t) for t in question_answer(q)]
    hidden += [(f"hint of {q.id!r}", q.hint) for q in CASE.questions if q.hint]
    hidden += [(f"speaker notes of {s.id!r}", s.speaker_notes) for s in CASE.stages if s.speaker_notes]
    hidden += [(f"expert trace of {s.id!r}", t) for s in CASE.stages if s.expert for t in strings(s.expert.model_dump())]
    hidden.append(("source title", CASE.source.title))
    known = known_at(stage_index, open_question)
    seen: set[str] = set()
    secrets = []
    for what, text in hidden:
        for piece in pieces(text):
            if piece.lower() not in known and piece not in seen:
                seen.add(piece)
                secrets.append((what, piece))
    return secrets


def received(page, frames: list[str]) -> str:
    """The page as rendered plus every websocket frame so far, whitespace folded to single spaces."""
    return " ".join((page.content() + " ".join(frames)).split())


def assert_nothing_ahead(page, frames: list[str], stage_index: int, open_question=None) -> str:
    got = received(page, frames)
    where = f"stage {stage_index + 1} ({CASE.stages[stage_index].id})"
    if open_question is not None:
        where += f" with question {open_question.id!r} open"
    leaks = [f"{what}: {piece!r}" for what, piece in secrets_ahead(stage_index, open_question) if piece in got]
    assert not leaks, f"at {where} the browser already received:\n" + "\n".join(leaks)
    return got


def assert_shown(page, frames: list[str], texts: list[str], what: str, timeout: float = 15) -> None:
    """The search finds what it looks for: every piece of revealed text is there once revealed.

    A stage renders element by element, and on a busy machine a rerun can start after the click
    helper stopped waiting; so look again until every piece has arrived, or give up after `timeout`.
    """
    deadline = time.monotonic() + timeout
    while True:
        got = received(page, frames)
        missing = [piece for t in texts for piece in pieces(t) if piece not in got]
        if not missing or time.monotonic() > deadline:
            break
        page.wait_for_timeout(250)
    assert not missing, f"{what} is revealed but these pieces were not found in the browser: {missing}"


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
            # Enter picks the first option shown: wait until the typed filter has narrowed the list to it.
            expect(page.get_by_role("option").first).to_have_text(item.text)
            box.press("Enter")
        page.keyboard.press("Escape")
    elif isinstance(q, Numeric):
        stage.get_by_label(re.compile(r"^Your answer")).fill(f"{q.answer:g}")
    elif isinstance(q, Investigation):
        for o in q.options:
            if o.value == "decisive":
                click_and_wait(page, stage.get_by_role("button", name=f"Order {o.name}"))
                stage.get_by_text(o.result[:30]).first.wait_for()
        stage.get_by_role("radiogroup", name="How sure are you of your work-up?").get_by_text("Confident", exact=True).click()
        click_and_wait(page, stage.get_by_role("button", name="Finish the work-up"))
        return
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
        assert_shown(page, frames, stage_text(stage), f"stage {stage.id!r}")
        for q in stage.questions:
            page.get_by_text(snippet(q.prompt)).first.wait_for()  # the question renders after the story
            wait_for_app(page)
            assert_nothing_ahead(page, frames, index, q)
            assert_shown(page, frames, question_shown(q), f"question {q.id!r}")
            answer(page, q)
            page.get_by_text(snippet(q.explanation)).first.wait_for()
            assert_shown(page, frames, question_answer(q), f"the answer to {q.id!r}")
            got = received(page, frames)
            known = known_at(index)
            leaks = [f"{what}: {piece!r}" for what, text in results_never_ordered(q) for piece in pieces(text)
                     if piece in got and piece.lower() not in known]
            assert not leaks, "results of tests never ordered reached the browser:\n" + "\n".join(leaks)
        if index == 2:
            screenshot(page, "study-desktop-mid-case")
        got = assert_nothing_ahead(page, frames, index)
        if index < DIAGNOSIS_FIRST_NAMED:
            for name in BOARD_NAMES:  # the board's list names it among the others, as any list of options would
                got = got.replace(name, "")
            assert "glomus" not in got.lower(), f"the diagnosis reached the browser at stage {index}"
        label = "Finish the case and see your results" if index == len(CASE.stages) - 1 else "Reveal the next stage"
        click_and_wait(page, page.get_by_role("button", name=label))

    page.get_by_text("Your result", exact=True).wait_for()
    page.locator('[data-testid="stMetricValue"]').first.wait_for()  # the score renders after its heading
    wait_for_app(page)
    text = page.inner_text("body")
    missed = text.split("What you missed")[1].split("Source")[0] if "What you missed" in text else ""
    assert "100%" in text, f"every answer was right, yet the result says otherwise; missed: {missed[:1500]}"
    assert CASE.source.title in text and "CC BY 4.0" in text
    # Finished, the student has every stage and answer, but still no hint they did not take and no speaker notes.
    got = received(page, frames)
    never = [(what, piece) for what, piece in secrets_ahead(len(CASE.stages) - 1)
             if what.startswith(("hint of", "speaker notes of"))]
    leaks = [f"{what}: {piece!r}" for what, piece in never if piece in got]
    assert not leaks, "the finished case sent:\n" + "\n".join(leaks)
    assert_shown(page, frames, [CASE.source.title], "the source")
    # The screenshot shows the result, not the first stage: back to the top of the page.
    page.evaluate("""() => {
        document.querySelector('[data-testid="stMain"]')?.scrollTo(0, 0);
        window.scrollTo(0, 0);
    }""")
    expect(page.get_by_text("Your result", exact=True)).to_be_in_viewport()
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
