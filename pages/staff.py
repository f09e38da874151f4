"""Staff sign-in: lecturers and authors sign in here to start class sessions and see answer keys."""
import streamlit as st

from pages._shared import DISCLAIMER, is_staff, staff_sign_in, staff_status

st.title("Staff sign-in")
st.caption(f"For lecturers and authors. Students never need an account. {DISCLAIMER}")
if is_staff():
    staff_status("staff")
else:
    st.markdown("Staff can start a class session, print a case with its answers and preview a case with its "
                "answer key and speaker notes.")
    staff_sign_in("staff")
