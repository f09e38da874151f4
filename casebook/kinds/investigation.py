"""Choose-your-investigation: the student orders tests from a menu and sees only the results ordered.

Each test on the menu shows its cost, time to a result and invasiveness; its result (or "not done in
this case" where the source reports none) reaches a student only once they have ordered it, and a
room only for the test it chose most. Scoring rewards a focused, sufficient work-up:

- the work-up is sufficient when every decisive test is ordered; the decisive tests ordered earn their
  share of the points (all of them: full points);
- each test that adds nothing costs a quarter of the points (never below zero);
- useful tests neither earn nor cost.
"""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from casebook.grading import Grade, InvalidResponse, OptionFeedback
from casebook.kinds.base import QuestionKind, anki_list
from casebook.model import Investigation, InvestigationOption
from casebook.tally import Tally

NOT_DONE = "Not done in this case."
WASTE_COST = 0.25
"""Share of the question's points each test that adds nothing costs."""


@dataclass(frozen=True)
class MenuTest:
    """A test as the menu offers it: what it costs the patient and the service, never its result."""

    id: str
    name: str
    cost: str
    time: str
    invasiveness: str

    @property
    def terms(self) -> str:
        return f"{self.cost} cost · result in {self.time} · {self.invasiveness}"


@dataclass(frozen=True)
class OrderedTest:
    """A test the student has ordered, with its result."""

    test: MenuTest
    result: str


def menu_test(o: InvestigationOption) -> MenuTest:
    return MenuTest(o.id, o.name, o.cost, o.time, o.invasiveness)


def result_text(o: InvestigationOption) -> str:
    return o.result if o.result is not None else NOT_DONE


def shuffled_menu(question: Investigation, seed: str) -> list[InvestigationOption]:
    """The menu in a stable order per attempt (or session), so the decisive tests are not always first."""
    menu = list(question.options)
    random.Random(f"{seed}:{question.id}").shuffle(menu)
    return menu


def ordered_tests(question: Investigation, ordered: list[str] | tuple[str, ...]) -> list[OrderedTest]:
    by_id = {o.id: o for o in question.options}
    return [OrderedTest(menu_test(by_id[t]), result_text(by_id[t])) for t in ordered if t in by_id]


def _names(options: list[InvestigationOption]) -> str:
    return ", ".join(o.name for o in options)


