"""A student sees whole or half points: per question, in a case's total, and in what is stored."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from casebook.grading import grade, points_earned
from casebook.loader import load_case
from casebook.points import earned_text, to_half_points
from casebook.progress import AnswerRecord, Attempt
from tests.conftest import FIXTURE_CASES
from tests.unit.test_loader import GOOD, write_case

CASE = load_case(FIXTURE_CASES / "mini-case").case
NOW = datetime(2025, 3, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("earned,worth,shown", [
    (2 * 2 / 3, 2, 1.5),    # two of three right ticks on a 2-point question: not 1.33
    (3 * 11 / 12, 3, 2.5),  # a ranking with one slip low down, 2.75 rounds up a quarter: never 3 for a slip
    (3 * 0.75, 3, 2.5),     # a quarter rounds up
    (2 * 0.6, 2, 1.0),
    (1 / 3, 1, 0.5),        # partly right keeps half a point …
    (0.1, 2, 0.5),
    (1.9, 2, 1.5),          # … and never reaches the full points
    (0, 2, 0), (2, 2, 2), (3, 3, 3),
])
def test_earned_points_are_whole_or_half(earned, worth, shown):
    assert to_half_points(earned, worth) == shown


def test_a_ranking_with_one_slip_earns_one_and_a_half_of_two_not_one_point_six_seven():
    question = CASE.question("q-rank")
    g = grade(question, ["one", "three", "two"])
    assert points_earned(question, g.fraction, hint_used=False) == 1.5
    assert earned_text(points_earned(question, g.fraction, hint_used=False), question.points) == "1.5 of 2 points"


def test_a_hint_comes_off_the_rounded_share():
    question = CASE.question("q-single")  # worth 2, hint costs 1
    assert points_earned(question, 1.0, hint_used=True) == 1


def test_a_total_is_the_sum_of_what_each_question_showed_even_for_answers_stored_before_rounding():
    def record(qid: str, points: float, worth: float) -> AnswerRecord:
        return AnswerRecord(qid, None, points / worth, points, worth, False, False, False, None, NOW)

    # 1.33 + 1.33 + 2 stored by an earlier version: shown 1.5 + 1.5 + 2, so the total says 5, not 4.66.
    attempt = Attempt("a", "learner-01", "c", "h", 0, NOW, answers={
        "q1": record("q1", 1.33, 2), "q2": record("q2", 1.33, 2), "q3": record("q3", 2, 2)})
    assert attempt.points == 5
    assert earned_text(1.33, 2) == "1.5 of 2 points"


def test_a_question_worth_a_third_of_a_point_is_refused_with_its_line(tmp_path):
    from casebook.loader import load_case as load
    text = GOOD.replace("hint_cost: 1", "hint_cost: 0.3", 1)
    errors = load(write_case(tmp_path, "mini-case", text)).errors
    assert [(e.field, e.message) for e in errors] == [
        ("stages[0].questions[0].hint_cost",
         "hint_cost must be a whole or half number of points (like 1, 1.5 or 2); found 0.3")]
