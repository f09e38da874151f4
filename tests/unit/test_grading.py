from pathlib import Path

import pytest

from casebook.grading import InvalidResponse, grade, normalise, points_earned, ranking_agreement
from casebook.loader import load_case
from tests.conftest import FIXTURE_CASES

CASE = load_case(FIXTURE_CASES / "mini-case").case


def q(qid):
    return CASE.question(qid)


def test_single_choice_right_and_wrong_with_feedback_on_every_option():
    right = grade(q("q-single"), "a")
    wrong = grade(q("q-single"), "b")
    assert right.correct and right.fraction == 1
    assert not wrong.correct and wrong.fraction == 0
    assert [o.feedback for o in wrong.options] == ["A red flag.", "Common with colds."]
    assert [o.chosen for o in wrong.options] == [False, True]


def test_multiple_choice_partial_credit_and_penalty_for_wrong_ticks():
    assert grade(q("q-multi"), ["xr", "sp"]).correct
    assert grade(q("q-multi"), ["xr"]).fraction == 0.5
    assert grade(q("q-multi"), ["xr", "pet"]).fraction == 0
    assert grade(q("q-multi"), ["xr", "sp", "pet"]).fraction == 0.5


@pytest.mark.parametrize("typed", ["hidden diagnosis", "  Hidden-Diagnosis! ", "HIDDEN DIAGNOSIS.", "hd"])
def test_free_text_accepts_synonyms_case_punctuation_and_plural(typed):
    assert grade(q("q-free"), typed).correct


def test_free_text_rejects_a_different_answer():
    assert not grade(q("q-free"), "pneumonia").correct


def test_spelling_variants_fold_together():
    assert normalise("Glomus tumours") == normalise("glomus tumor")
    assert normalise("Œdème") != ""


def test_ranking_partial_credit_for_the_first_place_and_pairs_in_order():
    assert grade(q("q-rank"), ["one", "two", "three"]).correct
    assert grade(q("q-rank"), ["one", "three", "two"]).fraction == pytest.approx(0.5 + 0.5 * 2 / 3)
    assert grade(q("q-rank"), ["two", "one", "three"]).fraction == pytest.approx(0.5 * 2 / 3)
    assert grade(q("q-rank"), ["three", "two", "one"]).fraction == 0
    assert ranking_agreement(["a"], ["a"]) == 1


def test_numeric_tolerance_and_decimal_comma():
    assert grade(q("q-num"), 3.4).correct
    assert grade(q("q-num"), "2,5").correct
    assert not grade(q("q-num"), 4).correct


@pytest.mark.parametrize("qid,bad,message", [
    ("q-single", "zzz", "choose one"),
    ("q-multi", [], "at least one"),
    ("q-multi", ["xr", "nope"], "unknown option"),
    ("q-free", "   ", "type an answer"),
    ("q-rank", ["one", "two"], "every item"),
    ("q-num", "three", "enter a number"),
    ("q-num", "nan", "finite"),
])
def test_bad_responses_are_explained(qid, bad, message):
    with pytest.raises(InvalidResponse, match=message):
        grade(q(qid), bad)


def test_hint_costs_points_but_never_below_zero():
    assert points_earned(q("q-single"), 1.0, hint_used=True) == 1
    assert points_earned(q("q-single"), 0.0, hint_used=True) == 0
    assert points_earned(q("q-multi"), 1.0, hint_used=True) == 2  # no hint on this question
