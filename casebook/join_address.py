"""Which web address the phones in the room are sent to (the join link and its QR code).

A configured public address (`CASEBOOK_PUBLIC_URL`) wins. Otherwise the lecturer's own address
bar is used, except when it points at the lecturer's computer itself (localhost): a phone opening
`http://localhost:8501` reaches the phone, not Casebook, so the computer's address on the local
network is used instead, with the same port. When no address phones could reach is known, the
lecturer is told how to set one.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

HOW_TO_SET = ("set `CASEBOOK_PUBLIC_URL` to the address phones should open (for example "
              "`http://192.168.1.20:8501` or `https://casebook.your-school.edu`), in the environment or in "
              "`.streamlit/secrets.toml`, and restart Casebook.")


def _code(text: str) -> str:
    """Text shown as code in the lecturer's warning (Markdown): no backtick can end the code early."""
    return "`" + text.replace("`", "")[:100] + "`"


@dataclass(frozen=True)
class JoinAddress:
    origin: str
    """Scheme, host and port (and a path prefix, for a configured address) without a trailing slash."""
    warning: str | None = None
    """Why phones may not reach `origin`, and how to fix it; None when they should."""

    def join_url(self, join_code: str) -> str:
        return f"{self.origin}/join/{join_code}"


def is_loopback_host(host: str | None) -> bool:
    """True for names and addresses that mean "this computer" (or no particular address)."""
    host = (host or "").strip("[]").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


def _public_origin(public_url: str) -> str | None:
    parts = urlsplit(public_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return None
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


def _host_for_url(ip: str) -> str:
    return f"[{ip}]" if ":" in ip else ip


def choose_join_address(*, public_url: str | None, page_url: str | None, lan_ip: str | None,
                        listen_address: str | None = None) -> JoinAddress:
    """The address to send phones to.

    `public_url`: the configured CASEBOOK_PUBLIC_URL, if any. `page_url`: the lecturer's address bar.
    `lan_ip`: this computer's address on the local network, if one was found. `listen_address`: the
    address the server listens on (Streamlit's server.address; empty means every interface).
    """
    problem = None
    if public_url and public_url.strip():
        origin = _public_origin(public_url)
        if origin:
            return JoinAddress(origin)
        problem = (f"`CASEBOOK_PUBLIC_URL` is set to {_code(public_url.strip())}, which is not a web address "
                   "(it should start with `http://` or `https://` and name a host): it is not used.")
    page = urlsplit(page_url or "http://localhost:8501")
    scheme = page.scheme if page.scheme in ("http", "https") else "http"
    if not is_loopback_host(page.hostname):
        return JoinAddress(f"{scheme}://{page.netloc}", problem and f"{problem} Fix it: {HOW_TO_SET}")
    try:
        port = page.port
    except ValueError:
        port = None
    port_part = f":{port}" if port else ""
    listens_locally = bool(listen_address) and is_loopback_host(listen_address)
    if lan_ip and not listens_locally:
        return JoinAddress(f"{scheme}://{_host_for_url(lan_ip)}{port_part}", problem and f"{problem} Fix it: {HOW_TO_SET}")
    origin = f"{scheme}://{page.netloc}"
    if listens_locally:
        reason = (f"the server accepts connections only from this computer ({_code(listen_address)}). "
                  "Start it with `--server.address 0.0.0.0` so phones on your network can connect, or")
    else:
        reason = "this computer's address on the local network could not be found. Connect to the room's network, or"
    warning = f"**Phones cannot open {_code(origin)}**: on a phone it means the phone itself, and {reason} {HOW_TO_SET}"
    return JoinAddress(origin, " ".join(filter(None, [problem, warning])))


# Private addresses to "connect" a UDP socket to. Connecting a UDP socket sends no packet: the
# system only picks the route, and with it the address this computer would answer from.
_PROBES = ((socket.AF_INET, "10.255.255.255"), (socket.AF_INET, "192.168.255.255"), (socket.AF_INET6, "fd00::1"))


def lan_address() -> str | None:
    """This computer's address on the local network, found without sending anything; None if none."""
    for family, probe in _PROBES:
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                ip = ipaddress.ip_address(s.getsockname()[0])
        except (OSError, ValueError):
            continue
        if not (ip.is_loopback or ip.is_unspecified or ip.is_link_local):
            return str(ip)
    return None
