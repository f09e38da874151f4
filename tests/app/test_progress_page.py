"""The Progress page as a learner meets it: an empty start, then their cases, scores, calibration and the
questions they missed, a filter by specialty, their history to download and their profile to delete."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from casebook.core import Casebook
from casebook.progress import Confidence
from tests.app.helpers import page_text
from tests.conftest import FIXTURE_CASES, NOW
from tests.unit.test_history import second_case

PAGE = "pages/progress.py"
ME = "learner-page-01"
SURE, UNSURE, GUESS = Confidence.confident, Confidence.unsure, Confidence.guessing


@pytest.fixture
def two_cases(tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "cases"
    shutil.copytree(FIXTURE_CASES, target)
    second_case(target)
    return target


def played(cases: Path, tmp_path: Path) -> Casebook:
    """The learner has finished the mini case with two mistakes and started the second case."""
    book = Casebook(cases, f"sqlite:///{tmp_path / 'app.db'}")
    a = book.attempt_for(ME, "mini-case", NOW)
    book.answer(a.id, "q-single", "b", SURE, now=NOW)
    book.answer(a.id, "q-multi", ["xr", "sp"], UNSURE, now=NOW + timedelta(minutes=1))
    book.reveal_next(a.id, NOW)
    book.answer(a.id, "q-free", "**bold** [link](http://evil.example)", GUESS, now=NOW + timedelta(minutes=2))
    book.answer(a.id, "q-rank", ["one", "two", "three"], SURE, now=NOW + timedelta(minutes=3))
    book.answer(a.id, "q-num", 3, SURE, now=NOW + timedelta(minutes=4))
    book.reveal_next(a.id, NOW)
    book.reveal_next(a.id, NOW + timedelta(minutes=5))
    b = book.attempt_for(ME, "other-case", NOW + timedelta(days=1))
    book.answer(b.id, "q-single", None, GUESS, gave_up=True, now=NOW + timedelta(days=1))
    book.engine.dispose()
    return book


def test_progress_is_in_the_navigation_and_a_new_learner_is_pointed_to_the_library(app_factory):
    at = app_factory(page=PAGE, query={"learner": "learner-new-0001"})
    assert not at.exception
    text = page_text(at)
    assert "Your progress" in text and "No progress yet — open a case from the Library." in text
    assert not [b for b in at.button if b.label.startswith("Delete my profile")]  # nothing to delete


def test_cases_scores_calibration_and_the_mistake_journal(app_factory, two_cases, tmp_path):
    played(two_cases, tmp_path)
    at = app_factory(two_cases, page=PAGE, query={"learner": ME})
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Cases started": "2", "Cases finished": "1", "Questions answered": "6",
                       "Questions missed": "3"}
    tables = [t.value for t in at.table]
    cases = tables[0]
    assert list(cases["Case"]) == ["A second practice case", "A cough that would not settle"]
    assert list(cases["Where you are"]) == ["stage 1 of 3", "finished"]
    assert list(cases["Latest score"]) == ["—", "60%"]
    assert any("Actually right" in t.columns for t in tables)  # the reliability diagram's numbers
    assert len(at.get("plotly_chart")) == 4  # case scores, specialty scores, reliability, Brier
    text = page_text(at)
    assert "Brier score over time" in text
    # The journal: newest first, in the words of the options, with why and what decides it.
    assert "You gave up on this question." in text
    assert "You answered: Sneezing" in text and "**Right answer:** Weight loss" in text
    assert "**Why:** Weight loss is a red flag." in text
    assert "Crackles at the right apex" in text
    # What the learner typed is shown as typed: no bold, no link.
    typed = next(m.value for m in at.markdown if "You answered: " in m.value and "bold" in m.value)
    assert "\\*\\*bold\\*\\*" in typed and "\\[link\\]" in typed
    links = [p.proto for p in at.get("page_link")]
    to_stages = [p for p in links if "Open stage" in p.label]
    assert {p.label for p in to_stages} == {"Open stage 1 of this case", "Open stage 2 of this case"}
    assert all(f"learner={ME}" in p.query_string and "stage=" in p.query_string for p in to_stages)


def test_a_specialty_filter_shows_only_its_cases(app_factory, two_cases, tmp_path):
    played(two_cases, tmp_path)
    at = app_factory(two_cases, page=PAGE, query={"learner": ME})
    pills = at.button_group(key=f"progress:{ME}:specialty")
    pills.select("Neurology").run()
    assert list(at.table[0].value["Case"]) == ["A second practice case"]
    assert {m.label: m.value for m in at.metric}["Questions missed"] == "1"
    assert "Sneezing" not in page_text(at)


def test_the_history_downloads_as_csv(app_factory, two_cases, tmp_path):
    played(two_cases, tmp_path)
    at = app_factory(two_cases, page=PAGE, query={"learner": ME})
    button = at.get("download_button")
    assert len(button) == 1 and button[0].proto.label == "Download my history (CSV)"


def test_deleting_the_profile_asks_first_then_offers_a_new_code(app_factory, two_cases, tmp_path):
    played(two_cases, tmp_path)
    at = app_factory(two_cases, page=PAGE, query={"learner": ME})
    next(b for b in at.button if b.label == "Delete my profile…").click().run()
    assert "This cannot be undone" in page_text(at)
    next(b for b in at.button if b.label == "Keep my profile").click().run()
    assert "This cannot be undone" not in page_text(at) and at.table  # nothing deleted
    next(b for b in at.button if b.label == "Delete my profile…").click().run()
    next(b for b in at.button if b.label == "Yes, delete my profile").click().run()
    assert not at.exception
    text = page_text(at)
    assert f"Your profile {ME.replace('-', chr(92) + '-')} is deleted" in text or f"Your profile {ME} is deleted" in text
    assert "2 case attempts, 6 answers" in text
    assert "No progress yet" in text
    again = Casebook(two_cases, f"sqlite:///{tmp_path / 'app.db'}")
    assert again.learner_history(ME).empty and not again.progress.profile_counts(ME).anything
    next(b for b in at.button if b.label == "Start with a new study code").click().run()
    assert at.query_params["learner"] != ME
    assert "is deleted" not in page_text(at)


def test_a_journal_link_opens_a_revealed_stage_and_never_a_hidden_one(app_factory, tmp_path):
    book = Casebook(FIXTURE_CASES, f"sqlite:///{tmp_path / 'app.db'}")
    a = book.attempt_for(ME, "mini-case", NOW)
    book.answer(a.id, "q-single", "b", SURE, now=NOW)
    book.answer(a.id, "q-multi", ["xr"], SURE, now=NOW)
    book.reveal_next(a.id, NOW)
    book.engine.dispose()
    at = app_factory(page="pages/study.py", query={"learner": ME, "case": "mini-case"})
    assert "A cough for three weeks" not in page_text(at)  # an earlier stage stays closed without a link
    at = app_factory(page="pages/study.py", query={"learner": ME, "case": "mini-case", "stage": "1"})
    assert not at.exception
    assert "A cough for three weeks" in page_text(at)  # the linked stage is open
    assert "Which sign matters most?" in page_text(at)  # with the question missed in it
    assert "stage" not in at.query_params  # the link is used once; the address is the case's again

    at = app_factory(page="pages/study.py", query={"learner": ME, "case": "mini-case", "stage": "3"})
    text = page_text(at)
    assert "You have not reached stage 3 in this attempt yet" in text
    assert "OUTCOME-TEXT" not in text and "What happened" not in text
