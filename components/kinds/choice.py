"""Single and multiple choice: options as radio buttons or ticks; feedback on every option."""
from __future__ import annotations

import streamlit as st

from casebook.answer_marks import MARK_WORDS, option_mark
from components.kinds.base import KindDrawing
from components.palette import ANSWER_MARK_STYLE


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
        """One paragraph per option: what the student did with it and whether that was right, in words,
        an icon and a colour (casebook/answer_marks.py), then why."""
        rec = a.answer
        chosen = set(rec.response or []) if self.multiple else {rec.response}
        rows = []
        for o in a.options:
            mark = option_mark(multiple=self.multiple, correct=o.correct, chosen=o.id in chosen, gave_up=rec.gave_up)
            colour, icon = ANSWER_MARK_STYLE[mark.value]
            rows.append(f":{colour}-background[{icon} {MARK_WORDS[mark]}] **{o.text}**  \n{o.feedback}")
        return ["\n\n".join(rows)]

    def answer_key(self, q):
        for o in q.options:
            st.markdown(f"- {'✓ right' if o.correct else '✗ wrong'} **{o.text}** — {o.feedback}")


SINGLE = ChoiceDrawing("single_choice", multiple=False)
MULTIPLE = ChoiceDrawing("multiple_choice", multiple=True)
