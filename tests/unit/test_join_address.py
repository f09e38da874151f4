"""Where the join link and QR code send phones: a configured address, else one phones can reach."""
import socket

import pytest

from casebook import join_address
from casebook.core import Settings
from casebook.join_address import choose_join_address, is_loopback_host, lan_address


def test_a_configured_public_address_wins_over_everything():
    join = choose_join_address(public_url="https://casebook.example.edu/teaching/", page_url="http://localhost:8501/present",
                               lan_ip="192.168.1.20", listen_address="127.0.0.1")
    assert join.warning is None
    assert join.join_url("ABCDEFG") == "https://casebook.example.edu/teaching/join/ABCDEFG"


def test_opened_at_localhost_phones_go_to_the_lan_address_with_the_same_port():
    for page in ("http://localhost:8501/present?session=x", "http://127.0.0.1:8501/", "http://[::1]:8501/",
                 "http://0.0.0.0:8501/present"):
        join = choose_join_address(public_url=None, page_url=page, lan_ip="192.168.1.20")
        assert (join.origin, join.warning) == ("http://192.168.1.20:8501", None), page
    ipv6 = choose_join_address(public_url=None, page_url="http://localhost:9000/", lan_ip="fd00::2")
    assert ipv6.origin == "http://[fd00::2]:9000"


def test_an_address_bar_phones_can_reach_is_kept():
    join = choose_join_address(public_url=None, page_url="https://casebook.example.edu/present?key=secret",
                               lan_ip="192.168.1.20")
    assert (join.origin, join.warning) == ("https://casebook.example.edu", None)  # no path, query or key
    lan = choose_join_address(public_url=None, page_url="http://10.0.0.5:8501/present", lan_ip="192.168.1.20")
    assert lan.origin == "http://10.0.0.5:8501"


def test_without_an_address_phones_can_reach_the_lecturer_is_told_how_to_set_one():
    join = choose_join_address(public_url=None, page_url="http://localhost:8501/present", lan_ip=None)
    assert join.origin == "http://localhost:8501"
    assert "Phones cannot open `http://localhost:8501`" in join.warning and "CASEBOOK_PUBLIC_URL" in join.warning
    assert ".streamlit/secrets.toml" in join.warning


def test_a_server_listening_only_on_this_computer_is_explained():
    join = choose_join_address(public_url=None, page_url="http://127.0.0.1:8501/", lan_ip="192.168.1.20",
                               listen_address="127.0.0.1")
    assert join.origin == "http://127.0.0.1:8501"
    assert "`--server.address 0.0.0.0`" in join.warning and "CASEBOOK_PUBLIC_URL" in join.warning


def test_nothing_in_a_configured_address_escapes_its_code_span():
    join = choose_join_address(public_url="`**[click](https://evil.example)**", page_url="http://localhost:8501/",
                               lan_ip=None)
    assert "`**[click](https://evil.example)**`" in join.warning


@pytest.mark.parametrize("bad", ["casebook.example.edu", "ftp://files.example.edu", "https://", "javascript:alert(1)"])
def test_a_public_address_that_is_not_a_web_address_is_reported_not_used(bad):
    join = choose_join_address(public_url=bad, page_url="http://localhost:8501/", lan_ip="192.168.1.20")
    assert join.origin == "http://192.168.1.20:8501"
    assert "`CASEBOOK_PUBLIC_URL` is set to" in join.warning and "not a web address" in join.warning


def test_loopback_names():
    assert all(map(is_loopback_host, ["localhost", "LOCALHOST", "app.localhost", "127.0.0.1", "127.1.2.3", "::1",
                                      "[::1]", "0.0.0.0", "", None]))
    assert not any(map(is_loopback_host, ["192.168.1.20", "casebook.example.edu", "fd00::2", "localhost.example.edu"]))


def test_the_lan_address_is_found_without_a_network_and_never_loopback(monkeypatch):
    found = lan_address()
    assert found is None or not is_loopback_host(found)

    class NoNetwork:
        def __init__(self, *args):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def connect(self, address):
            raise OSError("Network is unreachable")

    monkeypatch.setattr(join_address.socket, "socket", NoNetwork)
    assert lan_address() is None


def test_the_lan_probe_sends_nothing(monkeypatch):
    sent = []

    class Recording(socket.socket):
        def send(self, *args):
            sent.append(args)
            return super().send(*args)

        sendto = send

    monkeypatch.setattr(join_address.socket, "socket", Recording)
    lan_address()
    assert sent == []


def test_the_public_address_comes_from_the_environment_or_the_deployment_secrets(monkeypatch):
    monkeypatch.delenv("CASEBOOK_PUBLIC_URL", raising=False)
    assert Settings.from_env({}).public_url is None
    assert Settings.from_env({"CASEBOOK_PUBLIC_URL": "https://a.example"}).public_url == "https://a.example"
    monkeypatch.setenv("CASEBOOK_PUBLIC_URL", "https://b.example")
    assert Settings.from_env({"CASEBOOK_PUBLIC_URL": "https://a.example"}).public_url == "https://b.example"
