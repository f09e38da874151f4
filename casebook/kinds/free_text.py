"""Free text: a typed answer matched against accepted answers and their spelling variants.

The room's answers are students' own words: the projector shows them only once the lecturer chooses to.
"""
from __future__ import annotations

import unicodedata
from collections import Counter

from casebook.grading import Grade, InvalidResponse, free_text_key, match_free_text, normalise
from casebook.kinds.base import QuestionKind
from casebook.model import FreeText
from casebook.tally import Tally

HIDDEN_WORDS = "Typed answers (the words stay hidden until the lecturer shows them)"
FREE_TEXT_GROUPS = 12
MAX_CHARS = 500


class FreeTextKind(QuestionKind):
    type = "free_text"
    model = FreeText
    how_to_answer = "Type your answer; synonyms, spelling variants and small slips of spelling are accepted."
    phone_input = "text"
    typed_words = True
    projector_prompt = "Type your answer on your phone; identical answers are grouped."

    def check(self, question, response):
        if not isinstance(response, str) or not response.strip():
            raise InvalidResponse("type an answer first")
        if len(response) > MAX_CHARS:
            raise InvalidResponse("keep the answer under 500 characters")
        # Invisible format characters (right-to-left overrides, zero-width joiners) would make the words
        # on the projector read differently from what was stored: keep only what can be seen.
        visible = "".join(ch for ch in response if unicodedata.category(ch) != "Cf").strip()
        if not visible:
            raise InvalidResponse("type an answer first")
        return visible

    def grade(self, question, response):
        found = match_free_text(question, response)
        note = None if found.exact or found.accepted is None else f"accepted — spelled {found.accepted}"
        return Grade(1.0 if found.accepted else 0.0, found.accepted is not None, matched=found.accepted, note=note)

    def view_fields(self, question, work=()):
        return {"placeholder": question.placeholder}

    def phone_fields(self, question):
        return {**super().phone_fields(question), "placeholder": question.placeholder}

    def tally(self, question, responses, joined, people_right, order_seed):
        groups: Counter = Counter()
        shown: dict[str, str] = {}
        accepted = {normalise(a) for a in question.accepted}
        for r in responses:
            # Grouped as graded: a misspelling of an accepted answer counts with it. The bar shows words
            # someone typed (never the case's answer, which could tell the room early which bar is
            # right), preferring a form spelled like the accepted answer.
            key, _ = free_text_key(question, r)
            groups[key] += 1
            if key not in shown or (normalise(r) == key and normalise(shown[key]) != key):
                shown[key] = str(r).strip()
        # The biggest groups, always including every accepted answer given; the rest fold into one bar.
        ranked = groups.most_common()
        right = [(k, c) for k, c in ranked if k in accepted]
        wrong = [(k, c) for k, c in ranked if k not in accepted]
        room = max(FREE_TEXT_GROUPS - len(right), 1)
        keep = {k for k, _ in right + (wrong if len(wrong) <= room else wrong[: room - 1])}
        ordered = [(k, c) for k, c in ranked if k in keep]
        labels, counts, correct = [shown[k] for k, _ in ordered], [c for _, c in ordered], [k in accepted for k, _ in ordered]
        rest = [(k, c) for k, c in ranked if k not in keep]
        if rest:
            labels.append(f"{len(rest)} other answers")
            counts.append(sum(c for _, c in rest))
            correct.append(False)
        return Tally(question.id, labels, counts, correct, len(responses), joined, people_right)

    def projector_tally(self, question, tally, *, revealed, typed_shown, order_seed):
        if typed_shown:
            return super().projector_tally(question, tally, revealed=revealed, typed_shown=typed_shown,
                                           order_seed=order_seed)
        if not revealed:
            return Tally(tally.question_id, [HIDDEN_WORDS], [tally.answered], [False], tally.answered, tally.joined,
                         tally.right)
        return Tally(tally.question_id, ["An accepted answer", "Another answer"],
                     [tally.right, tally.answered - tally.right], [True, False], tally.answered, tally.joined, tally.right)

    def reveal_payload(self, question):
        return {"accepted": question.accepted}

    def answer_text(self, question):
        also = question.accepted[1:]
        return question.accepted[0] + (f" (also accepted: {', '.join(also)})" if also else "")

    def giveaways(self, question):
        return list(question.accepted)

    def anki_answer(self, question, letters, esc):
        also = question.accepted[1:]
        return esc(question.accepted[0]) + (f"<br>Also accepted: {esc(', '.join(also))}" if also else "")


KIND = FreeTextKind()
