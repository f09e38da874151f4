"""Study a case: stage by stage, each question gating the next piece of evidence."""
import streamlit as st

from casebook.core import AttemptGone, NotAllowed, utcnow
from casebook.when import comes_back_summary
from casebook.progress import Attempt
from casebook.grading import InvalidResponse
from casebook.history import linked_stage
from components.anki_export import render_case_deck_button
from components.attempt_history import render_earlier_attempts, render_restart_question
from casebook.board import BoardError
from components.board import BoardRequest, render_board
from components.board_trace import render_board_trace
from components.handout import render_handout_buttons
from components.page_style import mark_timeline_region
from components.question import answered_feedback, question_form
from components.scroll import scroll_to_stage, scroll_to_top
from components.stage import render_stage_content
from components.stepper import render_stepper
from components.summary import render_citation, render_score
from components.timeline import render_timeline
from pages._shared import (DISCLAIMER, LIBRARY_PAGE, casebook, learner_code, learner_zone, study_code_line,
                           study_code_panel)

book = casebook()
learner = learner_code()
study_code_panel(learner)
case_id = book.case_id_from_address(st.query_params.get("case", ""))
case = book.case_info(case_id)  # metadata only: the case's content comes through book.visible
if case is not None and st.query_params.get("case") != case.id:
    st.query_params["case"] = case.id  # ?case=Painful-Wasted-Leg opens the case, under its own address
zone = learner_zone()

if case is None:
    if case_id:
        st.title("Case not found")
        st.write("There is no available case with that address. It may have been renamed, or its file has a problem.")
    else:
        st.title("Choose a case")
        st.write("Open a case from the library to start studying.")
    study_code_line(learner)
    st.page_link(LIBRARY_PAGE, label="Go to the case library", icon=":material/library_books:",
                 query_params={"learner": learner})
    st.stop()

attempt = book.attempt_for(learner, case.id)
key = f"case:{case.id}:{attempt.id}"
GONE = f"case:{case.id}:gone"
if "stage" in st.query_params:  # a link back to a stage (from the Progress page's mistake journal)
    st.session_state[f"{key}:link"] = (linked_stage(st.query_params["stage"], case.stage_count), None)
    del st.query_params["stage"]


def act(fn, *args, **kwargs) -> None:
    """Run an action on the attempt; explain a refusal instead of showing a traceback."""
    try:
        fn(*args, **kwargs)
    except AttemptGone:
        st.session_state[GONE] = True
    except (InvalidResponse, NotAllowed) as exc:
        st.session_state[f"{key}:flash"] = str(exc)[:1].upper() + str(exc)[1:] + "."
    st.rerun()


def act_before_run(fn, *args, **kwargs) -> None:
    """The same as `act`, run as a button's callback: the action happens before the page is drawn,
    so a press costs one run of the page instead of a run with the old state plus a rerun."""
    try:
        done = fn(*args, **kwargs)
    except AttemptGone:  # the page's next run starts the case afresh and says why
        st.session_state[GONE] = True
    except (InvalidResponse, NotAllowed) as exc:
        st.session_state[f"{key}:flash"] = str(exc)[:1].upper() + str(exc)[1:] + "."
    else:
        if isinstance(done, Attempt):  # the attempt as the action left it: the player need not read it again
            st.session_state[f"{key}:after"] = done


def ask_before_restart(asking: bool) -> None:
    """A finished result is never replaced on one press: "Start this case again" asks first."""
    st.session_state[f"{key}:restart-ask"] = asking


def on_submit(question_id: str, submission) -> None:
    """The open question's buttons, as callbacks (see act_before_run)."""
    if submission.action == "hint":
        act_before_run(book.take_hint, attempt.id, question_id)
    elif submission.action == "order":
        act_before_run(book.order_test, attempt.id, question_id, submission.response)
    elif submission.action == "give_up":
        act_before_run(book.answer, attempt.id, question_id, None, submission.confidence, gave_up=True)
    else:  # what is missing (an option, the confidence) is refused all at once
        act_before_run(book.answer, attempt.id, question_id, submission.response, submission.confidence,
                       require_confidence=True)


def on_board(request: BoardRequest) -> bool:
    """A change to the differential board, as a form's callback; a refusal is said beside the board."""
    try:
        book.board_request(attempt.id, request.kind, request.diagnosis, typed=request.typed,
                           confidence=request.confidence, ref=request.ref)
        return True
    except (BoardError, NotAllowed) as exc:
        st.session_state[f"{key}:board-flash"] = str(exc)[:1].upper() + str(exc)[1:] + "."
        return False


st.title(case.title)
st.caption(f"{', '.join(case.specialty)} · {', '.join(case.body_region)} · {case.difficulty} · "
           f"about {case.minutes} min · **{DISCLAIMER}**")
study_code_line(learner)
if st.session_state.pop(GONE, False):
    st.warning("Your saved progress under this study code was deleted (from another window or device), so this "
               "case starts again from its first stage.", icon=":material/delete:")
render_earlier_attempts([r for r in book.attempt_history(learner, case.id) if r.attempt_id != attempt.id], zone,
                        case.stage_count, key=key)


def stage_link(view) -> int | None:
    """The revealed stage a link asked for, until the student moves on to another stage. A link to a
    stage not revealed in this attempt opens nothing and says so."""
    wanted = st.session_state.get(f"{key}:link")
    if not wanted:
        return None
    index, at = wanted
    if index is not None and index >= len(view.stages):
        st.session_state.pop(f"{key}:link")
        st.info(f"You have not reached stage {index + 1} in this attempt yet: it opens when you get there.",
                icon=":material/lock:")
        return None
    if index is None or (at is not None and at != (view.current, view.finished)):
        st.session_state.pop(f"{key}:link")
        return None
    st.session_state[f"{key}:link"] = (index, (view.current, view.finished))
    return index


