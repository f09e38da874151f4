"""Staff and students: lecturer-only things need a staff sign-in; a student sees why, never an answer."""
import pytest

from casebook import staff
from casebook.loader import load_case
from tests.app.helpers import STAFF_PASSPHRASE, page_text, play_to_the_end, sign_in_as_staff
from tests.conftest import FIXTURE_CASES

PRESENT, AUTHOR, STAFF, STUDY = "pages/present.py", "pages/author.py", "pages/staff.py", "pages/study.py"
MINI = load_case(FIXTURE_CASES / "mini-case").case
GOOD = (FIXTURE_CASES / "mini-case" / "case.yaml").read_text()
ANSWER = "Weight loss is a red flag."  # the mini case's explanation of its first answer
NOTES = "Ask the room about red flags"  # its speaker notes
ANSWERS_PDF = "Case with answers PDF"
WORKSHEET = "Worksheet PDF (stops before the diagnosis, no answers)"


def downloads(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def choose_case(at):
    return at.selectbox(key="present:case").set_value("mini-case").run()


def test_a_student_cannot_start_a_session_or_print_the_answers_but_gets_the_worksheet(app_factory):
    at = choose_case(app_factory(page=PRESENT))
    assert not at.exception
    assert not any(b.key == "present:start" for b in at.button)
    assert downloads(at) == [WORKSHEET]
    assert "Starting a class session and printing a case with its answers needs staff sign-in." in page_text(at)
    assert at.text_input(key="present:passphrase").label == "Staff passphrase"  # the way to sign in, in place


def test_a_lecturer_signs_in_right_on_the_present_page(app_factory):
    at = choose_case(app_factory(page=PRESENT))
    at.text_input(key="present:passphrase").input(STAFF_PASSPHRASE)
    at = next(b for b in at.button if b.label == "Sign in").click().run()
    assert not at.exception
    assert downloads(at) == [WORKSHEET, ANSWERS_PDF]
    at = at.button(key="present:start").click().run()
    assert at.query_params["session"]


def test_staff_start_a_session_and_print_the_answers(app_factory):
    at = choose_case(app_factory(page=PRESENT, staff=True))
    assert downloads(at) == [WORKSHEET, ANSWERS_PDF]
    assert "needs staff sign-in" not in page_text(at)
    at = at.button(key="present:start").click().run()
    assert at.query_params["session"] and "Join on your phone" in page_text(at)


def test_a_wrong_passphrase_is_explained_and_signs_nobody_in(app_factory):
    at = app_factory(page=STAFF)
    at.text_input(key="staff:passphrase").input("lecture-hall")
    at = next(b for b in at.button if b.label == "Sign in").click().run()
    assert not at.exception
    assert "That is not the staff passphrase. Check it and try again." in page_text(at)
    assert at.text_input(key="staff:passphrase").value == ""  # the guess does not stay on the screen
    assert not any(b.key == "present:start" for b in choose_case(at.switch_page(PRESENT).run()).button)


def test_after_five_wrong_passphrases_even_the_right_one_has_to_wait(app_factory):
    at = app_factory(page=STAFF)
    for _ in range(5):
        at.text_input(key="staff:passphrase").input("guess")
        at = next(b for b in at.button if b.label == "Sign in").click().run()
    at = sign_in_as_staff(at, STAFF_PASSPHRASE)
    assert "Too many wrong passphrases from this address." in page_text(at)
    assert "You are signed in as staff" not in page_text(at)


def test_staff_sign_out_and_are_students_again(app_factory):
    at = app_factory(page=STAFF, staff=True)
    assert "You are signed in as staff" in page_text(at)
    at = at.button(key="staff:sign-out").click().run()
    assert "You are signed out." in page_text(at)
    assert any(b.label == "Sign in" for b in at.button)
    at = choose_case(at.switch_page(PRESENT).run())
    assert downloads(at) == [WORKSHEET]


def test_a_student_can_check_a_case_file_but_not_copy_a_library_case_or_see_the_preview(app_factory):
    at = app_factory(page=AUTHOR)
    assert not any(b.key == "author:start-library" for b in at.button)
    assert "Copying a library case, answers included, needs staff sign-in." in page_text(at)
    at.text_area(key="author:yaml").input(GOOD)  # a student who has the file anyway may check it
    at = at.button(key="author:check").click().run()
    text = page_text(at)
    assert not at.exception
    assert "No problems." in text
    assert "The preview with every answer and speaker note needs staff sign-in." in text
    assert ANSWER not in text and NOTES not in text


def test_signing_in_on_the_author_page_keeps_the_text_in_the_editor_and_shows_the_preview(app_factory):
    at = app_factory(page=AUTHOR)
    at.text_area(key="author:yaml").input(GOOD)
    at = at.button(key="author:check").click().run()
    at.text_input(key="author-preview:passphrase").input(STAFF_PASSPHRASE)
    form = next(f for f in at.get("form") if any(w.key == "author-preview:passphrase" for w in f.get("text_input")))
    at = form.get("button")[0].click().run()
    assert not at.exception
    assert at.text_area(key="author:yaml").value == GOOD
    assert ANSWER in page_text(at) and "needs staff sign-in" not in page_text(at)


def test_staff_see_a_library_case_with_its_answers_in_the_preview(app_factory):
    at = app_factory(page=AUTHOR, staff=True)
    at = at.button(key="author:start-library").click().run()
    at = at.button(key="author:check").click().run()
    assert ANSWER in page_text(at)


def test_signing_out_takes_a_library_case_out_of_the_editor(app_factory):
    at = app_factory(page=AUTHOR, staff=True)
    at = at.button(key="author:start-library").click().run()
    at = at.switch_page(STAFF).run()
    at = at.button(key="staff:sign-out").click().run()
    at = at.switch_page(AUTHOR).run()
    assert at.text_area(key="author:yaml").value == ""


def test_the_lecturers_secret_link_needs_a_staff_sign_in_in_the_browser_that_opens_it(app_factory):
    at = choose_case(app_factory(page=PRESENT, staff=True)).button(key="present:start").click().run()
    link = {"session": at.query_params["session"], "key": at.query_params["key"]}
    elsewhere = app_factory(query=link, page=PRESENT)  # a browser never signed in (or a photo of the link)
    assert not any(b.key == "present:open" for b in elsewhere.button)
    signed_in = app_factory(query=link, page=PRESENT, staff=True)  # the projector's browser, signed in
    assert any(b.key == "present:open" for b in signed_in.button)


def test_a_student_gets_the_answers_pdf_only_after_finishing_the_case(app_factory):
    at = app_factory(query={"case": "mini-case", "learner": "learner-0003"}, page=STUDY)
    assert ANSWERS_PDF not in downloads(at)
    at = play_to_the_end(at, MINI)
    assert ANSWERS_PDF in downloads(at)


# --- the school's sign-in (OIDC) ---------------------------------------------------------------------


@pytest.fixture
def school(monkeypatch):
    """A Casebook whose secrets.toml has an [auth] table and a staff list."""
    auth = {"redirect_uri": "https://casebook.uni.edu/oauth2callback", "cookie_secret": "c" * 32,
            "client_id": "casebook", "client_secret": "s",
            "server_metadata_url": "https://id.uni.edu/.well-known/openid-configuration"}
    monkeypatch.setattr(staff, "read_secrets", lambda path: {"auth": auth, "CASEBOOK_STAFF_EMAILS": "@med.uni.edu"})


def test_with_the_schools_sign_in_a_lecturer_on_the_list_is_staff(app_factory, school):
    at = app_factory(page=PRESENT)
    at.user = {"is_logged_in": True, "email": "dr.b@med.uni.edu", "email_verified": True}
    at = choose_case(at.run())
    assert any(b.key == "present:start" for b in at.button)
    assert downloads(at) == [WORKSHEET, ANSWERS_PDF]
    at = at.switch_page(STAFF).run()
    assert "You are signed in as staff (dr.b@med.uni.edu)." in page_text(at)


def test_with_the_schools_sign_in_a_student_is_told_they_are_not_on_the_list(app_factory, school):
    at = app_factory(page=STAFF)
    assert any(b.label == "Sign in with your school account" for b in at.button)
    assert not at.text_input  # no passphrase when the school signs staff in
    at.user = {"is_logged_in": True, "email": "student@gmail.com"}
    at = at.run()
    assert "You are signed in as student@gmail.com, which is not on this Casebook's staff list." in page_text(at)
    at = choose_case(at.switch_page(PRESENT).run())
    assert not any(b.key == "present:start" for b in at.button)
    assert downloads(at) == [WORKSHEET]
