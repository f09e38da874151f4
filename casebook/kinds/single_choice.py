"""Single choice: one option is right."""
from __future__ import annotations

from casebook.grading import Grade, InvalidResponse
from casebook.kinds.choice import ChoiceKind, correct_ids, option_feedback
from casebook.model import SingleChoice


class SingleChoiceKind(ChoiceKind):
    type = "single_choice"
    model = SingleChoice
    how_to_answer = "Choose one answer."
    phone_input = "choose_one"
    phone_legend = "Choose one answer"
    print_how = "Choose one."
    anki_how = "Choose one."

    def check(self, question, response):
        if not isinstance(response, str) or response not in {o.id for o in question.options}:
            raise InvalidResponse("choose one of the options")
        return response

    def grade(self, question, response):
        ok = response in correct_ids(question)
        return Grade(1.0 if ok else 0.0, ok, option_feedback(question, {response}))


KIND = SingleChoiceKind()
