"""docker compose and deploy/run_local.py run the same nginx configuration."""
from pathlib import Path

import yaml

from deploy.nginx_conf import compose_config, http_block, standalone_config
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


def test_compose_nginx_conf_is_generated():
    assert (DEPLOY / "nginx.conf").read_text() == compose_config(), \
        "run: python deploy/nginx_conf.py > deploy/nginx.conf"


def test_compose_runs_the_processes_the_nginx_conf_names():
    services = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())["services"]
    for name in ("app1", "app2"):
        assert f"server {name}:8501 " in compose_config()
        env = services[name]["environment"]
        assert env["CASEBOOK_TRUST_PROXY"] == "1"
        assert "STREAMLIT_SERVER_COOKIE_SECRET" in env  # one signing key for every process
    assert "./nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]


def test_the_local_config_wraps_the_same_block_and_keeps_its_files_in_the_run_folder(tmp_path: Path):
    backends = ["127.0.0.1:8601", "127.0.0.1:8602"]
    text = standalone_config(backends, "127.0.0.1:8080", tmp_path)
    assert http_block(backends, "127.0.0.1:8080") in text
    assert f"pid {tmp_path / 'nginx.pid'};" in text
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        assert f"{kind}_temp_path {tmp_path / 'temp' / kind};" in text
    assert "/var/" not in text  # nothing a non-root user could not write


def test_internal_addresses_are_shown_only_when_asked():
    assert "X-Casebook-Upstream" not in compose_config()
    assert "add_header X-Casebook-Upstream $upstream_addr" in http_block(["127.0.0.1:8601"], show_upstream=True)


def test_one_address_cannot_hold_the_server_open_with_idle_connections():
    conf = http_block(["127.0.0.1:8501"], "8080", False)
    assert "limit_conn casebook_per_address 2500;" in conf and "client_header_timeout 10s;" in conf
