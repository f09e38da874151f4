"""A library card: what the case is about (never its diagnosis) and the learner's progress."""
from __future__ import annotations

import streamlit as st

from casebook.library import Status
from casebook.model import Case

STATUS_BADGE = {
    Status.not_started: ("Not started", "gray"),
    Status.in_progress: ("In progress", "blue"),
    Status.finished: ("Finished", "green"),
}


def render_case_card(case: Case, status: Status, *, study_page, query_params: dict[str, str]) -> None:
    with st.container(border=True, key=f"card:{case.id}"):
        st.subheader(case.title, anchor=False)
        label, colour = STATUS_BADGE[status]
        st.badge(label, color=colour)
        st.markdown(case.summary)
        st.caption(
            f"{', '.join(case.specialty)} · {', '.join(case.body_region)} · "
            f"{case.difficulty.value} · about {case.minutes} min"
        )
        if case.tags:
            st.caption("Tags: " + ", ".join(case.tags))
        action = {Status.not_started: "Start case", Status.in_progress: "Continue", Status.finished: "Review"}[status]
        st.page_link(study_page, label=action, icon=":material/play_arrow:", query_params=query_params,
                     help=f"{action}: {case.title}")
