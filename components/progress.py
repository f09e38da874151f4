"""The Progress page's pictures: scores over time, the reliability diagram and the Brier score, each
chart with a table of the same numbers for screen readers, and one mistake-journal entry."""
from __future__ import annotations

from datetime import date, datetime
from typing import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from casebook.calibration import BrierDay, Calibration
from casebook.history import CaseLine, JournalEntry, ScorePoint
from components.calibration import LEVEL_STYLE
from components.palette import OKABE_ITO, font_sizes, safe
from components.problem_list import plain
from components.question import CONFIDENCE_LABELS, points_text

SERIES_STYLE = [  # colour and marker per line, so two lines differ by shape as well as colour
    (OKABE_ITO["blue"], "circle"), (OKABE_ITO["vermillion"], "square"), (OKABE_ITO["green"], "diamond"),
    (OKABE_ITO["orange"], "triangle-up"), (OKABE_ITO["purple"], "star"), (OKABE_ITO["sky"], "cross"),
    (OKABE_ITO["black"], "x"),
]
STATIC = {"displayModeBar": False, "staticPlot": True}
LEVEL_SYMBOL = {"guessing": "triangle-up", "unsure": "square", "confident": "circle"}
RESULT_ICON = {"wrong": ":material/cancel:", "partly correct": ":material/rule:", "gave up": ":material/help:"}


def when_text(moment: datetime | date) -> str:
    """A day or a time as the learner reads it: "3 Dec 2026" or "3 Dec 2026, 14:05"."""
    if isinstance(moment, datetime):
        return f"{moment.day} {moment:%b %Y, %H:%M}"
    return f"{moment.day} {moment:%b %Y}"


def _layout(fig: go.Figure, *, y_title: str, y_range: list[float], height: int = 300) -> go.Figure:
    fonts = font_sizes(False)
    fig.update_layout(
        height=height, margin=dict(l=8, r=8, t=16, b=8), font=dict(size=fonts["base"]), plot_bgcolor="white",
        dragmode=False, legend=dict(orientation="h", yanchor="top", y=-0.18, x=0),
        yaxis=dict(title=y_title, range=y_range, fixedrange=True, gridcolor="#ddd", zeroline=False),
        xaxis=dict(fixedrange=True, gridcolor="#eee", tickformat="%-d %b"),
    )
    return fig


def score_figure(points: Sequence[ScorePoint]) -> go.Figure:
    """One line per series (a case, or a specialty), score in percent against time."""
    fig = go.Figure()
    series = list(dict.fromkeys(p.series for p in points))
    for n, name in enumerate(series):
        colour, symbol = SERIES_STYLE[n % len(SERIES_STYLE)]
        mine = [p for p in points if p.series == name]
        fig.add_trace(go.Scatter(
            x=[p.when for p in mine], y=[p.percent for p in mine], mode="lines+markers", name=safe(name),
            marker=dict(color=colour, symbol=symbol, size=11, line=dict(color="#222", width=1)),
            line=dict(color=colour, width=2), hoverinfo="skip",
        ))
    _layout(fig, y_title="% of points", y_range=[-5, 105])
    if len({p.when for p in points}) == 1:  # one moment only: a date axis would zoom to milliseconds
        only = points[0].when
        fig.update_xaxes(type="category", tickvals=[only], ticktext=[when_text(only)])
    return fig


def reliability_figure(cal: Calibration) -> go.Figure:
    """A reliability diagram: how often each stated confidence claims to be right, against how often
    it was, with the number of answers at each level; the diagonal is a perfect match."""
    bands = [b for b in cal.bands if b.answered]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 100], y=[0, 100], mode="lines", name="Perfect match",
                             line=dict(color="#555", dash="dash", width=1.5), hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=[b.stated_percent for b in bands], y=[b.percent_right for b in bands], mode="markers+text",
        showlegend=False, hoverinfo="skip", cliponaxis=False,
        text=[f"{b.percent_right}% of {b.answered}" for b in bands], textposition="top center",
        textfont=dict(color="#222"),
        marker=dict(size=[12 + min(b.answered, 30) for b in bands],
                    color=[LEVEL_STYLE[b.confidence.value][0] for b in bands],
                    symbol=[LEVEL_SYMBOL[b.confidence.value] for b in bands],
                    line=dict(color="#222", width=1)),
    ))
    _layout(fig, y_title="% actually right", y_range=[-5, 110], height=320)
    fig.update_layout(legend=dict(orientation="h", x=0.01, y=0.99, yanchor="top", bgcolor="rgba(255,255,255,0.8)"))
    fig.update_xaxes(title="How sure you said you were", range=[0, 100],
                     tickvals=[b.stated_percent for b in cal.bands],
                     ticktext=[f"{CONFIDENCE_LABELS[b.confidence]}<br>({b.stated_percent}%)" for b in cal.bands])
    return fig


