"""The staged reveal, as a student meets it: nothing ahead of the current stage, progress that persists."""
import pytest

from casebook.core import Casebook, NotAllowed
from casebook.grading import InvalidResponse
from casebook.progress import Confidence
from tests.conftest import NOW

SURE = Confidence.confident


def texts(view) -> str:
    """Everything a page could read from the view: no stage, answer or source until earned."""
    return repr(view)


def answer_stage_one(book, attempt):
    book.answer(attempt.id, "q-single", "a", SURE, now=NOW)
    book.answer(attempt.id, "q-multi", ["xr"], Confidence.unsure, now=NOW)


def test_a_new_attempt_shows_only_the_first_stage_and_hides_answers(book):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    view = book.visible(attempt)
    assert [s.stage.id for s in view.stages] == ["history"]
    seen = texts(view)
    for hidden in ["SECRET-SHADOW", "HIDDEN-DIAGNOSIS", "OUTCOME-TEXT", "A red flag.", "Weight loss is a red flag.",
                   "Think of red flags.", "Ask the room", "An example report"]:
        assert hidden not in seen
    assert sorted(view.current_stage.pending[0].choices) == [("a", "Weight loss"), ("b", "Sneezing")]
    assert view.source is None and not view.can_advance


def test_revealing_before_answering_is_refused(book):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    with pytest.raises(NotAllowed):
        book.reveal_next(attempt.id)


def test_answering_a_later_stage_question_early_is_refused(book):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    with pytest.raises(NotAllowed):
        book.answer(attempt.id, "q-free", "HD", SURE)


def test_answering_gates_the_next_stage(book):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    answer_stage_one(book, attempt)
    view = book.visible(book.attempt(attempt.id))
    assert view.can_advance and "SECRET-SHADOW" not in texts(view)
    assert "A red flag." in texts(view)  # feedback appears once answered
    book.reveal_next(attempt.id)
    view = book.visible(book.attempt(attempt.id))
    assert [s.stage.id for s in view.stages] == ["history", "results"]
    assert "SECRET-SHADOW" in texts(view) and "OUTCOME-TEXT" not in texts(view)
    assert [e.id for e in view.timeline] == ["cough", "xray"]


def test_hint_is_hidden_until_taken_and_costs_a_point(book):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    assert book.visible(attempt).current_stage.pending[0].hint is None
    assert book.take_hint(attempt.id, "q-single", NOW) == "Think of red flags."
    view = book.visible(book.attempt(attempt.id))
    assert view.current_stage.pending[0].hint == "Think of red flags."
    record = book.answer(attempt.id, "q-single", "a", SURE, now=NOW)
    assert record.points == 1 and record.hint_used


def test_a_repeated_submission_keeps_the_first_answer(book):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    first = book.answer(attempt.id, "q-single", "b", SURE, now=NOW)
    again = book.answer(attempt.id, "q-single", "a", SURE, now=NOW)
    assert again.response == "b" and again.points == first.points == 0


def test_invalid_answer_is_explained_and_nothing_is_stored(book):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    with pytest.raises(InvalidResponse):
        book.answer(attempt.id, "q-single", "nope", SURE)
    assert book.attempt(attempt.id).answers == {}


def play_to_the_end(book, attempt):
    answer_stage_one(book, attempt)
    book.reveal_next(attempt.id)
    book.answer(attempt.id, "q-free", "hidden diagnosis", SURE, now=NOW)
    book.answer(attempt.id, "q-rank", ["two", "one", "three"], Confidence.guessing, now=NOW)
    book.answer(attempt.id, "q-num", None, None, gave_up=True, now=NOW)
    book.reveal_next(attempt.id)
    book.reveal_next(attempt.id, NOW)


def test_finishing_gives_score_missed_questions_and_source(book):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    play_to_the_end(book, attempt)
    view = book.visible(book.attempt(attempt.id))
    assert view.finished and view.source.title == "An example report"
    assert "OUTCOME-TEXT" in texts(view)
    # 2 (single) + 1 (multi, half) + 2 (free) + 0.5 (rank: wrong first place, 2 of 3 pairs: 0.67 to the
    # nearest half) + 0 (gave up) of 10
    assert view.score.points == 5.5
    assert view.score.max_points == 10
    assert [m.question.id for m in view.score.missed] == ["q-multi", "q-rank", "q-num"]


def test_progress_survives_a_restart_of_the_server(book, cases_dir, tmp_path):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    answer_stage_one(book, attempt)
    book.reveal_next(attempt.id)
    book.engine.dispose()
    reopened = Casebook(cases_dir, f"sqlite:///{tmp_path / 'casebook.db'}")
    again = reopened.attempt_for("learner-0001", "mini-case")
    assert again.id == attempt.id and again.stage_index == 1
    assert set(again.answers) == {"q-single", "q-multi"}


