"""What every page needs: the Casebook object and the learner's study code."""
from __future__ import annotations

import streamlit as st

from casebook.core import Casebook, Settings, deployment_secrets, is_learner_code, new_learner_code, shared_casebook
from casebook.progress import clean_learner_code

DISCLAIMER = "For education, not for clinical decisions."
STUDY_PAGE = "pages/study.py"
LIBRARY_PAGE = "pages/library.py"


@st.cache_resource(show_spinner="Loading the case library…")
def casebook() -> Casebook:
    return shared_casebook(Settings.from_env(deployment_secrets()))


def learner_code() -> str:
    """The learner's study code: kept in the URL so a refresh or a bookmark finds their progress."""
    from_url = st.query_params.get("learner")
    if is_learner_code(from_url):
        st.session_state["learner"] = from_url
    elif not is_learner_code(st.session_state.get("learner")):
        st.session_state["learner"] = new_learner_code()
    code = st.session_state["learner"]
    if st.query_params.get("learner") != code:
        st.query_params["learner"] = code
    return code


def study_code_panel(code: str) -> None:
    with st.sidebar:
        st.markdown("**Your study code**")
        st.markdown(f"`{code}`")
        st.caption("Your progress is saved under this code. Bookmark this page, or enter the code on another device.")
        st.markdown(f"[Join a class poll with this code](/join?learner={code})")
        st.caption("Questions you miss in class then come back on your Review page.")
        with st.form("switch-learner", border=False):
            other = st.text_input("Continue with another code", max_chars=40, key="learner:switch")
            if st.form_submit_button("Use this code"):
                other = clean_learner_code(other)
                if is_learner_code(other):
                    st.session_state["learner"] = other
                    st.query_params["learner"] = other
                    st.rerun()
                else:
                    st.error("A study code is 8 to 40 letters, digits, - or _.")


def study_code_line(code: str) -> None:
    """The study code in the main column too: on a phone the sidebar with the full panel stays closed."""
    # Bold, not `code`: code inside a caption is too faint to read (and fails contrast checks).
    shown = code.replace("_", "\\_")  # codes are letters, digits, - and _; _ must not start italics
    st.caption(f"Your study code: **{shown}** · keep it to continue on another device")
