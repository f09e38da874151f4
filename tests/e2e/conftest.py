"""Browser fixtures: a real `streamlit run` server and Debian's Chromium driven by Playwright.

Tests wait for the app to say it is connected and idle, never for a fixed time.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import CASES, FIXTURE_CASES, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STAFF_PASSPHRASE = "lecture-hall-passphrase"


def start_server(script: str, db_url: str, cases: Path = CASES, port: int | None = None,
                 staff_passphrase: str | None = STAFF_PASSPHRASE) -> tuple[subprocess.Popen, str]:
    """`staff_passphrase=None` leaves the server to make its own, as on a lecturer's first start."""
    port = port or free_port()
    env = {**os.environ, "CASEBOOK_CASES_DIR": str(cases), "DATABASE_URL": db_url}
    env.pop("CASEBOOK_STAFF_PASSPHRASE", None)
    if staff_passphrase is not None:
        env["CASEBOOK_STAFF_PASSPHRASE"] = staff_passphrase
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stdout.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not become healthy within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    db = tmp_path_factory.mktemp("db") / "casebook.db"
    proc, url = start_server("serve.py", f"sqlite:///{db}")
    yield url
    stop_server(proc)


@pytest.fixture(scope="module")
def fixture_case_server(tmp_path_factory) -> str:
    """A server on the test fixtures' small case library (one per test module)."""
    db = tmp_path_factory.mktemp("db") / "casebook.db"
    proc, url = start_server("serve.py", f"sqlite:///{db}", cases=FIXTURE_CASES)
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"browser tests need Debian chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def new_page(browser, request):
    contexts = []

    def make(viewport: dict = DESKTOP, **kwargs):
        ctx = browser.new_context(viewport=viewport, **kwargs)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for i, ctx in enumerate(contexts):
            for j, pg in enumerate(ctx.pages):
                pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{i}-{j}-failure.png"), full_page=True)
    for ctx in contexts:
        ctx.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit is connected and the script has finished running."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)


def click_and_wait(page, locator, rerun_timeout: float = 10_000) -> None:
    """Click, then wait for the rerun the click starts to finish.

    The script state is watched from before the click, so a rerun that starts late (a busy
    machine) or ends quickly is still seen.
    """
    page.evaluate("""() => {
        const app = document.querySelector('[data-testid="stApp"]');
        window.__casebookRerun = false;
        if (window.__casebookWatch) window.__casebookWatch.disconnect();
        window.__casebookWatch = new MutationObserver(() => { window.__casebookRerun = true; });
        window.__casebookWatch.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
    }""")
    locator.click()
    try:
        page.wait_for_function("() => window.__casebookRerun === true", timeout=rerun_timeout)
    except Exception:
        pass  # the click started no rerun
    wait_for_app(page)


def sign_in_as_staff(page, server: str, passphrase: str = STAFF_PASSPHRASE) -> None:
    """Sign in on the Staff sign-in page and wait until the browser holds the staff cookie."""
    page.goto(f"{server}/staff")
    wait_for_app(page)
    page.get_by_label("Staff passphrase").fill(passphrase)
    click_and_wait(page, page.get_by_role("button", name="Sign in"))
    page.get_by_text("You are signed in as staff").wait_for()
    deadline = time.monotonic() + 10
    while not any(c["name"] == "casebook_staff" for c in page.context.cookies()):
        if time.monotonic() > deadline:
            raise AssertionError("the browser never got the staff cookie")
        page.wait_for_timeout(50)


def axe_serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def choose_present_case(lecturer, server: str, title: str) -> None:
    """The lecturer opens the Present page and picks the case by its title."""
    lecturer.goto(f"{server}/present")
    wait_for_app(lecturer)
    lecturer.locator(".st-key-present-case").get_by_role("combobox").click()
    lecturer.keyboard.type(title)  # the list of a large library scrolls: narrow it to the case first
    lecturer.get_by_role("option", name=title).click()
    wait_for_app(lecturer)
