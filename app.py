"""Casebook: page set-up and navigation."""
import streamlit as st

st.set_page_config(page_title="Casebook", page_icon=":material/stethoscope:", layout="wide")

pages = [
    st.Page("pages/library.py", title="Case library", icon=":material/library_books:", default=True),
    st.Page("pages/study.py", title="Study a case", icon=":material/school:"),
    st.Page("pages/review.py", title="Review", icon=":material/event_repeat:"),
    st.Page("pages/present.py", title="Present to a class", icon=":material/co_present:"),
    st.Page("pages/author.py", title="Write a case", icon=":material/edit_note:"),
]
st.navigation(pages).run()
