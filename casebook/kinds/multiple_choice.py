"""Multiple choice: any number of options are right; partial credit."""
from __future__ import annotations

from casebook.grading import Grade, InvalidResponse
from casebook.kinds.choice import ChoiceKind, correct_ids, option_feedback
from casebook.model import MultipleChoice


class MultipleChoiceKind(ChoiceKind):
    type = "multiple_choice"
    model = MultipleChoice
    how_to_answer = "Tick every answer that applies."
    phone_input = "choose_many"
    phone_legend = "Tick every answer that applies"
    print_how = "Tick every answer that applies."
    anki_how = "Choose every answer that applies."

    def check(self, question, response):
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

    def grade(self, question, response):
        chosen = set(response)
        right = correct_ids(question)
        hits, wrong = len(chosen & right), len(chosen - right)
        fraction = max(0.0, (hits - wrong) / len(right))
        return Grade(fraction, chosen == right, option_feedback(question, chosen))


KIND = MultipleChoiceKind()
