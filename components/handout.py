"""Download buttons for a case's printable handout; the PDF is built only when the button is pressed."""
from __future__ import annotations

import streamlit as st

from casebook.handout import handout_pdf
from casebook.model import Case


def render_handout_buttons(case: Case, *, key: str, worksheet: bool = True, answers: bool = True) -> None:
    cols = st.columns(int(worksheet) + int(answers))
    if worksheet:
        cols[0].download_button(
            "Worksheet PDF (stops before the diagnosis, no answers)", lambda: handout_pdf(case, with_answers=False),
            file_name=f"{case.id}-worksheet.pdf", mime="application/pdf", key=f"{key}:worksheet",
            icon=":material/print:", on_click="ignore", width="stretch")
    if answers:
        cols[-1].download_button(
            "Case with answers PDF", lambda: handout_pdf(case, with_answers=True),
            file_name=f"{case.id}-answers.pdf", mime="application/pdf", key=f"{key}:answers",
            icon=":material/print:", on_click="ignore", width="stretch")
