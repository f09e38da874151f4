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
    st.button("Room's board", key="present:board", on_click=act, args=("board",), shortcut="b",
              icon=":material/format_list_numbered:", disabled=asking or holding or session.phase == Phase.ended,
              help="Phones hold up to three diagnoses, most likely first, before you reveal the next stage")
    st.button("Show the room's board", key="present:show-board", on_click=act, args=("show_board",), shortcut="v",
              disabled=not holding, type="primary" if holding else "secondary")


def room_board_figure(board: RoomBoard, *, large: bool) -> go.Figure:
    sizes = font_sizes(large)
    rows = list(reversed(board.rows))  # plotly draws the first row at the bottom
    names = [safe(r.name) for r in rows]
    fig = go.Figure([
        go.Bar(y=names, x=[r.held for r in rows], orientation="h", name="Hold it", marker_color=OKABE_ITO["blue"],
               text=[r.held for r in rows], textposition="outside", hovertemplate="%{y}: %{x} hold it<extra></extra>"),
        go.Bar(y=names, x=[r.first for r in rows], orientation="h", name="Rank it first",
               marker={"color": OKABE_ITO["orange"], "pattern": {"shape": "/"}}, text=[r.first for r in rows],
               textposition="outside", hovertemplate="%{y}: %{x} rank it first<extra></extra>"),
    ])
    fig.update_layout(barmode="group", height=max(260, 90 * len(rows) + 120), font={"size": sizes["base"]},
                      margin={"l": 10, "r": 30, "t": 10, "b": 10}, legend={"orientation": "h", "y": -0.12},
                      xaxis={"title": "Phones", "rangemode": "tozero", "tickfont": {"size": sizes["tick"]}},
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
