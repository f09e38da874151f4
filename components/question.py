"""A question as a form (for the open question) and as feedback (once answered)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Literal

import streamlit as st

from casebook.kinds import KINDS, kind_of
from casebook.points import earned_text, points_text
from casebook.progress import Confidence
from casebook.reveal import AnsweredQuestion, QuestionView
from components.kinds import drawing_of
from components.problem_list import plain

CONFIDENCE_LABELS = {
    Confidence.guessing: "Guessing",
    Confidence.unsure: "Fairly sure",
    Confidence.confident: "Confident",
}
TYPE_HELP = {name: kind.how_to_answer for name, kind in KINDS.items()}
"""How to answer, per question type (each kind says it: casebook.kinds)."""


@dataclass(frozen=True)
class Submission:
    action: Literal["answer", "give_up", "hint", "order"]
    response: Any = None
    confidence: Confidence | None = None


def question_form(q: QuestionView, *, key: str, error: str | None = None,
                  on_submit: Callable[[Submission], None] | None = None) -> Submission | None:
    """Draw the open question; return what the student did this run, if anything.

    With `on_submit`, what the student did is handed to it as the buttons' callback instead, before
    the page is drawn again: one run of the page per press, not a run and then a rerun.

    `error` explains why the last submission was not taken. It goes just above the buttons, where
    the student is looking when they press Submit (on a phone the prompt is off-screen by then).
    """
    if drawing_of(q).own_form is not None:
        drawn = drawing_of(q).own_form(q, key=key, error=error, on_submit=on_submit)
        if drawn is not NotImplemented:
            return drawn
    st.markdown(f"**Question — {points_text(q.points)}**\n\n{q.prompt}")
    st.caption(kind_of(q).how_to_answer)
    hinted = render_hint(q, key=key, on_submit=on_submit)
    if hinted:
        return hinted

    with st.form(key=f"{key}:form", border=True, enter_to_submit=False):
        response = _response_widget(q, key)
        confidence = st.radio(
            "How sure are you?",
            options=list(CONFIDENCE_LABELS),
            format_func=CONFIDENCE_LABELS.get,
            index=None,
            horizontal=True,
            key=f"{key}:confidence",
        )
        if error:
            st.error(error, icon=":material/error:")
        # One row of two equal buttons: a horizontal container is one message to the browser,
        # two columns are three.
        left = right = st.container(horizontal=True, gap="small")
        if on_submit is not None:
            def handed(action: str) -> None:
                confidence = st.session_state.get(f"{key}:confidence")
                on_submit(Submission(action, _response_value(q, key) if action == "answer" else None, confidence))

            left.form_submit_button("Submit answer", type="primary", width="stretch", on_click=handed,
                                    args=("answer",))
            right.form_submit_button("I don't know — show me", width="stretch", on_click=handed, args=("give_up",))
            return None
        submitted = left.form_submit_button("Submit answer", type="primary", width="stretch")
        gave_up = right.form_submit_button("I don't know — show me", width="stretch")
    if gave_up:
        return Submission("give_up", None, confidence)
    if submitted:
        return Submission("answer", response, confidence)
    return None


def render_hint(q: QuestionView, *, key: str, on_submit: Callable[[Submission], None] | None) -> Submission | None:
    """The hint once taken, else a button to take it (with what it costs)."""
    if q.hint:
        st.info(f"Hint: {q.hint}", icon=":material/lightbulb:")
    elif q.has_hint:
        label = f"Show a hint (costs {points_text(q.hint_cost)})"
        if on_submit is not None:
            st.button(label, key=f"{key}:hint", icon=":material/lightbulb:", on_click=on_submit,
                      args=(Submission("hint"),))
        elif st.button(label, key=f"{key}:hint", icon=":material/lightbulb:"):
            return Submission("hint")
    return None


def _response_value(q: QuestionView, key: str) -> Any:
    """What `_response_widget` returns, read from the widgets' state (in a callback, before the run)."""
    return drawing_of(q).value(q, key)


def _response_widget(q: QuestionView, key: str) -> Any:
    return drawing_of(q).widget(q, key)


def answered_feedback(a: AnsweredQuestion) -> None:
    """The question with the student's answer, the verdict, and why each option is right or wrong."""
    q, rec = a.question, a.answer
    # Three elements (question, verdict, detail) however many options: each is a message to the browser.
    st.markdown(f"**Question — {points_text(q.points)}**\n\n{q.prompt}")
    verdict = "gave up" if rec.gave_up else a.grade.verdict
    summary = f"{verdict.capitalize()} — {earned_text(rec.points, rec.max_points)}"
    if rec.hint_used and q.hint:
        summary += f" (hint used: −{q.hint_cost:g})"
    if rec.confidence:
        summary += f" · you felt: {CONFIDENCE_LABELS[rec.confidence].lower()}"
    if rec.gave_up:
        st.warning(summary, icon=":material/help:")
    elif a.grade.correct:
        st.success(summary, icon=":material/check_circle:")
    elif a.grade.fraction > 0:
        st.warning(summary, icon=":material/rule:")
    else:
        st.error(summary, icon=":material/cancel:")
    detail = []
    if a.grade is not None and a.grade.note:
        detail.append(plain(a.grade.note))  # how it was graded, as plain text (it quotes the case's answers)
    detail += _answer_detail(a)
    detail.append(f"**Why:** {q.explanation}")
    st.markdown("\n\n".join(detail))


def _answer_detail(a: AnsweredQuestion) -> list[str]:
    """Markdown blocks: the student's answer and the expected one (each kind words its own)."""
    return drawing_of(a.question).feedback(a)
