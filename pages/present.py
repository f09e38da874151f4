"""Present a case to a class: one stage at a time, lecturer-controlled reveal, optional live poll.

Two views of one session: the projected view (`?session=…&key=…`) and the lecturer's own notes
view (`&view=notes`: speaker notes and the answer key), kept in step through the database.
"""
from urllib.parse import urlencode, urlsplit

import streamlit as st

from casebook.core import utcnow
from casebook.poll import NotLecturer, Phase, PollError
from casebook.poll_views import visible_poll
from components import scroll
from components.handout import render_handout_buttons
from components.poll_chart import render_poll_chart
from components.presenter import (
    PHASE_WORDS,
    render_answer_key,
    render_class_summary,
    render_controls,
    render_room_panel,
)
from components.qr import render_join_panel
from components.stage import render_stage_content
from components.timeline import render_timeline
from pages._shared import DISCLAIMER, casebook

book = casebook()
session_id = st.query_params.get("session")
lecturer_key = st.query_params.get("key")
notes_view = st.query_params.get("view") == "notes"

if not session_id:
    st.title("Present a case")
    st.caption(f"Step through a case with your class, stage by stage. {DISCLAIMER}")
    titles = {c.id: c.title for c in sorted(book.cards.values(), key=lambda c: c.title.lower())}
    chosen = st.selectbox("Case", list(titles), format_func=titles.get, index=None, key="present:case",
                          placeholder="Choose the case to present")
    st.markdown("Students join from their phones with a code and a QR code. You can also present "
                "without a poll: simply hide the join code.")
    if st.button("Start presenting", type="primary", disabled=chosen is None, key="present:start"):
        session, key = book.polls.create(book.case(chosen), utcnow())
        st.query_params.from_dict({"session": session.id, "key": key})
        st.rerun()
    if chosen is not None:
        st.subheader("Printable handout", anchor=False)
        render_handout_buttons(book.case(chosen), key=f"present:handout:{chosen}")
    st.stop()

session = book.polls.get(session_id)
if session is None or not book.polls.is_lecturer(session_id, lecturer_key):
    st.title("This presenter link is not valid")
    st.write("Only the lecturer's own link can control a class session. Start a new one from the Present page.")
    st.page_link("pages/present.py", label="Present a case", query_params={})
    st.stop()

case = book.case(session.case_id)
if case is None:
    st.error("The case for this session is no longer available.")
    st.stop()

st.html("<style>section[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'] {display: none;}"
        " .stMainBlockContainer {padding-top: 1.5rem; max-width: 100%;}"
        " .stMarkdown p, .stMarkdown li {font-size: 1.45rem; line-height: 1.5;}"
        " [data-testid='stMetricLabel'] p, [data-testid='stWidgetLabel'] p {font-size: 1.2rem;}</style>")


def flash(message: str) -> None:
    st.session_state["present:flash"] = message[:1].upper() + message[1:] + "."


def control(action: str) -> None:
    # The version this screen showed: if another window moved the session on meanwhile, the action is
    # refused (and the screen catches up) rather than applied to a state the lecturer has not seen.
    try:
        book.control_poll(session_id, lecturer_key, action, utcnow(), expected_version=session.version)
    except (PollError, NotLecturer) as exc:
        flash(str(exc))


@st.fragment(run_every=2)
def live_poll(audience: str) -> None:
    """Only this part reruns every two seconds: counts and the histogram."""
    current = book.polls.get(session_id)
    if current.version != session.version:
        st.rerun(scope="app")  # another window (or a restart) moved the session on
    view = visible_poll(case, book.polls.snapshot(session_id, case), audience)
    a, b = st.columns(2)
    a.metric("Joined", view.joined if not view.session.capacity else f"{view.joined} of {view.session.places}")
    b.metric("Answered", view.answered if view.asked else "—")
    if view.tally is not None:
        render_poll_chart(view.tally, key=f"present:{session_id}:chart", revealed=view.revealed)


view = visible_poll(case, book.polls.snapshot(session_id, case), "notes" if notes_view else "projector")
stage = view.stage
asked = view.asked
st.title(f"Speaker notes — {case.title}" if notes_view else case.title)
st.caption(f"Stage {session.stage_index + 1} of {len(case.stages)} · {stage.kind.value.capitalize()} · "
           f"{PHASE_WORDS[session.phase]} · {DISCLAIMER}")
