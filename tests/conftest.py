"""Shared fixtures: a Casebook built on a temporary database, like the app builds it."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from casebook.core import Casebook

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CASES = ROOT / "tests" / "fixtures" / "cases"
FIXTURE_REPORTS = ROOT / "tests" / "fixtures" / "reports"  # made-up report texts for drafting
CASES = ROOT / "cases"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def cases_dir(tmp_path: Path) -> Path:
    target = tmp_path / "cases"
    shutil.copytree(FIXTURE_CASES, target)
    return target


@pytest.fixture
def book(cases_dir: Path, tmp_path: Path) -> Casebook:
    return Casebook(cases_dir, f"sqlite:///{tmp_path / 'casebook.db'}")


POSTGRES_ENV = "CASEBOOK_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> str:
    """The same storage tests run on SQLite and on a real PostgreSQL (URL from CASEBOOK_TEST_POSTGRES_URL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'casebook.db'}"
        return
    import os

    url = os.environ.get(POSTGRES_ENV)
    if not url:
        message = f"PostgreSQL tests skipped: set {POSTGRES_ENV} (.ci/run starts a server and sets it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from sqlalchemy import create_engine, text

    schema = f"t_{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def poll(cases_dir, database_url):
    """A class session of the mini case on each engine: the Casebook, the case, the session, the lecturer's key."""
    book = Casebook(cases_dir, database_url)
    case = book.case("mini-case")
    session, key = book.polls.create(case, NOW)
    return book, case, session, key
