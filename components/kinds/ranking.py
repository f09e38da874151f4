"""Ranking: items picked one by one into an order; the expected order with why."""
from __future__ import annotations

import streamlit as st

from components.kinds.base import KindDrawing


class RankingDrawing(KindDrawing):
    type = "ranking"

    def widget(self, q, key):
        labels = dict(q.choices)
        return st.multiselect("Your order (first = most likely)", options=list(labels), format_func=labels.get,
                              key=f"{key}:rank", placeholder="Choose the first item…")

    def value(self, q, key):
        return list(st.session_state.get(f"{key}:rank") or [])

    def feedback(self, a):
        q, rec = a.question, a.answer
        blocks = []
        if rec.response:
            texts = {i.id: i.text for i in q.items}
            blocks.append("Your order: " + " → ".join(texts[i] for i in rec.response))
        blocks.append("Expected order:\n\n" + "\n".join(f"{n}. {item.text} — {item.feedback}"
                                                        for n, item in enumerate(q.items, 1)))
        return blocks

    def answer_key(self, q):
        for n, item in enumerate(q.items, 1):
            st.markdown(f"{n}. **{item.text}** — {item.feedback}")


DRAWING = RankingDrawing()
