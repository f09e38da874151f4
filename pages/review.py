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
from casebook.when import comes_back, comes_back_summary
from pages._shared import DISCLAIMER, casebook, learner_code, learner_zone, study_code_panel

book = casebook()
learner = learner_code()
study_code_panel(learner)
zone = learner_zone()

st.title("Review")
st.caption(f"Questions you missed come back here, further apart each time you get them right. {DISCLAIMER}")

last = st.session_state.get("review:last")
if last:
    with st.container(border=True):
        answered_feedback(last["answered"])
        st.caption(f"Next review of this question: {zone.date_and_time(last['next_due'])} "
                   f"({comes_back(last['next_due'], utcnow(), zone)})")

now = utcnow()
due = book.due_reviews(learner, now)


def anki_download() -> None:
    queued = book.queued_reviews(learner)
    if queued:
        render_review_deck_button(queued, key=f"review:{learner}:anki")


def calibration_panel() -> None:
    render_calibration(calibration(book.progress.learner_answers(learner)), key=f"review:{learner}:calibration")


if not due:
    upcoming = book.reviews.upcoming(learner)
    if upcoming:
        n = len(upcoming)
        st.success(f"Nothing due now. {n} question{'s' if n != 1 else ''} in your queue "
                   f"come{'s' if n == 1 else ''} back: {comes_back_summary([q.due for q in upcoming], now, zone)}. "
                   f"Next: {zone.date_and_time(upcoming[0].due)}.", icon=":material/event_available:")
    else:
        st.info("Nothing to review yet. Questions you miss in a case are queued here automatically.",
                icon=":material/inbox:")
    anki_download()
    calibration_panel()
    st.stop()

item, stage, question = due[0]
case = book.case(item.case_id)
st.markdown(f"**{len(due)} due** · from *{case.title}*, stage: {stage.title}")
cards = book.cards
later = [q.due for q in book.reviews.upcoming(learner) if q.due > now and q.case_id in cards]
if later:
    # A question missed a moment ago is not due yet (it comes back after a short wait, then further apart).
    st.caption(f"{len(later)} more come{'s' if len(later) == 1 else ''} back later: "
               f"{comes_back_summary(later, now, zone)}.")
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
