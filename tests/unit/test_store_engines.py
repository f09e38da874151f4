"""Progress storage behaves the same on SQLite and PostgreSQL."""
from casebook.core import Casebook
from casebook.progress import Confidence
from tests.conftest import NOW


def test_attempt_answers_and_hints_round_trip(cases_dir, database_url):
    book = Casebook(cases_dir, database_url)
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    book.take_hint(attempt.id, "q-single", NOW)
    book.answer(attempt.id, "q-single", "a", Confidence.confident, now=NOW)
    book.answer(attempt.id, "q-single", "b", Confidence.confident, now=NOW)  # retried: first one stays
    book.answer(attempt.id, "q-multi", ["xr", "sp"], Confidence.unsure, now=NOW)
    book.reveal_next(attempt.id)
    book.engine.dispose()

    again = Casebook(cases_dir, database_url).attempt_for("learner-0001", "mini-case")
    assert again.id == attempt.id and again.stage_index == 1
    assert again.answers["q-single"].response == "a" and again.answers["q-single"].points == 1
    assert again.answers["q-multi"].response == ["xr", "sp"]
    assert again.answers["q-multi"].confidence is Confidence.unsure
    assert again.hints == frozenset({"q-single"})


def test_every_attempt_at_a_case_is_kept_with_its_points(cases_dir, database_url):
    from datetime import timedelta

    book = Casebook(cases_dir, database_url)
    first = book.attempt_for("learner-0001", "mini-case", NOW)
    book.answer(first.id, "q-single", "a", Confidence.confident, now=NOW)
    book.answer(first.id, "q-multi", ["xr"], Confidence.unsure, now=NOW)
    second = book.restart("learner-0001", "mini-case", NOW + timedelta(hours=1), seen_attempt_id=first.id)
    book.restart("learner-0001", "mini-case", NOW + timedelta(hours=2), seen_attempt_id=first.id)  # a second window
    assert not book.has_progress("K7QM-3XPA-9DHT") and book.has_progress("learner-0001")
    history = book.attempt_history("learner-0001", "mini-case")
    assert [(r.attempt_id, r.points) for r in history] == [(first.id, book.attempt(first.id).points), (second.id, 0)]
