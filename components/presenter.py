"""The lecturer's controls, answer key and after-class summary on the Present page."""
from __future__ import annotations

from typing import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from casebook.model import Numeric, Question, Stage
from casebook.poll import Phase, PollSession, QuestionSummary
from casebook.wording import numeric_answer

PHASE_WORDS = {Phase.lobby: "No question asked yet", Phase.open: "Voting is open", Phase.closed: "Voting is closed",
               Phase.revealed: "Answer revealed", Phase.ended: "Session ended"}


def held_back(action: str, phase: Phase) -> str | None:
    """Why Back or Next waits while a question is being asked (a clicker's ← or → must not silently
    drop it): the room sees the answer first. None when the action may go ahead."""
    if action not in ("back", "next") or phase not in (Phase.open, Phase.closed):
        return None
    where = "going back a stage" if action == "back" else "moving on"
    if phase == Phase.open:
        return f"Voting is still open on this question. Show the answer (S) before {where}; close voting first (X) if you like."
    return f"The room has not seen this answer yet. Show it (S) before {where}."


def render_controls(session: PollSession, stage: Stage, *, last_stage: bool, act: Callable[[str], None],
                    say: Callable[[str], None]) -> DeltaGenerator:
    """One compact row of buttons, each with a key, so the lecturer never scrolls to find them and the
    room's view is not taken over by them. Returns the row, for the page to add to."""
    asking = session.phase in (Phase.open, Phase.closed)
    ended = session.phase == Phase.ended

    def press(action: str) -> tuple[Callable, tuple]:
        reason = held_back(action, session.phase)
        return (say, (reason,)) if reason else (act, (action,))

    row = st.container(horizontal=True, gap="small", key="present-controls", vertical_alignment="center")
    on_click, args = press("back")
    row.button("Back", key="present:back", on_click=on_click, args=args, shortcut="left",
               disabled=session.stage_index == 0 or ended, icon=":material/arrow_back:",
               help="Show the answer first while a question is being asked" if asking else None)
    row.button("Ask a question", key="present:open", on_click=act, args=("open",), shortcut="a",
               disabled=not stage.questions or asking or ended)
    row.button("Close voting", key="present:close", on_click=act, args=("close",), shortcut="x",
               disabled=session.phase != Phase.open)
    row.button("Reveal answer", key="present:reveal", on_click=act, args=("reveal",), shortcut="s",
               disabled=not asking, type="primary" if asking else "secondary")
    if not last_stage:
        on_click, args = press("next")
        row.button("Next stage", key="present:next", on_click=on_click, args=args, shortcut="right",
                   disabled=ended, icon=":material/arrow_forward:", type="secondary" if asking else "primary",
                   help="Show the answer first while a question is being asked" if asking else None)
    else:  # ending cannot be undone: no shortcut, and a second click to confirm
        def end_for_everyone() -> None:
            st.session_state["present:end"] = False  # close the popover: its job is done
            act("next")

        with row.popover("End the session", icon=":material/stop_circle:", key="present:end", on_change="rerun",
                         disabled=asking or ended):
            st.markdown("Phones will show that the session has ended, and no one can answer any more. "
                        "Results stay available.")
            st.button("Yes, end the session for everyone", key="present:next", on_click=end_for_everyone,
                      type="primary")
    return row


def render_screen_options(*, show_join: bool, hide_chart: bool, on_hide_chart: Callable[[bool], None],
                          show_results: bool | None, notes_link: str, typed_note: bool) -> tuple[bool, bool]:
    """The projector's settings, folded into one small button so the room sees the case, not the
    lecturer's switches. Returns (show the join code, show the results)."""
    with st.popover("Screen", icon=":material/tune:", key="present:screen",
                    help="What the room sees, speaker notes, keys"):
        joining = st.toggle("Show the join code", value=show_join, key="present:show-join")
        render_chart_switch(hide_chart, on_hide_chart)
        results = False if show_results is None else st.toggle("Show the results", value=show_results,
                                                                key="present:results")
        if typed_note:
            st.caption("Typed answers reach this screen only once you show them from the speaker-notes window.")
        st.link_button("Speaker notes and answer key (a window for your own screen)", notes_link,
                       icon=":material/record_voice_over:")
        st.caption("Keys: A ask · X close voting · S show the answer · ← back · → next stage")
    return joining, results


def render_chart_switch(hide_chart: bool, on_change: Callable[[bool], None], *, key: str = "present:hide-chart") -> None:
    """Both windows show the stored choice: whichever window changed it, the other follows on its next run."""
    st.session_state[key] = hide_chart
    st.toggle("Hide the projected chart until voting closes", key=key, on_change=lambda: on_change(st.session_state[key]),
              help="While voting is open the room then sees only how many have answered, so early answers "
                   "do not sway the rest.")


def render_session_ended(*, for_the_room: bool) -> None:
    with st.container(border=True, key="present-ended"):
        if for_the_room:
            st.markdown("### The session has ended. Thank you!")
            st.markdown("Phones now show that the session is over. Here is how the class answered.")
        else:
            st.markdown("### The session has ended")
            st.markdown("Phones show that it is over. The class summary and the CSV downloads stay here.")


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
