"""Casebook: page set-up and navigation."""
import logging

import streamlit as st
from streamlit.errors import FragmentHandledException

from components.page_style import apply_page_style, render_phone_nav

st.set_page_config(page_title="Casebook", page_icon=":material/stethoscope:", layout="wide")

pages = [
    st.Page("pages/library.py", title="Case library", icon=":material/library_books:", default=True),
    st.Page("pages/study.py", title="Study a case", icon=":material/school:"),
    st.Page("pages/review.py", title="Review", icon=":material/event_repeat:"),
    st.Page("pages/progress.py", title="Progress", icon=":material/insights:"),
    st.Page("pages/present.py", title="Present to a class", icon=":material/co_present:"),
    st.Page("pages/author.py", title="Write a case", icon=":material/edit_note:"),
    st.Page("pages/staff.py", title="Staff sign-in", icon=":material/badge:"),
]
try:
    page = st.navigation(pages)
    apply_page_style()
    render_phone_nav(pages)
    page.run()
except FragmentHandledException:
    raise  # a fragment has already shown its own error
except Exception:  # not BaseException: st.rerun and st.stop must pass through
    # A bug must not greet a student with a traceback: log it for us, explain it to them.
    logging.getLogger("casebook").exception("page failed")
    st.error("Something went wrong on this page. Your progress is saved. Reload the page, or go back to the "
             "case library.", icon=":material/error:")
    learner = st.session_state.get("learner")
    st.page_link(pages[0], label="Go to the case library", icon=":material/library_books:",
                 query_params={"learner": learner} if learner else None)
