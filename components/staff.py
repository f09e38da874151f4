"""The staff sign-in controls: a passphrase form or the school's sign-in button, who is signed in,
and signing out. The page decides what happens; these only draw and report what was pressed."""
from __future__ import annotations

import json
from typing import Callable

import streamlit as st

from casebook.staff import PASSPHRASE_FILE, Mode, StaffSettings

def render_staff_needed(what: str, *, key: str, sign_in: Callable[[], None]) -> None:
    """The sentence a student sees where a staff-only thing would be, with the sign-in right there
    (`sign_in` draws it), so nothing typed on the page is lost by going elsewhere to sign in."""
    with st.container(border=True, key=f"{key}-staff-needed"):
        st.markdown(f":material/lock: **{what} needs staff sign-in.** Lecturers and authors sign in here; "
                    "students do not need an account.")
        sign_in()


def render_passphrase_form(settings: StaffSettings, *, key: str, sign_in: Callable[[], None],
                           message: tuple[str, str] | None, border: bool = True) -> None:
    """`sign_in` runs before the page redraws and reads the typed passphrase from `f"{key}:passphrase"`."""
    with st.form(f"{key}:form", border=border, enter_to_submit=True):
        st.text_input("Staff passphrase", type="password", key=f"{key}:passphrase", max_chars=200,
                      autocomplete="current-password")
        st.form_submit_button("Sign in", type="primary", on_click=sign_in, icon=":material/login:")
    if message:
        kind, text = message
        (st.error if kind == "error" else st.success)(text, icon=":material/error:" if kind == "error"
                                                       else ":material/check_circle:")
    if settings.mode == Mode.generated:
        # Not the file's full path: every visitor sees this line, and the path names the server's folders.
        st.caption("Running Casebook on your own computer? Open the sign-in link it printed in the console when "
                   f"it started, or type the passphrase from the file {PASSPHRASE_FILE} in its data folder.")


def render_school_sign_in(settings: StaffSettings, user: dict, *, key: str) -> None:
    """Signing in through the school; only the e-mails on the staff list count as staff."""
    if user.get("is_logged_in"):
        email = str(user.get("email") or "an account without an e-mail address")
        st.warning(f"You are signed in as {email}, which is not on this Casebook's staff list. Ask whoever runs "
                   "Casebook to add it to CASEBOOK_STAFF_EMAILS.", icon=":material/person_off:")
        st.button("Sign out", key=f"{key}:logout", on_click=st.logout, icon=":material/logout:")
        return
    for provider in settings.providers:
        label = "Sign in with your school account" if provider is None else f"Sign in with {provider}"
        st.button(label, key=f"{key}:login:{provider or 'default'}", type="primary", icon=":material/login:",
                  on_click=st.login, args=(provider,) if provider else ())


def render_signed_in(email: str | None, *, key: str, sign_out: Callable[[], None]) -> None:
    st.success(f"You are signed in as staff{f' ({email})' if email else ''}. You can start class sessions, "
               "print a case with its answers and preview a case with its answer key.",
               icon=":material/verified_user:")
    st.page_link("pages/present.py", label="Present a case to a class", icon=":material/co_present:")
    st.page_link("pages/author.py", label="Write a case", icon=":material/edit_note:")
    st.button("Sign out", key=f"{key}:sign-out", on_click=sign_out, icon=":material/logout:")


def keep_staff_cookie(action: str, ticket: str = "") -> None:
    """Ask the server to set (with a one-minute ticket) or clear this browser's staff cookie, so a
    refresh keeps (or forgets) the sign-in. The script is our own text; the ticket is letters, digits,
    '.', '-' and '_' only, and goes in as a JSON string."""
    url, body = ("/staff/hand-off", ticket) if action == "set" else ("/staff/sign-out", "")
    st.html(f"<script>fetch({json.dumps(url)}, {{method: 'POST', body: {json.dumps(body)}, "
            "credentials: 'same-origin', cache: 'no-store'}).catch(() => {});</script>",
            unsafe_allow_javascript=True)
