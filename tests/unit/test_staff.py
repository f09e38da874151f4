"""Who is staff: each way of configuring it, the passphrase check, the allow-list, and the signed passes."""
from __future__ import annotations

import stat
from datetime import timedelta

import pytest

from casebook.staff import (PASSPHRASE_FILE, Mode, SignIn, StaffSettings, WrongTries, data_dir, email_on_list,
                            generated_passphrase, load_settings)
from tests.conftest import NOW

AUTH = {"auth": {"redirect_uri": "https://casebook.uni.edu/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "casebook", "client_secret": "s", "server_metadata_url": "https://id.uni.edu/.well-known"}}


def passphrase(value: str = "correct horse battery") -> StaffSettings:
    return StaffSettings(Mode.passphrase, passphrase=value)


# --- where the settings come from ----------------------------------------------------------------


def test_the_schools_sign_in_wins_when_secrets_have_an_auth_table(tmp_path):
    settings = load_settings({"CASEBOOK_STAFF_PASSPHRASE": "ignored-because-of-oidc",
                              "CASEBOOK_STAFF_EMAILS": " a@uni.edu, @med.uni.edu ,,"}, AUTH, tmp_path)
    assert settings.mode == Mode.school
    assert settings.staff_emails == ("a@uni.edu", "@med.uni.edu")
    assert settings.providers == (None,)
    assert not settings.passphrase_matches("ignored-because-of-oidc")
    assert not (tmp_path / PASSPHRASE_FILE).exists()


def test_the_staff_list_may_come_from_the_secrets_and_each_named_provider_gets_a_button(tmp_path):
    secrets = {"CASEBOOK_STAFF_EMAILS": "@uni.edu",
               "auth": {"redirect_uri": "r", "cookie_secret": "c", "google": {"client_id": "g"}, "microsoft": {}}}
    settings = load_settings({}, secrets, tmp_path)
    assert settings.staff_emails == ("@uni.edu",)
    assert settings.providers == ("google", "microsoft")


def test_a_passphrase_from_the_environment_beats_one_in_the_secrets(tmp_path):
    settings = load_settings({"CASEBOOK_STAFF_PASSPHRASE": "from the environment"},
                             {"CASEBOOK_STAFF_PASSPHRASE": "from the secrets"}, tmp_path)
    assert settings.mode == Mode.passphrase
    assert settings.passphrase_matches("from the environment")
    assert not settings.passphrase_matches("from the secrets")
    assert load_settings({}, {"CASEBOOK_STAFF_PASSPHRASE": "from the secrets"}, tmp_path).passphrase_matches(
        "from the secrets")
    assert not (tmp_path / PASSPHRASE_FILE).exists()


def test_with_nothing_configured_a_passphrase_is_made_once_readable_only_by_its_owner(tmp_path):
    folder = tmp_path / "data"  # does not exist yet, as on a first start
    first = load_settings({"CASEBOOK_STAFF_PASSPHRASE": "  "}, {}, folder)
    file = folder / PASSPHRASE_FILE
    assert first.mode == Mode.generated and first.passphrase_file == file
    assert len(first.passphrase) >= 20
    assert file.read_text().strip() == first.passphrase
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    again = load_settings({}, {}, folder)
    assert again.passphrase == first.passphrase  # a restart keeps the passphrase (and the links and cookies)
    assert again.link_token() == first.link_token()
    assert sorted(p.name for p in folder.iterdir()) == [PASSPHRASE_FILE]  # nothing left aside


def test_a_passphrase_file_left_readable_by_others_is_closed_and_an_empty_one_refilled(tmp_path):
    file = tmp_path / PASSPHRASE_FILE
    file.write_text("kept-from-before\n")
    file.chmod(0o644)
    assert generated_passphrase(file) == "kept-from-before"
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    file.write_text("")
    made = generated_passphrase(file)
    assert made and file.read_text().strip() == made


def test_the_data_folder_is_the_sqlite_databases_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("CASEBOOK_DATA_DIR", raising=False)
    assert data_dir(f"sqlite:///{tmp_path}/x/casebook.db", tmp_path / "default") == tmp_path / "x"
    assert data_dir("postgresql+psycopg://db/casebook", tmp_path / "default") == tmp_path / "default"
    monkeypatch.setenv("CASEBOOK_DATA_DIR", str(tmp_path / "chosen"))
    assert data_dir(f"sqlite:///{tmp_path}/x/casebook.db", tmp_path) == tmp_path / "chosen"


# --- the passphrase and wrong tries ------------------------------------------------------------------


def test_only_the_exact_passphrase_signs_in(tmp_path):
    settings = passphrase()
    assert settings.passphrase_matches("correct horse battery")
    assert settings.passphrase_matches("  correct horse battery\n")  # a pasted newline is forgiven
    for wrong in ("Correct horse battery", "correct horse", "correct horse battery!", "", None, 42):
        assert not settings.passphrase_matches(wrong)


def test_wrong_passphrases_are_limited_per_address_and_then_even_the_right_one_waits():
    settings, tries = passphrase(), WrongTries(("3/minute",))
    assert [tries.try_passphrase(settings, "guess", "10.0.0.7") for _ in range(3)] == [SignIn.wrong] * 3
    assert tries.try_passphrase(settings, "correct horse battery", "10.0.0.7") == SignIn.too_many
    assert tries.try_passphrase(settings, "correct horse battery", "10.0.0.8") == SignIn.ok
    assert tries.try_passphrase(settings, "correct horse battery", "10.0.0.8") == SignIn.ok  # right ones never count


def test_a_school_sign_in_offers_no_passphrase(tmp_path):
    settings = load_settings({}, AUTH, tmp_path)
    assert WrongTries().try_passphrase(settings, "anything", "10.0.0.7") == SignIn.not_offered


# --- the staff list ----------------------------------------------------------------------------------


@pytest.mark.parametrize("email, on_list", [
    ("a@uni.edu", True),
    ("A@Uni.EDU ", True),
    ("dr.b@med.uni.edu", True),  # the @med.uni.edu domain
    ("c@surgery.uni.edu", True),  # the bare surgery.uni.edu domain
    ("b@uni.edu", False),  # uni.edu itself is not a staff domain, only a@uni.edu
    ("x@student.med.uni.edu", False),  # subdomains do not count
    ("a@uni.edu.evil.example", False),
    ("evil@example.com@med.uni.edu", False),
    ("@med.uni.edu", False),
    ("", False),
    (None, False),
])
def test_staff_e_mails_and_domains(email, on_list):
    assert email_on_list(email, ("a@uni.edu", "@med.uni.edu", "surgery.uni.edu", " ")) is on_list


def test_a_signed_in_user_is_staff_only_with_a_verified_address_on_the_list(tmp_path):
    settings = load_settings({"CASEBOOK_STAFF_EMAILS": "@med.uni.edu"}, AUTH, tmp_path)
    assert settings.is_staff_user({"is_logged_in": True, "email": "dr.b@med.uni.edu"})
    assert settings.is_staff_user({"is_logged_in": True, "email": "dr.b@med.uni.edu", "email_verified": True})
    assert not settings.is_staff_user({"is_logged_in": True, "email": "dr.b@med.uni.edu", "email_verified": False})
    assert not settings.is_staff_user({"is_logged_in": True, "email": "student@gmail.com"})
    assert not settings.is_staff_user({"is_logged_in": False, "email": "dr.b@med.uni.edu"})
    assert not settings.is_staff_user({"email": "dr.b@med.uni.edu"})
    assert not passphrase().is_staff_user({"is_logged_in": True, "email": "dr.b@med.uni.edu"})


def test_with_no_staff_list_nobody_signed_in_is_staff(tmp_path):
    settings = load_settings({}, AUTH, tmp_path)
    assert not settings.is_staff_user({"is_logged_in": True, "email": "dean@uni.edu"})


# --- passes, hand-offs and the console link ------------------------------------------------------------


def test_a_staff_pass_lasts_half_a_day_and_cannot_be_altered():
    settings = passphrase()
    token = settings.issue_pass(NOW)
    assert settings.pass_is_valid(token, NOW + timedelta(hours=11))
    assert not settings.pass_is_valid(token, NOW + timedelta(hours=12, seconds=1))
    expires, nonce, mac = token.split(".")
    later = f"{int(expires) + 86400}.{nonce}.{mac}"
    assert not settings.pass_is_valid(later, NOW)
    assert not settings.pass_is_valid(token[:-1] + ("0" if token[-1] != "0" else "1"), NOW)
    for junk in ("", "...", "x.y.z", "1.2", None, "9" * 300):
        assert not settings.pass_is_valid(junk, NOW)


def test_changing_the_passphrase_signs_every_browser_out():
    token = passphrase("first passphrase").issue_pass(NOW)
    assert not passphrase("second passphrase").pass_is_valid(token, NOW)


def test_a_hand_off_ticket_is_not_a_pass_and_lasts_two_minutes():
    settings = passphrase()
    ticket = settings.issue_handoff(NOW)
    assert settings.handoff_is_valid(ticket, NOW + timedelta(seconds=60))
    assert not settings.handoff_is_valid(ticket, NOW + timedelta(minutes=3))
    assert not settings.pass_is_valid(ticket, NOW)
    assert not settings.handoff_is_valid(settings.issue_pass(NOW), NOW)


def test_the_console_link_carries_a_token_not_the_passphrase():
    settings = passphrase()
    link = settings.sign_in_link("http://localhost:8501/")
    assert link.startswith("http://localhost:8501/staff/sign-in?token=")
    assert "correct" not in link and "horse" not in link
    assert settings.link_token_matches(link.split("token=")[1])
    assert not settings.link_token_matches(passphrase("another one").link_token())
    assert not settings.link_token_matches("correct horse battery")
    assert not settings.link_token_matches(None)
