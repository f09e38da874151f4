"""Ranking: put items in order, e.g. a differential from most to least likely; partial credit."""
from __future__ import annotations

import random
from collections import Counter

from casebook.grading import Grade, InvalidResponse, OptionFeedback, ranking_note, ranking_score
from casebook.kinds.base import QuestionKind, anki_list
from casebook.model import Ranking
from casebook.tally import Tally


def shuffled_items(question: Ranking, seed: str) -> list[tuple[str, str]]:
    """A stable shuffle that never shows the items in the right order (that would give it away)."""
    items = [(i.id, i.text) for i in question.items]
    shuffled = items[:]
    random.Random(f"{seed}:{question.id}").shuffle(shuffled)
    if shuffled == items:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


class RankingKind(QuestionKind):
    type = "ranking"
    model = Ranking
    how_to_answer = ("Pick the items one by one, most likely first, until all are in your list. "
                     "To take one out, press its × (or Backspace in the box).")
    phone_input = "order"
    phone_legend = "Put the items in order, most likely first."

    def check(self, question, response):
        ids = [i.id for i in question.items]
        if (not isinstance(response, (list, tuple)) or not all(isinstance(r, str) for r in response)
                or sorted(response) != sorted(ids)):
            raise InvalidResponse("put every item in the list exactly once")
        return list(response)

    def grade(self, question, response):
        correct = [i.id for i in question.items]
        fraction = ranking_score(correct, response)
        options = [OptionFeedback(item.id, item.text, True, response.index(item.id) == pos, item.feedback)
                   for pos, item in enumerate(question.items)]
        return Grade(fraction, fraction == 1.0, options, note=ranking_note(question, response, fraction))

    def choices(self, question, seed):
        return shuffled_items(question, seed)

    def tally(self, question, responses, joined, people_right, order_seed):
        counter = Counter(r[0] for r in responses if r)
        return Tally(question.id, [f"Ranked first: {i.text}" for i in question.items],
                     [counter[i.id] for i in question.items], [n == 0 for n in range(len(question.items))],
                     len(responses), joined, people_right)

    def projector_tally(self, question, tally, *, revealed, typed_shown, order_seed):
        if revealed:
            return tally
        # The tally lists items in the authored (right) order: put them in the phones' shuffled order.
        by_label = dict(zip(tally.labels, tally.counts))
        labels = [f"Ranked first: {text}" for _, text in shuffled_items(question, order_seed)]
        return Tally(tally.question_id, labels, [by_label.get(label, 0) for label in labels], [False] * len(labels),
                     tally.answered, tally.joined, 0)

    def reveal_payload(self, question):
        return {"order": [i.text for i in question.items]}

    def describe(self, question, response):
        texts = {i.id: i.text for i in question.items}
        return " > ".join(texts[i] for i in response)

    def answer_text(self, question):
        return " → ".join(i.text for i in question.items)

    def feedback_lines(self, question):
        return [f"{i.text}: {i.feedback}" for i in question.items]

    def worksheet_lines(self, question, choices, *, with_answers):
        return "Put these in order, most likely first:", [f"___  {text}" for _, text in choices]

    def giveaways(self, question):
        return [question.items[0].text] if question.items else []

    def anki_options(self, question, choices, esc):
        return anki_list("Put these in order, most likely first.", choices, esc)

    def anki_answer(self, question, letters, esc):
        return "<br>".join(f"{n}. {esc(item.text)} ({letters[item.id]})" for n, item in enumerate(question.items, 1))

    def anki_explanation_parts(self, question, letters):
        return [(letters[i.id], i.text, i.feedback) for i in question.items]


KIND = RankingKind()
