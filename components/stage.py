"""One revealed stage: narrative, findings, results, imaging, differential and teaching points."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from casebook.model import Stage
from components.body_map import render_body_map
from components.imaging import render_imaging, render_tests
from components.labs import render_labs


def render_stage_content(stage: Stage, *, case_id: str, case_dir: Path, large: bool = False) -> None:
    # Text that follows on is drawn as one Markdown element: every element is a message to the
    # browser, and a stage with a dozen findings would otherwise send a dozen.
    story = [stage.narrative]
    if stage.findings:
        story.append("**Findings**")
        story.append("\n".join(f"- {f.text}{f' (since {f.since})' if f.since else ''}" for f in stage.findings))
    st.markdown("\n\n".join(story))
    if stage.findings and any(f.location for f in stage.findings):
        render_body_map(stage.findings, key=f"case:{case_id}:{stage.id}:body", large=large)
    if stage.labs:
        st.markdown("**Laboratory results**")
        render_labs(stage.labs, key=f"case:{case_id}:{stage.id}:labs", large=large)
    if stage.tests:
        st.markdown("**Other tests**")
        render_tests(stage.tests)
    for study in stage.imaging:
        render_imaging(study, case_dir=case_dir, large=large)
    closing = []
    if stage.differential:
        closing.append("**Differential diagnosis**")
        closing.append("\n".join(
            f"- **{d.diagnosis}**{' — **the diagnosis in this case**' if d.final else ''}: {d.reasoning}"
            for d in stage.differential))
    if stage.teaching_points:
        closing.append(teaching_points_markdown(stage.teaching_points))
    if closing:
        st.markdown("\n\n".join(closing))
    if stage.speaker_notes:
        st.info(f"Speaker notes (only on your screen): {stage.speaker_notes}", icon=":material/record_voice_over:")


def teaching_points_markdown(points) -> str:
    lines = []
    for p in points:
        tag = "from this case report" if p.basis == "source" else "general teaching point"
        lines.append(f"- {p.text} *({tag})*")
    return "**Teaching points**\n\n" + "\n".join(lines)


def render_teaching_points(points) -> None:
    st.markdown(teaching_points_markdown(points))
