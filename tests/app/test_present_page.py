"""The presenter page: only the lecturer's link controls a session; nothing ahead is shown."""
from tests.app.helpers import page_text
from tests.conftest import FIXTURE_CASES

PRESENT = "pages/present.py"


def test_starting_a_session_shows_the_join_code_and_only_the_first_stage(app_factory):
    at = app_factory(FIXTURE_CASES, page=PRESENT, staff=True)
    at.selectbox(key="present:case").set_value("mini-case").run()
    at = at.button(key="present:start").click().run()
    assert not at.exception
    assert at.query_params["session"] and at.query_params["key"]
    text = page_text(at)
    assert "Join on your phone" in text and "A cough for three weeks" in text
    assert "SECRET-SHADOW" not in text and "Ask the room about red flags" not in text  # notes start hidden


def test_the_lecturer_asks_and_reveals_and_sees_the_explanation_only_after(app_factory):
    at = app_factory(FIXTURE_CASES, page=PRESENT, staff=True)
    at.selectbox(key="present:case").set_value("mini-case").run()
    at = at.button(key="present:start").click().run()
    at = at.button(key="present:open").click().run()
    assert "Which sign matters most?" in page_text(at)
    assert "Weight loss is a red flag." not in page_text(at)
    at = at.button(key="present:reveal").click().run()
    assert "Weight loss is a red flag." in page_text(at)


def test_a_link_without_the_lecturer_key_cannot_control_the_session(app_factory):
    at = app_factory(FIXTURE_CASES, page=PRESENT, staff=True)
    at.selectbox(key="present:case").set_value("mini-case").run()
    at = at.button(key="present:start").click().run()
    session = at.query_params["session"]
    intruder = app_factory(FIXTURE_CASES, query={"session": session, "key": "guessed"}, page=PRESENT)
    assert "This presenter link is not valid" in page_text(intruder)
    assert not any(b.key == "present:open" for b in intruder.button)


def start(app_factory):
    at = app_factory(FIXTURE_CASES, page=PRESENT, staff=True)
    at.selectbox(key="present:case").set_value("mini-case").run()
    return at.button(key="present:start").click().run()


def test_speaker_notes_and_the_answer_key_live_only_in_the_lecturers_notes_window(app_factory):
    projected = start(app_factory)
    session, key = projected.query_params["session"], projected.query_params["key"]
    projected = projected.button(key="present:open").click().run()
    assert "Ask the room about red flags" not in page_text(projected)
    assert "Weight loss is a red flag." not in page_text(projected)
    notes = app_factory(FIXTURE_CASES, query={"session": session, "key": key, "view": "notes"}, page=PRESENT,
                        staff=True)
    text = page_text(notes)
    assert "Ask the room about red flags" in text and "Weight loss is a red flag." in text
    assert "being asked" in text
    assert "A cough for three weeks" not in text  # the story is on the projector, not in the notes


def test_after_class_the_lecturer_sees_a_summary_with_the_commonest_wrong_answer(app_factory):
    from casebook.core import Casebook, Settings, utcnow

    at = start(app_factory)
    session, key = at.query_params["session"], at.query_params["key"]
    at = at.button(key="present:open").click().run()
    book = Casebook.from_settings(Settings.from_env())
    case = book.case("mini-case")
    code = book.polls.get(session).join_code
    for n, choice in enumerate(["a", "b", "b"]):
        _, token = book.polls.join(code, f"Student {n}", utcnow())
        book.polls.answer(code, token, "q-single", choice, case, utcnow())
    for action in ("reveal", "end"):
        book.polls.control(session, key, case, action, utcnow())
    at = at.run()
    text = page_text(at) + shown_html(at)
    assert "3 people joined; 1 question asked." in text
    assert "1 answered" not in text and "3 answered, 33.3% right" in text
    assert "most common wrong answer: Sneezing (2)" in text


