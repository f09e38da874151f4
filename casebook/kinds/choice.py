"""What single and multiple choice share: options shuffled per attempt, feedback on every option."""
from __future__ import annotations

import random
from collections import Counter
from typing import Any

from casebook.grading import OptionFeedback
from casebook.kinds.base import Escape, QuestionKind, anki_list
from casebook.model import MultipleChoice, SingleChoice
from casebook.tally import Tally

ChoiceQuestion = SingleChoice | MultipleChoice


def shuffled_options(question: ChoiceQuestion, seed: str) -> list[tuple[str, str]]:
    """Options in a stable order per attempt (or poll session), so the right one is not always first.

    Options an author marks `keep_last` (e.g. "None of these") stay at the end.
    """
    movable = [(o.id, o.text) for o in question.options if not o.keep_last]
    fixed = [(o.id, o.text) for o in question.options if o.keep_last]
    random.Random(f"{seed}:{question.id}").shuffle(movable)
    return movable + fixed


def correct_ids(question: ChoiceQuestion) -> set[str]:
    return {o.id for o in question.options if o.correct}


def option_feedback(question: ChoiceQuestion, chosen: set[str]) -> list[OptionFeedback]:
    return [OptionFeedback(o.id, o.text, o.id in chosen, o.correct, o.feedback) for o in question.options]


class ChoiceKind(QuestionKind):
    """The behaviour both choice kinds share; each sets its own checking, grading and wording."""

    print_how: str
    anki_how: str

    def choices(self, question, seed):
        return shuffled_options(question, seed)

    def option_order(self, question, seed):
        return tuple(oid for oid, _ in shuffled_options(question, seed))

    def tally(self, question, responses, joined, people_right, order_seed):
        counter = Counter(c for r in responses for c in (r if isinstance(r, list) else [r]))
        options = question.options
        if order_seed is not None:
            by_id = {o.id: o for o in question.options}
            options = [by_id[oid] for oid, _ in shuffled_options(question, order_seed)]
        return Tally(question.id, [o.text for o in options], [counter[o.id] for o in options],
                     [o.correct for o in options], len(responses), joined, people_right)

    def reveal_payload(self, question):
        return {"options": [{"id": o.id, "text": o.text, "correct": o.correct, "feedback": o.feedback}
                            for o in question.options]}

    def describe(self, question, response: Any) -> str:
        texts = {o.id: o.text for o in question.options}
        chosen = response if isinstance(response, list) else [response]
        return "; ".join(texts[c] for c in chosen)

    def answer_text(self, question):
        return "; ".join(o.text for o in question.options if o.correct)

    def feedback_lines(self, question):
        return [f"{o.text}: {o.feedback}" for o in question.options]

    def worksheet_lines(self, question, choices, *, with_answers):
        right = correct_ids(question)
        return self.print_how, [f"{'☑' if with_answers and oid in right else '☐'}  {text}" for oid, text in choices]

    def anki_options(self, question, choices, esc: Escape):
        return anki_list(self.anki_how, choices, esc)

    def anki_answer(self, question, letters, esc: Escape):
        right = sorted((letters[o.id], o.text) for o in question.options if o.correct)
        return "<br>".join(f"{letter}. {esc(text)}" for letter, text in right)

    def anki_explanation_parts(self, question, letters):
        return [(letters[o.id], o.text, o.feedback) for o in question.options]
