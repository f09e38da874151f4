"""One revealed stage: narrative, findings, results, imaging, differential and teaching points."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from casebook.model import Stage
from components.body_map import render_body_map
from components.imaging import render_imaging, tests_markdown
from components.labs import lab_notes, lab_table_markdown, render_lab_chart


def render_stage_content(stage: Stage, *, case_id: str, case_dir: Path, large: bool = False) -> None:
    # Text that follows on is drawn as one Markdown element, up to the next chart, card or note:
    # every element is a message to the browser, and each is one more hand-off per stage advance.
    # (The stage's heading stays its own element: a Markdown heading would get a link, one more
    # stop for the keyboard.)
    text: list[str] = []

    def flush() -> None:
        if text:
            st.markdown("\n\n".join(text))
            text.clear()

    text.append(stage.narrative)
    if stage.findings:
        text.append("**Findings**")
        text.append("\n".join(f"- {f.text}{f' (since {f.since})' if f.since else ''}" for f in stage.findings))
    if stage.findings and any(f.location for f in stage.findings):
        flush()
        render_body_map(stage.findings, key=f"case:{case_id}:{stage.id}:body", large=large)
    if stage.labs:
        text.append("**Laboratory results**")
        flush()
        render_lab_chart(stage.labs, key=f"case:{case_id}:{stage.id}:labs", large=large)
        text.append(lab_table_markdown(stage.labs))
        notes = lab_notes(stage.labs)
        if notes:
            flush()
            st.caption(notes)
    if stage.tests:
        text.append("**Other tests**")
        text.append(tests_markdown(stage.tests))
    if stage.imaging:
        flush()
    for study in stage.imaging:
        render_imaging(study, case_dir=case_dir, large=large)
    if stage.differential:
        text.append("**Differential diagnosis**")
        text.append("\n".join(
            f"- **{d.diagnosis}**{' — **the diagnosis in this case**' if d.final else ''}: {d.reasoning}"
            for d in stage.differential))
    if stage.teaching_points:
        text.append(teaching_points_markdown(stage.teaching_points))
    flush()
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