scroll.scroll_to_top(f"{session.id}:{session.stage_index}")  # a new stage opens at its heading
render_controls(session, case.stages[session.stage_index], last_stage=session.stage_index == len(case.stages) - 1, act=control)
flashed = st.session_state.pop("present:flash", None)
if flashed:
    st.error(flashed, icon=":material/error:")

main, side = st.columns([3, 2], gap="large")

if notes_view:
    with main:
        st.header(f"{session.stage_index + 1}. {stage.title}", anchor=False)
        with st.container(border=True, key="present-speaker-notes"):
            st.markdown(f"**Speaker notes.** {stage.speaker_notes or 'This stage has no speaker notes.'}")
        for n, q in enumerate(view.answer_key, 1):
            with st.container(border=True):
                st.markdown(f"**Question {n}{' — being asked' if asked and q.id == asked.id else ''}:** {q.prompt}")
                render_answer_key(q)
    with side:
        if asked and asked.type == "free_text":
            shown_now = book.polls.typed_shown(session_id, asked.id)
            st.toggle("Show the typed answers on the projector", value=shown_now, key=f"present:typed:{asked.id}",
                      on_change=lambda: book.polls.show_typed(session_id, lecturer_key, asked.id,
                                                              st.session_state[f"present:typed:{asked.id}"]),
                      help="Read them here first; until you switch this on the room sees only how many answered.")
        live_poll("notes")
        render_room_panel(session, book.polls.participants(session_id), act=control,
                          set_capacity=lambda places: book.polls.set_capacity(session_id, lecturer_key, places),
                          remove=lambda number: book.polls.remove_participant(session_id, lecturer_key, number, utcnow()),
                          on_error=flash)
else:
    with main:
        for revealed_question in view.answer_key:  # only once revealed
            # The answer goes where the room is already looking, beside the chart, not below the fold.
            with st.container(border=True, key="present-explanation"):
                st.markdown(f"**The answer:** {revealed_question.prompt}")
                render_answer_key(revealed_question)
        st.header(f"{session.stage_index + 1}. {stage.title}", anchor=False)
        render_stage_content(stage, case_id=case.id, case_dir=book.case_dir(case.id), large=True)
        events = [e for s in case.stages[: session.stage_index + 1] for e in s.timeline]
        if events:
            with st.container(border=True):
                st.markdown("**Timeline so far**")
                render_timeline(events, key=f"present:{session.id}:timeline", large=True)

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(st.context.url or "http://localhost:8501"))
    join_url = f"{origin}/join/{session.join_code}"
    with side:
        show_join = st.toggle("Show the join code", value=True, key="present:show-join")
        if show_join and session.phase == Phase.lobby:
            render_join_panel(session.join_code, join_url)
        elif show_join and session.phase != Phase.ended:
            st.markdown(f"Join at `{join_url}` · code **{session.join_code}**")
        if asked:
            st.subheader(asked.prompt, anchor=False)
            if asked.type in ("free_text", "numeric"):
                st.markdown("Type your answer on your phone; identical answers are grouped.")
        live_poll("projector")
        if asked and asked.type == "free_text":
            st.caption("Typed answers reach this screen only once you show them from the speaker-notes window.")
        st.caption("Keys: A ask · X close voting · S show the answer · ← back · → next stage")
        notes_link = "?" + urlencode({"session": session.id, "key": lecturer_key, "view": "notes"})
        st.link_button("Speaker notes and answer key (opens a window for your own screen)", notes_link,
                       icon=":material/record_voice_over:")

with side:
    if session.phase == Phase.ended or st.toggle("Results", key="present:results"):
        per_question, per_person = book.polls.export_csv(session_id, case)
        st.download_button("Download results per question (CSV)", per_question, file_name=f"{case.id}-questions.csv",
                           mime="text/csv", key="present:csv-q")
        st.download_button("Download answers per participant (CSV)", per_person, file_name=f"{case.id}-participants.csv",
                           mime="text/csv", key="present:csv-p")
        summary = visible_poll(case, book.polls.snapshot(session_id, case, with_summary=True),
                               "notes" if notes_view else "projector")
        render_class_summary(summary.joined, summary.summary)
