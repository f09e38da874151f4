"""What every page needs: the Casebook object, the learner's study code and whether the visitor is staff."""
from __future__ import annotations

import gc
import os

import streamlit as st

from casebook.core import Casebook, Settings, deployment_secrets, is_learner_code, new_learner_code, shared_casebook, utcnow
from casebook.progress import CodeCheck, clean_learner_code
from casebook.when import LearnerZone, learner_zone as zone_from_browser
from casebook.staff import STAFF_COOKIE, Mode, SignIn, StaffSettings, WrongTries, deployment_settings
from components.staff import (keep_staff_cookie, render_passphrase_form, render_school_sign_in, render_signed_in,
                              render_staff_needed)

DISCLAIMER = "For education, not for clinical decisions."
STUDY_PAGE = "pages/study.py"
LIBRARY_PAGE = "pages/library.py"


@st.cache_resource(show_spinner="Loading the case library…")
def casebook() -> Casebook:
    book = shared_casebook(Settings.from_env(deployment_secrets()))
    # The modules and the case library stay for the life of the server: set them aside from the
    # garbage collector, so its full passes (which hold up every page being drawn) walk only what
    # the pages make afterwards. See runner.postScriptGC in .streamlit/config.toml.
    gc.collect()
    gc.freeze()
    return book


def learner_code() -> str:
    """The learner's study code: kept in the URL so a refresh or a bookmark finds their progress.
    A code in the address in another form (lower case, no dashes) is taken in its issued form."""
    from_url = st.query_params.get("learner")
    from_url = clean_learner_code(from_url) if isinstance(from_url, str) else None
    if is_learner_code(from_url):
        if from_url != st.session_state.get("learner") and not casebook().has_progress(from_url):
            # A code arriving in the address with nothing saved under it: often a mistyped or cut-off link.
            st.session_state["learner:empty-link"] = from_url
        st.session_state["learner"] = from_url
    elif not is_learner_code(st.session_state.get("learner")):
        st.session_state["learner"] = new_learner_code()
    code = st.session_state["learner"]
    if st.query_params.get("learner") != code:
        st.query_params["learner"] = code
    return code


def learner_zone() -> LearnerZone:
    """The learner's own time zone, as their browser reports it; UTC (and said so) when it does not."""
    try:
        return zone_from_browser(st.context.timezone, st.context.timezone_offset)
    except Exception:  # no browser context (a bare script run): UTC, named
        return zone_from_browser(None, None)


def _use_code(code: str, note: str) -> None:
    st.session_state["learner"] = code
    st.query_params["learner"] = code
    st.session_state.pop("learner:ask", None)
    st.session_state["learner:note"] = ("success", note)


def _check_typed_code() -> None:
    """The switch form's callback: a code with progress is used at once, a well-formed one with nothing
    saved is asked about first, anything else is explained."""
    current = st.session_state.get("learner", "")
    typed = casebook().check_typed_code(st.session_state.get("learner:switch", ""), current)
    st.session_state.pop("learner:ask", None)
    if typed.outcome == CodeCheck.switch:
        _use_code(typed.code, f"Switched to {typed.code}. Your progress under it is open.")
    elif typed.outcome == CodeCheck.ask:
        st.session_state["learner:ask"] = typed.code
    else:
        st.session_state["learner:note"] = ("info" if typed.outcome == CodeCheck.same else "error", typed.message)


def _start_new_profile() -> None:
    code = st.session_state.get("learner:ask")
    if code:
        _use_code(code, f"Started a new profile: {code}. Keep this code to continue on another device.")


def _keep_current_code() -> None:
    st.session_state.pop("learner:ask", None)
    st.session_state["learner:note"] = ("info", f"Kept your code {st.session_state.get('learner', '')}.")


def study_code_panel(code: str) -> None:
    with st.sidebar:
        st.markdown("**Your study code**")
        st.markdown(f"`{code}`")
        st.caption("Your progress is saved under this code. Bookmark this page, or enter the code on another device.")
        st.markdown(f"[Join a class poll with this code](/join?learner={code})")
        st.caption("Questions you miss in class then come back on your Review page.")
        with st.form("switch-learner", border=False):
            st.text_input("Continue with another code", max_chars=40, key="learner:switch",
                          placeholder="e.g. K7QM-3XPA-9DHT")
            st.form_submit_button("Use this code", on_click=_check_typed_code)
        note = st.session_state.pop("learner:note", None)
        if note:
            kind, text = note
            {"success": st.success, "info": st.info}.get(kind, st.error)(text)
    asked = st.session_state.get("learner:ask")
    if asked:
        _ask_before_new_profile(asked, code)


