"""Choose-your-investigation: a menu of tests with their cost, time and invasiveness; an Order button each;
the results of the tests ordered so far; and a button to finish the work-up.

Only what the core put in the view is drawn: the menu never carries a result, so a result reaches the
browser only once its test is ordered.
"""
from __future__ import annotations

import streamlit as st

from casebook.kinds.investigation import NOT_DONE, menu_test, ordered_tests, result_text
from components.kinds.base import KindDrawing

VALUE_WORDS = {"decisive": "decisive", "useful": "useful", "adds nothing": "added nothing"}


def _menu_in_order(q):
    """The menu in the order this attempt shows it (the view's choices are shuffled per attempt)."""
    by_id = {t.id: t for t in q.menu}
    return [by_id[oid] for oid, _ in q.choices if oid in by_id]


def _result_block(name: str, terms: str, result: str) -> str:
    return f"**{name}** · {terms}  \n{result}"


class InvestigationDrawing(KindDrawing):
    type = "investigation"

    def own_form(self, q, *, key, error=None, on_submit=None):
        """The ordering panel; with no `on_submit` (a review of a missed question) the plain form is used instead."""
        from components.question import CONFIDENCE_LABELS, Submission, points_text, render_hint

        if on_submit is None:
            return NotImplemented
        st.markdown(f"**Question — {points_text(q.points)}**\n\n{q.prompt}")
        st.caption(self.how(q))
        render_hint(q, key=key, on_submit=on_submit)
        ordered_ids = [t.test.id for t in q.ordered]
        if q.ordered:
            st.markdown("**Results so far**\n\n" + "\n\n".join(
                _result_block(t.test.name, t.test.terms, t.result) for t in q.ordered))
        full = q.max_orders is not None and len(q.ordered) >= q.max_orders
        waiting = [t for t in _menu_in_order(q) if t.id not in ordered_ids]
        if waiting:
            with st.container(border=True, key=f"{key.replace(':', '-')}-menu"):
                st.markdown("**Tests you can order**" + (f" (you have ordered all {q.max_orders} allowed)" if full else ""))
                for t in waiting:
                    # One button per test, named by the test, so a screen reader hears what each one orders.
                    st.button(f"Order {t.name}", key=f"{key}:order:{t.id}", on_click=on_submit,
                              args=(Submission("order", t.id),), disabled=full, icon=":material/add:", width="stretch")
                    st.caption(t.terms)
        st.radio("How sure are you of your work-up?", options=list(CONFIDENCE_LABELS), format_func=CONFIDENCE_LABELS.get,
                 index=None, horizontal=True, key=f"{key}:confidence")
        if error:
            st.error(error, icon=":material/error:")

        def handed(action: str) -> None:
            on_submit(Submission(action, ordered_ids if action == "answer" else None,
                                 st.session_state.get(f"{key}:confidence")))

        left = right = st.container(horizontal=True, gap="small")  # one message; two columns are three
        left.button("Finish the work-up", key=f"{key}:finish", type="primary", width="stretch", on_click=handed,
                    args=("answer",), disabled=not q.ordered, help=None if q.ordered else "Order at least one test first")
        right.button("I don't know — show me", key=f"{key}:give-up", width="stretch", on_click=handed, args=("give_up",))
        return None

    @staticmethod
    def how(q) -> str:
        from casebook.kinds import kind_of

        limit = f" You may order up to {q.max_orders}." if q.max_orders else ""
        return kind_of(q).how_to_answer + limit

    def widget(self, q, key):
        """A review of a missed work-up: tick the tests at once (results follow the answer)."""
        labels = dict(q.choices)
        return st.multiselect("The tests you would order", options=list(labels), format_func=labels.get,
                              key=f"{key}:tests", placeholder="Choose tests…")

    def value(self, q, key):
        return list(st.session_state.get(f"{key}:tests") or [])

    def feedback(self, a):
        """Results only of the tests the student ordered; every test's value and why."""
        q, rec = a.question, a.answer
        ordered = list(rec.response or [])
        blocks = []
        if ordered:
            blocks.append("**Your results**\n\n" + "\n\n".join(
                _result_block(t.test.name, t.test.terms, t.result) for t in ordered_tests(q, ordered)))
        lines = []
        for o in a.options:
            mine = "you ordered it" if o.id in ordered else "not ordered"
            lines.append(f"- {o.name} · {VALUE_WORDS[o.value]} · {mine}  \n  {o.feedback}")
        blocks.append("**What each test adds here**\n\n" + "\n".join(lines))
        return blocks

    def answer_key(self, q):
        """Each test the view holds, with its result: every test in the notes window, only the room's
        choice on the projector (the core hands the projector no other)."""
        if not q.options:
            st.markdown("No test was chosen, so no result is shown.")
        for o in q.options:
            terms = menu_test(o).terms
            st.markdown(f"- **{o.name}** · {terms} · {VALUE_WORDS[o.value]}  \n  Result: {result_text(o)}  \n  {o.feedback}")


DRAWING = InvestigationDrawing()
__all__ = ["DRAWING", "NOT_DONE"]
