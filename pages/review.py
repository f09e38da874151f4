"""Review: questions you missed come back on a spaced-repetition schedule."""
from dataclasses import replace

import streamlit as st

from casebook.calibration import calibration
from casebook.core import utcnow
from casebook.answer_form import answer_problems, problems_message
from casebook.grading import InvalidResponse, check_response, points_earned
from casebook.progress import AnswerRecord
from casebook.reveal import answered_question, question_view
from components.anki_export import render_review_deck_button
from components.calibration import render_calibration
from components.question import answered_feedback, question_form
from pages._shared import DISCLAIMER, casebook, learner_code, study_code_panel

book = casebook()
learner = learner_code()
study_code_panel(learner)

st.title("Review")
st.caption(f"Questions you missed come back here, further apart each time you get them right. {DISCLAIMER}")

last = st.session_state.get("review:last")
if last:
    with st.container(border=True):
        answered_feedback(last["answered"])
        st.caption(f"Next review of this question: {last['next_due']:%d %b %Y, %H:%M} UTC")

due = book.due_reviews(learner)


def anki_download() -> None:
    queued = book.queued_reviews(learner)
    if queued:
        render_review_deck_button(queued, key=f"review:{learner}:anki")


def calibration_panel() -> None:
    render_calibration(calibration(book.progress.learner_answers(learner)), key=f"review:{learner}:calibration")


if not due:
    upcoming = book.reviews.upcoming(learner)
    if upcoming:
        st.success(f"Nothing due now. Next review: {upcoming[0].due:%d %b %Y, %H:%M} UTC "
                   f"({len(upcoming)} question{'s' if len(upcoming) != 1 else ''} in your queue).",
                   icon=":material/event_available:")
    else:
        st.info("Nothing to review yet. Questions you miss in a case are queued here automatically.",
                icon=":material/inbox:")
    anki_download()
    calibration_panel()
    st.stop()

item, stage, question = due[0]
case = book.case(item.case_id)
st.markdown(f"**{len(due)} due** · from *{case.title}*, stage: {stage.title}")
with st.expander("Remind me of the stage", expanded=False):
    st.markdown(stage.narrative)
seed = f"review:{item.reviews}"
view = replace(question_view(question, hint_taken=False, shuffle_seed=seed), has_hint=False)
key = f"review:{item.case_id}:{item.reviews}:{item.question_id}"
error = st.session_state.pop("review:error", None)
submission = question_form(view, key=key, error=error)
if submission and submission.action == "answer":
    problems = answer_problems(question, submission.response, submission.confidence)
    if problems:  # all at once: the response and the confidence
        st.session_state["review:error"] = problems_message(problems)
        st.rerun()
    try:
        now = utcnow()
        grade, next_due = book.review_answer(learner, item.case_id, item.question_id, submission.response,
                                             submission.confidence, now)
        record = AnswerRecord(question.id, check_response(question, submission.response), grade.fraction,
                              points_earned(question, grade.fraction, hint_used=False), question.points,
                              grade.correct, False, False, submission.confidence, now)
        st.session_state["review:last"] = {"answered": answered_question(question, record, shuffle_seed=seed),
                                           "next_due": next_due}
    except InvalidResponse as exc:
        st.session_state["review:error"] = str(exc).capitalize() + "."
    st.rerun()
elif submission and submission.action == "give_up":
    now = utcnow()
    next_due = book.review_give_up(learner, item.case_id, item.question_id, now)
    record = AnswerRecord(question.id, None, 0.0, 0.0, question.points, False, True, False, submission.confidence, now)
    st.session_state["review:last"] = {"answered": answered_question(question, record, shuffle_seed=seed),
                                       "next_due": next_due}
    st.rerun()

st.divider()
anki_download()
calibration_panel()
