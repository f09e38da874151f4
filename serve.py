"""Casebook server: the Streamlit app (app.py) and the phone routes of a live poll, one ASGI application.

Start it with `streamlit run serve.py`.
"""
import pandas  # noqa: F401  imported once here, before threads race to import it half-way (charts, tables)
import streamlit as st
from streamlit import config
from streamlit.runtime.pages_manager import PagesManager

# app.py declares every page with st.navigation. Without this, the first visitor of a fresh
# process who opens a page's address directly (/study?case=...) would get Streamlit's older
# folder-based navigation, which lists every file in pages/ instead of the declared pages.
PagesManager.uses_pages_directory = False

from casebook.staff import Mode  # noqa: E402
from server import staff  # noqa: E402
from server.phone import routes as phone_routes  # noqa: E402


def _announce_staff_sign_in() -> None:
    """Once per process, like Jupyter's token: how the lecturer on this machine signs in as staff."""
    settings = staff.settings()
    if settings.mode == Mode.generated:
        link = settings.sign_in_link(f"http://localhost:{config.get_option('server.port')}")
        print(f"\n  Staff sign-in (lecturers and authors): open\n    {link}\n"
              f"  or type the passphrase kept in {settings.passphrase_file}\n", flush=True)
    elif settings.mode == Mode.passphrase:
        print("\n  Staff sign in with the passphrase set in CASEBOOK_STAFF_PASSPHRASE.\n", flush=True)
    else:
        print(f"\n  Staff sign in through the school's sign-in ({len(settings.staff_emails)} staff "
              "e-mail entries in CASEBOOK_STAFF_EMAILS).\n", flush=True)


_announce_staff_sign_in()
app = st.App("app.py", routes=phone_routes + staff.routes)
