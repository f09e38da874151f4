"""Who counts as staff (lecturers, authors): the sign-in settings and the checks, without any UI.

Three sources, the first that is configured wins:

1. the school's sign-in (OpenID Connect through Streamlit's `st.login`) when `.streamlit/secrets.toml`
   has an `[auth]` table; staff are the signed-in people whose e-mail is on `CASEBOOK_STAFF_EMAILS`
   (addresses and `@domain`s; a domain matches exactly that domain, not its subdomains);
2. a staff passphrase from the environment or the secrets (`CASEBOOK_STAFF_PASSPHRASE`);
3. otherwise a random passphrase Casebook makes on first start and keeps in the data folder
   (`staff-passphrase`, mode 0600, next to the SQLite database); the console prints a sign-in link
   with a token derived from it, so `streamlit run serve.py` on a lecturer's laptop just works.

Where staff status lives, and why: after a right passphrase (or the console link) the browser gets a
signed, expiring, HttpOnly cookie (`casebook_staff`, SameSite=Strict), set by a small server route,
and the Streamlit session keeps the signed pass in its session state for the rest of that visit.
A refresh opens a new Streamlit session, which reads the cookie again. Nothing staff-related goes
into page URLs: the Present page is projected, and a `?staff=` token in the address bar would be on
the screen, in the browser history and in every shared link. The cookie needs no server-side table,
so several app processes accept it alike; its key is derived from the passphrase, so changing the
passphrase (or deleting the generated file) signs every browser out. The price of a stateless
cookie: signing out clears this browser's cookie but cannot revoke a copied one before it expires
(`PASS_HOURS`). The console link's token is derived from the passphrase too, so a passphrase a
school chose never appears in a URL or a log.

Wrong passphrases are counted per client address with `limits` (a moving window, in process
memory): a few tries a minute, a few dozen an hour. All secrets are compared in constant time.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Mapping

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger("casebook.staff")

PASSPHRASE_FILE = "staff-passphrase"
STAFF_COOKIE = "casebook_staff"
PASS_HOURS = 12
HANDOFF_SECONDS = 120
SIGN_IN_PATH = "/staff/sign-in"
MIN_PASSPHRASE = 8


class Mode(str, Enum):
    school = "school"  # OIDC through st.login, with an allow-list of e-mails
    passphrase = "passphrase"  # set by whoever runs the server
    generated = "generated"  # made by Casebook on first start


class SignIn(str, Enum):
    ok = "ok"
    wrong = "wrong"
    too_many = "too_many"
    not_offered = "not_offered"  # this Casebook signs staff in through the school, not a passphrase


@dataclass(frozen=True)
class StaffSettings:
    mode: Mode
    passphrase: str | None = None
    staff_emails: tuple[str, ...] = ()
    providers: tuple[str | None, ...] = ()  # OIDC providers for st.login; (None,) is the single default one
    passphrase_file: Path | None = None

    @property
    def _key(self) -> bytes:
        # Cookies and links are signed with a key derived from the passphrase, never the passphrase itself.
        return hmac.new(b"casebook staff pass v1", (self.passphrase or "").encode(), hashlib.sha256).digest()

    # --- the passphrase ---------------------------------------------------------------------------

    def passphrase_matches(self, given: str | None) -> bool:
        if self.mode == Mode.school or not self.passphrase or not isinstance(given, str):
            return False
        return _same(given.strip(), self.passphrase)

    # --- the console link ----------------------------------------------------------------------------

    def link_token(self) -> str:
        return hmac.new(self._key, b"console sign-in link", hashlib.sha256).hexdigest()

    def link_token_matches(self, given: str | None) -> bool:
        return self.mode != Mode.school and isinstance(given, str) and _same(given, self.link_token())

    def sign_in_link(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}{SIGN_IN_PATH}?token={self.link_token()}"

    # --- signed passes: the cookie and the one-minute hand-off that sets it -----------------------

    def issue_pass(self, now: datetime) -> str:
        return self._sign("pass", now + timedelta(hours=PASS_HOURS))

    def pass_is_valid(self, token: str | None, now: datetime) -> bool:
        return self._valid("pass", token, now)

    def issue_handoff(self, now: datetime) -> str:
        return self._sign("handoff", now + timedelta(seconds=HANDOFF_SECONDS))

    def handoff_is_valid(self, token: str | None, now: datetime) -> bool:
        return self._valid("handoff", token, now)

    def _sign(self, purpose: str, expires: datetime) -> str:
        body = f"{int(expires.timestamp())}.{secrets.token_urlsafe(12)}"
        return f"{body}.{self._mac(purpose, body)}"

    def _valid(self, purpose: str, token: str | None, now: datetime) -> bool:
        if self.mode == Mode.school or not self.passphrase or not isinstance(token, str) or len(token) > 200:
            return False
        body, _, mac = token.rpartition(".")
        expires, _, _nonce = body.partition(".")
        if not expires.isdigit() or not _same(mac, self._mac(purpose, body)):
            return False
        return int(expires) > now.timestamp()

    def _mac(self, purpose: str, body: str) -> str:
        return hmac.new(self._key, f"{purpose}:{body}".encode(), hashlib.sha256).hexdigest()

    # --- the school's sign-in ------------------------------------------------------------------------

    def is_staff_user(self, user: Mapping | None) -> bool:
        """A signed-in user (st.user's claims) is staff when their verified e-mail is on the list."""
        if self.mode != Mode.school or not user or not user.get("is_logged_in"):
            return False
        if user.get("email_verified") is False:  # some providers let anyone type any address
            return False
        return email_on_list(user.get("email"), self.staff_emails)


def email_on_list(email: object, staff_emails: tuple[str, ...]) -> bool:
    """`a@uni.edu` matches itself; `@med.uni.edu` (or `med.uni.edu`) matches every address at exactly
    that domain. Case does not matter."""
    if not isinstance(email, str) or email.count("@") != 1:
        return False
    email = email.strip().lower()
    local, domain = email.split("@")
    if not local or not domain:
        return False
    for entry in staff_emails:
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry.startswith("@") or "@" not in entry:
            if domain == entry.lstrip("@"):
                return True
        elif _same(email, entry):
            return True
    return False


def _same(a: str, b: str) -> bool:
    """Constant-time equality that does not even leak the length of the secret."""
    return hmac.compare_digest(hashlib.sha256(a.encode()).digest(), hashlib.sha256(b.encode()).digest())


# --- settings ------------------------------------------------------------------------------------


def read_secrets(path: Path) -> dict:
    """The whole of a secrets.toml (tables included), or nothing if it is missing or unreadable."""
    try:
        return tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def data_dir(database_url: str, default: Path) -> Path:
    """Where Casebook keeps its files: `CASEBOOK_DATA_DIR`, else the SQLite database's folder."""
    if os.environ.get("CASEBOOK_DATA_DIR"):
        return Path(os.environ["CASEBOOK_DATA_DIR"])
    if database_url.startswith("sqlite:///") and database_url != "sqlite:///:memory:":
        return Path(database_url.removeprefix("sqlite:///")).parent
    return default


def load_settings(env: Mapping[str, str], secrets_toml: Mapping, folder: Path) -> StaffSettings:
    """Environment first, then secrets.toml; a passphrase is made in `folder` only if nothing is set."""
    def setting(name: str) -> str:
        value = env.get(name) or secrets_toml.get(name) or ""
        return value.strip() if isinstance(value, str) else ""

    auth = secrets_toml.get("auth")
    if isinstance(auth, Mapping) and auth:
        emails = tuple(e.strip() for e in setting("CASEBOOK_STAFF_EMAILS").split(",") if e.strip())
        providers = tuple(name for name, value in auth.items() if isinstance(value, Mapping))
        return StaffSettings(Mode.school, staff_emails=emails, providers=providers or (None,))
    passphrase = setting("CASEBOOK_STAFF_PASSPHRASE")
    if passphrase:
        if len(passphrase) < MIN_PASSPHRASE:
            log.warning("CASEBOOK_STAFF_PASSPHRASE is shorter than %d characters: choose a longer one", MIN_PASSPHRASE)
        return StaffSettings(Mode.passphrase, passphrase=passphrase)
    file = folder / PASSPHRASE_FILE
    return StaffSettings(Mode.generated, passphrase=generated_passphrase(file), passphrase_file=file)


def generated_passphrase(file: Path) -> str:
    """The passphrase in `file`, made (once, readable only by its owner) if there is none yet.

    Several app processes may start at once: the file appears whole or not at all (written aside,
    then hard-linked into place), and the one that loses the race reads the winner's.
    """
    try:
        existing = file.read_text().strip()
    except FileNotFoundError:
        existing = ""
    except OSError as exc:
        return _unsaved_passphrase(file, exc)
    if existing:
        if file.stat().st_mode & 0o077:
            file.chmod(0o600)
        return existing
    fresh = secrets.token_urlsafe(18)  # 24 characters, 144 bits
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        aside = file.with_name(f".{file.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(fresh + "\n")
        try:
            if file.exists():  # an empty file left behind: replace it
                os.replace(aside, file)
            else:
                os.link(aside, file)
        except FileExistsError:
            pass  # another process was first: use its passphrase
        finally:
            aside.unlink(missing_ok=True)
        return file.read_text().strip() or fresh
    except OSError as exc:
        return _unsaved_passphrase(file, exc)


def _unsaved_passphrase(file: Path, exc: OSError) -> str:
    log.warning("could not keep the staff passphrase in %s (%s): using one for this process only", file, exc)
    return secrets.token_urlsafe(18)


# --- wrong tries ---------------------------------------------------------------------------------


class WrongTries:
    """Counts wrong passphrases (and wrong console-link tokens) per client address."""

    def __init__(self, limits: tuple[str, ...] = ("5/minute", "30/hour")):
        self._limits = [parse(limit) for limit in limits]
        self._window = MovingWindowRateLimiter(MemoryStorage())

    def blocked(self, who: str) -> bool:
        return any(not self._window.test(limit, who) for limit in self._limits)

    def record(self, who: str) -> None:
        for limit in self._limits:
            self._window.hit(limit, who)

    def try_passphrase(self, settings: StaffSettings, given: str | None, who: str) -> SignIn:
        if settings.mode == Mode.school:
            return SignIn.not_offered
        if self.blocked(who):
            return SignIn.too_many
        if settings.passphrase_matches(given):
            return SignIn.ok
        self.record(who)
        return SignIn.wrong


def deployment_settings() -> StaffSettings:
    """The settings this deployment runs with: the same environment, secrets.toml and data folder
    as the rest of Casebook (`casebook.core.Settings`)."""
    from casebook.core import ROOT, Settings, deployment_secrets

    database_url = Settings.from_env(deployment_secrets()).database_url
    return load_settings(os.environ, read_secrets(ROOT / ".streamlit" / "secrets.toml"),
                         data_dir(database_url, ROOT / "data"))
