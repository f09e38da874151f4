"""Where the student is in the case: stages done, the current one, and how many remain."""
from __future__ import annotations

import streamlit as st

from casebook.model import StageKind


def render_stepper(kinds: list[StageKind], current: int, *, finished: bool) -> None:
    total = len(kinds)
    done = total if finished else current
    label = "Case complete" if finished else f"Stage {current + 1} of {total}: {kinds[current].value.capitalize()}"
    st.progress(done / total, text=label)
    marks = []
    for i, kind in enumerate(kinds):
        name = kind.value.capitalize()
        if finished or i < current:
            marks.append(f"✓ {name}")
        elif i == current:
            marks.append(f"**▶ {name}**")
        else:
            marks.append(f"○ {name}")
    st.caption(" · ".join(marks))
