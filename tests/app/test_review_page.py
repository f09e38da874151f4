"""The Review page shows a learner how their confidence compares with their results."""
from casebook.core import Casebook, Settings
from casebook.progress import Confidence
from tests.app.helpers import page_text
from tests.conftest import FIXTURE_CASES, NOW

REVIEW = "pages/review.py"
LEARNER = "review-learner-01"


def test_a_learner_who_is_confidently_wrong_is_told_so(app_factory):
    at = app_factory(FIXTURE_CASES, query={"learner": LEARNER}, page=REVIEW)
    assert "Rate how sure you are with every answer" in page_text(at)
    book = Casebook.from_settings(Settings.from_env())
    for n in range(5):  # five attempts, each confidently wrong on the first question
        attempt = book.restart(LEARNER, "mini-case", NOW)
        book.answer(attempt.id, "q-single", "b", Confidence.confident, now=NOW)
    text = page_text(at.run())
    assert "When you feel confident you are right 0% of the time" in text
    assert "Confident: right 0 of 5" in text
    assert not at.exception


def test_an_empty_review_answer_is_told_everything_missing_at_once(app_factory):
    learner = "review-learner-03"
    at = app_factory(FIXTURE_CASES, query={"learner": learner}, page=REVIEW)
    book = Casebook.from_settings(Settings.from_env())
    attempt = book.attempt_for(learner, "mini-case", NOW)
    book.answer(attempt.id, "q-single", "b", Confidence.confident, now=NOW)
    at = at.run()
    at = next(b for b in at.button if b.label == "Submit answer").click().run()
    assert [e.value for e in at.error] == ["Choose one of the options and say how sure you are."]
    assert not at.exception


def test_a_review_answer_without_confidence_is_explained_beside_the_submit_button(app_factory):
    from tests.app.helpers import answer_form, in_page_order

    learner = "review-learner-02"
    at = app_factory(FIXTURE_CASES, query={"learner": learner}, page=REVIEW)
    book = Casebook.from_settings(Settings.from_env())
    attempt = book.attempt_for(learner, "mini-case", NOW)
    book.answer(attempt.id, "q-single", "b", Confidence.confident, now=NOW)  # a miss, due straight away
    at = at.run()
    next(r for r in at.radio if r.key.endswith(":choice")).set_value("a")
    at = next(b for b in at.button if b.label == "Submit answer").click().run()
    shown = in_page_order(answer_form(at))
    labels = [getattr(e, "label", None) or getattr(e, "value", None) for e in shown]
    assert labels[-3:] == ["Say how sure you are before submitting.", "Submit answer", "I don't know — show me"]
    assert [e.value for e in at.error] == ["Say how sure you are before submitting."]  # there, and only there
    assert not at.exception