@st.fragment
def player(first: Attempt) -> None:
    """The case as far as it is revealed. A press inside it (an answer, a hint, the next stage)
    reruns only this part of the page, not the header and the study-code panel around it."""
    # `first` is the attempt as the page's run read it; a rerun of this part alone reads it again.
    # An action in this run (a callback) may have handed over the attempt as it left it.
    after = st.session_state.pop(f"{key}:after", None)
    try:
        if st.session_state.pop(f"{key}:fresh", False):
            now = first
        else:
            now = after if isinstance(after, Attempt) and after.id == first.id else book.attempt(first.id)
    except AttemptGone:  # the profile was deleted in another window: the whole page starts the case afresh
        st.session_state[GONE] = True
        st.rerun()
    view = book.visible(now)
    board = book.board(now)  # None for a case without a differential board
    flash = st.session_state.pop(f"{key}:flash", None)
    link = stage_link(view)
    render_stepper(view.stage_kinds, view.current, finished=view.finished)

    if view.finished:
        render_score(view.score)
        if view.score.missed:
            dues = book.review_due_dates(learner, case.id, [m.question.id for m in view.score.missed])
            if dues:
                st.caption(f"Your Review page brings these back: {comes_back_summary(dues, utcnow(), zone)}.")
        if board is not None and board.comparison is not None:
            render_board_trace(board.comparison, key=f"{key}:trace")
        render_citation(view.source)
        pdf, anki = st.columns(2)
        with pdf:
            render_handout_buttons(view.completed_case, key=f"{key}:handout", worksheet=False)
        with anki:
            render_case_deck_button(view.completed_case, key=f"{key}:anki")
        if st.session_state.get(f"{key}:restart-ask"):
            score = view.score
            render_restart_question(
                f"{score.percent}%, {score.points:g} of {score.max_points:g} points", key=key,
                confirm=lambda: act(book.restart, learner, case.id, seen_attempt_id=now.id),
                cancel=lambda: ask_before_restart(False))
        else:
            st.button("Start this case again", key=f"{key}:restart", icon=":material/replay:",
                      on_click=ask_before_restart, args=(True,))
        st.divider()
    else:
        # Drawn only when opened, like an earlier stage: closed, it is one message per stage advance, not two.
        objectives = st.expander("Learning objectives", key=f"{key}:objectives", on_change="rerun")
        if objectives.open:
            objectives.markdown("\n".join(f"- {o}" for o in case.objectives))

    story, side = st.columns([3, 2], gap="large")
    with side:
        if view.timeline:
            with st.container(key="study-timeline"):  # kept in view beside a long stage (components/page_style.py)
                st.subheader("Timeline so far", anchor=False)
                render_timeline(view.timeline, key=f"{key}:timeline")

    case_dir = book.case_dir(case.id)
    with story:
        for vs in view.stages:
            is_current = vs.index == view.current and not view.finished
            heading = f"{vs.index + 1}. {vs.stage.title}"
            linked = vs.index == link and not is_current
            if is_current:
                box = st.container(border=True, key=f"stage-{vs.index}")
            elif view.finished:
                box = (st.container(key=f"stage-{vs.index}") if linked else st).expander(heading, expanded=True)
            elif linked:  # opened by a link: open, and under its own key so it opens even if closed before
                box = st.container(key=f"stage-{vs.index}").expander(
                    heading, expanded=True, key=f"{key}:past-{vs.index}:linked", on_change="rerun")
                if not box.open:
                    continue
            else:
                # A stage already read is drawn only when the student opens it again: each stage
                # advance would otherwise redraw every earlier stage, its charts and its answers.
                box = st.expander(heading, key=f"{key}:past-{vs.index}", on_change="rerun")
                if not box.open:
                    continue
            with box:
                if is_current:
                    st.subheader(heading, anchor=False)
                render_stage_content(vs.stage, case_id=case.id, case_dir=case_dir)
                for answered in vs.answered:
                    with st.container(border=True):
                        answered_feedback(answered)
                if is_current and vs.pending:
                    q = vs.pending[0]
                    question_form(q, key=f"{key}:{q.id}", error=flash,
                                  on_submit=lambda submission, qid=q.id: on_submit(qid, submission))
                    flash = None

        # A new stage opens at its heading, so its findings are read before its question.
        if link is not None:
            scroll_to_stage(link, f"{attempt.id}:link:{link}")
        elif view.finished or view.current == 0:
            scroll_to_top(f"{attempt.id}:{'finished' if view.finished else 0}")
        else:
            scroll_to_stage(view.current, f"{attempt.id}:{view.current}")
        if flash:  # a refused reveal or restart; a refused answer is explained in its form
            st.error(flash, icon=":material/error:")
        # The board follows the stage being read: read, answer, then say what moved you, before the next stage
        # (beside it, it would push the kept-in-view timeline off the screen on a long stage).
        if board is not None and not view.finished:
            with st.container(key="study-board", border=True):
                render_board(board, key=f"{key}:board", on_request=on_board,
                             error=st.session_state.pop(f"{key}:board-flash", None))

    if view.can_advance:
        label = "Finish the case and see your results" if view.is_last_stage else "Reveal the next stage"
        with story:
            st.button(label, type="primary", key=f"{key}:next", icon=":material/arrow_forward:", shortcut="Ctrl+Enter",
                      on_click=act_before_run, args=(book.reveal_next, attempt.id))


st.session_state[f"{key}:fresh"] = True
player(attempt)
st.divider()
st.caption(DISCLAIMER)
mark_timeline_region()  # the kept-in-view timeline, when it scrolls, is reachable by keyboard
