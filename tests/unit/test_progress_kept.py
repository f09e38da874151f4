"""A student's progress is never silently lost: a study code in any typed form finds the same profile,
a typo asks before starting an empty one, starting a case again keeps the result, and the Review page
says when missed questions come back, in the learner's own time zone."""
from datetime import datetime, timedelta, timezone

import pytest

from casebook.core import Casebook
from casebook.progress import CODE_SHAPE, CodeCheck, Confidence, check_typed_code, clean_learner_code
from casebook.when import UTC_ZONE, comes_back, comes_back_summary, learner_zone
from tests.conftest import NOW

ISSUED = "4ZB6-DUZE-2Y77"


@pytest.mark.parametrize("typed", ["4zb6 duze 2y77", "4ZB6DUZE2Y77", "4zb6-duze-2y77", " 4ZB6-DUZE-2Y77 ",
                                   "4zb6–duze–2y77", "4ZB6 - DUZE - 2Y77", "4zb6.duze.2y77", "4zb6duze 2y77"])
def test_every_form_a_student_types_is_the_issued_code(typed):
    assert clean_learner_code(typed) == ISSUED


def test_an_older_longer_code_keeps_its_letters():
    assert clean_learner_code(" aB3_kX9-qRt5Zw2m ") == "aB3_kX9-qRt5Zw2m"


def saved(*codes):
    return lambda code: code in codes


def test_a_code_with_progress_switches_at_once_in_whatever_form_it_is_typed():
    typed = check_typed_code("4zb6 duze 2y77", "K7QM-3XPA-9DHT", saved(ISSUED))
    assert (typed.outcome, typed.code) == (CodeCheck.switch, ISSUED)


def test_a_typo_with_nothing_saved_is_asked_about_not_switched_to():
    typed = check_typed_code("4zb6 duze 2y78", "K7QM-3XPA-9DHT", saved(ISSUED))
    assert typed.outcome == CodeCheck.ask and typed.code == "4ZB6-DUZE-2Y78"
    assert typed.message == "No progress is saved under 4ZB6-DUZE-2Y78. Start a new profile with it?"


@pytest.mark.parametrize("typed", ["", "   ", "4ZB6-DUZE", "hello", "<b>4ZB6</b>", "4ZB6-DUZE-2Y70", "4ZB6-DUZE-2YI7",
                                   "x" * 500, "4ZB6-DUZE-2Y77-ABCD-EFGH-JKLM-NPQR-STUV-WXYZ"])
def test_anything_that_is_not_a_code_says_what_a_code_looks_like(typed):
    checked = check_typed_code(typed, "K7QM-3XPA-9DHT", saved(ISSUED))
    assert checked.outcome == CodeCheck.invalid and checked.code == ""
    assert CODE_SHAPE in checked.message and "K7QM-3XPA-9DHT" in checked.message
    assert "<b>" not in checked.message  # what was typed is never echoed


def test_a_zero_for_an_o_is_pointed_out():
    assert "0, 1, I or O" in check_typed_code("4ZB6-DUZE-2Y70", "K7QM-3XPA-9DHT", saved()).message


def test_an_older_code_is_accepted_only_where_progress_is_saved_under_it():
    old = "aB3_kX9-qRt5Zw2m"
    assert check_typed_code(old, ISSUED, saved(old)).outcome == CodeCheck.switch
    assert check_typed_code(old, ISSUED, saved()).outcome == CodeCheck.invalid  # a new profile needs an issued code


def test_the_code_in_use_is_said_to_be_in_use():
    assert check_typed_code("4zb6duze2y77", ISSUED, saved()).outcome == CodeCheck.same


def test_progress_is_found_from_an_attempt_or_a_question_to_review(book):
    assert not book.has_progress(ISSUED)
    book.attempt_for(ISSUED, "mini-case", NOW)
    assert book.has_progress(ISSUED)
    other = "K7QM-3XPA-9DHT"
    attempt = book.attempt_for("learner-9999", "mini-case", NOW)
    missed = book.answer(attempt.id, "q-single", "b", Confidence.confident, now=NOW)
    book.reviews.add_missed(other, "mini-case", missed)  # e.g. missed in a class poll, never studied alone
    assert book.has_progress(other)
    assert book.check_typed_code("k7qm qxpa 9dht", ISSUED).outcome == CodeCheck.ask
    assert book.check_typed_code("k7qm 3xpa 9dht", ISSUED).outcome == CodeCheck.switch


# --- starting a case again ------------------------------------------------------------------------

def finish(book, attempt, *, right: bool):
    book.answer(attempt.id, "q-single", "a" if right else "b", Confidence.confident, now=NOW)
    book.answer(attempt.id, "q-multi", ["xr", "sp"] if right else ["xr"], Confidence.confident, now=NOW)
    book.reveal_next(attempt.id, NOW)
    while not (current := book.attempt(attempt.id)).finished:
        stage = book.case("mini-case").stages[current.stage_index]
        for q in stage.questions:
            book.answer(attempt.id, q.id, None, Confidence.guessing, gave_up=True, now=NOW)
        book.reveal_next(attempt.id, NOW)
    return book.attempt(attempt.id)


