"""The study page as a student uses it: staged reveal, feedback, refresh, friendly errors."""
import re

from casebook.loader import load_case, load_library
from casebook.progress import Confidence
from tests.app.helpers import (
    answer_form,
    answer_open_question,
    in_page_order,
    open_question_id,
    page_text,
    play_to_the_end,
    reveal_next,
    scroll_scripts,
    widget,
)
from tests.conftest import FIXTURE_CASES

MINI = load_case(FIXTURE_CASES / "mini-case").case
STUDY = "pages/study.py"


def open_case(app_factory, case_id="mini-case", cases=FIXTURE_CASES, learner="learner-0001"):
    return app_factory(cases, query={"case": case_id, "learner": learner}, page=STUDY)


def test_later_stages_stay_hidden_until_revealed(app_factory):
    at = open_case(app_factory)
    assert not at.exception
    text = page_text(at)
    assert "A cough for three weeks" in text
    assert "SECRET-SHADOW" not in text and "OUTCOME-TEXT" not in text and "A red flag." not in text
    assert "An example report" not in text  # the citation waits for the end
    assert "For education, not for clinical decisions." in text


def test_answering_shows_feedback_and_unlocks_the_next_stage(app_factory):
    at = open_case(app_factory)
    at = answer_open_question(at, MINI, correctly=False)
    text = page_text(at)
    assert "Incorrect — 0 of 2 points" in text
    assert "A red flag." in text and "Common with colds." in text  # feedback on every option
    at = answer_open_question(at, MINI)
    assert "SECRET-SHADOW" not in page_text(at)
    at = reveal_next(at)
    assert "SECRET-SHADOW" in page_text(at)


def submit_answer(at):
    return next(b for b in at.button if b.label == "Submit answer").click().run()


def error_beside_the_buttons(at) -> str:
    """The error in the open question's form, checked to sit after its last choice and before Submit
    (on a phone the prompt is off-screen by then: an error up there looks like a dead button)."""
    shown = in_page_order(answer_form(at))
    kinds = [type(e).__name__ for e in shown]
    assert kinds.count("Error") == 1, kinds
    where = kinds.index("Error")
    assert kinds[where - 1] == "Radio" and shown[where - 1].label == "How sure are you?", kinds
    assert kinds[where + 1] == "Button" and shown[where + 1].label == "Submit answer", kinds
    assert [e.value for e in at.error] == [shown[where].value]  # there, and only there
    return shown[where].value


def test_submitting_without_confidence_is_explained_beside_the_submit_button(app_factory):
    at = open_case(app_factory)
    next(r for r in at.radio if r.key.endswith(":choice")).set_value("a")
    at = submit_answer(at)
    assert error_beside_the_buttons(at) == "Say how sure you are before submitting."
    assert "0 of 2 points" not in page_text(at) and "2 of 2 points" not in page_text(at)


def test_an_empty_answer_is_told_everything_missing_at_once(app_factory):
    at = open_case(app_factory)
    at = submit_answer(at)  # no option, no confidence
    assert error_beside_the_buttons(at) == "Choose one of the options and say how sure you are."
    next(r for r in at.radio if r.key.endswith(":choice")).set_value("a")
    next(r for r in at.radio if r.key.endswith(":confidence")).set_value(Confidence.confident)
    at = submit_answer(at)  # both fixed after one message: taken
    assert "2 of 2 points" in page_text(at)


def test_an_invalid_answer_is_explained_beside_the_submit_button(app_factory):
    at = open_case(app_factory)
    next(r for r in at.radio if r.key.endswith(":confidence")).set_value(Confidence.confident)
    at = submit_answer(at)  # no option chosen
    assert error_beside_the_buttons(at) == "Choose one of the options."
    at = answer_open_question(at, MINI)
    assert not any(type(e).__name__ == "Error" for e in in_page_order(answer_form(at)))  # said once, then gone


