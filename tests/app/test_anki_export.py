"""A student takes a finished case, or the questions they missed, to Anki."""
from casebook.loader import load_case
from casebook.progress import Confidence
from tests.app.helpers import answer_open_question, play_to_the_end
from tests.conftest import FIXTURE_CASES

MINI = load_case(FIXTURE_CASES / "mini-case").case
CASE_DECK = "Anki deck of this case (.apkg)"
REVIEW_DECK = "Download your missed questions as an Anki deck"


def download_labels(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_the_case_deck_is_offered_only_once_the_case_is_finished(app_factory):
    at = app_factory(FIXTURE_CASES, query={"case": "mini-case", "learner": "learner-0001"}, page="pages/study.py")
    assert CASE_DECK not in download_labels(at)
    at = answer_open_question(at, MINI)
    assert CASE_DECK not in download_labels(at)
    at = play_to_the_end(at, MINI)
    assert not at.exception
    assert download_labels(at) == ["Case with answers PDF", CASE_DECK]


def test_the_review_page_offers_a_deck_of_the_missed_questions_once_there_are_some(app_factory):
    from casebook.core import Casebook, Settings

    at = app_factory(FIXTURE_CASES, query={"learner": "learner-0002"}, page="pages/review.py")
    assert REVIEW_DECK not in download_labels(at)
    book = Casebook.from_settings(Settings.from_env())
    attempt = book.attempt_for("learner-0002", "mini-case")
    book.answer(attempt.id, "q-single", "b", Confidence.confident)
    at = at.run()
    assert not at.exception
    assert REVIEW_DECK in download_labels(at)
