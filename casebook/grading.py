"""Grading of each question type: a fraction of the points, and feedback on every option."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from casebook.model import FreeText, MultipleChoice, Numeric, Question, Ranking, SingleChoice


class InvalidResponse(ValueError):
    """The response does not fit the question (unknown option, not a number...)."""


@dataclass(frozen=True)
class OptionFeedback:
    id: str
    text: str
    chosen: bool
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Grade:
    fraction: float
    """0..1 share of the question's points before any hint penalty."""
    correct: bool
    options: list[OptionFeedback] = field(default_factory=list)
    matched: str | None = None
    """For free text: the accepted answer that matched."""

    @property
    def verdict(self) -> str:
        if self.correct:
            return "correct"
        return "partly correct" if self.fraction > 0 else "incorrect"


_SPELLINGS = {"tumour": "tumor", "oedema": "edema", "haem": "hem", "anaem": "anem", "oesoph": "esoph", "paed": "ped"}


def normalise(text: str) -> str:
    """Lower case, no accents or punctuation, British/American spelling and plural -s folded."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = text.lower()
    for british, american in _SPELLINGS.items():
        text = text.replace(british, american)
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


NUMBER_MAX_CHARS = 40


def check_response(question: Question, response: Any) -> Any:
    """Return the response in canonical form, or raise InvalidResponse saying what is wrong.

    The response may come straight from a phone's JSON, so it can be anything JSON holds: lists of
    lists, mixed types, numbers of any size. Whatever it is, the only error is InvalidResponse."""
    if isinstance(question, SingleChoice):
        ids = {o.id for o in question.options}
        if not isinstance(response, str) or response not in ids:
            raise InvalidResponse("choose one of the options")
        return response
    if isinstance(question, MultipleChoice):
        ids = {o.id for o in question.options}
        if not isinstance(response, (list, tuple, set)) or not response:
            raise InvalidResponse("choose at least one option")
        if not all(isinstance(r, str) for r in response):
            raise InvalidResponse("choose options from the list")
        chosen = list(dict.fromkeys(response))
        unknown = [r for r in chosen if r not in ids]
        if unknown:
            shown = ", ".join(r[:40] for r in unknown[:3]) + (" …" if len(unknown) > 3 else "")
            raise InvalidResponse(f"unknown option(s): {shown}")
        return chosen
    if isinstance(question, FreeText):
        if not isinstance(response, str) or not response.strip():
            raise InvalidResponse("type an answer first")
        if len(response) > 500:
            raise InvalidResponse("keep the answer under 500 characters")
        return response.strip()
    if isinstance(question, Ranking):
        ids = [i.id for i in question.items]
        if (not isinstance(response, (list, tuple)) or not all(isinstance(r, str) for r in response)
                or sorted(response) != sorted(ids)):
            raise InvalidResponse("put every item in the list exactly once")
        return list(response)
    if isinstance(question, Numeric):
        if isinstance(response, bool) or not isinstance(response, (int, float, str)):
            raise InvalidResponse("enter a number")
        if isinstance(response, str) and len(response) > NUMBER_MAX_CHARS:
            raise InvalidResponse("enter a number")
        try:
            value = float(response.replace(",", ".").strip()) if isinstance(response, str) else float(response)
        except (TypeError, ValueError):
            raise InvalidResponse("enter a number") from None
        except OverflowError:  # an integer of hundreds of digits
            raise InvalidResponse("enter a finite number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidResponse("enter a finite number")
        return value
    raise InvalidResponse(f"unsupported question type {type(question).__name__}")


def grade(question: Question, response: Any) -> Grade:
    response = check_response(question, response)
    if isinstance(question, SingleChoice):
        ok = response in _correct_ids(question)
        return Grade(1.0 if ok else 0.0, ok, _option_feedback(question, {response}))
    if isinstance(question, MultipleChoice):
        chosen = set(response)
        right = _correct_ids(question)
        hits, wrong = len(chosen & right), len(chosen - right)
        fraction = max(0.0, (hits - wrong) / len(right))
        return Grade(fraction, chosen == right, _option_feedback(question, chosen))
    if isinstance(question, FreeText):
        given = normalise(response)
        matched = next((a for a in question.accepted if normalise(a) == given), None)
        return Grade(1.0 if matched else 0.0, matched is not None, matched=matched)
    if isinstance(question, Ranking):
        fraction = ranking_agreement([i.id for i in question.items], response)
        options = [
            OptionFeedback(item.id, item.text, True, response.index(item.id) == pos, item.feedback)
            for pos, item in enumerate(question.items)
        ]
        return Grade(fraction, fraction == 1.0, options)
    assert isinstance(question, Numeric)
    ok = abs(response - question.answer) <= question.tolerance + 1e-9
    return Grade(1.0 if ok else 0.0, ok)


def ranking_agreement(correct: list[str], given: list[str]) -> float:
    """Share of item pairs the student put in the same relative order as the answer (1 = identical)."""
    pos = {item: i for i, item in enumerate(given)}
    pairs = [(a, b) for i, a in enumerate(correct) for b in correct[i + 1:]]
    if not pairs:
        return 1.0
    return sum(pos[a] < pos[b] for a, b in pairs) / len(pairs)


def points_earned(question: Question, fraction: float, *, hint_used: bool) -> float:
    penalty = question.hint_cost if hint_used and question.hint else 0.0
    return round(max(0.0, question.points * fraction - penalty), 2)


def _correct_ids(question: SingleChoice | MultipleChoice) -> set[str]:
    return {o.id for o in question.options if o.correct}


def _option_feedback(question: SingleChoice | MultipleChoice, chosen: set[str]) -> list[OptionFeedback]:
    return [OptionFeedback(o.id, o.text, o.id in chosen, o.correct, o.feedback) for o in question.options]
