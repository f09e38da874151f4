"""The lecturer's controls, answer key and after-class summary on the Present page."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from casebook.model import Numeric, Question, Stage
from casebook.poll import Phase, PollSession, QuestionSummary
from casebook.wording import numeric_answer

PHASE_WORDS = {Phase.lobby: "No question asked yet", Phase.open: "Voting is open", Phase.closed: "Voting is closed",
               Phase.revealed: "Answer revealed", Phase.ended: "Session ended"}


def render_controls(session: PollSession, stage: Stage, *, last_stage: bool, act: Callable[[str], None]) -> None:
    """One row of buttons, each with a key, so the lecturer never scrolls to find them."""
    asking = session.phase in (Phase.open, Phase.closed)
    c = st.columns(5, gap="small")
    c[0].button("Back", key="present:back", on_click=act, args=("back",), shortcut="left", width="stretch",
                disabled=session.stage_index == 0 or session.phase == Phase.ended, icon=":material/arrow_back:")
    c[1].button("Ask a question", key="present:open", on_click=act, args=("open",), shortcut="a", width="stretch",
                disabled=not stage.questions or asking or session.phase == Phase.ended)
    c[2].button("Close voting", key="present:close", on_click=act, args=("close",), shortcut="x", width="stretch",
                disabled=session.phase != Phase.open)
    c[3].button("Reveal answer", key="present:reveal", on_click=act, args=("reveal",), shortcut="s", width="stretch",
                disabled=not asking)
    if not last_stage:
        c[4].button("Next stage", key="present:next", on_click=act, args=("next",), shortcut="right", width="stretch",
                    disabled=asking or session.phase == Phase.ended, icon=":material/arrow_forward:", type="primary")
    else:  # ending cannot be undone: no shortcut, and a second click to confirm
        with c[4].popover("End the session", width="stretch", icon=":material/stop_circle:",
                          disabled=asking or session.phase == Phase.ended):
            st.markdown("Phones will show that the session has ended, and no one can answer any more. "
                        "Results stay available.")
            st.button("Yes, end the session for everyone", key="present:next", on_click=act, args=("next",),
                      type="primary")


def render_answer_key(q: Question) -> None:
    """Why the answer is what it is, option by option."""
    st.markdown(f"**Why:** {q.explanation}")
    for o in getattr(q, "options", []):
        st.markdown(f"- {'✓ right' if o.correct else '✗ wrong'} **{o.text}** — {o.feedback}")
    for n, item in enumerate(getattr(q, "items", []), 1):
        st.markdown(f"{n}. **{item.text}** — {item.feedback}")
    accepted = getattr(q, "accepted", None)
    if accepted:
        st.markdown(f"Accepted answers: {', '.join(accepted)}")
    if isinstance(q, Numeric):
        st.markdown(f"Answer: {numeric_answer(q)}")


def render_class_summary(joined: int, summaries: list[QuestionSummary]) -> None:
    st.subheader("Class summary", anchor=False)
    st.markdown(f"{joined} {'person' if joined == 1 else 'people'} joined; {len(summaries)} "
                f"question{'s' if len(summaries) != 1 else ''} asked.")
    for s in summaries:
        right = "—" if s.percent_correct is None else f"{s.percent_correct:g}% right"
        line = f"- **{s.prompt}** — {s.answered} answered, {right}"
        if s.common_wrong:
            # Students' words may be in it: shown as code, so no Markdown in it is rendered.
            line += f"; most common wrong answer: `{s.common_wrong.replace('`', '')}` ({s.common_wrong_count})"
        st.markdown(line)
