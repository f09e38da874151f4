"""Casebook server: the Streamlit app (app.py) behind one ASGI application.

Start it with `streamlit run serve.py`.
"""
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# app.py declares every page with st.navigation. Without this, the first visitor of a fresh
# process who opens a page's address directly (/study?case=...) would get Streamlit's older
# folder-based navigation, which lists every file in pages/ instead of the declared pages.
PagesManager.uses_pages_directory = False

app = st.App("app.py")
