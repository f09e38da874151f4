"""Single and multiple choice: options as radio buttons or ticks; feedback on every option."""
from __future__ import annotations

import streamlit as st

from components.kinds.base import KindDrawing


class ChoiceDrawing(KindDrawing):
    def __init__(self, type: str, multiple: bool):
        self.type, self.multiple = type, multiple

    def widget(self, q, key):
        labels = dict(q.choices)
        if not self.multiple:
            return st.radio("Your answer", options=list(labels), format_func=labels.get, index=None, key=f"{key}:choice")
        st.markdown("Your answer")
        return [oid for oid, text in q.choices if st.checkbox(text, key=f"{key}:opt:{oid}")]

    def value(self, q, key):
        state = st.session_state
        if not self.multiple:
            return state.get(f"{key}:choice")
        return [oid for oid, _ in q.choices if state.get(f"{key}:opt:{oid}")]

    def feedback(self, a):
        rec = a.answer
        chosen = set(rec.response or []) if self.multiple else {rec.response}
        lines = []
        for o in a.options:
            mark = "✓ right answer" if o.correct else "✗ wrong answer"
            mine = " — **your choice**" if o.id in chosen else ""
            lines.append(f"- {o.text} · {mark}{mine}  \n  {o.feedback}")
        return ["\n".join(lines)]

    def answer_key(self, q):
        for o in q.options:
            st.markdown(f"- {'✓ right' if o.correct else '✗ wrong'} **{o.text}** — {o.feedback}")


SINGLE = ChoiceDrawing("single_choice", multiple=False)
MULTIPLE = ChoiceDrawing("multiple_choice", multiple=True)
