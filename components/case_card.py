"""A library card: what the case is about (never its diagnosis) and the learner's progress."""
from __future__ import annotations

import streamlit as st

from casebook.library import Status
from casebook.case_index import CaseCard

STATUS_BADGE = {
    Status.not_started: ("Not started", "gray"),
    Status.in_progress: ("In progress", "blue"),
    Status.finished: ("Finished", "green"),
}
# "Review" would be mistaken for the Review page; a finished case opens on its results.
CARD_ACTION = {
    Status.not_started: ("Start case", ":material/play_arrow:"),
    Status.in_progress: ("Continue", ":material/play_arrow:"),
    Status.finished: ("See results", ":material/fact_check:"),
}


def render_case_card(case: CaseCard, status: Status, *, study_page, query_params: dict[str, str],
                     points: str | None = None) -> None:
    """`points`: the learner's points on the case so far, in words (casebook.points.attempt_points_text)."""
    with st.container(border=True, key=f"card:{case.id}"):
        st.subheader(case.title, anchor=False)
        label, colour = STATUS_BADGE[status]
        st.badge(f"{label} · {points}" if points else label, color=colour)
        st.markdown(case.summary)
        st.caption(
            f"{', '.join(case.specialty)} · {', '.join(case.body_region)} · "
            f"{case.difficulty.value} · about {case.minutes} min"
        )
        if case.tags:
            st.caption("Tags: " + ", ".join(case.tags))
        action, icon = CARD_ACTION[status]
        st.page_link(study_page, label=action, icon=icon, query_params=query_params, help=f"{action}: {case.title}")
