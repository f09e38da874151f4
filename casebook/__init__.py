"""Casebook core: case files, reveal logic, grading and storage. Never imports streamlit."""
