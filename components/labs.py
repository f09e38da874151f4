"""Lab results against their reference ranges: one strip per test, in its own units."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from casebook.model import LabResult
from casebook.wording import STATUS_WORDS, reference_text, status_words
from components.figure_cache import FigureCache, spec_figure
from components.palette import OKABE_ITO, font_sizes, safe

STATUS_STYLE = {  # status -> (colour, symbol, words)
    status: (colour, symbol, STATUS_WORDS[status]) for status, colour, symbol in [
        ("low", OKABE_ITO["blue"], "triangle-left"),
        ("normal", OKABE_ITO["green"], "circle"),
        ("high", OKABE_ITO["vermillion"], "triangle-right"),
        ("unknown", OKABE_ITO["black"], "square"),
    ]
}


def axis_range(lab: LabResult) -> tuple[float, float]:
    points = [v for v in (lab.value, lab.ref_low, lab.ref_high) if v is not None]
    low, high = min(points), max(points)
    span = (high - low) or abs(high) or 1.0
    return low - 0.25 * span, high + 0.25 * span


def lab_figure(labs: list[LabResult], *, large: bool = False) -> go.Figure:
    """One strip per test, stacked, each with its own x axis. Laid out by hand in one go: plotly's
    subplot helpers and per-row updates re-validate the whole layout at every call."""
    return go.Figure(lab_spec(labs, large=large))


def lab_spec(labs: list[LabResult], *, large: bool = False) -> dict:
    """The strips as plotly's plain figure dict (see components.figure_cache.spec_figure)."""
    fonts = font_sizes(large)
    n = len(labs)
    gap = 0.5 / n if n > 1 else 0
    height = (1 - gap * (n - 1)) / n if n else 1
    traces, shapes, titles = [], [], []
    layout: dict = {}
    for row, lab in enumerate(labs, 1):
        suffix = "" if row == 1 else str(row)
        x, y = f"x{suffix}", f"y{suffix}"
        top = 1 - (row - 1) * (height + gap)
        lo, hi = axis_range(lab)
        band_low = lab.ref_low if lab.ref_low is not None else lo
        band_high = lab.ref_high if lab.ref_high is not None else hi
        if lab.ref_low is not None or lab.ref_high is not None:
            shapes.append(dict(type="rect", x0=band_low, x1=band_high, y0=-0.5, y1=0.5, xref=x, yref=y,
                               fillcolor=OKABE_ITO["sky"], opacity=0.25, line=dict(color=OKABE_ITO["blue"], width=1)))
        colour, symbol, _ = STATUS_STYLE[lab.status]
        traces.append(dict(
            type="scatter", x=[lab.value], y=[0], xaxis=x, yaxis=y, mode="markers+text", text=[f"{lab.value:g} {safe(lab.unit)}"],
            textposition="top center", textfont=dict(size=fonts["tick"]),
            marker=dict(size=26 if large else 18, color=colour, symbol=symbol, line=dict(color="black", width=1.5)),
            hovertemplate=safe(f"{lab.name}: {lab.value:g} {lab.unit}; reference {reference_text(lab)}; "
                               f"{status_words(lab)}") + "<extra></extra>",
            showlegend=False,
        ))
        layout[f"xaxis{suffix}"] = dict(domain=[0, 1], anchor=y, range=[lo, hi], tickfont=dict(size=fonts["tick"]),
                                        gridcolor="#eee")
        layout[f"yaxis{suffix}"] = dict(domain=[max(0.0, top - height), top], anchor=x, range=[-0.8, 1.4],
                                        visible=False, fixedrange=True)
        titles.append(dict(text=safe(f"{lab.name} ({lab.unit})"), x=0.5, y=top, xref="paper", yref="paper",
                           xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=fonts["title"])))
    return dict(data=traces, layout=dict(
        **layout, **({"shapes": shapes} if shapes else {}), annotations=titles,
        height=(150 if large else 110) * n + 30, margin=dict(l=10, r=10, t=40, b=10),
        plot_bgcolor="white", font=dict(size=fonts["base"]), dragmode=False,
    ))


FIGURES = FigureCache(lambda labs, large: spec_figure(lab_spec(labs, large=large)), LabResult)


def render_labs(labs: list[LabResult], *, key: str, large: bool = False) -> None:
    if not labs:
        return
    render_lab_chart(labs, key=key, large=large)
    st.markdown(lab_table_markdown(labs))
    notes = lab_notes(labs)
    if notes:
        st.caption(notes)


def render_lab_chart(labs: list[LabResult], *, key: str, large: bool = False) -> None:
    st.plotly_chart(FIGURES.get(labs, large=large), key=key, width="stretch",
                    config={"displayModeBar": False, "scrollZoom": False})


def lab_table_markdown(labs: list[LabResult]) -> str:
    """The results as a Markdown table: the same table as st.table, without building a data frame on every rerun."""
    rows = ["| Test | Result | Reference range | Interpretation |", "|---|---|---|---|"]
    rows += [f"| {_cell(lab.name)} | {_cell(f'{lab.value:g} {lab.unit}')} | {_cell(reference_text(lab))} | "
             f"{_cell(status_words(lab))} |" for lab in labs]
    return "\n".join(rows)


def lab_notes(labs: list[LabResult]) -> str:
    return "  \n".join(f"{lab.name}: {lab.note}" for lab in labs if lab.note)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")
