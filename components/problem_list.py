"""Validation problems as an author reads them: `line N: field.path: message`, each with the line itself."""
from __future__ import annotations

import re

import streamlit as st

from casebook.loader import Problem

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")
# `=` under a line makes it a heading; `&` starts an entity (`&lt;` would show as `<`).


def plain(text: str) -> str:
    """Text from the author's file, or typed by a student, escaped so Markdown shows it as typed (no links,
    images, headings or styling)."""
    return _MARKDOWN.sub(r"\\\1", text)


def code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def problem_markdown(problems: list[Problem], text: str) -> str:
    """A list with one entry per problem, each followed by the line of the file it points at."""
    lines = text.splitlines()
    out = []
    for p in problems:
        entry = f"- **line {p.line}:** {code(p.field or '(file)')}: {plain(p.message)}"
        shown = lines[p.line - 1].strip() if 1 <= p.line <= len(lines) else ""
        if shown:
            entry += "  \n  " + code(shown if len(shown) <= 80 else shown[:80] + "…")
        out.append(entry)
    return "\n".join(out)


def render_problems(errors: list[Problem], warnings: list[Problem], text: str) -> None:
    if errors:
        st.error(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} to fix before students can use the case",
                 icon=":material/error:")
        st.markdown(problem_markdown(errors, text))
    if warnings:
        st.warning(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}: the case works, but have a look",
                   icon=":material/warning:")
        st.markdown(problem_markdown(warnings, text))


def render_notes(title: str, notes: list[str]) -> None:
    """Notes about a draft (they may quote the report), as plain text."""
    if notes:
        st.markdown(f"**{title}**")
        st.markdown("\n".join(f"- {plain(n)}" for n in notes))


MARK = "▶"


def numbered_text(text: str, marked: set[int]) -> str:
    """The text with a line number before each line, and a mark before each line a problem points at."""
    lines = text.splitlines() or [""]
    width = len(str(len(lines)))
    return "\n".join(f"{MARK if n in marked else ' '} {n:>{width}} │ {line}" for n, line in enumerate(lines, 1))


def render_numbered_text(text: str, problems: list[Problem]) -> None:
    """A read-only copy of the checked text with line numbers, so each `line N:` can be found, and a mark
    on each line with a problem. Shown as plain text (never Markdown or HTML)."""
    marked = {p.line for p in problems}
    st.markdown("**The checked text with line numbers** (read-only)")
    st.caption(f"{MARK} marks the {len(marked)} line{'s' if len(marked) != 1 else ''} with a problem. "
               "Make changes in the box above, then check again.")
    with st.container(height=360, key="numbered-text"):
        st.code(numbered_text(text, marked), language=None, wrap_lines=True)
