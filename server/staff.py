"""The staff cookie's three routes: the console's sign-in link, the hand-off that turns a right
passphrase typed on a page into a cookie, and signing out (see casebook/staff.py for why a cookie)."""
from __future__ import annotations

import html
from functools import lru_cache

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from casebook.core import utcnow
from casebook.staff import PASS_HOURS, SIGN_IN_PATH, STAFF_COOKIE, StaffSettings, WrongTries, deployment_settings
from server.phone import client_address

wrong_tries = WrongTries()


@lru_cache(maxsize=1)
def settings() -> StaffSettings:
    return deployment_settings()


def _with_cookie(response: Response, request: Request, value: str | None) -> Response:
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
    if value is None:
        response.delete_cookie(STAFF_COOKIE, path="/", secure=secure, httponly=True, samesite="strict")
    else:
        response.set_cookie(STAFF_COOKIE, value, max_age=PASS_HOURS * 3600, path="/", secure=secure,
                            httponly=True, samesite="strict")
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(message: str, status: int) -> HTMLResponse:
    return HTMLResponse(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Casebook staff sign-in</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'></head>"
        "<body style='font-family: sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem'>"
        f"<h1>Staff sign-in</h1><p>{html.escape(message)}</p><p><a href='/staff'>Sign in with the passphrase</a> · "
        "<a href='/'>Case library</a></p></body></html>",
        status_code=status, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


def sign_in_link(request: Request) -> Response:
    """The link the console prints at start-up: sets the cookie and leaves the token out of the address bar."""
    who = client_address(request)
    if wrong_tries.blocked(who):
        return _page("Too many wrong sign-in attempts from this address. Wait a few minutes and try again.", 429)
    if not settings().link_token_matches(request.query_params.get("token")):
        wrong_tries.record(who)
        return _page("This sign-in link is not valid (the server's staff passphrase may have changed). Use the "
                     "link the server printed when it started, or sign in with the passphrase.", 403)
    response = RedirectResponse("/present", status_code=303)
    response.headers["Referrer-Policy"] = "no-referrer"
    return _with_cookie(response, request, settings().issue_pass(utcnow()))


async def hand_off(request: Request) -> Response:
    """The page that checked a passphrase sends its one-minute ticket here; the browser keeps the cookie."""
    body = b""
    async for chunk in request.stream():  # a ticket is short: never read more than that
        body += chunk
        if len(body) > 400:
            return Response(status_code=413, headers={"Cache-Control": "no-store"})
    ticket = body.decode("utf-8", "replace")
    if not settings().handoff_is_valid(ticket, utcnow()):
        return Response(status_code=403, headers={"Cache-Control": "no-store"})
    return _with_cookie(Response(status_code=204), request, settings().issue_pass(utcnow()))


def sign_out(request: Request) -> Response:
    return _with_cookie(Response(status_code=204), request, None)


routes = [
    Route(SIGN_IN_PATH, sign_in_link, methods=["GET"]),
    Route("/staff/hand-off", hand_off, methods=["POST"]),
    Route("/staff/sign-out", sign_out, methods=["POST"]),
]