def test_each_new_stage_opens_at_its_heading_and_answering_does_not_move_the_page(app_factory):
    at = open_case(app_factory)
    [first] = scroll_scripts(at)
    assert "scrollTo(0, 0)" in first  # the first stage: the top of the page, title and all
    at = answer_open_question(at, MINI)
    assert scroll_scripts(at) == [first]  # same text: the browser does not run it again
    at = reveal_next(answer_open_question(at, MINI))
    [second] = scroll_scripts(at)
    assert '".st-key-stage-1"' in second and "scrollIntoView" in second
    assert any(b.proto.id.endswith("-stage-1") for b in at.get("flex_container"))  # the container it looks for
    at = answer_open_question(at, MINI)
    assert scroll_scripts(at) == [second]
    again = open_case(app_factory)  # on load (a refresh) the current stage is brought into view too
    assert scroll_scripts(again) == [second]


def test_hint_costs_a_point(app_factory):
    at = open_case(app_factory)
    at = next(b for b in at.button if b.key.endswith(":hint")).click().run()
    assert "Hint: Think of red flags." in page_text(at)
    at = answer_open_question(at, MINI)
    assert "Correct — 1 of 2 points (hint used: −1)" in page_text(at)


def test_refresh_keeps_the_place_in_the_case(app_factory):
    at = open_case(app_factory)
    at = answer_open_question(at, MINI)
    at = answer_open_question(at, MINI)
    at = reveal_next(at)
    again = open_case(app_factory)  # a new session with the same address, as after a browser refresh
    assert "SECRET-SHADOW" in page_text(again)
    assert "▶ Investigations" in page_text(again)


def test_finishing_shows_score_missed_questions_and_citation(app_factory):
    at = play_to_the_end(open_case(app_factory), MINI, correctly=False)
    text = page_text(at)
    assert "Your result" in text and "What you missed" in text
    assert "OUTCOME-TEXT" in text and "An example report" in text and "CC BY 4.0" in text
    assert "general teaching point" in text


def test_unknown_case_gets_a_friendly_page(app_factory):
    at = open_case(app_factory, case_id="no-such-case")
    assert not at.exception
    assert "Case not found" in page_text(at)


def test_every_seed_case_can_be_played_to_the_end(app_factory, seed_cases):
    library = load_library(seed_cases)
    assert len(library.cases) >= 3 and not library.broken
    for case in library.cases.values():
        at = play_to_the_end(open_case(app_factory, case.id, seed_cases), case)
        text = page_text(at)
        assert "Your result" in text and "100%" in text, case.id
        assert case.source.title in text


def test_a_missed_question_comes_back_in_review(app_factory, monkeypatch):
    from datetime import timedelta

    import casebook.core

    at = open_case(app_factory)
    answer_open_question(at, MINI, correctly=False)
    later = casebook.core.utcnow() + timedelta(hours=2)
    monkeypatch.setattr(casebook.core, "utcnow", lambda: later)
    at = app_factory(query={"learner": "learner-0001"}, page="pages/review.py")
    assert "1 due" in page_text(at) and "Which sign matters most?" in page_text(at)
    at = answer_open_question(at, MINI)
    text = page_text(at)
    assert "Correct" in text and "Next review of this question" in text
    assert "Nothing due now" in text


def test_the_study_page_without_a_case_asks_to_choose_one(app_factory):
    at = app_factory(query={"learner": "learner-0001"}, page=STUDY)
    assert not at.exception
    assert [t.value for t in at.title] == ["Choose a case"]
    assert "Case not found" not in page_text(at)


def test_the_study_code_is_shown_in_the_main_column(app_factory):
    at = open_case(app_factory, learner="K7QM-3XPA-9DHT")
    assert "Your study code: **K7QM-3XPA-9DHT** · keep it to continue on another device" in [
        c.value for c in at.main.caption]  # not only in the sidebar, which a phone keeps closed


def test_feedback_lists_the_options_in_the_order_the_student_saw_them(app_factory):
    authored = [o.text for o in MINI.question("q-multi").options]
    for n in range(30):  # an attempt whose shuffle differs from the file's order, or the test proves nothing
        at = answer_open_question(open_case(app_factory, learner=f"order-learner-{n:02d}"), MINI)
        seen = [c.label for c in at.checkbox if c.key and ":q-multi:opt:" in c.key]
        if seen != authored:
            break
    assert sorted(seen) == sorted(authored) and seen != authored
    text = page_text(answer_open_question(at, MINI))
    feedback = text[text.index("Which tests first?"):]
    assert sorted(seen, key=lambda label: feedback.index(f"**{label}**")) == seen


