"""Shared fixtures: a Casebook built on a temporary database, like the app builds it."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from casebook.core import Casebook

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CASES = ROOT / "tests" / "fixtures" / "cases"
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
