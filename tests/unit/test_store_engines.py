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
