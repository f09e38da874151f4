"""How each option of an answered choice question is marked: what the student did with it and
whether that was right, in words that need neither colour nor bold type to be understood."""
from __future__ import annotations

from enum import Enum


class Mark(str, Enum):
    # Multiple choice: every option was a decision to tick or not.
    ticked_right = "ticked_right"
    ticked_wrong = "ticked_wrong"
    missed = "missed"
    rightly_left = "rightly_left"
    # Single choice (and a question given up): one pick, one right answer.
    picked_right = "picked_right"
    picked_wrong = "picked_wrong"
    the_answer = "the_answer"
    not_the_answer = "not_the_answer"


MARK_WORDS = {
    Mark.ticked_right: "You ticked this: right",
    Mark.ticked_wrong: "You ticked this: wrong",
    Mark.missed: "You missed this: it is right",
    Mark.rightly_left: "Rightly left unticked",
    Mark.picked_right: "Your pick: right",
    Mark.picked_wrong: "Your pick: wrong",
    Mark.the_answer: "The right answer",
    Mark.not_the_answer: "Not the answer",
}

GOOD = frozenset({Mark.ticked_right, Mark.rightly_left, Mark.picked_right})
"""Marks of a decision the student got right."""


def option_mark(*, multiple: bool, correct: bool, chosen: bool, gave_up: bool = False) -> Mark:
    """The mark of one option. A student who gave up decided nothing, so their options are marked
    only as the answer or not."""
    if multiple and not gave_up:
        if chosen:
            return Mark.ticked_right if correct else Mark.ticked_wrong
        return Mark.missed if correct else Mark.rightly_left
    if chosen and not gave_up:
        return Mark.picked_right if correct else Mark.picked_wrong
    return Mark.the_answer if correct else Mark.not_the_answer
