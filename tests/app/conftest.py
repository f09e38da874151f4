"""AppTest fixtures: the real app script on a temporary database and a chosen case folder."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from casebook.core import shared_casebook
from tests.app.helpers import STAFF_PASSPHRASE, sign_in_as_staff
from tests.conftest import CASES, FIXTURE_CASES, ROOT


@pytest.fixture
def app_factory(tmp_path: Path, monkeypatch):
    def make(cases: Path = FIXTURE_CASES, *, query: dict[str, str] | None = None, page: str | None = None,
             staff: bool = False) -> AppTest:
        """`staff=True` signs in on the Staff sign-in page first, as a lecturer would."""
        monkeypatch.setenv("CASEBOOK_CASES_DIR", str(cases))
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
        monkeypatch.setenv("CASEBOOK_STAFF_PASSPHRASE", STAFF_PASSPHRASE)
        st.cache_resource.clear()
        st.cache_data.clear()
        shared_casebook.cache_clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        if staff:
            sign_in_as_staff(at.run())
            page = page or "pages/library.py"
        for k, v in (query or {}).items():
            at.query_params[k] = v
        if page:
            at.switch_page(page)
        return at.run()

    yield make
    st.cache_resource.clear()
    shared_casebook.cache_clear()


@pytest.fixture
def seed_cases() -> Path:
    return CASES
