"""Several Casebook processes behind nginx on one database, on this machine, without Docker.

    DATABASE_URL=postgresql+psycopg://casebook:casebook@localhost/casebook \\
        .venv/bin/python deploy/run_local.py --processes 2 --port 8080

Ctrl-C stops nginx and every app process. Logs and nginx's own files go to a run folder
(a temporary one unless --run-dir is given).
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))

from deploy.nginx_conf import standalone_config  # noqa: E402

NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx", "/usr/local/sbin/nginx")


class StartError(RuntimeError):
    """Something the cluster needs did not start; the message says what and where to look."""


def find_nginx() -> str | None:
    """Debian puts nginx in /usr/sbin, which is not on a normal user's PATH."""
    for name in NGINX_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def wait_until_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60, *,
                       name: str | None = None) -> None:
    """Until `url` answers Streamlit's health check (an app, or nginx in front of the apps)."""
    name = name or url
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise StartError(f"{name} exited at start (code {proc.returncode}); {log}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise StartError(f"{name} did not answer /_stcore/health on {url} within {timeout:.0f} s; see {log}")


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass
class App:
    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


@dataclass
class Cluster:
    """N app processes on one database and an nginx in front; a context manager that stops them all."""

    database_url: str
    app_ports: list[int]
    port: int = 8080
    host: str = "0.0.0.0"
    run_dir: Path | None = None
    show_upstream: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)
    apps: list[App] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> "Cluster":
        nginx = find_nginx()
        if nginx is None:
            raise StartError("nginx is not installed (Debian: apt-get install nginx)")
        prepare_database(self.database_url)
        self.run_dir = Path(self.run_dir or tempfile.mkdtemp(prefix="casebook-run-"))
        self.run_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._start_apps()
            self._start_nginx(nginx)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_apps(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            # The phone routes take the client's address from nginx's X-Real-IP. Safe only because
            # the apps listen on 127.0.0.1, where nobody but nginx reaches them.
            "CASEBOOK_TRUST_PROXY": "1",
            # Signed cookies (staff sign-in) must verify on whichever process a browser reaches.
            "STREAMLIT_SERVER_COOKIE_SECRET": os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32),
            **self.extra_env,
        }
        for port in self.app_ports:
            log = self.run_dir / f"app-{port}.log"
            with open(log, "wb") as out:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
                     "--server.address", "127.0.0.1", "--server.headless", "true",
                     "--browser.gatherUsageStats", "false"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    start_new_session=True,  # Ctrl-C reaches this script, which stops the apps in order
                )
            self.apps.append(App(port, proc, log))
        for app in self.apps:  # started together, waited for one by one
            wait_until_healthy(f"http://{app.address}", app.proc, app.log)

    def _start_nginx(self, nginx: str) -> None:
        temp = self.run_dir / "temp"
        temp.mkdir(exist_ok=True)
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (temp / kind).mkdir(exist_ok=True)
            if os.geteuid() == 0:  # workers run as nobody and write request bodies here
                shutil.chown(temp / kind, "nobody", "nogroup")
        if os.geteuid() == 0:
            os.chmod(self.run_dir, 0o755)
            os.chmod(temp, 0o755)
        conf = self.run_dir / "nginx.conf"
        listen = f"{self.host}:{self.port}" if self.host else str(self.port)
        conf.write_text(standalone_config([a.address for a in self.apps], listen, self.run_dir, self.show_upstream))
        error_log = self.run_dir / "error.log"
        check = subprocess.run([nginx, "-t", "-q", "-p", str(self.run_dir), "-c", str(conf), "-e", str(error_log)],
                               capture_output=True, text=True)
        if check.returncode != 0:
            raise StartError(f"nginx refused its configuration {conf}:\n{check.stderr.strip()}")
        with open(error_log, "ab") as err:
            self.nginx = subprocess.Popen(
                [nginx, "-p", str(self.run_dir), "-c", str(conf), "-e", str(error_log), "-g", "daemon off;"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
            )
        wait_until_healthy(self.url, self.nginx, error_log, 15, name="nginx")

    def stop(self) -> None:
        if self.nginx is not None:
            stop(self.nginx, signal.SIGQUIT)  # graceful: finish the requests under way
        for app in self.apps:
            if app.proc.poll() is None:
                app.proc.terminate()
        for app in self.apps:
            stop(app.proc)

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def prepare_database(url: str) -> None:
    """Create the tables once, before the processes start, so they do not race to create them."""
    from sqlalchemy.exc import SQLAlchemyError

    from casebook.db import make_engine

    try:
        make_engine(url).dispose()
    except SQLAlchemyError as exc:
        raise StartError(f"cannot use the database at {redact(url)}: {exc.__class__.__name__}: "
                         f"{str(exc).splitlines()[0]}") from None


def redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unreadable URL)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", "-n", type=int, default=2, help="app processes (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port, the one phones and browsers use (default 8080)")
    parser.add_argument("--host", default="0.0.0.0", help="address nginx listens on (default: every interface)")
    parser.add_argument("--first-app-port", type=int, default=8501, help="app processes listen on 127.0.0.1 from this port up")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="SQLAlchemy URL shared by every process (default: $DATABASE_URL)")
    parser.add_argument("--run-dir", type=Path, help="folder for logs, nginx.conf and nginx's files (default: a temporary one)")
    parser.add_argument("--show-upstream", action="store_true",
                        help="add an X-Casebook-Upstream response header naming the process that answered")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("give --database-url or set DATABASE_URL, e.g. postgresql+psycopg://casebook:casebook@localhost/casebook")
    if args.processes < 1:
        parser.error("--processes must be at least 1")

    cluster = Cluster(args.database_url, [args.first_app_port + i for i in range(args.processes)],
                      port=args.port, host=args.host, run_dir=args.run_dir, show_upstream=args.show_upstream)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl-C
    try:
        cluster.start()  # on failure or Ctrl-C it stops what it had started
    except StartError as exc:
        print(f"Casebook did not start: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    stopping = False

    def on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print(f"Casebook: {len(cluster.apps)} app processes behind nginx at {cluster.url} (database {redact(args.database_url)})")
    print(f"Logs and nginx.conf in {cluster.run_dir}. Ctrl-C stops everything.")
    reported: set[int] = set()
    try:
        while not stopping:
            for app in cluster.apps:
                if app.proc.poll() is not None and app.port not in reported:
                    reported.add(app.port)
                    print(f"The app process on port {app.port} stopped (code {app.proc.returncode}); nginx sends "
                          f"its browsers and phones to the others. Its log: {app.log}", file=sys.stderr)
            if cluster.nginx.poll() is not None:
                print(f"nginx stopped; see {cluster.run_dir / 'error.log'}", file=sys.stderr)
                break
            time.sleep(0.5)
    finally:
        print("Stopping nginx and the app processes…")
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
