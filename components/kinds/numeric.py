"""Numeric: a number box with its unit; the expected value with its tolerance."""
from __future__ import annotations

import streamlit as st

from casebook.wording import numeric_answer
from components.kinds.base import KindDrawing


class NumericDrawing(KindDrawing):
    type = "numeric"

    def widget(self, q, key):
        label = f"Your answer ({q.unit})" if q.unit else "Your answer"
        return st.number_input(label, value=None, step=1.0, format="%g", key=f"{key}:number")

    def value(self, q, key):
        return st.session_state.get(f"{key}:number")

    def feedback(self, a):
        q, rec = a.question, a.answer
        unit = f" {q.unit}" if q.unit else ""
        blocks = []
        if rec.response is not None:
            blocks.append(f"Your answer: {rec.response:g}{unit}")
        tol = f" (± {q.tolerance:g})" if q.tolerance else ""
        blocks.append(f"Expected: {q.answer:g}{unit}{tol}")
        return blocks

    def answer_key(self, q):
        st.markdown(f"Answer: {numeric_answer(q)}")


DRAWING = NumericDrawing()
