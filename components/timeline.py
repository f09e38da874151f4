"""The symptom timeline: spans for approximate ages, points for exact ages, a sequence when undated."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from casebook.model import TimelineEvent
from casebook.timeline import TimelineRow, is_ordered_only, timeline_rows
from components.figure_cache import FigureCache, spec_figure
from components.palette import CATEGORY_STYLE, font_sizes, safe


def timeline_figure(rows: list[TimelineRow], *, ordered_only: bool = False, large: bool = False) -> go.Figure:
    """One row per event, newest at the bottom; each label sits on its own line above its mark,
    so the chart stays readable in a narrow phone column."""
    return go.Figure(timeline_spec(rows, ordered_only=ordered_only, large=large))


def timeline_spec(rows: list[TimelineRow], *, ordered_only: bool = False, large: bool = False) -> dict:
    """The timeline as plotly's plain figure dict (see components.figure_cache.spec_figure)."""
    fonts = font_sizes(large)
    n = len(rows)
    row_height = 74 if large else 46
    # Plotly never wraps a label: a long one ran off the chart ("…injected at two points in the
    # accessory m"). Each is broken into lines here, and its row made taller by the lines it adds.
    labels = [wrap_label(r.label, LABEL_CHARS_LARGE if large else LABEL_CHARS) for r in rows]
    line_step = fonts["tick"] * 1.3 / row_height  # one more label line, in rows
    y_of, top = _row_positions([len(lines) for lines in labels], line_step)  # first event at the top
    traces = []
    for category, (colour, symbol, name) in CATEGORY_STYLE.items():
        mine = [(i, r) for i, r in enumerate(rows) if r.category == category]
        if not mine:
            continue
        spans = [(i, r) for i, r in mine if r.is_range]
        if spans:
            traces.append(dict(
                type="bar", base=[r.start for _, r in spans], x=[r.end - r.start for _, r in spans],
                y=[y_of[i] for i, _ in spans], orientation="h", width=0.32,
                marker=dict(color=colour, opacity=0.55, line=dict(color=colour, width=2)),
                name=f"{name} (age range)", legendgroup=category, hovertemplate="%{customdata}<extra></extra>",
                customdata=[f"{safe(r.label)}<br>{safe(r.when)} (about {r.start:g}–{r.end:g} years)" for _, r in spans],
            ))
        points = [(i, r) for i, r in mine if not r.is_range]
        if points:
            traces.append(dict(
                type="scatter", x=[r.start for _, r in points], y=[y_of[i] for i, _ in points], mode="markers",
                marker=dict(color=colour, symbol=symbol, size=20 if large else 13, line=dict(color="#222", width=1)),
                name=name, legendgroup=category, hovertemplate="%{customdata}<extra></extra>",
                customdata=[_hover(r, ordered_only) for _, r in points],
            ))
    middle = (min(r.start for r in rows) + max(r.end for r in rows)) / 2 if rows else 0
    # One list set once: plotly re-validates every earlier annotation on each add_annotation call.
    annotations = []
    for i, r in enumerate(rows):
        annotations.append(dict(x=0, xref="paper", y=y_of[i] + 0.24, yref="y", xanchor="left", yanchor="bottom",
                                align="left", text="<br>".join(safe(line) for line in labels[i]), showarrow=False,
                                font=dict(size=fonts["tick"], color="#222")))
        if r.when:  # every dated mark carries its words ("junior high school", "at 41") beside it
            left_side = r.start > middle
            annotations.append(dict(x=r.start if left_side else r.end, y=y_of[i], yref="y", showarrow=False,
                                    xanchor="right" if left_side else "left", xshift=-14 if left_side else 14,
                                    yanchor="middle", text=safe(r.when), font=dict(size=fonts["tick"] - 1, color="#555")))
    if ordered_only:
        xaxis = dict(title=dict(text="Order of events (the source gives no ages)"), tickmode="array",
                     tickvals=[r.start for r in rows], ticktext=[_ordinal(int(r.start)) for r in rows],
                     range=[0.5, n + 0.5])
    else:
        low = min(r.start for r in rows)
        high = max(r.end for r in rows)
        pad = max(1.0, (high - low) * 0.05)
        xaxis = dict(title=dict(text="Age (years)"), range=[max(0, low - pad), high + pad])
    return dict(data=traces, layout=dict(
        annotations=annotations,
        barmode="overlay",
        height=round(max(220, 150 + row_height * top)),
        margin=dict(l=8, r=8, t=48 if large else 36, b=8),
        font=dict(size=fonts["base"]),
        xaxis=dict(**xaxis, tickfont=dict(size=fonts["tick"]), gridcolor="#ddd", zeroline=False, fixedrange=True),
        yaxis=dict(visible=False, range=[-0.6, top - 0.2], fixedrange=True),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, font=dict(size=fonts["tick"])),
        plot_bgcolor="white",
        dragmode=False,
    ))


# Characters per label line: what fits a phone's width (and a laptop's timeline column) in the
# chart's type, and on a projector in its larger type.
LABEL_CHARS = 50
LABEL_CHARS_LARGE = 48


def wrap_label(text: str, width: int) -> list[str]:
    """The label in lines of at most `width` characters, broken between words (a longer word has a
    line of its own)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _row_positions(line_counts: list[int], line_step: float) -> tuple[dict[int, float], float]:
    """Each row's height on the y axis, the first row at the top, a row taller by each extra line of
    its label; and the height of them all."""
    y_of, y = {}, 0.0
    for i in reversed(range(len(line_counts))):
        y_of[i] = y
        y += 1 + line_step * (line_counts[i] - 1)
    return y_of, y


def _hover(r: TimelineRow, ordered_only: bool) -> str:
    when = safe(r.when) if r.when else ("" if ordered_only else f"age {r.start:g}")
    return f"{safe(r.label)}<br>{when}" if when else safe(r.label)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def timeline_summary(rows: list[TimelineRow], *, ordered_only: bool) -> str:
    """The timeline in words, for readers who cannot see the chart."""
    if ordered_only:
        return "In order: " + "; ".join(f"{n}. {r.label}" for n, r in enumerate(rows, 1))
    parts = []
    for r in rows:
        when = r.when or (f"age {r.start:g}" if not r.is_range else f"about {r.start:g}–{r.end:g}")
        parts.append(f"{r.label} ({when})")
    return "; ".join(parts)


def _events_figure(events: list[TimelineEvent], *, large: bool) -> go.Figure:
    return spec_figure(timeline_spec(timeline_rows(events), ordered_only=is_ordered_only(events), large=large))


FIGURES = FigureCache(_events_figure, TimelineEvent)


def render_timeline(events: list[TimelineEvent], *, key: str, large: bool = False) -> None:
    if not events:
        return
    rows = timeline_rows(events)
    ordered = is_ordered_only(events)
    st.plotly_chart(FIGURES.get(events, large=large), key=key, width="stretch",
                    config={"displayModeBar": False, "scrollZoom": False})
    st.caption(f"Timeline, {len(rows)} event{'s' if len(rows) != 1 else ''}: {timeline_summary(rows, ordered_only=ordered)}")
