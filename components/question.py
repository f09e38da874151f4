"""A question as a form (for the open question) and as feedback (once answered)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Literal

import streamlit as st

from casebook.answer_marks import MARK_WORDS, option_mark
from casebook.points import earned_text, points_text
from casebook.progress import Confidence
from casebook.reveal import AnsweredQuestion, QuestionView
from components.palette import ANSWER_MARK_STYLE
from components.problem_list import plain

CONFIDENCE_LABELS = {
    Confidence.guessing: "Guessing",
    Confidence.unsure: "Fairly sure",
    Confidence.confident: "Confident",
}
TYPE_HELP = {
    "single_choice": "Choose one answer.",
    "multiple_choice": "Tick every answer that applies.",
    "free_text": "Type your answer; synonyms, spelling variants and small slips of spelling are accepted.",
    "ranking": "Pick the items one by one, most likely first, until all are in your list. "
               "To take one out, press its × (or Backspace in the box).",
    "numeric": "Enter a number.",
}


@dataclass(frozen=True)
class Submission:
    action: Literal["answer", "give_up", "hint"]
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
    st.markdown(f"**Question — {points_text(q.points)}**\n\n{q.prompt}")
    st.caption(TYPE_HELP[q.type])
    if q.hint:
        st.info(f"Hint: {q.hint}", icon=":material/lightbulb:")
    elif q.has_hint:
        label = f"Show a hint (costs {points_text(q.hint_cost)})"
        if on_submit is not None:
            st.button(label, key=f"{key}:hint", icon=":material/lightbulb:", on_click=on_submit,
                      args=(Submission("hint"),))
        elif st.button(label, key=f"{key}:hint", icon=":material/lightbulb:"):
            return Submission("hint")

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
        left, right = st.columns([1, 1])
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


def _response_value(q: QuestionView, key: str) -> Any:
    """What `_response_widget` returns, read from the widgets' state (in a callback, before the run)."""
    state = st.session_state
    if q.type == "single_choice":
        return state.get(f"{key}:choice")
    if q.type == "multiple_choice":
        return [oid for oid, _ in q.choices if state.get(f"{key}:opt:{oid}")]
    if q.type == "free_text":
        return state.get(f"{key}:text", "")
    if q.type == "ranking":
        return list(state.get(f"{key}:rank") or [])
    return state.get(f"{key}:number")


def _response_widget(q: QuestionView, key: str) -> Any:
    labels = dict(q.choices)
    if q.type == "single_choice":
        return st.radio("Your answer", options=list(labels), format_func=labels.get, index=None, key=f"{key}:choice")
    if q.type == "multiple_choice":
        st.markdown("Your answer")
        return [oid for oid, text in q.choices if st.checkbox(text, key=f"{key}:opt:{oid}")]
    if q.type == "free_text":
        return st.text_input("Your answer", placeholder=q.placeholder or "", max_chars=500, key=f"{key}:text")
    if q.type == "ranking":
        return st.multiselect(
            "Your order (first = most likely)",
            options=list(labels),
            format_func=labels.get,
            key=f"{key}:rank",
            placeholder="Choose the first item…",
        )
    label = f"Your answer ({q.unit})" if q.unit else "Your answer"
    return st.number_input(label, value=None, step=1.0, format="%g", key=f"{key}:number")


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
    """Markdown blocks: the student's answer and the expected one."""
    q, rec = a.question, a.answer
    blocks = []
    if q.type in ("single_choice", "multiple_choice"):
        blocks.append(marked_options(a))
    elif q.type == "ranking":
        if rec.response:
            texts = {i.id: i.text for i in q.items}
            blocks.append("Your order: " + " → ".join(texts[i] for i in rec.response))
        blocks.append("Expected order:\n\n" + "\n".join(f"{n}. {item.text} — {item.feedback}"
                                                        for n, item in enumerate(q.items, 1)))
    elif q.type == "free_text":
        if rec.response:
            blocks.append(f"Your answer: {_quote(rec.response)}")
        blocks.append("Accepted answers: " + ", ".join(q.accepted))
    elif q.type == "numeric":
        if rec.response is not None:
            blocks.append(f"Your answer: {rec.response:g}{' ' + q.unit if q.unit else ''}")
        tol = f" (± {q.tolerance:g})" if q.tolerance else ""
        blocks.append(f"Expected: {q.answer:g}{' ' + q.unit if q.unit else ''}{tol}")
    return blocks


def marked_options(a: AnsweredQuestion) -> str:
    """One paragraph per option: what the student did with it and whether that was right, in words,
    an icon and a colour (casebook/answer_marks.py), then why."""
    q, rec = a.question, a.answer
    multiple = q.type == "multiple_choice"
    chosen = set(rec.response or []) if multiple else {rec.response}
    rows = []
    for o in a.options:
        mark = option_mark(multiple=multiple, correct=o.correct, chosen=o.id in chosen, gave_up=rec.gave_up)
        colour, icon = ANSWER_MARK_STYLE[mark.value]
        rows.append(f":{colour}-background[{icon} {MARK_WORDS[mark]}] **{o.text}**  \n{o.feedback}")
    return "\n\n".join(rows)


def _quote(text: str) -> str:
    # Student text is shown as inline code so Markdown in it is displayed, not interpreted.
    return "`" + " ".join(str(text).split()).replace("`", "'") + "`"
