"""The live histogram of a class's answers; after the reveal the right answers are marked in words too."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from casebook.poll import Tally
from components.palette import OKABE_ITO, font_sizes, safe


def poll_figure(tally: Tally, *, revealed: bool, large: bool = True) -> go.Figure:
    fonts = font_sizes(large)
    labels = [safe(label) + (" ✓" if revealed and ok else "") for label, ok in zip(tally.labels, tally.correct)]
    colours = [OKABE_ITO["green"] if revealed and ok else OKABE_ITO["blue"] for ok in tally.correct]
    patterns = ["/" if revealed and ok else "" for ok in tally.correct]
    total = max(tally.answered, 1)
    fig = go.Figure(go.Bar(
        x=tally.counts, y=labels, orientation="h", marker=dict(color=colours, pattern=dict(shape=patterns)),
        text=[f"{c} ({round(100 * c / total)}%)" for c in tally.counts], textposition="outside",
        textfont=dict(size=fonts["tick"]), hovertemplate="%{y}: %{x}<extra></extra>", cliponaxis=False,
    ))
    fig.update_layout(
        height=max(260, 90 + (70 if large else 44) * len(labels)),
        margin=dict(l=8, r=60, t=8, b=8),
        font=dict(size=fonts["base"]),
        xaxis=dict(title=dict(text="Answers"), rangemode="tozero", fixedrange=True, tickfont=dict(size=fonts["tick"]),
                   range=[0, max(tally.counts + [1]) * 1.25]),
        yaxis=dict(autorange="reversed", automargin=True, tickfont=dict(size=fonts["tick"]), fixedrange=True),
        plot_bgcolor="white",
        dragmode=False,
    )
    return fig


def render_poll_chart(tally: Tally, *, key: str, revealed: bool) -> None:
    st.plotly_chart(poll_figure(tally, revealed=revealed), key=key, width="stretch",
                    config={"displayModeBar": False, "staticPlot": True})
    words = "; ".join(f"{label}: {count}" + (" (right answer)" if revealed and ok else "")
                      for label, count, ok in zip(tally.labels, tally.counts, tally.correct))
    st.caption(f"Answers so far — {words or 'none yet'}")