def test_starting_again_keeps_the_finished_result_and_its_answers(book):
    first = finish(book, book.attempt_for("learner-0001", "mini-case", NOW), right=True)
    second = book.restart("learner-0001", "mini-case", NOW + timedelta(days=1), seen_attempt_id=first.id)
    assert second.id != first.id
    kept = book.attempt(first.id)
    assert kept.finished and kept.answers == first.answers
    history = book.attempt_history("learner-0001", "mini-case")
    assert [(r.number, r.finished, r.points) for r in history] == [(1, True, first.points), (2, False, 0)]
    assert history[0].percent == round(100 * first.points / book.case("mini-case").max_points)


def test_a_second_window_pressing_start_again_does_not_start_a_third_attempt(book):
    first = finish(book, book.attempt_for("learner-0001", "mini-case", NOW), right=False)
    one = book.restart("learner-0001", "mini-case", NOW + timedelta(minutes=1), seen_attempt_id=first.id)
    # the other window, still showing the result, or the same press sent twice
    two = book.restart("learner-0001", "mini-case", NOW + timedelta(minutes=2), seen_attempt_id=first.id)
    assert one.id == two.id
    assert len(book.attempt_history("learner-0001", "mini-case")) == 2


def test_case_ids_in_an_address_ignore_case_and_spaces(book):
    assert book.case_info(book.case_id_from_address(" Mini-Case ")).id == "mini-case"


# --- when reviews come back, in the learner's zone -------------------------------------------------

BERLIN = learner_zone("Europe/Berlin", -60)


def test_the_browsers_zone_is_used_and_utc_is_named_when_it_is_unknown():
    moment = datetime(2026, 12, 3, 13, 5, tzinfo=timezone.utc)
    assert BERLIN.date_and_time(moment) == "3 Dec 2026, 14:05"
    assert learner_zone(None, -330).date_and_time(moment) == "3 Dec 2026, 18:35"  # India, from the offset only
    assert learner_zone("Not/A_Zone", None).date_and_time(moment) == "3 Dec 2026, 13:05 UTC"
    assert UTC_ZONE.date_and_time(moment) == "3 Dec 2026, 13:05 UTC"


@pytest.mark.parametrize("sent", ["../../etc/passwd", "/etc/localtime", "x" * 5000, "Europe/Berlin\x00", 12, ""])
def test_whatever_a_browser_sends_as_its_zone_falls_back_to_utc_named(sent):
    zone = learner_zone(sent, None)
    assert zone.label == "UTC" and not zone.from_browser


def test_a_date_near_midnight_is_the_learners_own_day():
    late = datetime(2026, 11, 24, 23, 30, tzinfo=timezone.utc)  # already the 25th in Berlin
    now = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
    assert comes_back(late, now, BERLIN) == "tomorrow at 00:30"
    assert comes_back(late, now, UTC_ZONE) == "today at 23:30 UTC"


def test_when_a_question_comes_back_is_said_in_words():
    now = NOW  # Tuesday 24 November 2026, 09:00 UTC
    assert comes_back(now - timedelta(minutes=1), now, BERLIN) == "due now"
    assert comes_back(now + timedelta(seconds=20), now, BERLIN) == "in 1 minute"
    assert comes_back(now + timedelta(minutes=9, seconds=10), now, BERLIN) == "in 10 minutes"
    assert comes_back(now + timedelta(hours=5), now, BERLIN) == "today at 15:00"
    assert comes_back(now + timedelta(days=9), now, BERLIN) == "on Thursday 3 December (in 9 days)"
    assert comes_back(now + timedelta(days=40), now, BERLIN) == "on Sunday 3 January 2027 (in 40 days)"


def test_three_to_review_is_explained_by_when_each_comes_back():
    now = NOW
    dues = [now - timedelta(seconds=5), now + timedelta(minutes=1), now + timedelta(days=2),
            now + timedelta(days=2, hours=1)]
    assert comes_back_summary(dues, now, BERLIN) == "1 due now, 1 in 1 minute, 2 on Thursday 26 November (in 2 days)"
    assert comes_back_summary(dues[1:], now, BERLIN) == "1 in 1 minute, 2 on Thursday 26 November (in 2 days)"
    many = [now + timedelta(days=d) for d in range(2, 8)]
    assert comes_back_summary(many, now, BERLIN, most=2).endswith(", 4 later")


def test_the_results_say_when_each_missed_question_comes_back(book):
    attempt = finish(book, book.attempt_for("learner-0001", "mini-case", NOW), right=False)
    missed = [q.id for q in book.case("mini-case").questions]
    dues = book.review_due_dates("learner-0001", "mini-case", missed)
    assert len(dues) == len(missed) and all(d > NOW for d in dues)  # a fresh miss waits a short while first
    assert attempt.finished
