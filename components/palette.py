"""Colour-blind-safe colours (Okabe–Ito) and marker symbols, so colour is never the only cue."""
from __future__ import annotations

import html

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "sky": "#56B4E9",
    "black": "#000000",
}

CATEGORY_STYLE = {  # timeline event category -> (colour, marker symbol, legend name)
    "symptom": (OKABE_ITO["vermillion"], "circle", "Symptom"),
    "sign": (OKABE_ITO["orange"], "diamond", "Sign"),
    "investigation": (OKABE_ITO["blue"], "square", "Investigation"),
    "treatment": (OKABE_ITO["green"], "triangle-up", "Treatment"),
    "outcome": (OKABE_ITO["purple"], "star", "Outcome"),
    "other": (OKABE_ITO["sky"], "cross", "Other"),
}


def font_sizes(large: bool) -> dict[str, int]:
    """Type sizes for a laptop or phone, and for a projector at the back of a lecture hall."""
    return {"base": 24, "tick": 22, "title": 26} if large else {"base": 14, "tick": 13, "title": 15}


def safe(text: str | None) -> str:
    """Plotly renders a subset of HTML in labels and hover text: escape case text before it goes in."""
    return html.escape(text or "", quote=False)


# How an answered option is marked (casebook/answer_marks.py): a Streamlit colour of the
# Okabe–Ito families (blue for a right decision, vermillion red for a wrong tick, orange for a right
# answer left out, grey for the rest) and an icon of its own, beside the words, so neither colour
# nor icon is the only cue.
ANSWER_MARK_STYLE = {
    "ticked_right": ("blue", ":material/check_circle:"),
    "picked_right": ("blue", ":material/check_circle:"),
    "the_answer": ("blue", ":material/check_circle:"),
    "ticked_wrong": ("red", ":material/cancel:"),
    "picked_wrong": ("red", ":material/cancel:"),
    "missed": ("orange", ":material/error:"),
    "rightly_left": ("gray", ":material/check:"),
    "not_the_answer": ("gray", ":material/close:"),
}
