"""Present a case to a class: one stage at a time, lecturer-controlled reveal, optional live poll.

Two views of one session: the projected view (`?session=…&key=…`) and the lecturer's own notes
view (`&view=notes`: speaker notes and the answer key), kept in step through the database.
"""
from urllib.parse import urlencode

import streamlit as st

from casebook.core import utcnow
from casebook.kinds import kind_of
from casebook.poll import NotLecturer, Phase, PollError
from casebook.join_address import choose_join_address, lan_address
from casebook.poll_views import visible_poll
from casebook.projector import chart_hidden
from components import focus, scroll
from casebook.poll_board import BoardPhase, board_may_open
from components.board_room import render_board_buttons, render_expert_notes, render_room_board
from components.handout import render_handout_buttons
from components.poll_chart import render_poll_chart, render_votes_hidden
from components.presenter import (
    PHASE_WORDS,
    render_answer_key,
    render_chart_switch,
    render_class_summary,
    render_controls,
    render_room_panel,
    render_screen_options,
    render_session_ended,
)
from components.qr import render_address_warning, render_join_line, render_join_panel
from components.stage import render_stage_content
from components.timeline import render_timeline
from pages._shared import DISCLAIMER, casebook, is_staff, staff_needed

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
    staff = is_staff()
    if not staff:
        staff_needed("Starting a class session and printing a case with its answers", key="present")
    elif st.button("Start presenting", type="primary", disabled=chosen is None, key="present:start"):
        session, key = book.polls.create(book.case(chosen), utcnow())
        st.query_params.from_dict({"session": session.id, "key": key})
        st.rerun()
    if chosen is not None:
        st.subheader("Printable handout", anchor=False)
        render_handout_buttons(book.case(chosen), key=f"present:handout:{chosen}", answers=staff)
    st.stop()

session = book.polls.get(session_id)
if session is None or not book.polls.is_lecturer(session_id, lecturer_key):
    st.title("This presenter link is not valid")
    st.write("Only the lecturer's own link can control a class session. Start a new one from the Present page.")
    st.page_link("pages/present.py", label="Present a case", query_params={})
    st.stop()
if not is_staff():
    # The link is on the projector for the room to see (and photograph): on its own it controls nothing.
    st.title("Staff sign-in needed")
    staff_needed("Presenting a class session, its speaker notes and answer key", key="present-session")
    st.stop()

case = book.case(session.case_id)
if case is None:
    st.error("The case for this session is no longer available.")
    st.stop()

st.html("<style>section[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'] {display: none;}"
        " .stMainBlockContainer {padding-top: 1.5rem; max-width: 100%;}"
        " .stMarkdown p, .stMarkdown li {font-size: 1.45rem; line-height: 1.5;}"
        " [data-testid='stMetricLabel'] p, [data-testid='stWidgetLabel'] p {font-size: 1.2rem;}</style>")


focus.keep_shortcuts_after_switches()  # a clicked switch must not swallow the presenter's keys


def flash(message: str) -> None:
    st.session_state["present:flash"] = message[:1].upper() + message[1:] + "."


def control(action: str) -> None:
    # The version this screen showed: if another window moved the session on meanwhile, the action is
    # refused (and the screen catches up) rather than applied to a state the lecturer has not seen.
    try:
        book.control_poll(session_id, lecturer_key, action, utcnow(), expected_version=session.version)
    except (PollError, NotLecturer) as exc:
        flash(str(exc))


def hold(reason: str) -> None:
    st.session_state["present:hold"] = reason


def hide_chart(hide: bool) -> None:
    try:
        book.screen.set_hide_chart_while_voting(session_id, lecturer_key, hide)
    except NotLecturer as exc:
        flash(str(exc))


@st.fragment(run_every=2)
def live_poll(projected: bool) -> None:
    """Only this part reruns every two seconds: counts and the histogram, as the core's gate hands them."""
    current = book.polls.get(session_id)
    if current.version != session.version:
        st.rerun(scope="app")  # another window (or a restart) moved the session on
    live = visible_poll(case, book.polls.snapshot(session_id, case), "projector" if projected else "notes")
    a, b = st.columns(2)
    a.metric("Joined", live.joined if not live.session.capacity else f"{live.joined} of {live.session.places}")
    b.metric("Answered", live.answered if live.asked else "—")
    if live.room_board is not None:
        render_room_board(live.room_board, large=projected, key=f"present:{session_id}")
    if live.tally is not None:
        if projected and chart_hidden(current.phase, book.screen.hide_chart_while_voting(session_id)):
            render_votes_hidden(live.answered, live.joined)
            return
        render_poll_chart(live.tally, key=f"present:{session_id}:chart", revealed=live.revealed)


# What this window may show, from the core's gate: the projector never gets the answer key before
# the reveal, nor speaker notes, nor words students typed until the lecturer shows them.
view = visible_poll(case, book.polls.snapshot(session_id, case, with_tally=False),
                    "notes" if notes_view else "projector")
