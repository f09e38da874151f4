"""Calibration: a learner sees whether their confidence matches how often they are right."""
from datetime import timedelta

from casebook.calibration import calibration
from casebook.progress import AnswerRecord, Confidence
from tests.conftest import NOW


def answers(level: Confidence, right: int, wrong: int, gave_up: int = 0) -> list[AnswerRecord]:
    out = []
    for n, (ok, up) in enumerate([(True, False)] * right + [(False, False)] * wrong + [(False, True)] * gave_up):
        out.append(AnswerRecord(f"q{n}", None, 1.0 if ok else 0.0, 1.0 if ok else 0.0, 1.0, ok, up, False, level,
                                NOW + timedelta(minutes=n)))
    return out


def test_confident_but_often_wrong_is_called_over_confidence():
    c = calibration(answers(Confidence.confident, right=3, wrong=5) + answers(Confidence.guessing, right=1, wrong=3))
    band = {b.confidence: b for b in c.bands}
    assert (band[Confidence.confident].answered, band[Confidence.confident].percent_right) == (8, 38)
    assert "over-confident" in c.verdict and "38%" in c.verdict
    assert c.answered == 12


def test_guessing_but_mostly_right_is_called_under_confidence():
    c = calibration(answers(Confidence.guessing, right=5, wrong=1) + answers(Confidence.confident, right=6, wrong=0))
    assert "you know more than you credit yourself with" in c.verdict and "over-confident" not in c.verdict


def test_giving_up_counts_as_not_right_and_few_answers_say_nothing_yet():
    c = calibration(answers(Confidence.unsure, right=0, wrong=0, gave_up=2))
    assert {b.confidence: b.right for b in c.bands}[Confidence.unsure] == 0
    assert "after 5 answers" in c.verdict and c.recent_confident is None


def test_well_matched_confidence_is_praised():
    c = calibration(answers(Confidence.confident, right=9, wrong=1) + answers(Confidence.guessing, right=2, wrong=4))
    assert "matches your results well" in c.verdict


def test_the_store_returns_every_answer_of_a_learner(book):
    attempt = book.attempt_for("learner-cal-01", "mini-case", NOW)
    book.answer(attempt.id, "q-single", "b", Confidence.confident, now=NOW)
    book.answer(attempt.id, "q-multi", ["xr"], Confidence.guessing, now=NOW + timedelta(minutes=1))
    other = book.attempt_for("learner-cal-02", "mini-case", NOW)
    book.answer(other.id, "q-single", "a", Confidence.confident, now=NOW)
    mine = book.progress.learner_answers("learner-cal-01")
    assert [(r.question_id, r.confidence) for r in mine] == [("q-single", Confidence.confident),
                                                          ("q-multi", Confidence.guessing)]
