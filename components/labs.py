"""Lab results against their reference ranges: one strip per test, in its own units."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from casebook.model import LabResult
from casebook.wording import STATUS_WORDS, reference_text, status_words
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
    fonts = font_sizes(large)
    fig = make_subplots(rows=len(labs), cols=1, vertical_spacing=0.5 / max(len(labs), 1) if len(labs) > 1 else 0,
                        subplot_titles=[safe(f"{lab.name} ({lab.unit})") for lab in labs])
    for row, lab in enumerate(labs, 1):
        lo, hi = axis_range(lab)
        band_low = lab.ref_low if lab.ref_low is not None else lo
        band_high = lab.ref_high if lab.ref_high is not None else hi
        if lab.ref_low is not None or lab.ref_high is not None:
            fig.add_shape(type="rect", x0=band_low, x1=band_high, y0=-0.5, y1=0.5, row=row, col=1,
                          fillcolor=OKABE_ITO["sky"], opacity=0.25, line=dict(color=OKABE_ITO["blue"], width=1))
        colour, symbol, _ = STATUS_STYLE[lab.status]
        fig.add_trace(go.Scatter(
            x=[lab.value], y=[0], mode="markers+text", text=[f"{lab.value:g} {safe(lab.unit)}"],
            textposition="top center", textfont=dict(size=fonts["tick"]),
            marker=dict(size=26 if large else 18, color=colour, symbol=symbol, line=dict(color="black", width=1.5)),
            hovertemplate=safe(f"{lab.name}: {lab.value:g} {lab.unit}; reference {reference_text(lab)}; "
                               f"{status_words(lab)}") + "<extra></extra>",
            showlegend=False,
        ), row=row, col=1)
        fig.update_xaxes(range=[lo, hi], row=row, col=1, tickfont=dict(size=fonts["tick"]), gridcolor="#eee")
        fig.update_yaxes(range=[-0.8, 1.4], visible=False, row=row, col=1, fixedrange=True)
    fig.update_annotations(font=dict(size=fonts["title"]))
    fig.update_layout(height=(150 if large else 110) * len(labs) + 30, margin=dict(l=10, r=10, t=40, b=10),
                      plot_bgcolor="white", font=dict(size=fonts["base"]), dragmode=False)
    return fig


def render_labs(labs: list[LabResult], *, key: str, large: bool = False) -> None:
    if not labs:
        return
    st.plotly_chart(lab_figure(labs, large=large), key=key, width="stretch",
                    config={"displayModeBar": False, "scrollZoom": False})
    rows = [
        {"Test": lab.name, "Result": f"{lab.value:g} {lab.unit}", "Reference range": reference_text(lab),
         "Interpretation": status_words(lab)}
        for lab in labs
    ]
    st.table(rows)
    notes = [f"{lab.name}: {lab.note}" for lab in labs if lab.note]
    for note in notes:
        st.caption(note)