stage = view.stage
asked = view.asked
ended = session.phase == Phase.ended
join = choose_join_address(public_url=book.public_url, page_url=st.context.url, lan_ip=lan_address(),
                           listen_address=st.get_option("server.address"))
join_url = join.join_url(session.join_code)
notes_link = "?" + urlencode({"session": session.id, "key": lecturer_key, "view": "notes"})
st.title(f"Speaker notes — {case.title}" if notes_view else case.title)
st.caption(f"Stage {session.stage_index + 1} of {len(case.stages)} · {stage.kind.value.capitalize()} · "
           f"{PHASE_WORDS[session.phase]} · {DISCLAIMER}")
scroll.scroll_to_top(f"{session.id}:{session.stage_index}")  # a new stage opens at its heading
show_join, show_results = True, False
if not ended:
    controls = render_controls(session, case.stages[session.stage_index], last_stage=session.stage_index == len(case.stages) - 1,
                               act=control, say=hold)
    with controls:
        render_board_buttons(session, available=board_may_open(case, session.stage_index) is None, act=control)
    if not notes_view:
        with controls:
            show_join, show_results = render_screen_options(
                show_join=True, hide_chart=book.screen.hide_chart_while_voting(session_id), on_hide_chart=hide_chart,
                show_results=False, notes_link=notes_link, typed_note=bool(asked and kind_of(asked).typed_words))
flashed = st.session_state.pop("present:flash", None)
if flashed:
    st.error(flashed, icon=":material/error:")
held = st.session_state.pop("present:hold", None)
if held:
    st.warning(held, icon=":material/front_hand:")

main, side = st.columns([3, 2], gap="large")

if notes_view:
    with main:
        if ended:
            render_session_ended(for_the_room=False)
        st.header(f"{session.stage_index + 1}. {stage.title}", anchor=False)
        with st.container(border=True, key="present-speaker-notes"):
            st.markdown(f"**Speaker notes.** {stage.speaker_notes or 'This stage has no speaker notes.'}")
        render_expert_notes(view.expert_board)
        for n, q in enumerate(view.answer_key, 1):
            with st.container(border=True):
                st.markdown(f"**Question {n}{' — being asked' if asked and q.id == asked.id else ''}:** {q.prompt}")
                render_answer_key(q)
    with side:
        if not ended:
            render_address_warning(join.warning)
            render_chart_switch(book.screen.hide_chart_while_voting(session_id), hide_chart)
        if asked and kind_of(asked).typed_words:
            shown_now = book.polls.typed_shown(session_id, asked.id)
            st.toggle("Show the typed answers on the projector", value=shown_now, key=f"present:typed:{asked.id}",
                      on_change=lambda: book.polls.show_typed(session_id, lecturer_key, asked.id,
                                                              st.session_state[f"present:typed:{asked.id}"]),
                      help="Read them here first; until you switch this on the room sees only how many answered.")
        live_poll(projected=False)
        if not ended:
            everyone = book.polls.participants(session_id, include_removed=True)
            render_room_panel(session, [p for p in everyone if not p.removed], act=control,
                              removed_count=sum(p.removed for p in everyone),
                              set_capacity=lambda places: book.polls.set_capacity(session_id, lecturer_key, places),
                              remove=lambda number: book.polls.remove_participant(session_id, lecturer_key, number,
                                                                                  utcnow()),
                              on_error=flash)
            show_results = st.toggle("Show the results", key="present:results")
elif ended:
    with main:
        render_session_ended(for_the_room=True)
    with side:
        st.page_link("pages/present.py", label="Present another case", icon=":material/co_present:", query_params={})
        st.link_button("Speaker notes and answer key", notes_link, icon=":material/record_voice_over:")
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

    with side:
        if show_join and session.phase == Phase.lobby and session.board == BoardPhase.off:  # the board takes its place
            render_address_warning(join.warning)  # while setting up; the notes window keeps it all along
            render_join_panel(session.join_code, join_url)
        elif show_join:
            render_join_line(session.join_code, join_url)
        if asked:
            st.subheader(asked.prompt, anchor=False)
            if kind_of(asked).projector_prompt:
                st.markdown(kind_of(asked).projector_prompt)
        live_poll(projected=True)

if ended or show_results:
    with side:
        per_question, per_person = book.polls.export_csv(session_id, case)
        st.download_button("Download results per question (CSV)", per_question, file_name=f"{case.id}-questions.csv",
                           mime="text/csv", key="present:csv-q")
        st.download_button("Download answers per participant (CSV)", per_person, file_name=f"{case.id}-participants.csv",
                           mime="text/csv", key="present:csv-p")
    with main if ended and not notes_view else side:  # at the end the summary is what the room looks at
        summary = visible_poll(case, book.polls.snapshot(session_id, case, with_tally=False, with_summary=True),
                               "notes" if notes_view else "projector")
        render_class_summary(summary.joined, summary.summary)
