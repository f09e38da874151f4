"""The live histogram of a class's answers; after the reveal the right answers are marked in words too."""
from __future__ import annotations

import html

import plotly.graph_objects as go
import streamlit as st

from casebook.poll import Tally
from components.palette import OKABE_ITO, font_sizes, safe


def poll_figure(tally: Tally, *, revealed: bool, large: bool = True) -> go.Figure:
    """One bar per answer, its label on its own line above it, so long options fit a side column."""
    fonts = font_sizes(large)
    n = len(tally.labels)
    ys = list(range(n - 1, -1, -1))  # first option at the top
    colours = [OKABE_ITO["green"] if revealed and ok else OKABE_ITO["blue"] for ok in tally.correct]
    patterns = ["/" if revealed and ok else "" for ok in tally.correct]
    total = max(tally.answered, 1)
    fig = go.Figure(go.Bar(
        x=tally.counts, y=ys, orientation="h", width=0.42, marker=dict(color=colours, pattern=dict(shape=patterns)),
        text=[f"{c} ({round(100 * c / total)}%)" for c in tally.counts], textposition="outside",
        textfont=dict(size=fonts["tick"]), hoverinfo="skip", cliponaxis=False,
    ))
    for y, label, ok in zip(ys, tally.labels, tally.correct):
        mark = "✓ right answer: " if revealed and ok else ""
        fig.add_annotation(x=0, xref="paper", y=y + 0.45, yref="y", xanchor="left", yanchor="middle",
                           text=safe(mark + label), showarrow=False, font=dict(size=fonts["tick"], color="#111"))
    fig.update_layout(
        height=max(200, 60 + (86 if large else 56) * n),
        margin=dict(l=8, r=8, t=8, b=8),
        font=dict(size=fonts["base"]),
        xaxis=dict(visible=False, fixedrange=True, range=[0, max(tally.counts + [1]) * 1.3]),
        yaxis=dict(visible=False, fixedrange=True, range=[-0.5, n - 0.2]),
        plot_bgcolor="white",
        showlegend=False,
        dragmode=False,
    )
    return fig


def render_poll_chart(tally: Tally, *, key: str, revealed: bool) -> None:
    st.plotly_chart(poll_figure(tally, revealed=revealed), key=key, width="stretch",
                    config={"displayModeBar": False, "staticPlot": True})
    words = "; ".join(f"{label}: {count}" + (" (right answer)" if revealed and ok else "")
                      for label, count, ok in zip(tally.labels, tally.counts, tally.correct))
    # Students typed some of these words: shown as escaped plain text, so no Markdown (images,
    # links, coloured text) a student sends can reach the projector.
    text = html.escape(f"Answers so far — {words or 'none yet'}")
    st.html(f'<p class="casebook-plain-caption">{text}</p>'
            '<style>.casebook-plain-caption {color: rgba(11, 12, 16, 0.6); font-size: 1.1rem; margin: 0}</style>')
