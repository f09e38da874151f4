"""The protocol every question kind follows: what the rest of Casebook may ask of a question.

A kind answers for its own question model: whether a response fits and what it earns, what each
audience may see of it (the student before and after answering, the phone, the projector before and
after the reveal), how a room's answers are counted, and how it reads on paper and in an Anki card.
The defaults suit a question answered by typing; each kind overrides what differs.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, ClassVar

from casebook.grading import Grade, InvalidResponse
from casebook.model import Question
from casebook.tally import Tally

Escape = Callable[[str], str]
"""Turns case text into safe HTML (the Anki deck's escaping)."""


class QuestionKind:
    type: ClassVar[str]
    """The `type:` an author writes in case.yaml."""
    model: ClassVar[type]
    """The pydantic model of the question (in casebook.model, the case format's single source of truth)."""
    how_to_answer: ClassVar[str]
    """One line under the prompt telling the student how to answer."""
    phone_input: ClassVar[str] = "text"
    """Which input the phone page draws: choose_one, choose_many, order, text or number."""
    phone_legend: ClassVar[str] = "Your answer"
    typed_words: ClassVar[bool] = False
    """True when a room's answers are words students typed: the projector shows them only when the lecturer says."""
    reveal_uses_tally: ClassVar[bool] = False
    """True when what the projector shows on reveal depends on how the room answered."""
    projector_prompt: ClassVar[str | None] = None
    """A line under the question on the projector, telling the room how to answer from a phone."""

    # --- checking and grading ---------------------------------------------------------------

    def check(self, question: Question, response: Any) -> Any:
        """The response in canonical (stored) form, or InvalidResponse saying what is wrong. The response may
        come straight from a phone's JSON, so it can be anything JSON holds."""
        raise InvalidResponse(f"unsupported question type {type(question).__name__}")

    def check_order(self, question: Question, ordered: tuple[str, ...], item: object) -> str:
        """One more item of work done before answering (a test ordered), or InvalidResponse saying why not."""
        raise InvalidResponse("this question has no tests to order")

    def self_study_response(self, question: Question, response: Any, work: tuple[str, ...]) -> Any:
        """What a self-study answer is graded on: the response sent, or, for a kind whose answer is the work
        done on it (the tests ordered), that work as stored, whatever a window sent."""
        return response

    def grade(self, question: Question, response: Any) -> Grade:
        """Grade a response already in canonical form."""
        raise NotImplementedError

    # --- what the student sees --------------------------------------------------------------

    def choices(self, question: Question, seed: str) -> list[tuple[str, str]]:
        """(id, text) of what the student picks from, in the order this attempt or session shows them."""
        return []

    def view_fields(self, question: Question, work: tuple[str, ...] = ()) -> dict:
        """Extra fields of the unanswered question's view (a unit, a placeholder, a menu). `work` is what the
        student has already done on it (the tests ordered so far)."""
        return {}

    def option_order(self, question: Question, seed: str) -> tuple[str, ...]:
        """Option ids in the order the student saw them, so feedback reads in the same order; () for the authored order."""
        return ()

    # --- a live class poll ------------------------------------------------------------------

    def tally(self, question: Question, responses: list[Any], joined: int, people_right: int,
              order_seed: str | None) -> Tally:
        raise NotImplementedError

    def projector_tally(self, question: Question, tally: Tally, *, revealed: bool, typed_shown: bool,
                        order_seed: str) -> Tally:
        """The chart the room sees: before the reveal nothing in it says which answer is right."""
        return tally if revealed else replace(tally, correct=[False] * len(tally.labels), right=0)

    def projector_answer(self, question: Question, tally: Tally | None, order_seed: str | None = None) -> Question:
        """What the projector may show of the question once revealed (the whole answer key, by default)."""
        return question

    def phone_fields(self, question: Question) -> dict:
        """What the phone needs to draw the question, beyond prompt and choices."""
        return {"input": self.phone_input, "legend": self.phone_legend}

    def phone_result(self, question: Question, response: Any) -> dict:
        """More for a phone's own result once revealed (the results of the tests it ordered)."""
        return {}

    def reveal_payload(self, question: Question) -> dict:
        """What a phone shows once the answer is revealed (besides the explanation)."""
        return {}

    def describe(self, question: Question, response: Any) -> str:
        """A response in words, for the CSV export."""
        return str(response)

    # --- paper and Anki ---------------------------------------------------------------------

    def answer_text(self, question: Question) -> str:
        """The expected answer in plain words (handout)."""
        raise NotImplementedError

    def feedback_lines(self, question: Question) -> list[str]:
        """"option: why" lines after the answer (handout); empty when the kind has no options."""
        return []

    def worksheet_lines(self, question: Question, choices: list[tuple[str, str]], *,
                        with_answers: bool) -> tuple[str | None, list[str]]:
        """The printed question's instruction (or None) and the lines to write on."""
        return (None, []) if with_answers else ("Your answer:", [])

    def giveaways(self, question: Question) -> list[str]:
        """Answers a stage would give away by naming them (the worksheet stops before such a stage)."""
        return []

    def anki_options(self, question: Question, choices: list[tuple[str, str]], esc: Escape) -> str:
        return ""

    def anki_answer(self, question: Question, letters: dict[str, str], esc: Escape) -> str:
        return esc(self.answer_text(question))

    def anki_explanation_parts(self, question: Question, letters: dict[str, str]) -> list[tuple[str, str, str]]:
        """(letter, text, why) per option, for the back of the card."""
        return []


def anki_list(how: str, choices: list[tuple[str, str]], esc: Escape) -> str:
    """An Anki card's lettered list of options under a line saying how to answer."""
    items = "".join(f"<li>{letter(i)}. {esc(text)}</li>" for i, (_, text) in enumerate(choices))
    return f'<div class="how">{esc(how)}</div><ul style="list-style: none; padding-left: 0">{items}</ul>'


def letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else str(index + 1)