class InvestigationKind(QuestionKind):
    type = "investigation"
    model = Investigation
    how_to_answer = ("Order the tests you need, one at a time; each result appears once ordered. "
                     "Finish when you have enough to decide: tests that add nothing cost points.")
    phone_input = "choose_one"
    phone_legend = "Choose the test you would order next"
    projector_prompt = "Choose on your phone the test you would order next."
    reveal_uses_tally = True

    # --- checking and grading ---------------------------------------------------------------

    def check(self, question, response):
        if isinstance(response, str):
            response = [response]  # a phone orders one test at a time
        if not isinstance(response, (list, tuple)) or not response:
            raise InvalidResponse("order at least one test")
        if not all(isinstance(r, str) for r in response):
            raise InvalidResponse("order tests from the menu")
        ordered = list(dict.fromkeys(response))
        known = {o.id for o in question.options}
        unknown = [r for r in ordered if r not in known]
        if unknown:
            raise InvalidResponse(f"there is no test {unknown[0][:40]!r} on the menu")
        if question.max_orders is not None and len(ordered) > question.max_orders:
            raise InvalidResponse(f"order at most {question.max_orders} test{'s' if question.max_orders > 1 else ''}")
        return ordered

    def check_order(self, question: Investigation, ordered: tuple[str, ...], test_id: object) -> str:
        """One more test ordered in self-study: the test's id, or InvalidResponse saying why not."""
        if not isinstance(test_id, str) or test_id not in {o.id for o in question.options}:
            raise InvalidResponse("order a test from the menu")
        if test_id in ordered:
            raise InvalidResponse("that test is already ordered")
        if question.max_orders is not None and len(ordered) >= question.max_orders:
            raise InvalidResponse(f"you have ordered the {question.max_orders} tests this question allows")
        return test_id

    def self_study_response(self, question, response, work):
        """The tests ordered in this attempt, in their order: a window showing fewer (another window ordered
        one since) or a response listing tests never ordered grades the same work-up the student's results show."""
        return list(work)

    def grade(self, question, response):
        chosen = set(response)
        decisive = [o for o in question.options if o.value == "decisive"]
        got = [o for o in decisive if o.id in chosen]
        missed = [o for o in decisive if o.id not in chosen]
        wasted = [o for o in question.options if o.value == "adds nothing" and o.id in chosen]
        fraction = max(0.0, len(got) / len(decisive) - WASTE_COST * len(wasted))
        options = [OptionFeedback(o.id, o.name, o.id in chosen, o.value == "decisive", o.feedback)
                   for o in question.options]
        return Grade(round(fraction, 4), not missed and not wasted, options, note=self._note(got, missed, wasted))

    @staticmethod
    def _note(got, missed, wasted) -> str:
        parts = []
        if got:
            parts.append(f"Decided it: {_names(got)}.")
        if missed:
            parts.append(f"Not ordered, and needed to decide: {_names(missed)}, so the work-up was not sufficient.")
        else:
            parts.append("Every decisive test was ordered: the work-up was sufficient.")
        if wasted:
            parts.append(f"Added nothing: {_names(wasted)} (each costs {WASTE_COST:.0%} of the points).")
        return " ".join(parts)

    # --- what the student sees --------------------------------------------------------------

    def choices(self, question, seed):
        return [(o.id, f"{o.name} ({menu_test(o).terms})") for o in shuffled_menu(question, seed)]

    def option_order(self, question, seed):
        return tuple(o.id for o in shuffled_menu(question, seed))

    def view_fields(self, question, work=()):
        """The menu without results, and the results of the tests already ordered (`work`), nothing more."""
        return {"menu": tuple(menu_test(o) for o in question.options), "max_orders": question.max_orders,
                "ordered": tuple(ordered_tests(question, work))}

    # --- a live class poll ------------------------------------------------------------------

    def tally(self, question, responses, joined, people_right, order_seed):
        # A phone orders one test next: only the first of a response counts (the phone page sends one).
        firsts = [(r if isinstance(r, list) else [r])[:1] for r in responses]
        counter = Counter(t for r in firsts for t in r)
        menu = shuffled_menu(question, order_seed) if order_seed is not None else list(question.options)
        decisive = {o.id for o in question.options if o.value == "decisive"}
        # Right: a person who chose a decisive test (the room orders one test next, not a whole work-up).
        right = sum(1 for r in firsts if decisive & set(r))
        return Tally(question.id, [o.name for o in menu], [counter[o.id] for o in menu],
                     [o.id in decisive for o in menu], len(responses), joined, right)

    def projector_answer(self, question, tally, order_seed=None):
        """Once revealed, the room sees the result of the test it chose most (the first of a tie, in the
        phones' order), and of no other test."""
        menu = shuffled_menu(question, order_seed) if order_seed is not None else list(question.options)
        winner = None
        if tally is not None and len(tally.counts) == len(menu) and max(tally.counts, default=0) > 0:
            winner = menu[tally.counts.index(max(tally.counts))]
        return question.model_copy(update={"options": [winner] if winner else []})

    def phone_result(self, question, response) -> dict:
        """The result of the one test this phone chose (a phone sending a list of every test still gets one)."""
        return {"results": [{"name": t.test.name, "result": t.result} for t in ordered_tests(question, response[:1])]}

    def reveal_payload(self, question):
        return {"tests": [{"name": o.name, "value": o.value, "feedback": o.feedback} for o in question.options]}

    def describe(self, question, response):
        names = {o.id: o.name for o in question.options}
        return "; ".join(names[t] for t in response)

    # --- paper and Anki ---------------------------------------------------------------------

    def answer_text(self, question):
        groups = [(label, [o for o in question.options if o.value == value])
                  for label, value in (("Decisive", "decisive"), ("Useful", "useful"), ("Adds nothing", "adds nothing"))]
        return " ".join(f"{label}: {_names(tests)}." for label, tests in groups if tests)

    def feedback_lines(self, question):
        return [f"{o.name} ({o.value}): {o.feedback} Result: {result_text(o)}" for o in question.options]

    def worksheet_lines(self, question, choices, *, with_answers):
        decisive = {o.id for o in question.options if o.value == "decisive"}
        limit = f" (at most {question.max_orders})" if question.max_orders else ""
        return (f"Tick the tests you would order{limit}:",
                [f"{'☑' if with_answers and oid in decisive else '☐'}  {text}" for oid, text in choices])

    def anki_options(self, question, choices, esc):
        return anki_list("Which tests would you order? Tests that add nothing cost points.", choices, esc)

    def anki_answer(self, question, letters, esc):
        decisive = sorted((letters[o.id], o.name) for o in question.options if o.value == "decisive")
        return "Decisive: " + "<br>".join(f"{letter}. {esc(name)}" for letter, name in decisive)

    def anki_explanation_parts(self, question, letters):
        return [(letters[o.id], o.name, f"{o.value}. {o.feedback} Result: {result_text(o)}") for o in question.options]


KIND = InvestigationKind()
