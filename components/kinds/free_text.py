"""Free text: a text box; the student's words are shown back as plain text."""
from __future__ import annotations

import streamlit as st

from casebook.kinds.free_text import MAX_CHARS
from components.kinds.base import KindDrawing, quote


class FreeTextDrawing(KindDrawing):
    type = "free_text"

    def widget(self, q, key):
        return st.text_input("Your answer", placeholder=q.placeholder or "", max_chars=MAX_CHARS, key=f"{key}:text")

    def value(self, q, key):
        return st.session_state.get(f"{key}:text", "")

    def feedback(self, a):
        blocks = []
        if a.answer.response:
            blocks.append(f"Your answer: {quote(a.answer.response)}")
        blocks.append("Accepted answers: " + ", ".join(a.question.accepted))
        return blocks

    def answer_key(self, q):
        st.markdown(f"Accepted answers: {', '.join(q.accepted)}")


DRAWING = FreeTextDrawing()
