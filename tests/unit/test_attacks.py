"""What a crafted request or a second window can do to the core, and what it may not."""
from __future__ import annotations

import pytest

from casebook.core import Casebook
from casebook.grading import InvalidResponse
from casebook.progress import Confidence
from tests.conftest import CASES, NOW
from tests.unit.test_investigation import CASE, QUESTION, open_examination


@pytest.fixture
def library(tmp_path):
    return Casebook(CASES, f"sqlite:///{tmp_path / 'db.sqlite'}")


def test_a_work_up_is_graded_on_the_tests_ordered_not_on_a_list_sent_with_it(library):
    attempt = open_examination(library)
    with pytest.raises(InvalidResponse, match="order at least one test"):
        library.answer(attempt.id, QUESTION, ["mri", "biopsy"], Confidence.confident, now=NOW)
    library.order_test(attempt.id, QUESTION, "ct", now=NOW)
    record = library.answer(attempt.id, QUESTION, ["mri", "biopsy"], Confidence.confident, now=NOW)
    assert record.response == ["ct"] and record.points == 0


@pytest.mark.parametrize("sent", ["Europe", "America", "a" * 300, "Europe/Berlin/" + "x" * 250])
def test_a_browser_zone_that_is_no_zone_gives_the_progress_page_utc(sent):
    from datetime import timezone

    from casebook.history import zone

    assert zone(sent) is timezone.utc  # a folder of zones or a very long name: no error, UTC


def with_max_orders(library, monkeypatch, most: int):
    """The leg case with its work-up limited to `most` tests."""
    case = library.case(CASE)
    limited = case.question(QUESTION).model_copy(update={"max_orders": most})
    stages = [s.model_copy(update={"questions": [limited if q.id == QUESTION else q for q in s.questions]})
              for s in case.stages]
    limited_case = case.model_copy(update={"stages": stages})
    monkeypatch.setattr(library, "case", lambda case_id: limited_case if case_id == CASE else None)


def test_two_windows_ordering_at_once_cannot_pass_the_tests_allowed(database_url, monkeypatch):
    library = Casebook(CASES, database_url)
    attempt = open_examination(library)
    with_max_orders(library, monkeypatch, 1)
    before_either = library.attempt(attempt.id)  # both windows read the attempt: nothing ordered yet
    library.order_test(attempt.id, QUESTION, "ct", now=NOW)

    real = library.attempt
    monkeypatch.setattr(library, "attempt", lambda attempt_id: before_either)  # the second window's stale read
    with pytest.raises(InvalidResponse, match="ordered the 1 tests"):
        library.order_test(attempt.id, QUESTION, "mri", now=NOW)
    monkeypatch.setattr(library, "attempt", real)
    assert library.attempt(attempt.id).orders[QUESTION] == ("ct",)
    record = library.answer(attempt.id, QUESTION, None, Confidence.unsure, now=NOW)  # the work-up can still finish
    assert record.response == ["ct"]
