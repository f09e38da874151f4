"""The live histogram of a class's answers; after the reveal the right answers are marked in words too."""
from __future__ import annotations

import html
import textwrap

import plotly.graph_objects as go
import streamlit as st

from casebook.poll import Tally
from components.palette import OKABE_ITO, font_sizes, safe


LABEL_WIDTH = 44  # characters per line of an option's label, so long options wrap inside a side column


def poll_figure(tally: Tally, *, revealed: bool, large: bool = True) -> go.Figure:
    """One bar per answer, its label (wrapped) on its own lines above it."""
    fonts = font_sizes(large)
    labels = [("✓ right answer: " if revealed and ok else "") + label for label, ok in zip(tally.labels, tally.correct)]
    # Wrapped before escaping, so a line break never splits an escaped character (&gt;) in two.
    wrapped = ["<br>".join(safe(line) for line in textwrap.wrap(label, LABEL_WIDTH, break_long_words=True)[:4]) or " "
               for label in labels]
    # Each answer takes one unit for its bar plus room for its label's lines, first answer at the top.
    heights = [0.7 + 0.45 * text.count("<br>") + 0.45 for text in wrapped]
    tops = [sum(heights[i:]) for i in range(len(heights))]
    ys = [top - h + 0.35 for top, h in zip(tops, heights)]
    colours = [OKABE_ITO["green"] if revealed and ok else OKABE_ITO["blue"] for ok in tally.correct]
    patterns = ["/" if revealed and ok else "" for ok in tally.correct]
    total = max(tally.answered, 1)
    fig = go.Figure(go.Bar(
        x=tally.counts, y=ys, orientation="h", width=0.42, marker=dict(color=colours, pattern=dict(shape=patterns)),
        text=[f"{c} ({round(100 * c / total)}%)" for c in tally.counts], textposition="outside",
        textfont=dict(size=fonts["tick"]), hoverinfo="skip", cliponaxis=False,
    ))
    for y, text in zip(ys, wrapped):
        fig.add_annotation(x=0, xref="paper", y=y + 0.27, yref="y", xanchor="left", yanchor="bottom", align="left",
                           text=text, showarrow=False, font=dict(size=fonts["tick"], color="#111"))
    unit_px = 66 if large else 56  # compact enough for five options on a 1080p projector
    fig.update_layout(
        height=max(200, int(40 + unit_px * sum(heights))),
        margin=dict(l=8, r=8, t=8, b=8),
        font=dict(size=fonts["base"]),
        xaxis=dict(visible=False, fixedrange=True, range=[0, max(tally.counts + [1]) * 1.3]),
        yaxis=dict(visible=False, fixedrange=True, range=[0, sum(heights)]),
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


def render_votes_hidden(answered: int, joined: int) -> None:
    """While voting is open and the lecturer keeps the chart back: how many have answered, nothing of what."""
    with st.container(border=True, key="present-chart-hidden"):
        st.markdown(f"**{answered} of {joined}** {'has' if answered == 1 else 'have'} answered.")
        st.markdown("The answers appear here when voting closes, so that early answers do not sway the rest.")
