"""The case library: cards, search, filters, progress, and broken cases listed apart."""
import shutil

from tests.app.helpers import answer_open_question, page_text
from tests.conftest import FIXTURE_CASES
from casebook.loader import load_case

MINI = load_case(FIXTURE_CASES / "mini-case").case


def test_library_lists_cases_with_their_status(app_factory):
    at = app_factory(query={"learner": "learner-0001"})
    assert not at.exception
    text = page_text(at)
    assert "A cough that would not settle" in text and "Not started" in text
    assert "SECRET-SHADOW" not in text


def test_search_with_no_match_explains(app_factory):
    at = app_factory()
    at.text_input(key="library:query").input("zebra").run()
    assert "No case matches these filters" in page_text(at)
    assert "0 of 1 cases" in page_text(at)


def test_started_case_shows_in_progress(app_factory):
    at = app_factory(query={"case": "mini-case", "learner": "learner-0001"}, page="pages/study.py")
    answer_open_question(at, MINI)
    at = app_factory(query={"learner": "learner-0001"})
    assert "In progress" in page_text(at)


def test_a_broken_case_is_listed_and_the_rest_still_work(app_factory, tmp_path):
    shutil.copytree(FIXTURE_CASES / "mini-case", tmp_path / "lib" / "mini-case")
    (tmp_path / "lib" / "broken-one").mkdir()
    (tmp_path / "lib" / "broken-one" / "case.yaml").write_text("id: broken-one\ntitle: Broken\nminutes: lots\n")
    at = app_factory(tmp_path / "lib")
    text = page_text(at)
    assert "A cough that would not settle" in text
    assert "Unavailable cases" in text and "broken-one/case.yaml:3: minutes:" in text


def test_missed_questions_due_for_review_are_announced_in_the_library(app_factory):
    from casebook.core import Casebook, Settings
    from casebook.progress import Confidence
    from tests.conftest import NOW

    learner = "library-due-0001"
    at = app_factory(FIXTURE_CASES, query={"learner": learner})
    assert "due for review" not in page_text(at)
    book = Casebook.from_settings(Settings.from_env())
    attempt = book.attempt_for(learner, "mini-case", NOW)
    book.answer(attempt.id, "q-single", "b", Confidence.confident, now=NOW)  # a miss, due straight away
    assert "1 question you missed is due for review." in page_text(at.run())


def test_the_study_code_is_shown_in_the_main_column(app_factory):
    at = app_factory(query={"learner": "library-code-0001"})
    assert "Your study code: **library-code-0001** · keep it to continue on another device" in [
        c.value for c in at.main.caption]


def test_a_new_student_gets_a_code_easy_to_type_on_another_device(app_factory):
    import re

    from casebook.poll import JOIN_ALPHABET

    at = app_factory()
    code = at.query_params["learner"]
    code = code[0] if isinstance(code, list) else code
    assert re.fullmatch("-".join([f"[{JOIN_ALPHABET}]{{4}}"] * 3), code), code
    assert f"Your study code: **{code}** · keep it to continue on another device" in [c.value for c in at.main.caption]


def test_a_study_code_typed_in_lower_case_on_a_phone_is_taken_as_issued(app_factory):
    at = app_factory(query={"learner": "library-other-0001"})
    at.sidebar.text_input(key="learner:switch").input(" k7qm-3xpa-9dht ")
    at = next(b for b in at.sidebar.button if b.label == "Use this code").click().run()
    at = at.button(key="learner:ask:yes").click().run()  # nothing saved under it yet: asked first
    assert at.query_params["learner"] in ("K7QM-3XPA-9DHT", ["K7QM-3XPA-9DHT"])


def test_a_finished_case_offers_its_results_not_a_second_review_page(app_factory):
    from tests.app.helpers import play_to_the_end

    learner = "library-done-0001"
    play_to_the_end(app_factory(query={"case": "mini-case", "learner": learner}, page="pages/study.py"), MINI)
    at = app_factory(query={"learner": learner})
    card = [link for link in at.main.get("page_link") if "case=mini-case" in link.proto.query_string]
    assert [link.proto.label for link in card] == ["See results"]  # "Review" was taken for the Review page
    assert "Finished" in page_text(at)


def card_titles(at) -> list[str]:
    return sorted(s.value for s in at.subheader if str(s.value).startswith("Cough number"))  # drawn in 3 columns


def test_a_big_library_shows_a_page_of_cards_at_a_time(app_factory, tmp_path):
    from components.pager import PAGE_SIZE

    root = tmp_path / "lib"
    good = (FIXTURE_CASES / "mini-case" / "case.yaml").read_text()
    for i in range(PAGE_SIZE + 5):
        (root / f"case-{i:02d}").mkdir(parents=True)
        (root / f"case-{i:02d}" / "case.yaml").write_text(
            good.replace("id: mini-case", f"id: case-{i:02d}", 1).replace(MINI.title, f"Cough number {i:02d}", 1))
    at = app_factory(root, query={"learner": "learner-0001"})
    assert card_titles(at) == [f"Cough number {i:02d}" for i in range(PAGE_SIZE)]
    assert "Page 1 of 2" in page_text(at) and f"Cases 1–{PAGE_SIZE} of {PAGE_SIZE + 5}" in page_text(at)
    assert at.button(key="library:page:previous").disabled

    at = at.button(key="library:page:next").click().run()
    assert card_titles(at) == [f"Cough number {i:02d}" for i in range(PAGE_SIZE, PAGE_SIZE + 5)]
    assert at.button(key="library:page:next").disabled

    # A new search starts again at the first page.
    at = at.text_input(key="library:query").input("number 07").run()
    assert card_titles(at) == ["Cough number 07"]
    assert not any(b.key == "library:page:next" for b in at.button)


def test_a_small_library_has_no_page_control(app_factory):
    at = app_factory(query={"learner": "learner-0001"})
    assert not any((b.key or "").startswith("library:page") for b in at.button)


def test_a_card_shows_the_points_so_far_in_whole_or_half_points(app_factory):
    from casebook.progress import Confidence
    from tests.app.helpers import open_question_id, play_to_the_end, reveal_next, widget

    learner = "library-points-01"
    at = app_factory(query={"case": "mini-case", "learner": learner}, page="pages/study.py")
    at = answer_open_question(at, MINI)
    assert "In progress · 2 of 2 points so far" in page_text(app_factory(query={"learner": learner}))

    while open_question_id(at) != "q-rank":
        at = answer_open_question(at, MINI) if open_question_id(at) else reveal_next(at)
    widget(at.multiselect, ":q-rank:rank").set_value(["one", "three", "two"])  # 1.67 before rounding
    widget(at.radio, ":q-rank:confidence").set_value(Confidence.unsure)
    at = next(b for b in at.button if b.label == "Submit answer").click().run()
    play_to_the_end(at, MINI)
    text = page_text(app_factory(query={"learner": learner}))
    assert f"Finished · {MINI.max_points - 0.5:g} of {MINI.max_points:g} points" in text
