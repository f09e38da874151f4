"""The lecturer's controls, answer key and after-class summary on the Present page."""
from __future__ import annotations

import html
from typing import Callable

import streamlit as st

from casebook.model import Numeric, Question, Stage
from casebook.poll import MAX_PARTICIPANTS, Participant, Phase, PollError, PollSession, QuestionSummary
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
                      on_error: Callable[[str], None]) -> None:
    """The lecturer's view of who is in the room: lock it, size it, take someone out."""
    with st.container(border=True, key="present-room"):
        st.markdown("**The room**")
        places = f" of {session.places} places" if session.capacity else ""
        st.markdown(f"{len(people)} {'person' if len(people) == 1 else 'people'} in the session{places}; "
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