def brier_figure(days: Sequence[BrierDay]) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[when_text(d.day) for d in days], y=[d.score for d in days], mode="lines+markers",
                             name="Brier score", hoverinfo="skip",
                             marker=dict(color=OKABE_ITO["blue"], size=11, line=dict(color="#222", width=1)),
                             line=dict(color=OKABE_ITO["blue"], width=2)))
    fig.add_hline(y=0.25, line=dict(color="#555", dash="dot", width=1.5),
                  annotation_text="0.25: always saying half and half", annotation_position="bottom left",
                  annotation_font=dict(size=12, color="#444"))
    _layout(fig, y_title="Brier score (lower is better)", y_range=[0, 1], height=280)
    fig.update_xaxes(type="category")
    fig.update_layout(showlegend=False)
    return fig


def chart_and_table(figure: go.Figure, table: pd.DataFrame, *, key: str, alt: str) -> None:
    """The chart, and beside it (below it on a phone) a table of the same numbers."""
    chart, numbers = st.columns([3, 2], gap="medium")
    with chart:
        st.plotly_chart(figure, key=key, width="stretch", config=STATIC)
    with numbers:
        st.table(table, hide_index=True, alt=alt)


def case_scores(points: Sequence[ScorePoint], *, key: str) -> None:
    table = pd.DataFrame({"Case": [p.series for p in points], "Finished": [when_text(p.when) for p in points],
                          "Attempt": [p.label for p in points],
                          "Score": [f"{p.percent}% ({p.points:g} of {p.max_points:g})" for p in points]})
    chart_and_table(score_figure(points), table, key=key, alt="Your score in each finished attempt at a case")


def specialty_scores(points: Sequence[ScorePoint], *, key: str) -> None:
    table = pd.DataFrame({"Specialty": [p.series for p in points], "Day": [when_text(p.when) for p in points],
                          "Answers": [p.label for p in points],
                          "Score": [f"{p.percent}% ({p.points:g} of {p.max_points:g})" for p in points]})
    chart_and_table(score_figure(points), table, key=key, alt="Your score per specialty on each day you answered")


def reliability(cal: Calibration, *, key: str) -> None:
    bands = [b for b in cal.bands if b.answered]
    table = pd.DataFrame({"You said": [CONFIDENCE_LABELS[b.confidence] for b in bands],
                          "Meaning": [f"right {b.stated_percent}% of the time" for b in bands],
                          "Answers": [b.answered for b in bands], "Right": [b.right for b in bands],
                          "Actually right": [f"{b.percent_right}%" for b in bands]})
    chart_and_table(reliability_figure(cal), table, key=key,
                    alt="How often you were right at each level of confidence you gave")


def brier(days: Sequence[BrierDay], *, key: str) -> None:
    table = pd.DataFrame({"Day": [when_text(d.day) for d in days], "Rated answers": [d.answered for d in days],
                          "Brier score": [f"{d.score:.2f}" for d in days]})
    chart_and_table(brier_figure(days), table, key=key, alt="Your Brier score on each day you answered")


def cases_table(cases: Sequence[CaseLine]) -> None:
    table = pd.DataFrame({
        "Case": [c.title for c in cases],
        "Where you are": [c.status + (f" · {c.attempts} attempts" if c.attempts > 1 else "") for c in cases],
        "Latest score": [f"{c.latest_percent}%" if c.latest_percent is not None else "—" for c in cases],
        "Last played": [when_text(c.last_played.date()) for c in cases],
    })
    st.table(table, hide_index=True, alt="The cases you have started")


def journal_entry(entry: JournalEntry, *, link: Callable[[str, str], None]) -> None:
    """One missed question: what was answered (as plain text), the right answer, why, and what decides it.
    `link(label, icon)` draws the link back to the stage."""
    r = entry.row
    rec = r.record
    with st.container(border=True):
        stage = f"stage {r.stage_index + 1}: {r.stage_title}" if r.stage_index is not None else "a question no longer in the case"
        st.markdown(f"**{plain(r.case_title)}** · {plain(stage)}")
        st.caption(f"{when_text(r.answered_at)} · attempt {r.attempt_number}")
        st.markdown(r.question)
        verdict = f"{r.result.capitalize()} — {rec.points:g} of {points_text(rec.max_points)}"
        if rec.confidence:
            verdict += f" · you felt: {CONFIDENCE_LABELS[rec.confidence].lower()}"
        answer = "You gave up on this question." if rec.gave_up else f"You answered: {plain(' '.join(r.answer.split()))}"
        st.markdown(f"{RESULT_ICON.get(r.result, '')} {verdict}  \n{answer}")
        parts = []
        if r.right_answer:
            parts.append(f"**Right answer:** {plain(r.right_answer)}")
        if r.explanation:
            parts.append(f"**Why:** {r.explanation}")
        if r.deciding:
            parts.append("**What decides it:**\n\n"
                         + "\n".join(f"- {d}" for d in r.deciding))  # case text, drawn as the stage draws it
        if parts:
            st.markdown("\n\n".join(parts))
        if r.stage_index is None:
            return
        if entry.can_open_stage:
            link(f"Open stage {r.stage_index + 1} of this case", ":material/open_in_new:")
        else:
            link("Open this case (you have not reached this stage since starting it again)", ":material/open_in_new:")
