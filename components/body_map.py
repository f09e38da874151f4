"""Body map: findings on a front and a back view of the patient, spots numbered, diffuse findings shaded,
a wasted limb drawn thinner. What goes where is decided in casebook/body_map.py; this file draws it."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from casebook.body_map import SIDE_WORDS, VIEW_CENTRE, BodyMap, Mark, Polygon, body_map, entry_lines
from casebook.model import Finding
from components.figure_cache import FigureCache, spec_figure
from components.palette import OKABE_ITO, font_sizes, safe

OUTLINE = "#555555"
FILL = "#ECEFF3"
THIN_FILL = "#DDE2E8"
MARK = OKABE_ITO["orange"]
REGION_FILL = "rgba(230, 159, 0, 0.30)"  # Okabe-Ito orange, see-through so the outline stays visible
REGION_LINE = OKABE_ITO["vermillion"]


def _path(points: Polygon) -> str:
    return "M " + " L ".join(f"{x:.3f} {y:.3f}" for x, y in points) + " Z"


def marker_positions(finding: Finding) -> list[tuple[float, float]]:
    """Where a finding's numbered mark(s) go on the figure (two for a bilateral finding)."""
    return [m.badge for m in body_map([finding]).marks]


def body_map_figure(findings: list[Finding], *, large: bool = False) -> go.Figure:
    return go.Figure(body_map_spec(findings, large=large))


def body_map_spec(findings: list[Finding], *, large: bool = False) -> dict:
    """The body map as plotly's plain figure dict (see components.figure_cache.spec_figure)."""
    fonts = font_sizes(large)
    drawn = body_map(findings)
    # Shapes and annotations go in as one list each, in one layout: plotly re-validates every earlier one on each add_* call.
    shapes = [dict(type="path", path=_path(o.points), layer="below",
                   line=dict(color=OUTLINE, width=1 if o.part == "eye" else 1.5),
                   fillcolor="white" if o.part == "eye" else (THIN_FILL if o.thinner else FILL))
              for o in drawn.outlines]
    annotations = []
    for view, cx in VIEW_CENTRE.items():
        annotations.append(dict(x=cx, y=10.5, text=f"<b>{view.capitalize()}</b>", showarrow=False,
                                font=dict(size=fonts["title"])))
        right_x, left_x = (cx - 1.45, cx + 1.45) if view == "front" else (cx + 1.45, cx - 1.45)
        for x, letter in ((right_x, "R"), (left_x, "L")):
            annotations.append(dict(x=x, y=9.05, text=f"<b>{letter}</b>", showarrow=False, font=dict(size=fonts["title"])))
    traces = _region_traces(drawn, findings) + _mark_traces(drawn, findings, large)
    return dict(data=traces, layout=dict(
        shapes=shapes,
        annotations=annotations,
        height=660 if large else 520,
        margin=dict(l=0, r=0, t=0, b=0),
        xaxis=dict(range=[-3.75, 3.75], visible=False, fixedrange=True),
        yaxis=dict(range=[-0.3, 10.8], visible=False, scaleanchor="x", fixedrange=True),
        plot_bgcolor="white",
        dragmode=False,
        showlegend=False,
    ))


def _hovers(drawn: BodyMap, findings: list[Finding]) -> dict[str, str]:
    located = [f for f in findings if f.location]
    return {f.id: safe(line) for f, line in zip(located, drawn.entries)}


def _region_traces(drawn: BodyMap, findings: list[Finding]) -> list[dict]:
    hovers = _hovers(drawn, findings)
    traces = []
    for m in (m for m in drawn.marks if m.is_region):
        for polygon in m.area:
            xs, ys = zip(*polygon)
            traces.append(dict(
                type="scatter", x=[*xs, xs[0]], y=[*ys, ys[0]], mode="lines", fill="toself",
                fillcolor="rgba(230, 159, 0, 0.15)" if m.side_unstated else REGION_FILL,
                fillpattern=dict(shape="/", fgcolor=REGION_LINE, fgopacity=0.55, size=7, solidity=0.15),
                line=dict(color=REGION_LINE, width=1.5, dash="dot" if m.side_unstated else "solid"),
                hoveron="fills", hoverinfo="text", text=hovers[m.finding_id],
            ))
    return traces


def _mark_traces(drawn: BodyMap, findings: list[Finding], large: bool) -> list[dict]:
    fonts = font_sizes(large)
    hovers = _hovers(drawn, findings)
    moved = [m for m in drawn.marks if m.badge != m.anchor]
    traces = []
    if moved:
        line_x, line_y = [], []
        for m in moved:
            line_x += [m.anchor[0], m.badge[0], None]
            line_y += [m.anchor[1], m.badge[1], None]
        traces.append(dict(type="scatter", x=line_x, y=line_y, mode="lines", line=dict(color="black", width=1), hoverinfo="skip"))
        spots = [m for m in moved if not m.is_region]
        if spots:
            traces.append(dict(type="scatter", x=[m.anchor[0] for m in spots], y=[m.anchor[1] for m in spots], mode="markers",
                                     marker=dict(size=7 if large else 5, color="black"), hoverinfo="skip"))
    for hollow in (False, True):
        group: list[Mark] = [m for m in drawn.marks if m.side_unstated == hollow]
        if not group:
            continue
        traces.append(dict(
            type="scatter", x=[m.badge[0] for m in group], y=[m.badge[1] for m in group], mode="markers+text",
            text=[str(m.number) for m in group], textfont=dict(color="black", size=fonts["tick"]),
            marker=dict(size=30 if large else 22, color="white" if hollow else MARK,
                        line=dict(color=REGION_LINE if hollow else "black", width=2.5 if hollow else 2)),
            hovertemplate="%{customdata}<extra></extra>", customdata=[hovers[m.finding_id] for m in group],
        ))
    return traces


def legend_lines(findings: list[Finding]) -> list[str]:
    return entry_lines(findings)


def caption_text(findings: list[Finding]) -> str:
    """What the figure shows, in words: how to read its sides, what is thinner, and every numbered finding."""
    drawn = body_map(findings)
    parts = ["Body map. " + SIDE_WORDS["front"] + " " + SIDE_WORDS["back"]]
    if any(m.is_region for m in drawn.marks):
        parts.append("Hatched areas are diffuse findings.")
    if any(m.side_unstated for m in drawn.marks):
        parts.append("A hollow mark on both sides: the source does not say which side.")
    for limb in drawn.thinner_limbs:
        parts.append(f"The {limb} is drawn thinner: it is wasted.")
    return " ".join(parts)


FIGURES = FigureCache(lambda findings, large: spec_figure(body_map_spec(findings, large=large)), Finding)


def render_body_map(findings: list[Finding], *, key: str, large: bool = False) -> None:
    located = [f for f in findings if f.location]
    if not located:
        return
    st.plotly_chart(FIGURES.get(located, large=large), key=key, width="stretch",
                    config={"displayModeBar": False, "scrollZoom": False})
    # The list is the figure for a screen reader, and the key to its numbers for everyone else.
    st.caption(caption_text(located) + "\n\n" + "\n".join(legend_lines(located)))
