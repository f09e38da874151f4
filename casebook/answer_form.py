"""What stops an answer from being taken, all at once: the response and the confidence rating are
checked together, so a student fixes both after one press instead of one per press."""
from __future__ import annotations

from typing import Any

from casebook.grading import InvalidResponse, check_response
from casebook.model import Question
from casebook.progress import Confidence

NO_CONFIDENCE = "say how sure you are"


def answer_problems(question: Question, response: Any, confidence: Confidence | None, *,
                    require_confidence: bool = True) -> list[str]:
    """Every reason the answer cannot be taken yet, in the order the form asks for them."""
    problems = []
    try:
        check_response(question, response)
    except InvalidResponse as exc:
        problems.append(str(exc))
    if require_confidence and confidence is None:
        problems.append(NO_CONFIDENCE)
    return problems


def problems_sentence(problems: list[str]) -> str:
    """"choose one of the options and say how sure you are" (lower case, no full stop, like every
    InvalidResponse message: the page makes a sentence of it)."""
    if problems == [NO_CONFIDENCE]:
        return NO_CONFIDENCE + " before submitting"
    if len(problems) <= 2:
        return " and ".join(problems)
    return ", ".join(problems[:-1]) + " and " + problems[-1]


def problems_message(problems: list[str]) -> str:
    """The same as a sentence to show: "Choose one of the options and say how sure you are." """
    text = problems_sentence(problems)
    return text[:1].upper() + text[1:] + "."
