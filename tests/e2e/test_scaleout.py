"""Two app processes behind nginx on one PostgreSQL, started by deploy/run_local.py.

Phones land on both processes; one process is killed in the middle of a question; the phones keep
answering through the other, no recorded answer is lost, and the lecturer carries on.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from casebook.core import Casebook, utcnow
from deploy.nginx_conf import COOKIE
from deploy.run_local import Cluster, find_nginx
from tests.conftest import CASES
from tests.e2e.conftest import ARTIFACTS, free_port, wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)]

CASE_ID = "painful-wasted-leg"


@pytest.fixture
def start_cluster(database_url, request):
    if find_nginx() is None:
        message = "scale-out tests need nginx (apt-get install nginx)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    clusters: list[Cluster] = []

    def start(processes: int) -> Cluster:
        cluster = Cluster(database_url, [free_port() for _ in range(processes)], port=free_port(), host="127.0.0.1",
                          show_upstream=True, extra_env={"CASEBOOK_CASES_DIR": str(CASES)})
        clusters.append(cluster)
        return cluster.start()

    yield start
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for cluster in clusters:
        cluster.stop()
        if cluster.run_dir:
            if failed:  # the app logs and nginx's access log say where each request went
                shutil.copytree(cluster.run_dir, ARTIFACTS / f"{request.node.name}-run", dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("temp"))
            shutil.rmtree(cluster.run_dir, ignore_errors=True)


def answered_by(upstream_header: str) -> str:
    """After a failover nginx lists every process it tried; the last one answered."""
    return upstream_header.split(",")[-1].strip()


def soon() -> float:
    return time.monotonic() + 20


class Phone:
    """A phone as nginx sees it: its own source address, and the route cookie nginx gave it."""

    def __init__(self, base_url: str, address: str):
        parts = urlsplit(base_url)
        self.host, self.port, self.address = parts.hostname, parts.port, address
        self.route: str | None = None
        self.token: str | None = None
        self.upstreams: list[str] = []   # the process that answered each request, in order
        self.statuses: list[int] = []
        self.acked: dict[str, object] = {}  # question id -> the last answer the server confirmed

    def request(self, method: str, path: str, body: dict | None = None,
                headers: dict | None = None) -> tuple[int, dict]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10, source_address=(self.address, 0))
        try:
            sent = {"Content-Type": "application/json", **(headers or {})}
            if self.route:
                sent["Cookie"] = f"{COOKIE}={self.route}"
            conn.request(method, path, body=None if body is None else json.dumps(body), headers=sent)
            r = conn.getresponse()
            raw = r.read()
            self.statuses.append(r.status)
            for cookie in r.headers.get_all("Set-Cookie") or []:
                if cookie.startswith(f"{COOKIE}="):
                    self.route = cookie.split(";")[0].split("=", 1)[1]
            self.upstreams.append(answered_by(r.headers.get("X-Casebook-Upstream", "")))
            try:
                data = json.loads(raw)
            except ValueError:
                data = {}
            return r.status, data
        finally:
            conn.close()

    @property
    def on(self) -> str:
        return self.upstreams[-1]

    def join(self, code: str, nickname: str) -> None:
        status, _ = self.request("GET", f"/join/{code}")        # the join page; nginx hands out the cookie
        assert status == 200 and self.route
        status, joined = self.request("POST", f"/api/poll/{code}/join", {"nickname": nickname})
        assert status == 200, joined
        self.token = joined["token"]

    def wait_for(self, code: str, phase: str, deadline: float) -> dict:
        """Poll the session's state as the phone page does, until the lecturer's change shows."""
        while True:
            status, state = self.request("GET", f"/api/poll/{code}/state?token={self.token}")
            assert status == 200, state
            if state["phase"] == phase:
                return state
            assert time.monotonic() < deadline, f"the phone still sees {state['phase']!r}, not {phase!r}"
            time.sleep(0.1)

    def answer(self, code: str, question_id: str, response, deadline: float) -> None:
        """Send until the server confirms, retrying dropped connections as the phone page does."""
        while True:
            try:
                status, data = self.request("POST", f"/api/poll/{code}/answer",
                                            {"token": self.token, "question_id": question_id, "response": response})
            except OSError:
                status, data = 0, {}
            if status == 200:
                self.acked[question_id] = data["recorded"]
                return
            assert status == 0 or status >= 500, (status, data)  # a refusal would be a bug, not a dropped line
            assert time.monotonic() < deadline, f"answer from {self.address} never got through (last {status})"
            time.sleep(0.1)


def test_a_process_dies_mid_question_and_no_answer_is_lost(start_cluster, database_url, new_page):
    book = Casebook(CASES, database_url)
    case = book.case(CASE_ID)
    session, key = book.polls.create(case, utcnow())
    code = session.join_code
    cluster = start_cluster(2)
    backends = {app.address for app in cluster.apps}

    # The room joins. Each phone has its own address, as phones on a hall's Wi-Fi do, and keeps
    # the process its cookie points at.
    phones: list[Phone] = []
    while len(phones) < 40 and not (len(phones) >= 12 and all(
            sum(p.on == b for p in phones) >= 3 for b in backends)):
        phone = Phone(cluster.url, f"127.0.0.{10 + len(phones)}")
        phone.join(code, f"Phone {len(phones)}")
        phones.append(phone)
    assert {p.on for p in phones} == backends, "phones did not spread over both processes"

    # The lecturer's projector runs on the process that is about to die.
    doomed_app = next(app for app in cluster.apps if app.address == phones[0].on)
    survivor = (backends - {doomed_app.address}).pop()
    lecturer = new_page()
    lecturer.context.add_cookies([{"name": COOKIE, "value": phones[0].route, "url": cluster.url}])
    response = lecturer.goto(cluster.url)
    assert answered_by(response.headers["x-casebook-upstream"]) == doomed_app.address
    wait_for_app(lecturer)

    question = case.stages[0].questions[0]
    options = [o.id for o in question.options]
    book.control_poll(session.id, key, "open")

    # Every phone answers, then keeps changing its answer while one process is killed.
    for i, phone in enumerate(phones):
        phone.answer(code, question.id, [options[i % len(options)]], soon())
    # (The very first request, made before the phone had its cookie, may have gone elsewhere.)
    assert all(len(set(p.upstreams[1:])) == 1 for p in phones), "a phone moved between processes while both ran"

    acks = threading.Semaphore(0)
    deadline = soon()

    def keep_answering(i: int, phone: Phone) -> None:
        for round_ in range(1, 7):
            phone.answer(code, question.id, sorted({options[i % len(options)], options[(i + round_) % len(options)]}),
                         deadline)
            acks.release()

    lecturer.evaluate("""() => {
        const app = document.querySelector('[data-testid="stApp"]');
        window.__casebookDropped = false;
        new MutationObserver(() => {
            if (app.dataset.testConnectionState !== "CONNECTED") window.__casebookDropped = true;
        }).observe(app, {attributes: true, attributeFilter: ["data-test-connection-state"]});
    }""")
    with ThreadPoolExecutor(max_workers=len(phones)) as pool:  # the whole room at once
        futures = [pool.submit(keep_answering, i, p) for i, p in enumerate(phones)]
        for _ in range(len(phones)):    # about a sixth of the changes are in before the kill
            acks.acquire(timeout=30)
        doomed_app.proc.send_signal(signal.SIGKILL)
        for f in futures:
            f.result()

    # Every answer the server confirmed is the one stored, the dead process's phones included,
    # and they now reach the survivor.
    for phone in phones:
        assert book.polls.my_answer(session.id, phone.token, question.id) == phone.acked[question.id]
        assert phone.on == survivor
    assert book.polls.tally(session.id, question).answered == len(phones)
    # nginx hid the death from the phones: it sent what the dead process refused to the survivor.
    assert {s for p in phones for s in p.statuses} == {200}

    # The lecturer carries on: reveal, then ask the stage's next question; every phone sees both.
    book.control_poll(session.id, key, "reveal")
    deadline = soon()
    for phone in phones:
        assert phone.wait_for(code, "revealed", deadline)["my_answer"] == phone.acked[question.id]
    following = case.stages[0].questions[1]
    book.control_poll(session.id, key, "open")
    for i, phone in enumerate(phones):
        assert phone.wait_for(code, "open", deadline)["question"]["id"] == following.id
        phone.answer(code, following.id, following.options[i % len(following.options)].id, deadline)
    assert book.polls.tally(session.id, following).answered == len(phones)

    # The projector page reconnects through nginx to the surviving process and shows the library.
    lecturer.wait_for_function("() => window.__casebookDropped === true", timeout=15_000)
    wait_for_app(lecturer)
    assert case.title in lecturer.inner_text("body")
    response = lecturer.reload()
    assert answered_by(response.headers["x-casebook-upstream"]) == survivor
    wait_for_app(lecturer)
    assert case.title in lecturer.inner_text("body")
    assert phones[0].request("GET", "/_stcore/health")[0] == 200


def test_behind_nginx_a_guesser_cannot_pose_as_other_addresses_nor_send_large_bodies(start_cluster, database_url):
    book = Casebook(CASES, database_url)
    session, _ = book.polls.create(book.case(CASE_ID), utcnow())
    cluster = start_cluster(1)

    # A script guessing codes sends a different X-Real-IP / X-Forwarded-For every time; nginx
    # replaces them with the script's real address, so the wrong-code limit still stops it.
    guesser = Phone(cluster.url, "127.0.0.250")
    for n in range(200):
        forged = f"198.51.100.{n % 250}"
        status, refused = guesser.request("POST", "/api/poll/QQQQQQQ/join", {"nickname": "x"},
                                          headers={"X-Real-IP": forged, "X-Forwarded-For": forged})
        if status == 429:
            break
        assert status == 404, refused
    assert status == 429, "200 wrong codes from one address were never limited"
    assert refused.get("error")

    # A phone at another address is not held up by it.
    phone = Phone(cluster.url, "127.0.0.251")
    phone.join(session.join_code, "Ana")

    # An oversized body is refused by nginx before a process reads it, in words the phone page shows.
    status, refused = phone.request("POST", f"/api/poll/{session.join_code}/answer",
                                    {"token": phone.token, "question_id": "x", "response": "y" * 20_000})
    assert status == 413 and refused["error"] == "That request is too large."
