"""Move the reader to the right place after a rerun: a new stage opens at its heading, not mid-page.

Streamlit keeps the scroll position across reruns, so after "Reveal the next stage" a phone shows
whatever is now at the old position (the new stage's question), not its findings. The scripts are
our own fixed text: only a stage number and a marker reduced to id characters go into them, never
case or user text. The page moves once per marker (an attempt and its stage), not on every answer:
the browser runs an `st.html` script again only when its text changes, and the script also notes
the marker it has handled as a data attribute (on the stage's own container, new when the stage
is, or for the top of the page on the main area), so a redraw never moves the page twice. The
browser runs these scripts a moment after the run has finished drawing.
"""
from __future__ import annotations

import re

import streamlit as st

_NOT_ID = re.compile(r"[^A-Za-z0-9:_.-]")

# Waits for the stage (the script can arrive before the rest of the run is drawn), then puts its
# top just below Streamlit's fixed header.
_TO_STAGE = """<script>(() => {{
  const marker = "{marker}", started = Date.now();
  const go = () => {{
    const stage = document.querySelector(".st-key-stage-{index}");
    if (!stage) {{ if (Date.now() - started < 5000) setTimeout(go, 50); return; }}
    if (stage.dataset.casebookScrolled === marker) return;
    stage.dataset.casebookScrolled = marker;
    const header = document.querySelector('[data-testid="stHeader"]');
    stage.style.scrollMarginTop = ((header ? header.getBoundingClientRect().height : 0) + 8) + "px";
    stage.scrollIntoView({{block: "start"}});
  }};
  go();
}})();</script>"""

_TO_TOP = """<script>(() => {{
  const marker = "{marker}", main = document.querySelector('[data-testid="stMain"]');
  if (!main || main.dataset.casebookScrolledToTop === marker) return;
  main.dataset.casebookScrolledToTop = marker;
  document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppScrollToBottomContainer"]')
    .forEach(e => e.scrollTo(0, 0));
}})();</script>"""


def _marker(marker: str) -> str:
    return _NOT_ID.sub("_", marker)


def scroll_to_stage(index: int, marker: str) -> None:
    """Bring the stage container keyed `stage-{index}` to the top of the view, once per `marker`."""
    st.html(_TO_STAGE.format(marker=_marker(marker), index=int(index)), unsafe_allow_javascript=True)


def scroll_to_top(marker: str) -> None:
    """Scroll the page to the top, once per `marker`."""
    st.html(_TO_TOP.format(marker=_marker(marker)), unsafe_allow_javascript=True)
