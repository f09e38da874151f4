"""How a question kind is drawn: its input inside the answer form, its feedback once answered, and its
answer key on the lecturer's screens. The core's kind (casebook.kinds) decides what may be shown."""
from __future__ import annotations

from typing import Any

import streamlit as st

from casebook.model import Question
from casebook.reveal import AnsweredQuestion, QuestionView


class KindDrawing:
    type: str
    """The kind's `type`, as in casebook.kinds."""
    own_form = None
    """A kind whose question is not one form with Submit (ordering tests one by one) draws the whole question:
    a function like components.question.question_form taking (view, key=, error=, on_submit=, ...)."""

    def widget(self, q: QuestionView, key: str) -> Any:
        """Draw the input inside the answer form and return its value this run."""
        raise NotImplementedError

    def value(self, q: QuestionView, key: str) -> Any:
        """What `widget` returns, read from the widgets' state (in a callback, before the run)."""
        raise NotImplementedError

    def feedback(self, a: AnsweredQuestion) -> list[str]:
        """Markdown blocks: the student's answer and the expected one."""
        return []

    def answer_key(self, q: Question) -> None:
        """The answer, item by item, under the explanation (speaker notes; the projector once revealed)."""


def quote(text: str) -> str:
    # Student text is shown as inline code so Markdown in it is displayed, not interpreted.
    return "`" + " ".join(str(text).split()).replace("`", "'") + "`"


def markdown_lines(lines: list[str]) -> None:
    for line in lines:
        st.markdown(line)
