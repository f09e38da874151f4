"""Casebook server: the Streamlit app (app.py) and the phone routes of a live poll, one ASGI application.

Start it with `streamlit run serve.py`.
"""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# app.py declares every page with st.navigation. Without this, the first visitor of a fresh
# process who opens a page's address directly (/study?case=...) would get Streamlit's older
# folder-based navigation, which lists every file in pages/ instead of the declared pages.
PagesManager.uses_pages_directory = False

from server.phone import routes  # noqa: E402

app = st.App("app.py", routes=routes)
