"""The end of a case: score, what was missed, and the full source citation."""
from __future__ import annotations

import streamlit as st

from casebook.model import Source
from casebook.reveal import Score
from casebook.wording import source_ids, source_where
from casebook.points import earned_text, number_text


def render_score(score: Score) -> None:
    st.subheader("Your result", anchor=False)
    a, b, c = st.columns(3)
    a.metric("Score", f"{score.percent}%")
    b.metric("Points", f"{number_text(score.points)} of {number_text(score.max_points)}")
    c.metric("Questions to review", len(score.missed))
    if score.missed:
        st.markdown("**What you missed**")
        for m in score.missed:
            how = "gave up" if m.answer.gave_up else earned_text(m.answer.points, m.answer.max_points)
            st.markdown(f"- {m.question.prompt} — *{how}*  \n  {m.question.explanation}")
    else:
        st.success("Every question answered in full. Well done.", icon=":material/celebration:")


def render_citation(source: Source) -> None:
    st.subheader("Source", anchor=False)
    st.markdown(f"{', '.join(source.authors)}. *{source.title}*. {source_where(source)}. {source_ids(source)}")
    if source.url:
        st.markdown(f"Read it: {source.url}")
    st.markdown(f"**Licence:** {source.licence} · **Written from:** the {source.material_used}")
    st.markdown(f"**What Casebook changed:** {source.adapted}")
