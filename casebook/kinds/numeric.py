"""Numeric: a number, right within a tolerance."""
from __future__ import annotations

from collections import Counter

from casebook.grading import Grade, InvalidResponse
from casebook.kinds.base import QuestionKind
from casebook.model import Numeric
from casebook.tally import Tally
from casebook.wording import numeric_answer

NUMBER_MAX_CHARS = 40


class NumericKind(QuestionKind):
    type = "numeric"
    model = Numeric
    how_to_answer = "Enter a number."
    phone_input = "number"
    projector_prompt = "Type your answer on your phone; identical answers are grouped."

    def check(self, question, response):
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

    def right(self, question: Numeric, value: float) -> bool:
        return abs(value - question.answer) <= question.tolerance + 1e-9

    def grade(self, question, response):
        ok = self.right(question, response)
        return Grade(1.0 if ok else 0.0, ok)

    def view_fields(self, question, work=()):
        return {"unit": question.unit}

    def phone_fields(self, question):
        legend = "Your answer" + (f" ({question.unit})" if question.unit else "")
        return {"input": self.phone_input, "legend": legend, "unit": question.unit}

    def tally(self, question, responses, joined, people_right, order_seed):
        counter = Counter(float(r) for r in responses)
        ordered = sorted(counter)
        return Tally(question.id, [f"{v:g}" for v in ordered], [counter[v] for v in ordered],
                     [self.right(question, v) for v in ordered], len(responses), joined, people_right)

    def reveal_payload(self, question):
        return {"answer": numeric_answer(question)}

    def describe(self, question, response):
        return f"{response:g}"

    def answer_text(self, question):
        return numeric_answer(question)

    def worksheet_lines(self, question, choices, *, with_answers):
        if with_answers:
            return None, []
        return f"Your answer{f' ({question.unit})' if question.unit else ''}:", []

    def anki_options(self, question, choices, esc):
        return f'<div class="how">Answer in {esc(question.unit)}.</div>' if question.unit else ""

    def anki_answer(self, question, letters, esc):
        unit = f" {question.unit}" if question.unit else ""
        within = f" (answers within ± {question.tolerance:g}{unit} count as right)" if question.tolerance else ""
        return esc(f"{question.answer:g}{unit}{within}")


KIND = NumericKind()
