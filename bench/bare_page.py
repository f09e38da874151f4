"""The yardstick for the benches: a bare Streamlit page with one button and one line of text."""
import streamlit as st

st.set_page_config(page_title="Bare page", layout="wide")
count = st.session_state.setdefault("clicks", 0)
if st.button("Press me", key="bare:button"):
    st.session_state["clicks"] = count = count + 1
st.write(f"Pressed {count} times.")
