"""What a student with a second window, or a tired one, can do to the study page: each ends in a clear
message and a working page, never an error box."""
from __future__ import annotations

from casebook.core import Casebook
from tests.app.helpers import page_text, widget
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
