"""One revealed stage: narrative, findings, results, imaging, differential and teaching points."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from casebook.model import Stage
from components.body_map import render_body_map
from components.imaging import render_imaging, render_tests
from components.labs import render_labs


def render_stage_content(stage: Stage, *, case_id: str, case_dir: Path, large: bool = False) -> None:
    st.markdown(stage.narrative)
    if stage.findings:
        st.markdown("**Findings**")
        for f in stage.findings:
            since = f" (since {f.since})" if f.since else ""
            st.markdown(f"- {f.text}{since}")
        if any(f.location for f in stage.findings):
            render_body_map(stage.findings, key=f"case:{case_id}:{stage.id}:body", large=large)
    if stage.labs:
        st.markdown("**Laboratory results**")
        render_labs(stage.labs, key=f"case:{case_id}:{stage.id}:labs", large=large)
    if stage.tests:
        st.markdown("**Other tests**")
        render_tests(stage.tests)
    for study in stage.imaging:
        render_imaging(study, case_dir=case_dir, large=large)
    if stage.differential:
        st.markdown("**Differential diagnosis**")
        for d in stage.differential:
            final = " — **the diagnosis in this case**" if d.final else ""
            st.markdown(f"- **{d.diagnosis}**{final}: {d.reasoning}")
    if stage.teaching_points:
        render_teaching_points(stage.teaching_points)
    if stage.speaker_notes:
        st.info(f"Speaker notes (only on your screen): {stage.speaker_notes}", icon=":material/record_voice_over:")


def render_teaching_points(points) -> None:
    st.markdown("**Teaching points**")
    for p in points:
        tag = "from this case report" if p.basis == "source" else "general teaching point"
        st.markdown(f"- {p.text} *({tag})*")
