"""The app's own look on top of Streamlit's theme: touch targets a thumb can hit, text a phone can
read, chips that show their whole word, the case's timeline kept in view, and page names on a phone.

One stylesheet for every page, sent once per run from app.py (a `<style>` alone in `st.html` takes no
room on the page). Selectors lean on Streamlit's `data-testid`s and on our own widget keys
(`.st-key-…`); tests/e2e/test_touch_and_keyboard.py measures the result in Chromium.
"""
from __future__ import annotations

import streamlit as st

PHONE_MAX_WIDTH = 767  # px: below this Streamlit folds the sidebar away behind its » control

_STYLE = f"""
<style>
/* Answer options and confidence choices: at least 44 px tall (a fingertip), apart, in 16 px type. */
[data-testid="stForm"] [data-testid="stElementContainer"]:has(> [data-testid="stRadio"]),
[data-testid="stForm"] [data-testid="stElementContainer"]:has(> [data-testid="stCheckbox"]) {{
  width: 100%;
}}
[data-testid="stForm"] [data-testid="stRadio"],
[data-testid="stForm"] [data-testid="stRadioGroup"][aria-orientation="vertical"],
[data-testid="stForm"] [data-testid="stRadioGroup"][aria-orientation="vertical"] > div {{ width: 100%; }}
[data-testid="stForm"] [data-testid="stRadioGroup"] {{ gap: .5rem; }}
[data-testid="stForm"] [data-testid="stRadioOption"],
[data-testid="stForm"] [data-testid="stCheckbox"] > label {{
  min-height: 44px; box-sizing: border-box; margin: 0; padding: .5rem .75rem;
  align-items: center; border: 1px solid rgba(11, 12, 16, .28); border-radius: .5rem;
}}
[data-testid="stForm"] [data-testid="stRadioGroup"][aria-orientation="vertical"] [data-testid="stRadioOption"],
[data-testid="stForm"] [data-testid="stCheckbox"] > label {{ width: 100%; }}
[data-testid="stForm"] [data-testid="stRadioOption"]:has(input:checked),
[data-testid="stForm"] [data-testid="stCheckbox"] > label:has(input:checked) {{
  border-color: #0B5394; box-shadow: inset 0 0 0 1px #0B5394; background: rgba(11, 83, 148, .06);
}}
[data-testid="stForm"] [data-testid="stRadioOption"] p,
[data-testid="stForm"] [data-testid="stCheckbox"] p,
[data-testid="stForm"] [data-testid="stWidgetLabel"] p {{ font-size: 1rem; }}

/* A button's keyboard shortcut ("Ctrl + Enter") readable: at Streamlit's 60 % it failed contrast on blue. */
[data-testid="stMain"] button kbd {{ opacity: .9; }}

/* A ranking is built item by item: no "Clear all" one Tab and one Space away from wiping it.
   An item comes out by its own x, or Backspace in the box. */
[data-testid="stForm"] [data-testid="stMultiSelect"] button[aria-label="Clear all"] {{ display: none; }}

/* Chips (library filters, a ranking's items) show their whole text, on more lines if need be. */
[data-testid="stMultiSelect"] .react-aria-ComboBox > [role="group"] {{ height: auto; max-height: none; }}
[data-testid="stMultiSelectTagsContainer"] {{
  flex-wrap: wrap; align-content: center; height: auto; min-height: 38px; overflow: hidden; min-width: 0; gap: 4px 0;
}}
[data-testid="stMultiSelect"] [data-tag] {{ height: auto; min-height: 28px; }}
[data-testid="stMultiSelect"] [data-tag] > span[title] {{
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: break-word;
}}

/* On a laptop the timeline stays beside the stage being read, however long the stage. */
@media (min-width: {PHONE_MAX_WIDTH + 1}px) {{
  [data-testid="stColumn"]:has(.st-key-study-timeline) {{
    position: sticky; top: 4rem; align-self: flex-start;
    max-height: calc(100vh - 5rem); overflow-y: auto;
  }}
  .st-key-phone-nav {{ display: none; }}
}}

/* On a phone: no text below 16 px (captions, buttons, chips, the stepper; larger text stays larger),
   confidence choices one under another, and the pages named at the top. */
@media (max-width: {PHONE_MAX_WIDTH}px) {{
  [data-testid="stMain"] :is(p, li, label, summary, button, input, textarea, [data-tag]),
  [data-testid="stCaptionContainer"] {{ font-size: max(1rem, 100%); }}
  [data-testid="stForm"] [data-testid="stRadioGroup"][aria-orientation="horizontal"] {{ flex-direction: column; }}
  [data-testid="stForm"] [data-testid="stRadioGroup"][aria-orientation="horizontal"] > div,
  [data-testid="stForm"] [data-testid="stRadioGroup"][aria-orientation="horizontal"] [data-testid="stRadioOption"] {{
    width: 100%;
  }}
  [data-testid="stVerticalBlock"].st-key-phone-nav {{ display: flex; flex-flow: row wrap; gap: .5rem .375rem; }}
  .st-key-phone-nav > [data-testid="stElementContainer"] {{ width: auto; flex: 1 1 auto; }}
  .st-key-phone-nav a {{
    min-height: 44px; box-sizing: border-box; justify-content: center; padding: .25rem .625rem;
    border: 1px solid rgba(11, 12, 16, .28); border-radius: .5rem;
  }}
  .st-key-phone-nav a p {{ font-size: 1rem; }}
}}
</style>
"""


# The sticky timeline scrolls inside itself when it is taller than the window: a region that scrolls
# must take the keyboard focus (so arrow keys can scroll it) and say what it is. Streamlit draws the
# column, so a fixed script (no case or user text in it), installed once per window, marks it
# whenever it is drawn anew.
_TIMELINE_REGION = """<script>(() => {
  if (window.casebookTimelineRegion) return;
  window.casebookTimelineRegion = true;
  let queued = false;
  const mark = () => {
    queued = false;
    const column = document.querySelector('[data-testid="stColumn"]:has(.st-key-study-timeline)');
    if (!column || column.hasAttribute("tabindex")) return;
    column.setAttribute("tabindex", "0");
    column.setAttribute("role", "region");
    column.setAttribute("aria-label", "Timeline so far");
  };
  new MutationObserver(() => { if (!queued) { queued = true; requestAnimationFrame(mark); } })
    .observe(document.body, {childList: true, subtree: true});
  mark();
})();</script>"""


def apply_page_style() -> None:
    st.html(_STYLE)


def mark_timeline_region() -> None:
    """Call once at the end of a page with the study timeline (at the end, where its element's
    spacing shows least)."""
    st.html(_TIMELINE_REGION, unsafe_allow_javascript=True)


def render_phone_nav(pages: list) -> None:
    """The pages by name at the top of every page, shown only on a phone, where the sidebar's
    navigation hides behind an unlabelled ». On a laptop the sidebar names them."""
    with st.container(key="phone-nav", gap=None):
        for p in pages:
            st.page_link(p, label=p.title)