def test_the_result_counts_points_in_words(app_factory, tmp_path):
    text = (FIXTURE_CASES / "mini-case" / "case.yaml").read_text()
    one_point = text.replace("        prompt: Which tests first?\n", "        prompt: Which tests first?\n        points: 1\n")
    assert one_point != text
    (tmp_path / "cases" / "mini-case").mkdir(parents=True)
    (tmp_path / "cases" / "mini-case" / "case.yaml").write_text(one_point)
    case = load_case(tmp_path / "cases" / "mini-case").case
    at = play_to_the_end(open_case(app_factory, cases=tmp_path / "cases"), case, correctly=False)
    missed = [m.value for m in at.markdown if m.value.startswith("- Which tests first?")]
    assert len(missed) == 1 and "*0 of 1 point*" in missed[0]  # not "0 of 1 points"
    assert "*0 of 2 points*" in page_text(at)


def option_marks(text: str) -> dict[str, tuple[str, str, str]]:
    """Each option's mark in the feedback, by option text: (colour, icon, words)."""
    found = re.findall(r":(\w+)-background\[(:material/\w+:) ([^\]]+)\] \*\*([^*]+)\*\*", text)
    return {option: (colour, icon, words) for colour, icon, words, option in found}


def test_multiple_choice_feedback_marks_each_option_in_words_icon_and_colour(app_factory):
    at = answer_open_question(open_case(app_factory, learner="marks-learner-01"), MINI)  # q-single, right
    widget(at.checkbox, ":q-multi:opt:xr").set_value(True)
    widget(at.checkbox, ":q-multi:opt:pet").set_value(True)
    next(r for r in at.radio if r.key.endswith(":confidence")).set_value(Confidence.unsure)
    at = submit_answer(at)
    text = page_text(at)
    marks = option_marks(text[text.index("Which tests first?"):])
    words = {option: mark[2] for option, mark in marks.items()}
    assert words == {"Chest radiograph": "You ticked this: right", "Spirometry": "You missed this: it is right",
                     "PET scan": "You ticked this: wrong"}
    # Three different outcomes: three different colours and three different icons, not only bold type.
    assert len({m[0] for m in marks.values()}) == 3 and len({m[1] for m in marks.values()}) == 3
    assert "your choice" not in text


def test_single_choice_feedback_marks_the_pick_and_the_right_answer(app_factory):
    at = answer_open_question(open_case(app_factory, learner="marks-learner-02"), MINI, correctly=False)
    marks = option_marks(page_text(at))
    assert {option: mark[2] for option, mark in marks.items()} == {
        "Sneezing": "Your pick: wrong", "Weight loss": "The right answer"}
    assert marks["Sneezing"][:2] != marks["Weight loss"][:2]


def test_a_rightly_unticked_option_is_marked_as_a_good_decision(app_factory):
    at = answer_open_question(open_case(app_factory, learner="marks-learner-03"), MINI)
    at = answer_open_question(at, MINI)  # q-multi, right: PET scan left unticked
    text = page_text(at)
    assert option_marks(text[text.index("Which tests first?"):])["PET scan"][2] == "Rightly left unticked"


def test_points_are_whole_or_half_on_the_question_and_in_the_result(app_factory):
    at = open_case(app_factory, learner="half-points-01")
    while open_question_id(at) != "q-rank":
        at = answer_open_question(at, MINI) if open_question_id(at) else reveal_next(at)
    widget(at.multiselect, ":q-rank:rank").set_value(["one", "three", "two"])  # one slip low down: 1.67 raw
    next(r for r in at.radio if r.key.endswith(":confidence")).set_value(Confidence.unsure)
    at = submit_answer(at)
    assert any(s.value.startswith("Partly correct — 1.5 of 2 points") for s in at.warning), [s.value for s in at.warning]
    at = play_to_the_end(at, MINI)
    assert {m.label: m.value for m in at.metric}["Points"] == f"{MINI.max_points - 0.5:g} of {MINI.max_points:g}"
    assert "*1.5 of 2 points*" in page_text(at)  # in what was missed, too
    assert "1.67" not in page_text(at) and "1.66" not in page_text(at)
