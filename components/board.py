"""The student's differential board beside the case: what they hold, and the forms that change it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

import streamlit as st

from casebook.board import CHANGE_WORDS, MAX_HELD, BoardChange, BoardConfidence, BoardView, ChangeKind, StudentBoard
from components.problem_list import plain

CONFIDENCE_LABELS = {BoardConfidence.low: "Low", BoardConfidence.medium: "Medium", BoardConfidence.high: "High"}
ACTION_LABELS = {
    ChangeKind.promote: "Move up",
    ChangeKind.demote: "Move down",
    ChangeKind.strike: "Strike out",
    ChangeKind.restore: "Restore",
    ChangeKind.confidence: "Change confidence",
}


@dataclass(frozen=True)
class BoardRequest:
    """What the student asked of their board this run; the page hands it to the core."""

    action: Literal["add", "change"]
    kind: ChangeKind
    diagnosis: str | None = None
    typed: str | None = None
    confidence: BoardConfidence | None = None
    ref: str | None = None


def board_markdown(board: StudentBoard) -> str:
    """The board as a numbered list; names a student typed are escaped, so they show as typed."""
    if not board.live and not board.struck:
        return "*Nothing on the board yet.*"
    lines = [f"{n}. **{plain(h.name)}** — {CONFIDENCE_LABELS[h.confidence].lower()} confidence"
             for n, h in enumerate(board.live, 1)]
    if board.struck:
        lines.append("")
        lines.append("Struck out: " + ", ".join(f"~~{plain(h.name)}~~" for h in board.struck))
    return "\n".join(lines)


def change_text(change: BoardChange, name: str, moved_by: str | None) -> str:
    """One change in words, escaped: "Moved up Pneumonia — because: Crackles at the right apex"."""
    words = CHANGE_WORDS[change.kind].capitalize()
    if change.kind == ChangeKind.confidence and change.confidence:
        words = f"Changed to {CONFIDENCE_LABELS[change.confidence].lower()} confidence:"
    because = f" — moved by: {plain(moved_by)}" if moved_by else ""
    return f"{words} {plain(name)}{because}"


def render_board(view: BoardView, *, key: str, on_request: Callable[[BoardRequest], bool],
                 error: str | None = None) -> None:
    """`on_request` applies a change and says whether it was taken: a form is emptied only then, so a
    refused change keeps what the student typed."""
    st.subheader("Your differential board", anchor=False)
    if view.editable:
        if view.stage_index == 0:
            st.caption("What could this be? Add the diagnoses you are weighing, most likely first, with how "
                       "likely each is. You will update the board as the case unfolds.")
        else:
            st.caption("Has this stage changed your thinking? Move diagnoses up or down, add or strike them "
                       "out, and say what moved you.")
    else:
        st.caption("The board as you left it when the diagnosis came out; the end of the case compares it "
                   "with an expert's.")
    with st.container(key=f"{key}:held"):
        st.markdown(board_markdown(view.board))
    names = {h.diagnosis: h.name for h in view.board.live + view.board.struck} | {o.id: o.name for o in view.options}
    if view.changes:
        st.markdown("**Changed at this stage**\n\n" + "\n".join(
            f"- {change_text(c, names.get(c.diagnosis, c.name or c.diagnosis), view.ref_label(c.ref))}"
            for c in view.changes))
    if not view.editable:
        return
    refs = [r.ref for r in view.refs]
    ref_label = {r.ref: f"{r.label} (stage {r.stage_index + 1})" for r in view.refs}
    moved_label = "What moved you? (optional at the first stage)" if view.stage_index == 0 else "What moved you?"

    if error:
        st.error(error, icon=":material/error:")
    held = {h.diagnosis for h in view.board.live + view.board.struck}
    free = [o for o in view.options if o.id not in held]
    if len(view.board.live) < MAX_HELD:
        with st.form(key=f"{key}:add", border=True, enter_to_submit=False):
            st.markdown("**Add a diagnosis**")
            if view.list_held:
                st.caption("The case's list comes back once you have typed your answer to this stage's question, "
                           "so it cannot give that answer away. You can still type a diagnosis of your own.")
            else:
                st.selectbox("From the case's list", [o.id for o in free], index=None, key=f"{key}:add:pick",
                             format_func={o.id: o.name for o in free}.get, placeholder="Choose a diagnosis")
            st.text_input("Type a diagnosis of your own" if view.list_held else "…or type your own", max_chars=80,
                          key=f"{key}:add:typed",
                          help="Matched against the list's names and their synonyms, like a typed answer.")
            st.radio("How likely?", list(CONFIDENCE_LABELS), format_func=CONFIDENCE_LABELS.get, index=None,
                     horizontal=True, key=f"{key}:add:likely")
            st.selectbox(moved_label, refs, index=None, key=f"{key}:add:ref", format_func=ref_label.get,
                         placeholder="Choose a finding or result")

            def add() -> None:
                s = st.session_state
                if on_request(BoardRequest("add", ChangeKind.add, s.get(f"{key}:add:pick"), s.get(f"{key}:add:typed"),
                                           s.get(f"{key}:add:likely"), s.get(f"{key}:add:ref"))):
                    _empty(key, "add", typed=True)

            st.form_submit_button("Add to my board", on_click=add, icon=":material/add:")
    if held:
        choices = [h.diagnosis for h in view.board.live + view.board.struck]
        with st.form(key=f"{key}:change", border=True, enter_to_submit=False):
            st.markdown("**Change one you hold**")
            st.selectbox("Diagnosis", choices, index=None, key=f"{key}:change:pick", format_func=names.get,
                         placeholder="Choose a diagnosis on your board")
            st.radio("Change", list(ACTION_LABELS), format_func=ACTION_LABELS.get, index=None, horizontal=True,
                     key=f"{key}:change:kind")
            st.radio("New confidence (to change it, or for one restored)", list(CONFIDENCE_LABELS),
                     format_func=CONFIDENCE_LABELS.get, index=None, horizontal=True, key=f"{key}:change:likely")
            st.selectbox(moved_label, refs, index=None, key=f"{key}:change:ref", format_func=ref_label.get,
                         placeholder="Choose a finding or result")

            def change() -> None:
                s = st.session_state
                if on_request(BoardRequest("change", s.get(f"{key}:change:kind"), s.get(f"{key}:change:pick"),
                                           None, s.get(f"{key}:change:likely"), s.get(f"{key}:change:ref"))):
                    _empty(key, "change", typed=False)

            st.form_submit_button("Update my board", on_click=change, icon=":material/swap_vert:")


def _empty(key: str, form: str, *, typed: bool) -> None:
    """Clear a form after its change was taken, ready for the next one."""
    for part in ("pick", "likely", "ref") + (("kind",) if form == "change" else ()):
        st.session_state[f"{key}:{form}:{part}"] = None
    if typed:
        st.session_state[f"{key}:{form}:typed"] = ""
