"""How often the learner is right at each confidence level: a bar per level, with the numbers in words."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from casebook.calibration import Calibration
from components.palette import OKABE_ITO, font_sizes
from components.question import CONFIDENCE_LABELS

LEVEL_STYLE = {"guessing": (OKABE_ITO["orange"], ""), "unsure": (OKABE_ITO["sky"], "."),
               "confident": (OKABE_ITO["blue"], "/")}  # pattern as well as colour, for colour-blind readers


def calibration_figure(cal: Calibration) -> go.Figure:
    fonts = font_sizes(False)
    bands = [b for b in cal.bands if b.answered]
    fig = go.Figure(go.Bar(
        x=[CONFIDENCE_LABELS[b.confidence] for b in bands], y=[b.percent_right for b in bands],
        marker=dict(color=[LEVEL_STYLE[b.confidence.value][0] for b in bands],
                    pattern=dict(shape=[LEVEL_STYLE[b.confidence.value][1] for b in bands])),
        text=[f"{b.percent_right}% of {b.answered}" for b in bands], textposition="outside",
        hoverinfo="skip", cliponaxis=False,
    ))
    fig.update_layout(
        height=260, margin=dict(l=8, r=8, t=24, b=8), font=dict(size=fonts["base"]), showlegend=False,
        yaxis=dict(range=[0, 115], title="% right", fixedrange=True, tickvals=[0, 50, 100]),
        xaxis=dict(title="How sure you said you were", fixedrange=True), plot_bgcolor="white", dragmode=False,
    )
    return fig


def render_calibration(cal: Calibration, *, key: str) -> None:
    st.subheader("How well you judge what you know", anchor=False)
    if cal.answered:
        st.plotly_chart(calibration_figure(cal), key=key, width="stretch",
                        config={"displayModeBar": False, "staticPlot": True})
        words = "; ".join(f"{CONFIDENCE_LABELS[b.confidence]}: right {b.right} of {b.answered}"
                          for b in cal.bands if b.answered)
        st.caption(f"Your answers in cases by how sure you said you were — {words}.")
    st.markdown(cal.verdict)
    if cal.recent_confident:
        st.caption(f"Your last {cal.recent_confident.answered} confident answers: "
                   f"{cal.recent_confident.percent_right}% right.")
