"""Missed questions come back for review, at growing intervals once answered well."""
from datetime import timedelta

from casebook.progress import Confidence
from tests.conftest import NOW

SURE = Confidence.confident


def test_only_missed_questions_are_queued_and_come_back_later(book):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    book.answer(attempt.id, "q-single", "b", SURE, now=NOW)            # wrong
    book.answer(attempt.id, "q-multi", ["xr", "sp"], SURE, now=NOW)    # right
    assert book.due_reviews("learner-0001", NOW) == []                 # not straight away
    later = NOW + timedelta(hours=1)
    due = book.due_reviews("learner-0001", later)
    assert [(d.question_id, q.id, stage.id) for d, stage, q in due] == [("q-single", "q-single", "history")]


def test_a_good_review_pushes_the_question_further_away_than_a_bad_one(book):
    for learner in ("learner-good", "learner-bad"):
        attempt = book.attempt_for(learner, "mini-case", NOW)
        book.answer(attempt.id, "q-single", "b", SURE, now=NOW)
    later = NOW + timedelta(hours=1)
    good, next_good = book.review_answer("learner-good", "mini-case", "q-single", "a", SURE, later)
    bad, next_bad = book.review_answer("learner-bad", "mini-case", "q-single", "b", SURE, later)
    assert good.correct and not bad.correct
    assert next_good - later >= timedelta(days=1)
    assert next_bad - later < timedelta(hours=1)
    assert book.due_reviews("learner-good", later + timedelta(hours=2)) == []


def test_a_retried_submission_does_not_queue_twice(book):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    book.answer(attempt.id, "q-single", "b", SURE, now=NOW)
    book.answer(attempt.id, "q-single", "b", SURE, now=NOW)
    assert len(book.reviews.upcoming("learner-0001")) == 1
