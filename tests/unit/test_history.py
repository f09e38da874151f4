"""A learner's history on the Progress page: cases, scores over time, calibration, the mistake journal,
the CSV export and deleting a profile."""
from __future__ import annotations

import csv
import io
import shutil
from datetime import timedelta, timezone
from pathlib import Path

import pytest
import yaml

from casebook.calibration import STATED_CHANCE, brier_by_day, brier_score
from casebook.core import Casebook
from casebook.history import answer_words, history_csv, key_findings, right_answer_words, zone
from casebook.progress import AnswerRecord, Confidence
from tests.conftest import FIXTURE_CASES, NOW

SURE, UNSURE, GUESS = Confidence.confident, Confidence.unsure, Confidence.guessing
ME = "learner-hist-01"


def second_case(cases_dir: Path) -> None:
    """A copy of the mini case in another specialty, so there are two cases and two specialties."""
    data = yaml.safe_load((FIXTURE_CASES / "mini-case" / "case.yaml").read_text())
    data.update(id="other-case", title="A second practice case", specialty=["Neurology"])
    target = cases_dir / "other-case"
    target.mkdir()
    (target / "case.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    if (FIXTURE_CASES / "mini-case" / "evidence.yaml").exists():
        shutil.copy(FIXTURE_CASES / "mini-case" / "evidence.yaml", target / "evidence.yaml")


@pytest.fixture
def two_cases(cases_dir: Path, tmp_path: Path) -> Casebook:
    second_case(cases_dir)
    return Casebook(cases_dir, f"sqlite:///{tmp_path / 'two.db'}")


def play(book: Casebook, case_id: str, start, *, wrong: bool, learner: str = ME, finish: bool = True):
    """Play the mini case through: every answer right, or the first stage's single choice and the free text wrong."""
    attempt = book.attempt_for(learner, case_id, start)
    t = start
    steps = [("q-single", "b" if wrong else "a", SURE), ("q-multi", ["xr", "sp"], UNSURE), None,
             ("q-free", "an asthma attack" if wrong else "HD", GUESS), ("q-rank", ["one", "two", "three"], SURE),
             ("q-num", 3, SURE), None, None]
    for step in steps if finish else steps[:2]:
        t += timedelta(minutes=2)
        if step is None:
            book.reveal_next(attempt.id, t)
        else:
            book.answer(attempt.id, *step, now=t)
    return book.attempt(attempt.id)


# --- words ---------------------------------------------------------------------------------------

def test_an_answer_reads_in_the_words_of_the_options(book):
    case = book.case("mini-case")
    assert answer_words(case.question("q-single"), "b") == "Sneezing"
    assert answer_words(case.question("q-multi"), ["xr", "pet"]) == "Chest radiograph; PET scan"
    assert answer_words(case.question("q-rank"), ["two", "one", "three"]) == "Second → First → Third"
    assert answer_words(case.question("q-num"), 4.0) == "4 weeks"
    assert answer_words(case.question("q-free"), "*bold* <b>x</b>") == "*bold* <b>x</b>"  # as typed
    assert answer_words(case.question("q-single"), None) == ""
    assert answer_words(case.question("q-single"), "gone") == "gone"  # an option since removed
    assert right_answer_words(case.question("q-multi")) == "Chest radiograph; Spirometry"
    assert right_answer_words(case.question("q-free")) == "Hidden diagnosis (also accepted: HD)"
    assert right_answer_words(case.question("q-num")) == "3 ± 0.5 weeks"


def test_what_decides_a_stage_is_its_abnormal_findings_and_results(book):
    results = book.case("mini-case").stages[1]
    assert key_findings(results) == ["Crackles at the right apex", "CRP 12 mg/L (above the reference range)"]
    outcome = book.case("mini-case").stages[2]  # no findings: the opening of its story stands in
    assert key_findings(outcome) == ["The patient recovered fully (OUTCOME-TEXT)."]


def test_a_pertinent_normal_result_can_decide_too(book):
    from casebook.model import LabResult, OtherTest

    results = book.case("mini-case").stages[1]
    normal = results.model_copy(update={"findings": [], "labs": [LabResult(name="CK", value=59, unit="U/L", ref_low=40,
                                                                             ref_high=200)],
                                        "tests": [OtherTest(name="EMG", result="Normal in all muscles")]})
    assert key_findings(normal) == ["CK 59 U/L (within the reference range)", "EMG: Normal in all muscles"]


def test_the_experts_reasons_decide_once_the_case_is_finished(book):
    from casebook.model import ExpertBoard, ExpertHolding, ExpertMove

    results = book.case("mini-case").stages[1]
    traced = results.model_copy(update={"expert": ExpertBoard(
        live=[ExpertHolding(diagnosis="hd", why="fits", basis="general")],
        moved_by=[ExpertMove(ref="crackles", promotes=["hd"], why="Focal crackles point to the apex.", basis="general"),
                  ExpertMove(ref="CRP", why="Inflammation.", basis="general")])})
    assert key_findings(traced, expert_shown=True) == [
        "Crackles at the right apex — Focal crackles point to the apex.",
        "CRP 12 mg/L (above the reference range) — Inflammation."]
    assert key_findings(traced) == key_findings(results)  # before the end, the trace stays hidden


# --- the history ---------------------------------------------------------------------------------

def test_cases_started_and_finished_with_a_score_per_attempt(two_cases):
    play(two_cases, "mini-case", NOW, wrong=True)
    two_cases.restart(ME, "mini-case", NOW + timedelta(days=1))
    again = two_cases.attempt_for(ME, "mini-case")
    play(two_cases, "mini-case", NOW + timedelta(days=1), wrong=False)
    play(two_cases, "other-case", NOW + timedelta(days=2), wrong=True, finish=False)
    h = two_cases.learner_history(ME)
    assert (h.started, h.finished) == (2, 1)
    mini = next(c for c in h.cases if c.case_id == "mini-case")
    other = next(c for c in h.cases if c.case_id == "other-case")
    assert (mini.attempts, mini.status, mini.latest_percent, mini.best_percent) == (2, "finished", 100, 100)
    assert other.status == "stage 1 of 3" and other.latest_percent is None
    assert [c.case_id for c in h.cases] == ["other-case", "mini-case"]  # most recently played first
    # One point per finished attempt: the first, with two misses, then the clean second one.
    assert [(p.label, p.percent) for p in h.case_scores] == [("attempt 1", 60), ("attempt 2", 100)]
    assert again.id in {r.attempt_id for r in h.rows}


def test_score_per_specialty_is_per_day_in_the_learners_time_zone(two_cases):
    late = NOW.replace(hour=23, minute=55)  # two answers before midnight UTC, the rest after; all next day in Tokyo
    play(two_cases, "mini-case", late, wrong=True)
    play(two_cases, "other-case", late, wrong=False, finish=False)
    utc = two_cases.learner_history(ME).specialty_scores()
    assert [(p.series, str(p.when)) for p in utc] == [("Neurology", "2026-11-24"),
                                                       ("Respiratory medicine", "2026-11-24"),
                                                       ("Respiratory medicine", "2026-11-25")]
    tokyo = two_cases.learner_history(ME, zone("Asia/Tokyo")).specialty_scores()
    assert {str(p.when) for p in tokyo} == {"2026-11-25"}
    resp = next(p for p in tokyo if p.series == "Respiratory medicine")
    assert (resp.points, resp.max_points, resp.percent) == (6, 10, 60)
    first_day = next(p for p in utc if p.series == "Respiratory medicine")
    assert (first_day.points, first_day.max_points, first_day.label) == (2, 4, "2 answers")


def test_specialties_of_one_case_share_one_line(cases_dir, tmp_path):
    data = yaml.safe_load((cases_dir / "mini-case" / "case.yaml").read_text())
    data["specialty"] = ["Respiratory medicine", "Infectious diseases"]
    (cases_dir / "mini-case" / "case.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    second_case(cases_dir)
    book = Casebook(cases_dir, f"sqlite:///{tmp_path / 'merged.db'}")
    play(book, "mini-case", NOW, wrong=True)
    play(book, "other-case", NOW, wrong=False, finish=False)
    series = {p.series for p in book.learner_history(ME).specialty_scores()}
    assert series == {"Infectious diseases, Respiratory medicine", "Neurology"}


def test_a_specialty_filter_keeps_only_its_cases(two_cases):
    play(two_cases, "mini-case", NOW, wrong=True)
    play(two_cases, "other-case", NOW, wrong=True)
    h = two_cases.learner_history(ME)
    assert h.specialties == ["Neurology", "Respiratory medicine"]
    neuro = h.only("Neurology")
    assert [c.case_id for c in neuro.cases] == ["other-case"]
    assert {r.case_id for r in neuro.rows} == {"other-case"} and len(neuro.journal()) == 2
    assert [p.case_id for p in neuro.case_scores] == ["other-case"]
    assert h.only(None) is h


def test_a_case_no_longer_in_the_library_still_shows_in_the_history(two_cases, cases_dir, tmp_path):
    play(two_cases, "other-case", NOW, wrong=True)
    two_cases.engine.dispose()
    shutil.rmtree(cases_dir / "other-case")
    book = Casebook(cases_dir, f"sqlite:///{tmp_path / 'two.db'}")
    h = book.learner_history(ME)
    assert [(c.case_id, c.title, c.status) for c in h.cases] == [("other-case", "other-case", "finished")]
    missed = h.journal()
    assert missed and all(e.row.stage_index is None and not e.can_open_stage for e in missed)
    assert missed[-1].row.answer == "b" and missed[-1].row.question == "q-single"  # what was stored
    assert len(list(csv.DictReader(io.StringIO(history_csv(h))))) == 5


def test_a_new_learner_has_an_empty_history(book):
    assert book.learner_history("learner-nobody-1").empty


# --- the mistake journal -----------------------------------------------------------------------

def test_the_journal_lists_every_miss_with_answer_reason_finding_and_stage(two_cases):
    attempt = two_cases.attempt_for(ME, "mini-case", NOW)
    two_cases.answer(attempt.id, "q-single", "b", SURE, now=NOW)
    two_cases.answer(attempt.id, "q-multi", ["xr"], UNSURE, now=NOW + timedelta(minutes=1))  # partly right
    two_cases.reveal_next(attempt.id, NOW)
    two_cases.answer(attempt.id, "q-free", None, GUESS, gave_up=True, now=NOW + timedelta(minutes=2))
    two_cases.answer(attempt.id, "q-rank", ["one", "two", "three"], SURE, now=NOW + timedelta(minutes=3))
    journal = two_cases.learner_history(ME).journal()
    assert [(e.row.question_id, e.row.result) for e in journal] == [
        ("q-free", "gave up"), ("q-multi", "partly correct"), ("q-single", "wrong")]
    single = journal[-1].row
    assert single.answer == "Sneezing" and single.right_answer == "Weight loss"
    assert single.explanation == "Weight loss is a red flag."
    assert (single.stage_index, single.stage_title) == (0, "The story")
    assert journal[0].row.deciding == ("Crackles at the right apex", "CRP 12 mg/L (above the reference range)")
    assert all(e.can_open_stage for e in journal)


def test_a_miss_from_before_starting_again_links_only_to_stages_reached_since(two_cases):
    play(two_cases, "mini-case", NOW, wrong=True)
    two_cases.restart(ME, "mini-case", NOW + timedelta(days=1))
    journal = two_cases.learner_history(ME).journal()
    by_question = {e.row.question_id: e for e in journal}
    assert by_question["q-single"].can_open_stage  # stage 1 is open in the new attempt
    assert not by_question["q-free"].can_open_stage  # stage 2 is not revealed again yet


# --- calibration -----------------------------------------------------------------------------------

def record(confidence, right: bool, at, gave_up=False) -> AnswerRecord:
    return AnswerRecord("q", None, float(right), float(right), 1.0, right, gave_up, False, confidence, at)


def test_brier_score_compares_stated_confidence_with_being_right():
    assert brier_score([]) is None
    assert brier_score([record(None, True, NOW)]) is None  # unrated answers do not count
    confident_right = record(SURE, True, NOW)
    confident_wrong = record(SURE, False, NOW)
    assert brier_score([confident_right]) == pytest.approx((1 - STATED_CHANCE[SURE]) ** 2)
    assert brier_score([confident_right, confident_wrong]) == pytest.approx((0.01 + 0.81) / 2)
    # Giving up counts as not right, as in the reliability diagram.
    assert brier_score([record(GUESS, False, NOW, gave_up=True)]) == pytest.approx(0.25 ** 2)
    # Confident and right beats confident and wrong: lower is better.
    assert brier_score([confident_right]) < brier_score([confident_wrong])


def test_brier_over_time_is_per_day_in_the_learners_zone():
    late = NOW.replace(hour=23, minute=30)
    records = [record(SURE, False, NOW), record(SURE, True, late), record(SURE, True, late + timedelta(days=1))]
    utc = brier_by_day(records)
    assert [(str(d.day), d.answered) for d in utc] == [("2026-11-24", 2), ("2026-11-25", 1)]
    assert utc[0].score == pytest.approx((0.81 + 0.01) / 2)
    berlin = brier_by_day(records, zone("Europe/Berlin"))  # 23:30 UTC is after midnight in Berlin
    assert [(str(d.day), d.answered) for d in berlin] == [("2026-11-24", 1), ("2026-11-25", 1), ("2026-11-26", 1)]


def test_an_unknown_time_zone_falls_back_to_utc():
    assert zone(None) is timezone.utc and zone("Mars/Olympus") is timezone.utc and zone("../etc") is timezone.utc
    assert zone("Europe/Berlin").key == "Europe/Berlin"


# --- export ------------------------------------------------------------------------------------------

def test_the_csv_has_one_row_per_answer_in_words_with_local_times(two_cases):
    attempt = two_cases.attempt_for(ME, "mini-case", NOW)
    two_cases.answer(attempt.id, "q-single", "b", SURE, now=NOW)
    two_cases.answer(attempt.id, "q-multi", ["xr", "sp"], None, now=NOW + timedelta(minutes=1))
    two_cases.reveal_next(attempt.id, NOW)
    two_cases.answer(attempt.id, "q-free", "=HYPERLINK(\"http://evil\")", GUESS, now=NOW + timedelta(minutes=2))
    text = history_csv(two_cases.learner_history(ME, zone("Europe/Berlin")))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    first = rows[0]
    assert (first["case"], first["stage"], first["stage_title"], first["question"]) == (
        "A cough that would not settle", "1", "The story", "Which sign matters most?")
    assert (first["answer"], first["result"], first["points"], first["max_points"], first["confidence"]) == (
        "Sneezing", "wrong", "0", "2", "confident")
    assert first["answered_at"] == "2026-11-24T10:00:00+01:00"  # 09:00 UTC in Berlin
    assert rows[1]["answer"] == "Chest radiograph; Spirometry" and rows[1]["confidence"] == ""
    assert rows[1]["result"] == "correct"
    assert rows[2]["answer"].startswith("'=HYPERLINK")  # a spreadsheet shows it, never runs it


# --- deleting a profile ----------------------------------------------------------------------------

def test_deleting_a_profile_removes_everything_of_that_code_and_nothing_else(cases_dir, database_url):
    book = Casebook(cases_dir, database_url)
    mine = book.attempt_for(ME, "mini-case", NOW)
    book.take_hint(mine.id, "q-single", NOW)
    book.answer(mine.id, "q-single", "b", SURE, now=NOW)  # wrong: queued for review
    book.answer(mine.id, "q-multi", ["xr", "sp"], SURE, now=NOW)
    book.restart(ME, "mini-case", NOW + timedelta(hours=1))
    theirs = book.attempt_for("learner-hist-02", "mini-case", NOW)
    book.answer(theirs.id, "q-single", "b", SURE, now=NOW)
    session, _key = book.polls.create(book.case("mini-case"), NOW)
    book.polls.join(session.join_code, "Me", NOW, learner=ME)

    before = book.progress.profile_counts(ME)
    assert (before.attempts, before.answers, before.hints, before.review_questions, before.class_links) == (2, 2, 1, 1, 1)
    deleted = book.delete_profile(ME)
    assert deleted == before
    after = book.progress.profile_counts(ME)
    assert not after.anything and book.learner_history(ME).empty
    assert book.due_reviews(ME, NOW + timedelta(days=400)) == []
    assert book.progress.learner_attempts(ME) == []
    # Someone else's progress is untouched.
    other = book.progress.profile_counts("learner-hist-02")
    assert (other.attempts, other.answers, other.review_questions) == (1, 1, 1)
    assert len(book.polls.participants(session.id)) == 1  # the class keeps its participant, unnamed


def test_the_counts_read_as_words():
    from casebook.history import ProfileCounts

    assert ProfileCounts(2, 1, 0, 3, 0).words() == "2 case attempts, 1 answer, 3 questions in your review queue"
    assert ProfileCounts().words() == "nothing" and not ProfileCounts().anything


def test_a_stage_link_names_a_stage_of_the_case_or_nothing():
    from casebook.history import linked_stage

    assert linked_stage("2", 3) == 1 and linked_stage(" 1 ", 3) == 0
    for bad in ["0", "4", "-1", "abc", "", None, "1e3", "99999999999999999999999", ["1"]]:
        assert linked_stage(bad, 3) is None, bad
