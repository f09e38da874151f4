"""The lecturer's controls, answer key and after-class summary on the Present page."""
from __future__ import annotations

import html
from typing import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from casebook.model import Question, Stage
from casebook.poll import MAX_PARTICIPANTS, Participant, Phase, PollError, PollSession, QuestionSummary
from components.kinds import drawing_of

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
        st.caption("Keys: A ask · X close voting · S show the answer · ← back · → next stage · B ask for a board · V show the room's board")
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
    """Why the answer is what it is, then the kind's answer item by item."""
    st.markdown(f"**Why:** {q.explanation}")
    drawing_of(q).answer_key(q)


def render_class_summary(joined: int, summaries: list[QuestionSummary]) -> None:
    """After class, per question: how many answered, how many were right, the commonest wrong answer.

    Students' words may be in it, so it is drawn as escaped plain text: no Markdown or HTML a student
    typed (headings, links, images, colours) can reach the projector."""
    st.subheader("Class summary", anchor=False)
    st.markdown(f"{joined} {'person' if joined == 1 else 'people'} joined; {len(summaries)} "
                f"question{'s' if len(summaries) != 1 else ''} asked.")
    rows = []
    for s in summaries:
        right = "—" if s.percent_correct is None else f"{s.percent_correct:g}% right"
        line = f"<strong>{html.escape(s.prompt)}</strong> — {s.answered} answered, {right}"
        if s.common_wrong:
            line += (f"; most common wrong answer: <span class='casebook-typed'>{html.escape(s.common_wrong)}</span>"
                     f" ({s.common_wrong_count})")
        rows.append(f"<li>{line}</li>")
    if rows:
        st.html("<ul class='casebook-summary'>" + "".join(rows) + "</ul>"
                "<style>.casebook-summary {font-size: 1.2rem; line-height: 1.5; padding-left: 1.2rem}"
                " .casebook-typed {white-space: pre-wrap; background: #f0f2f6; padding: 0 .25rem}</style>")


def render_room_panel(session: PollSession, people: list[Participant], *, act: Callable[[str], None],
                      set_capacity: Callable[[int | None], None], remove: Callable[[int], None],
                      on_error: Callable[[str], None], removed_count: int = 0) -> None:
    """The lecturer's view of who is in the room: lock it, size it, take someone out."""
    with st.container(border=True, key="present-room"):
        st.markdown("**The room**")
        places = f" of {session.places} places" if session.capacity else ""
        gone = f" ({removed} removed)" if (removed := removed_count) else ""
        st.markdown(f"{len(people)} {'person' if len(people) == 1 else 'people'} in the session{places}{gone}; "
                    + ("**locked**: no one new can join." if session.locked else "new people can join."))
        if session.locked:
            st.button("Let new people join again", key="present:unlock", on_click=act, args=("unlock",),
                      icon=":material/lock_open:")
        else:
            st.button("Lock the room (no new joins)", key="present:lock", on_click=act, args=("lock",),
                      icon=":material/lock:", help="Everyone already in carries on answering.")
        def set_size() -> None:
            _guarded(lambda: set_capacity(int(st.session_state["present:capacity-value"] or 0) or None), on_error)

        def remove_number() -> None:
            number = st.session_state.get("present:remove-number")
            if number is None:
                on_error("type the participant's number from the list first")
            else:
                _guarded(lambda: remove(int(number)), on_error)

        with st.form("present:capacity", border=False):
            st.number_input("How many people are in your class?", min_value=0, max_value=MAX_PARTICIPANTS,
                                   value=session.capacity or 0, step=1, key="present:capacity-value",
                                   help="Joins beyond this are refused, so no one can fill the session with "
                                        "made-up phones. 0 means up to the hall's maximum.")
            st.form_submit_button("Set the class size", on_click=set_size)
        if people:
            st.dataframe(
                [{"#": p.number, "nickname": p.nickname or "—", "joined": p.joined_at.strftime("%H:%M:%S"),
                  "answers": p.answers} for p in people],
                hide_index=True, width="stretch", height=min(36 * (len(people) + 1) + 4, 300),
                key="present:people",
            )
            with st.form("present:remove", border=False):
                st.number_input("Participant # to remove", min_value=1, step=1, value=None,
                                         key="present:remove-number", placeholder="e.g. 12")
                st.form_submit_button("Remove from the session", icon=":material/person_remove:",
                                      on_click=remove_number)
                st.caption("Their answers stop counting and their phone is told. Lock the room so they cannot "
                           "join again.")


def _guarded(action: Callable[[], None], on_error: Callable[[str], None]) -> None:
    try:
        action()
    except PollError as exc:
        on_error(str(exc))
