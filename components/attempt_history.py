"""A learner's earlier attempts at a case, and the question before starting it again."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from casebook.progress import AttemptResult
from casebook.when import LearnerZone


def attempt_line(result: AttemptResult, zone: LearnerZone, stage_count: int) -> str:
    """"Attempt 1 · finished 3 Dec 2025, 14:05 · 80% (22 of 28 points)"."""
    if result.finished_at is not None:
        return (f"Attempt {result.number} · finished {zone.date_and_time(result.finished_at)} · "
                f"{result.percent}% ({result.points:g} of {result.max_points:g} points)")
    return (f"Attempt {result.number} · started {zone.date_and_time(result.started_at)} · not finished, "
            f"reached stage {min(result.stage_index + 1, stage_count)} of {stage_count} · {result.points:g} points so far")


def render_earlier_attempts(earlier: list[AttemptResult], zone: LearnerZone, stage_count: int, *, key: str) -> None:
    """Each earlier attempt with its date and score (nothing is drawn for a first attempt)."""
    if not earlier:
        return
    finished = [r for r in earlier if r.finished]
    best = f" · best {max(r.percent for r in finished)}%" if finished else ""
    label = f"Your earlier attempts at this case: {len(earlier)}{best}"
    with st.expander(label, expanded=False, icon=":material/history:"):
        st.markdown("\n".join(f"- {attempt_line(r, zone, stage_count)}" for r in reversed(earlier)))
        st.caption("Starting a case again never removes an attempt: each one stays here with its score.")


def render_restart_question(result_text: str, *, key: str, confirm: Callable[[], None], cancel: Callable[[], None]) -> None:
    """Ask before starting a finished case again, and say that the result is kept. `confirm` runs in the
    page's run (it may rerun the whole page); `cancel` is the Cancel button's callback."""
    with st.container(border=True, key=f"{key}:restart-ask"):
        st.warning(f"Start this case again from the first stage? Your result ({result_text}) stays in your "
                   "history: it is listed under *Your earlier attempts* at the top of this page.",
                   icon=":material/replay:")
        yes, no = st.columns(2)
        with yes:
            if st.button("Yes, start again", key=f"{key}:restart-yes", type="primary", width="stretch",
                         icon=":material/replay:"):
                confirm()
        with no:
            st.button("Cancel, keep my result", key=f"{key}:restart-no", width="stretch", on_click=cancel)