def test_ranking_items_are_never_shown_in_the_right_order(book):
    for n in range(20):
        attempt = book.restart(f"learner-{n:04d}", "mini-case", NOW)
        answer_stage_one(book, attempt)
        book.reveal_next(attempt.id)
        pending = book.visible(book.attempt(attempt.id)).current_stage.pending
        rank = next(p for p in pending if p.type == "ranking")
        assert [c[0] for c in rank.choices] != ["one", "two", "three"]


def test_the_right_option_is_not_always_first_but_stays_put_within_an_attempt(book):
    from casebook.model import Option, SingleChoice
    from casebook.reveal import question_view

    options = [Option(id=f"o{n}", text=f"Option {n}", correct=n == 0, feedback="because") for n in range(4)]
    options.append(Option(id="none", text="None of these", feedback="because", keep_last=True))
    q = SingleChoice(id="q", type="single_choice", prompt="Which?", explanation="Why.", options=options)
    orders = {seed: [oid for oid, _ in question_view(q, hint_taken=False, shuffle_seed=seed).choices]
              for seed in (f"attempt-{n}" for n in range(40))}
    assert {order[0] for order in orders.values()} >= {"o0", "o1", "o2", "o3"}
    assert all(order[-1] == "none" and sorted(order) == sorted(o.id for o in options) for order in orders.values())
    again = question_view(q, hint_taken=False, shuffle_seed="attempt-7").choices
    assert [oid for oid, _ in again] == orders["attempt-7"]


def test_speaker_notes_only_for_the_presenter(book):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    assert book.visible(attempt).stages[0].stage.speaker_notes is None
    assert book.visible(attempt, "presenter").stages[0].stage.speaker_notes == "Ask the room about red flags."


def test_library_status_per_learner(book):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    assert not book.learner_status("learner-0001")["mini-case"].finished
    play_to_the_end(book, attempt)
    assert book.learner_status("learner-0001")["mini-case"].finished
    assert book.learner_status("someone-else") == {}


def test_database_url_comes_from_the_environment_then_the_secrets_file(tmp_path, monkeypatch):
    from casebook.core import Settings, deployment_secrets

    secrets = tmp_path / "secrets.toml"
    secrets.write_text('DATABASE_URL = "postgresql+psycopg://u:p@db/casebook"\n')
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert Settings.from_env(deployment_secrets(secrets)).database_url == "postgresql+psycopg://u:p@db/casebook"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///x.db")
    assert Settings.from_env(deployment_secrets(secrets)).database_url == "sqlite:///x.db"
    monkeypatch.delenv("DATABASE_URL")
    assert Settings.from_env(deployment_secrets(tmp_path / "missing.toml")).database_url.startswith("sqlite:///")


def test_a_new_study_code_is_easy_to_copy_to_another_device():
    import re

    from casebook.core import new_learner_code
    from casebook.poll import JOIN_ALPHABET
    from casebook.progress import is_learner_code

    codes = {new_learner_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:  # e.g. K7QM-3XPA-9DHT: no 0/O or 1/I, no lower case
        assert re.fullmatch("-".join([f"[{JOIN_ALPHABET}]{{4}}"] * 3), code) and is_learner_code(code)
    assert not set("".join(codes)) & set("01OIlo")
    assert is_learner_code("Xq3_vB9-kLm2pQ7s")  # a code issued before keeps working


def test_feedback_keeps_the_order_the_options_were_shown_in(book):
    for n in range(30):  # the order of the file would prove nothing: find an attempt shuffled otherwise
        attempt = book.attempt_for(f"order-learner-{n:02d}", "mini-case", NOW)
        shown = [oid for oid, _ in book.visible(attempt).current_stage.pending[1].choices]
        if shown != ["xr", "sp", "pet"]:
            break
    assert shown != ["xr", "sp", "pet"]
    book.answer(attempt.id, "q-single", "a", SURE, now=NOW)
    book.answer(attempt.id, "q-multi", ["xr"], SURE, now=NOW)
    [_, multi] = book.visible(book.attempt(attempt.id)).current_stage.answered
    assert [o.id for o in multi.options] == shown


def test_the_whole_case_is_handed_to_the_page_only_once_finished(book):
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    view = book.visible(attempt)
    assert view.completed_case is None and view.info.title and view.info.stage_count == 3
    for stage in book.case("mini-case").stages:
        for q in stage.questions:
            book.answer(attempt.id, q.id, None, None, gave_up=True, now=NOW)
        attempt = book.reveal_next(attempt.id, NOW)
    finished = book.visible(attempt)
    assert finished.finished and finished.completed_case is book.case("mini-case")


def test_the_attempt_handed_back_by_a_reveal_is_the_one_stored(book):
    """The player draws the next stage from what reveal_next hands back, without reading it again."""
    attempt = book.attempt_for("learner-0001", "mini-case", NOW)
    answer_stage_one(book, attempt)
    handed = book.reveal_next(attempt.id)
    assert handed == book.attempt(attempt.id)
    assert handed.stage_index == 1 and set(handed.answers) == {"q-single", "q-multi"}
