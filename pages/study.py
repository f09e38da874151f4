"""Study a case: stage by stage, each question gating the next piece of evidence."""
import streamlit as st

from casebook.core import NotAllowed
from casebook.progress import Attempt
from casebook.grading import InvalidResponse
from components.anki_export import render_case_deck_button
from components.handout import render_handout_buttons
from components.page_style import mark_timeline_region
from components.question import answered_feedback, question_form
from components.scroll import scroll_to_stage, scroll_to_top
from components.stage import render_stage_content
from components.stepper import render_stepper
from components.summary import render_citation, render_score
from components.timeline import render_timeline
from pages._shared import DISCLAIMER, LIBRARY_PAGE, casebook, learner_code, study_code_line, study_code_panel

book = casebook()
learner = learner_code()
study_code_panel(learner)
case_id = st.query_params.get("case", "")
case = book.case_info(case_id)  # metadata only: the case's content comes through book.visible

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


def act(fn, *args, **kwargs) -> None:
    """Run an action on the attempt; explain a refusal instead of showing a traceback."""
    try:
        fn(*args, **kwargs)
    except (InvalidResponse, NotAllowed) as exc:
        st.session_state[f"{key}:flash"] = str(exc)[:1].upper() + str(exc)[1:] + "."
    st.rerun()


def act_before_run(fn, *args, **kwargs) -> None:
    """The same as `act`, run as a button's callback: the action happens before the page is drawn,
    so a press costs one run of the page instead of a run with the old state plus a rerun."""
    try:
        fn(*args, **kwargs)
    except (InvalidResponse, NotAllowed) as exc:
        st.session_state[f"{key}:flash"] = str(exc)[:1].upper() + str(exc)[1:] + "."


def on_submit(question_id: str, submission) -> None:
    """The open question's buttons, as callbacks (see act_before_run)."""
    if submission.action == "hint":
        act_before_run(book.take_hint, attempt.id, question_id)
    elif submission.action == "give_up":
        act_before_run(book.answer, attempt.id, question_id, None, submission.confidence, gave_up=True)
    else:  # what is missing (an option, the confidence) is refused all at once
        act_before_run(book.answer, attempt.id, question_id, submission.response, submission.confidence,
                       require_confidence=True)


st.title(case.title)
st.caption(f"{', '.join(case.specialty)} · {', '.join(case.body_region)} · {case.difficulty} · "
           f"about {case.minutes} min · **{DISCLAIMER}**")
study_code_line(learner)


@st.fragment
def player(first: Attempt) -> None:
    """The case as far as it is revealed. A press inside it (an answer, a hint, the next stage)
    reruns only this part of the page, not the header and the study-code panel around it."""
    # `first` is the attempt as the page's run read it; a rerun of this part alone reads it again.
    now = first if st.session_state.pop(f"{key}:fresh", False) else book.attempt(first.id)
    view = book.visible(now)
    flash = st.session_state.pop(f"{key}:flash", None)
    render_stepper(view.stage_kinds, view.current, finished=view.finished)

    if view.finished:
        render_score(view.score)
        render_citation(view.source)
        pdf, anki = st.columns(2)
        with pdf:
            render_handout_buttons(view.completed_case, key=f"{key}:handout", worksheet=False)
        with anki:
            render_case_deck_button(view.completed_case, key=f"{key}:anki")
        if st.button("Start this case again", key=f"{key}:restart", icon=":material/replay:"):
            act(book.restart, learner, case.id)
        st.divider()
    else:
        with st.expander("Learning objectives", expanded=False):
            st.markdown("\n".join(f"- {o}" for o in case.objectives))

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
            if is_current:
                box = st.container(border=True, key=f"stage-{vs.index}")
            elif view.finished:
                box = st.expander(heading, expanded=True)
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
        if view.finished or view.current == 0:
            scroll_to_top(f"{attempt.id}:{'finished' if view.finished else 0}")
        else:
            scroll_to_stage(view.current, f"{attempt.id}:{view.current}")
        if flash:  # a refused reveal or restart; a refused answer is explained in its form
            st.error(flash, icon=":material/error:")

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
