"""What a student with a second window, or a tired one, can do to the study page: each ends in a clear
message and a working page, never an error box."""
from __future__ import annotations

import pytest

from casebook.core import Casebook
from tests.app.helpers import order_and_finish, page_text, widget
from tests.app.test_investigation_page import CASE, MENU, at_the_menu
from tests.conftest import CASES

LEARNER = "learner-0001"


def test_deleting_the_profile_in_another_window_restarts_the_case_with_a_message(app_factory, tmp_path):
    at = at_the_menu(app_factory, tmp_path)
    other_window = Casebook(CASES, f"sqlite:///{tmp_path / 'app.db'}")
    assert other_window.delete_profile(LEARNER).attempts == 1

    at = widget(at.button, f":{MENU.id}:order:ck").click().run()
    assert not at.exception, at.exception
    assert "Something went wrong" not in page_text(at)
    assert any("was deleted (from another window or device)" in w.value for w in at.warning)
    assert other_window.progress.latest_attempt(LEARNER, CASE.id).stage_index == 0  # the case starts again, as a new attempt


def test_a_work_up_finished_in_a_window_that_missed_an_order_is_graded_on_every_test_ordered(app_factory, tmp_path):
    at = at_the_menu(app_factory, tmp_path)
    for test_id in ("mri", "biopsy"):
        at = widget(at.button, f":{MENU.id}:order:{test_id}").click().run()
    other_window = Casebook(CASES, f"sqlite:///{tmp_path / 'app.db'}")
    attempt = other_window.progress.latest_attempt(LEARNER, CASE.id)
    other_window.order_test(attempt.id, MENU.id, "ct")  # its result is read in the other window

    at = order_and_finish(at, MENU, [])  # this window's Finish still lists MRI and biopsy only
    assert not at.exception, at.exception
    drawn = page_text(at).replace("\\", "")
    assert "Added nothing: CT of the lower limbs" in drawn
    record = other_window.progress.get_attempt(attempt.id).answers[MENU.id]
    assert record.response == ["mri", "biopsy", "ct"] and record.fraction == 0.75


@pytest.mark.parametrize("page", ["pages/library.py", "pages/study.py", "pages/progress.py"])
def test_a_link_with_a_code_that_has_nothing_saved_says_so_once(app_factory, tmp_path, page):
    # The last symbol mistyped; the study page starts an attempt under it before the note is drawn.
    at = app_factory(CASES, query={"learner": "K7QM-3XPA-9DHY", "case": CASE.id}, page=page)
    assert not at.exception, at.exception
    [note] = [i.value for i in at.info if "Nothing is saved under" in i.value]
    assert "K7QM-3XPA-9DHY" in note and "check the code in the page address" in note
    at.run()
    assert not [i for i in at.info if "Nothing is saved under" in i.value]  # said once, not on every run


def test_a_link_with_a_code_that_has_progress_opens_it_without_a_note(app_factory, tmp_path):
    at = app_factory(CASES, query={"learner": "K7QM-3XPA-9DHT"}, page="pages/library.py")
    Casebook(CASES, f"sqlite:///{tmp_path / 'app.db'}").attempt_for("K7QM-3XPA-9DHT", CASE.id)
    again = app_factory(CASES, query={"learner": "K7QM-3XPA-9DHT"}, page="pages/library.py")
    assert not [i for i in again.info if "Nothing is saved under" in i.value]