@st.dialog("Start a new profile?", on_dismiss=_keep_current_code)
def _ask_before_new_profile(asked: str, code: str) -> None:
    """A typed code with nothing saved under it is most often a typo: ask, in the middle of the screen."""
    # Codes in their issued form are capitals, digits and dashes: safe inside Markdown.
    st.markdown(f"No progress is saved under **{asked}**. Start a new profile with it?")
    st.caption(f"If you mistyped, cancel: you stay on {code}, with your progress. A new profile starts empty, "
               f"and the progress under {code} stays saved.")
    if st.button(f"Start a new profile with {asked}", key="learner:ask:yes", type="primary", width="stretch"):
        _start_new_profile()
        st.rerun()
    if st.button(f"Cancel, keep {code}", key="learner:ask:no", width="stretch"):
        _keep_current_code()
        st.rerun()


def study_code_line(code: str) -> None:
    """The study code in the main column too: on a phone the sidebar with the full panel stays closed."""
    # Bold, not `code`: code inside a caption is too faint to read (and fails contrast checks).
    shown = code.replace("_", "\\_")  # codes are letters, digits, - and _; _ must not start italics
    st.caption(f"Your study code: **{shown}** · keep it to continue on another device")
    # The note's place is kept on every run (an empty container), so the elements after it keep their place
    # and a filter expander the student opened does not fold shut when the note goes.
    note = st.container()
    if st.session_state.pop("learner:empty-link", None) == code:
        note.info(f"Nothing is saved under {shown} yet, so this is a new, empty profile. If you expected your "
                "progress here, check the code in the page address against the one your other device shows.",
                icon=":material/info:")


# --- staff -------------------------------------------------------------------------------------

@st.cache_resource
def staff_settings() -> StaffSettings:
    return deployment_settings()


@st.cache_resource
def wrong_tries() -> WrongTries:
    """One count of wrong passphrases per process, shared by every visitor."""
    return WrongTries()


def _client_address() -> str:
    if os.environ.get("CASEBOOK_TRUST_PROXY") == "1" and st.context.headers.get("x-real-ip"):
        return st.context.headers["x-real-ip"]
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "unknown"


def is_staff() -> bool:
    """Whether this visitor is signed in as staff. Call it near the top of a page: it also sends the
    browser a pending change to its staff cookie."""
    settings = staff_settings()
    pending = st.session_state.pop("staff:cookie", None)
    if pending:
        keep_staff_cookie(*pending)
    if settings.mode == Mode.school:
        return settings.is_staff_user(st.user.to_dict())
    now = utcnow()
    if settings.pass_is_valid(st.session_state.get("staff:pass"), now):
        return True
    cookie = st.context.cookies.get(STAFF_COOKIE)
    # The cookie Streamlit read when this tab connected is still there after signing out in it.
    if cookie and cookie != st.session_state.get("staff:signed-out") and settings.pass_is_valid(cookie, now):
        st.session_state["staff:pass"] = cookie
        return True
    return False


def sign_in_with_passphrase(key: str) -> None:
    """The passphrase form's callback: checks what was typed, then forgets it."""
    typed = st.session_state.get(f"{key}:passphrase", "")
    st.session_state[f"{key}:passphrase"] = ""
    outcome = wrong_tries().try_passphrase(staff_settings(), typed, _client_address())
    if outcome == SignIn.ok:
        now = utcnow()
        st.session_state["staff:pass"] = staff_settings().issue_pass(now)
        st.session_state["staff:cookie"] = ("set", staff_settings().issue_handoff(now))
        st.session_state.pop("staff:signed-out", None)
        return
    if outcome == SignIn.too_many:
        message = "Too many wrong passphrases from this address. Wait a few minutes, then try again."
    elif not typed.strip():
        message = "Type the staff passphrase first."
    else:
        message = "That is not the staff passphrase. Check it and try again."
    st.session_state[f"staff:message:{key}"] = ("error", message)


def sign_out() -> None:
    """Forget the sign-in in this tab and in this browser; drop what staff had open on the author page."""
    st.session_state.pop("staff:pass", None)
    st.session_state["staff:signed-out"] = st.context.cookies.get(STAFF_COOKIE)
    st.session_state["staff:cookie"] = ("clear",)
    st.session_state["staff:message:staff"] = ("success", "You are signed out.")
    for name in [k for k in st.session_state if str(k).startswith("author:")]:
        del st.session_state[name]


def staff_sign_in(key: str, *, border: bool = True) -> None:
    """The whole sign-in control for this deployment, for a visitor who is not (yet) staff."""
    settings = staff_settings()
    if settings.mode == Mode.school:
        render_school_sign_in(settings, st.user.to_dict(), key=key)
    else:
        render_passphrase_form(settings, key=key, sign_in=lambda: sign_in_with_passphrase(key),
                               message=st.session_state.pop(f"staff:message:{key}", None), border=border)


def staff_needed(what: str, key: str) -> None:
    """Where a staff-only thing would be: why it is not shown, and the sign-in in place."""
    render_staff_needed(what, key=key, sign_in=lambda: staff_sign_in(key, border=False))


def staff_status(key: str) -> None:
    """For a visitor who is staff: who they are, and signing out."""
    settings = staff_settings()
    if settings.mode == Mode.school:
        user = st.user.to_dict()
        render_signed_in(str(user.get("email") or "") or None, key=key, sign_out=st.logout)
    else:
        render_signed_in(None, key=key, sign_out=sign_out)