def test_the_lecturer_can_print_a_worksheet_or_the_case_with_answers(app_factory):
    at = app_factory(FIXTURE_CASES, page=PRESENT, staff=True)
    assert not [b for b in at.get("download_button")]
    at = at.selectbox(key="present:case").set_value("mini-case").run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Worksheet PDF (stops before the diagnosis, no answers)", "Case with answers PDF"]


def test_typed_answers_stay_off_the_projector_until_the_lecturer_shows_them(app_factory):
    from casebook.core import Casebook, Settings, utcnow

    projected = start(app_factory)
    session, key = projected.query_params["session"], projected.query_params["key"]
    book = Casebook.from_settings(Settings.from_env())
    case = book.case("mini-case")
    code = book.polls.get(session).join_code
    book.polls.control(session, key, case, "next", utcnow())
    book.polls.control(session, key, case, "open", utcnow())
    assert book.polls.get(session).question_id == "q-free"
    _, token = book.polls.join(code, "Joker", utcnow())
    book.polls.answer(code, token, "q-free", "something rude", case, utcnow())

    def html_of(at) -> str:
        return page_text(at) + " ".join(str(e.proto) for e in at.get("html")) + " ".join(
            str(e.proto.spec) for e in at.get("plotly_chart"))

    projected = projected.run()
    assert "something rude" not in html_of(projected)
    notes = app_factory(FIXTURE_CASES, query={"session": session, "key": key, "view": "notes"}, page=PRESENT,
                        staff=True)
    assert "something rude" in html_of(notes)
    notes.toggle(key="present:typed:q-free").set_value(True).run()
    assert "something rude" in html_of(projected.run())


def shown_html(at) -> str:
    """The text of the page's st.html blocks, tags removed, as a reader sees it."""
    import html as html_lib
    import re

    return " ".join(html_lib.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", "", e.proto.body, flags=re.S))
                    for e in at.get("html"))


def test_from_the_notes_window_the_lecturer_locks_the_room_sizes_it_and_removes_a_participant(app_factory):
    from casebook.core import Casebook, Settings, utcnow
    from casebook.poll import PollError

    projected = start(app_factory)
    session, key = projected.query_params["session"], projected.query_params["key"]
    book = Casebook.from_settings(Settings.from_env())
    code = book.polls.get(session).join_code
    for name in ["Ana", "**bot** [x](http://e.x)"]:
        book.polls.join(code, name, utcnow())
    notes = app_factory(FIXTURE_CASES, query={"session": session, "key": key, "view": "notes"}, page=PRESENT,
                        staff=True)
    assert "2 people in the session; new people can join." in page_text(notes)
    people = notes.dataframe[0].value
    assert list(people["nickname"]) == ["Ana", "**bot** [x](http://e.x)"]  # as typed

    notes = notes.button(key="present:lock").click().run()
    assert "locked" in page_text(notes)
    try:
        book.polls.join(code, "Late", utcnow())
        raise AssertionError("a locked room took a new phone")
    except PollError as exc:
        assert "closed this session to new people" in str(exc)

    notes.number_input(key="present:remove-number").set_value(2)
    notes = notes.button(key="FormSubmitter:present:remove-Remove from the session").click().run()
    assert "1 person in the session (1 removed)" in page_text(notes)
    assert [p.nickname for p in book.polls.participants(session)] == ["Ana"]

    notes.number_input(key="present:capacity-value").set_value(30)
    notes = notes.button(key="FormSubmitter:present:capacity-Set the class size").click().run()
    assert "of 30 places" in page_text(notes)


def test_the_projected_link_alone_controls_nothing_and_shows_no_notes(app_factory):
    projected = start(app_factory)
    session, key = projected.query_params["session"], projected.query_params["key"]
    for query in ({"session": session, "key": key}, {"session": session, "key": key, "view": "notes"}):
        photographed = app_factory(FIXTURE_CASES, query=query, page=PRESENT)   # a student's browser, not signed in
        text = page_text(photographed)
        assert "Staff sign-in needed" in text and "Ask the room about red flags" not in text
        assert not [b for b in photographed.button if b.key in ("present:open", "present:next", "present:reveal")]
