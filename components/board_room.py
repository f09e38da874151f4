"""The room's differential board on the Present page: the lecturer's two buttons, the aggregate chart
(with a table of the same counts), and the expert's board in the speaker notes."""
from __future__ import annotations

from typing import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from casebook.poll import Phase, PollSession
from casebook.poll_board import MAX_PHONE_PICKS, BoardPhase, RoomBoard
from components.palette import OKABE_ITO, font_sizes, safe
from components.problem_list import plain


def render_board_buttons(session: PollSession, *, available: bool, act: Callable[[str], None]) -> None:
    """Inside the controls row: let the room hold its board (B), then show it (V)."""
    if not available:
        return
    asking = session.phase in (Phase.open, Phase.closed)
    holding = session.board == BoardPhase.open
    st.button("Ask for a board", key="present:board", on_click=act, args=("board",), shortcut="b",
              icon=":material/format_list_numbered:", disabled=asking or holding or session.phase == Phase.ended,
              help="Phones hold up to three diagnoses, most likely first, before you reveal the next stage")
    st.button("Show the room's board", key="present:show-board", on_click=act, args=("show_board",), shortcut="v",
              disabled=not holding, type="primary" if holding else "secondary")


def _wrapped(name: str, width: int = 22) -> str:
    """A long diagnosis over several lines, so the bars keep the width of a narrow column."""
    lines, line = [], ""
    for word in name.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(safe(part) for part in lines + [line])


def room_board_figure(board: RoomBoard, *, large: bool) -> go.Figure:
    sizes = font_sizes(large)
    rows = list(reversed(board.rows))  # plotly draws the first row at the bottom
    names = [_wrapped(r.name) for r in rows]
    most = max((r.held for r in rows), default=1)
    fig = go.Figure([
        go.Bar(y=names, x=[r.first for r in rows], orientation="h", name="Rank it first",
               marker={"color": OKABE_ITO["orange"],
                       "pattern": {"shape": "/", "fgcolor": "#000000", "bgcolor": OKABE_ITO["orange"]}},
               text=[r.first for r in rows], textposition="outside", cliponaxis=False,
               hovertemplate="%{y}: %{x} rank it first<extra></extra>"),
        go.Bar(y=names, x=[r.held for r in rows], orientation="h", name="Hold it", marker_color=OKABE_ITO["blue"],
               text=[r.held for r in rows], textposition="outside", cliponaxis=False,
               hovertemplate="%{y}: %{x} hold it<extra></extra>"),
    ])
    lines = sum(n.count("<br>") + 1 for n in names)
    fig.update_layout(barmode="group", height=max(240, (46 if large else 30) * lines + 40 * len(rows) + 90),
                      font={"size": sizes["base"]}, margin={"l": 10, "r": 40, "t": 50, "b": 10},
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "traceorder": "reversed",
                              "font": {"size": sizes["tick"]}},
                      xaxis={"title": None, "range": [0, most * 1.25 + 0.5], "dtick": max(1, round(most / 4)),
                             "tickfont": {"size": sizes["tick"]}},
                      yaxis={"automargin": True, "tickfont": {"size": sizes["tick"]}}, plot_bgcolor="#ffffff")
    return fig


def render_room_board(board: RoomBoard, *, large: bool, key: str) -> None:
    with st.container(border=True, key="present-room-board"):
        st.markdown("**The room's differential**")
        if board.phase == BoardPhase.open:
            st.markdown(f"On your phone: pick up to {MAX_PHONE_PICKS} diagnoses, most likely first.")
        st.markdown(f"{board.sent} of {board.joined} {'phone has' if board.joined == 1 else 'phones have'} sent a board.")
        if not board.rows:
            return
        st.plotly_chart(room_board_figure(board, large=large), key=f"{key}:room-board", width="stretch",
                        config={"displayModeBar": False, "staticPlot": True})
        top = board.rows[0]
        st.caption(f"Chart: how many phones hold each diagnosis and how many rank it first; most held: "
                   f"{top.name} ({top.held}). The table has the same counts.")
        st.table(pd.DataFrame([{"Diagnosis": r.name, "Hold it": r.held, "Rank it first": r.first} for r in board.rows])
                 .set_index("Diagnosis"))


def render_expert_notes(expert: list[tuple[str, str]] | None) -> None:
    """The expert's board at this stage, for the lecturer's own screen only."""
    if not expert:
        return
    with st.container(border=True, key="present-expert-board"):
        st.markdown("**The expert's board at this stage** (only on your screen)\n\n"
                    + "\n".join(f"{n}. **{plain(name)}** — {plain(why)}" for n, (name, why) in enumerate(expert, 1)))
