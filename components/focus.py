"""Give the keyboard back to the page after a switch is clicked, so the presenter's keys keep working.

Streamlit ignores single-key shortcuts (A, X, S, ←, →: what a presenter clicker sends) while the
keyboard focus is in a form field, and a clicked switch (st.toggle, st.checkbox) keeps the focus.
This fixed script (no case or user text in it) lets go of a switch once it has been clicked with
the mouse or a finger: the switch takes the focus just after the click. A switch changed from the keyboard keeps its focus, so someone moving
through the page with Tab does not lose their place. The listener is installed once per window.
"""
from __future__ import annotations

import streamlit as st

_LET_GO_OF_SWITCHES = """<script>(() => {
  if (window.casebookLetsGoOfSwitches) return;
  window.casebookLetsGoOfSwitches = true;
  const switchIn = el => el instanceof Element ? el.closest("label")?.querySelector('input[type="checkbox"]') : null;
  let pointed = null, pointedAt = 0;
  document.addEventListener("pointerdown", e => {
    pointed = switchIn(e.target);
    pointedAt = Date.now();
  }, true);
  // A switch takes the focus after the click that changed it (no change event is fired).
  document.addEventListener("focusin", e => {
    const t = e.target;
    if (t === pointed && Date.now() - pointedAt < 1500) setTimeout(() => t.blur(), 0);
  }, true);
})();</script>"""


def keep_shortcuts_after_switches() -> None:
    st.html(_LET_GO_OF_SWITCHES, unsafe_allow_javascript=True)
