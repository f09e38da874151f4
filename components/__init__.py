"""Streamlit and plotly views of Casebook model objects. Components draw; they never load data."""
