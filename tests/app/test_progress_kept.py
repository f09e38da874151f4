"""A student's progress as they meet it on the pages: a study code typed any way finds their profile,
a typo is asked about, a finished result survives "Start this case again", Review says when the rest
comes back, and times are in the student's own zone."""
from datetime import timedelta

from casebook.core import Casebook, Settings, utcnow
from casebook.loader import load_case
from casebook.progress import Confidence
from tests.app.helpers import page_text, play_to_the_end
from tests.conftest import FIXTURE_CASES

MINI = load_case(FIXTURE_CASES / "mini-case").case
STUDY = "pages/study.py"
SAVED = "4ZB6-DUZE-2Y77"
OTHER = "K7QM-3XPA-9DHT"


def code_in_address(at) -> str:
    code = at.query_params["learner"]
    return code[0] if isinstance(code, list) else code


def type_code(at, typed: str):
    at.sidebar.text_input(key="learner:switch").input(typed)
    return next(b for b in at.sidebar.button if b.label == "Use this code").click().run()


def with_saved_progress(app_factory):
    at = app_factory(query={"learner": OTHER})
    Casebook.from_settings(Settings.from_env()).attempt_for(SAVED, "mini-case")
    return at


def test_a_code_typed_with_spaces_in_lower_case_opens_the_saved_profile(app_factory):
    at = with_saved_progress(app_factory)
    for typed in ["4zb6 duze 2y77", "4ZB6DUZE2Y77", "4zb6-duze-2y77"]:
        at = type_code(app_factory(query={"learner": OTHER}), typed)
        assert code_in_address(at) == SAVED, typed
        assert "badge[In progress]" in page_text(at)  # the mini case shows as started: that profile
        assert not at.exception


def test_a_typo_is_asked_about_and_cancel_keeps_the_code_in_use(app_factory):
    at = type_code(with_saved_progress(app_factory), "4zb6 duze 2y78")
    assert code_in_address(at) == OTHER  # not switched yet
    assert "No progress is saved under **4ZB6-DUZE-2Y78**. Start a new profile with it?" in page_text(at)
    at = at.button(key="learner:ask:no").click().run()
    assert code_in_address(at) == OTHER and "Start a new profile with it?" not in page_text(at)
    assert f"Kept your code {OTHER}." in [i.value for i in at.info]


def test_a_new_profile_starts_only_when_the_student_says_so(app_factory):
    at = type_code(with_saved_progress(app_factory), "4zb6 duze 2y78")
    at = at.button(key="learner:ask:yes").click().run()
    assert code_in_address(at) == "4ZB6-DUZE-2Y78"
    assert any("Started a new profile: 4ZB6-DUZE-2Y78" in s.value for s in at.success)


def test_something_that_is_not_a_code_says_what_a_code_looks_like(app_factory):
    at = type_code(app_factory(query={"learner": OTHER}), "my name")
    assert code_in_address(at) == OTHER
    assert any("That is not a study code. A code looks like K7QM-3XPA-9DHT" in e.value for e in at.error)


def test_a_code_in_the_address_in_lower_case_is_the_issued_code(app_factory):
    at = with_saved_progress(app_factory)
    at = app_factory(query={"learner": "4zb6-duze-2y77"})
    assert code_in_address(at) == SAVED and "badge[In progress]" in page_text(at)


def test_a_case_address_in_other_capitals_opens_the_case(app_factory):
    at = app_factory(query={"case": "Mini-Case", "learner": OTHER}, page=STUDY)
    assert "Case not found" not in page_text(at)
    assert MINI.title in [t.value for t in at.title]
    assert at.query_params["case"] in ("mini-case", ["mini-case"])


# --- Start this case again --------------------------------------------------------------------------

def finished_case(app_factory, learner="keep-learner-01"):
    at = app_factory(query={"case": "mini-case", "learner": learner}, page=STUDY)
    at.context = {"timezone": "America/New_York", "timezone_offset": 300}
    return play_to_the_end(at.run(), MINI, correctly=True)


def restart_button(at):
    return next(b for b in at.button if b.key and b.key.endswith(":restart"))


def test_start_again_asks_first_and_cancel_keeps_the_result(app_factory):
    at = finished_case(app_factory)
    assert "Your result" in page_text(at)
    at = restart_button(at).click().run()
    ask = [w.value for w in at.warning]
    assert any("Start this case again from the first stage?" in w and "stays in your history" in w for w in ask), ask
    assert "Your result" in page_text(at)  # nothing happened yet
    at = next(b for b in at.button if b.label == "Cancel, keep my result").click().run()
    assert "Your result" in page_text(at) and not at.warning
    assert not any("earlier attempts" in e.label for e in at.expander)


def test_starting_again_keeps_the_earlier_attempt_with_its_date_and_score(app_factory):
    at = finished_case(app_factory)
    at = restart_button(at).click().run()
    at = next(b for b in at.button if b.label == "Yes, start again").click().run()
    assert not at.exception
    assert "Your result" not in page_text(at)  # a fresh attempt from the first stage
    history = next(e for e in at.expander if "earlier attempts" in e.label)
    assert history.label == "Your earlier attempts at this case: 1 · best 100%"
    lines = "\n".join(m.value for m in history.markdown)
    today = utcnow().astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert f"Attempt 1 · finished {today.day} {today:%b %Y}, " in lines
    assert f"100% ({MINI.max_points:g} of {MINI.max_points:g} points)" in lines
    assert "UTC" not in lines  # the student's own zone, from the browser


def test_without_the_browsers_zone_times_are_in_utc_and_say_so(app_factory):
    at = finished_case(app_factory, learner="keep-learner-02")
    at.context = {}
    at = restart_button(at.run()).click().run()
    at = next(b for b in at.button if b.label == "Yes, start again").click().run()
    history = next(e for e in at.expander if "earlier attempts" in e.label)
    assert " UTC · 100%" in history.markdown[0].value


# --- Review -----------------------------------------------------------------------------------------

def test_review_says_when_the_questions_not_yet_due_come_back(app_factory):
    learner = "keep-learner-03"
    at = app_factory(query={"learner": learner}, page="pages/review.py")
    book = Casebook.from_settings(Settings.from_env())
    now = utcnow()
    attempt = book.attempt_for(learner, "mini-case", now - timedelta(hours=1))
    book.answer(attempt.id, "q-single", "b", Confidence.confident, now=now - timedelta(hours=1))  # due by now
    book.answer(attempt.id, "q-multi", ["xr"], Confidence.confident, now=now)  # missed just now: due in a minute
    at.context = {"timezone": "Europe/Berlin"}
    at = at.run()
    text = page_text(at)
    assert "**1 due**" in text
    assert "1 more comes back later: 1 in 1 minute." in text


def test_results_say_when_the_missed_questions_come_back(app_factory):
    at = app_factory(query={"case": "mini-case", "learner": "keep-learner-04"}, page=STUDY)
    at = play_to_the_end(at, MINI, correctly=False)
    captions = [c.value for c in at.caption]
    assert any(c.startswith(f"Your Review page brings these back: {len(MINI.questions)} in ") for c in captions), captions
