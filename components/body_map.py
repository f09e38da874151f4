"""Body map: findings placed on a schematic figure, front and back, with the patient's sides marked."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from casebook.body_sites import POSITIONS, label
from casebook.model import Finding, Side
from components.figure_cache import FigureCache
from components.palette import OKABE_ITO, font_sizes, safe

VIEW_CENTRE = {"front": -1.8, "back": 1.8}
OUTLINE = "#555555"
FILL = "#ECEFF3"

# Outline of one half-figure (x measured outwards from the midline); mirrored for the other half.
_ARM = [(0.72, 8.45), (0.98, 8.25), (1.42, 4.55), (1.2, 4.35), (0.86, 6.9), (0.7, 7.8)]
_LEG = [(0.04, 5.0), (0.63, 5.0), (0.53, 2.95), (0.47, 0.55), (0.57, 0.0), (0.14, 0.0), (0.2, 0.55), (0.13, 2.95)]
_TRUNK = [(-0.75, 8.45), (0.75, 8.45), (0.56, 6.2), (0.64, 5.0), (-0.64, 5.0), (-0.56, 6.2)]


def _path(points: list[tuple[float, float]], cx: float, mirror: float = 1) -> str:
    return "M " + " L ".join(f"{cx + mirror * x:.3f} {y:.3f}" for x, y in points) + " Z"


def marker_positions(finding: Finding) -> list[tuple[float, float]]:
    """Where a finding's marker(s) go on the figure (two for bilateral findings)."""
    if finding.location is None:
        return []
    pos = POSITIONS[finding.location.site]
    cx = VIEW_CENTRE[pos.view]
    # Front view: the patient's right is on the viewer's left. Back view: on the viewer's right.
    right_sign = -1 if pos.view == "front" else 1
    side = finding.location.side
    if side == Side.midline or pos.x == 0:
        return [(cx, pos.y)]
    if side == Side.bilateral:
        return [(cx + right_sign * pos.x, pos.y), (cx - right_sign * pos.x, pos.y)]
    sign = right_sign if side == Side.right else -right_sign
    return [(cx + sign * pos.x, pos.y)]


def body_map_figure(findings: list[Finding], *, large: bool = False) -> go.Figure:
    fonts = font_sizes(large)
    # Shapes and annotations go in as one list each: plotly re-validates every earlier one on each add_* call.
    shapes, annotations = [], []
    outline = dict(line=dict(color=OUTLINE, width=1.5), fillcolor=FILL, layer="below")
    for view, cx in VIEW_CENTRE.items():
        for shape in (_path(_TRUNK, cx), _path(_ARM, cx), _path(_ARM, cx, -1), _path(_LEG, cx), _path(_LEG, cx, -1)):
            shapes.append(dict(type="path", path=shape, **outline))
        shapes.append(dict(type="circle", x0=cx - 0.36, x1=cx + 0.36, y0=8.98, y1=9.86, **outline))
        shapes.append(dict(type="rect", x0=cx - 0.13, x1=cx + 0.13, y0=8.45, y1=9.0, **outline))
        annotations.append(dict(x=cx, y=10.45, text=f"<b>{view.capitalize()}</b>", showarrow=False,
                                font=dict(size=fonts["title"])))
        right_x = cx - 1.35 if view == "front" else cx + 1.35
        left_x = cx + 1.35 if view == "front" else cx - 1.35
        for x, letter in ((right_x, "R"), (left_x, "L")):
            annotations.append(dict(x=x, y=9.6, text=f"<b>{letter}</b>", showarrow=False, font=dict(size=fonts["title"])))

    xs, ys, numbers, hovers = [], [], [], []
    for n, f in enumerate((f for f in findings if f.location), 1):
        for x, y in marker_positions(f):
            xs.append(x)
            ys.append(y)
            numbers.append(str(n))
            hovers.append(_hover(n, f))
    traces = []
    if xs:
        traces.append(go.Scatter(
            x=xs, y=ys, mode="markers+text", text=numbers, textfont=dict(color="black", size=fonts["tick"]),
            marker=dict(size=30 if large else 22, color=OKABE_ITO["orange"], line=dict(color="black", width=2)),
            hovertemplate="%{customdata}<extra></extra>", customdata=hovers, showlegend=False,
        ))
    return go.Figure(data=traces, layout=dict(
        shapes=shapes,
        annotations=annotations,
        height=640 if large else 430,
        margin=dict(l=0, r=0, t=0, b=0),
        xaxis=dict(range=[-3.4, 3.4], visible=False, fixedrange=True),
        yaxis=dict(range=[-0.3, 10.8], visible=False, scaleanchor="x", fixedrange=True),
        plot_bgcolor="white",
        dragmode=False,
    ))


def _hover(n: int, f: Finding) -> str:
    loc = f.location
    where = f"{loc.side.value} {label(loc.site)}" + (f" — {loc.detail}" if loc.detail else "")
    since = f"<br>since {safe(f.since)}" if f.since else ""
    return f"{n}. {safe(f.text)}<br>{safe(where)}{since}"


def legend_lines(findings: list[Finding]) -> list[str]:
    lines = []
    for n, f in enumerate((f for f in findings if f.location), 1):
        loc = f.location
        detail = f", {loc.detail}" if loc.detail else ""
        since = f" (since {f.since})" if f.since else ""
        lines.append(f"{n}. {f.text} — {loc.side.value} {label(loc.site)}{detail}{since}")
    return lines


FIGURES = FigureCache(body_map_figure, Finding)


def render_body_map(findings: list[Finding], *, key: str, large: bool = False) -> None:
    located = [f for f in findings if f.location]
    if not located:
        return
    st.plotly_chart(FIGURES.get(located, large=large), key=key, width="stretch",
                    config={"displayModeBar": False, "scrollZoom": False})
    st.caption("Body map, front and back views (R = patient's right). Marked findings: "
               + " ".join(legend_lines(located)))
