"""Corrections and review in the web app (issue 13): the review queue (/review), a page of
forms to correct a record (/correct/events/ID) and the registry (/correct), behind the
server's token (the same as POST /api/documents).

A browser cannot send the token's header with a form, so /login takes the token once and
sets a session cookie (HttpOnly, SameSite=Strict) holding a keyed hash of the token, never
the token; the guard (safety.py) lets a request with that cookie post to /correct and
/review. Every form carries a CSRF token (a keyed hash of the session), checked with the
request's Origin. None of these pages is kept in the page cache (cache.UNCACHED)."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import OrderedDict, deque
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tradetalks.corrections import actions, fields, review
from tradetalks.errors import Forbidden, QueryError, TooManyTries, Unauthorized
from tradetalks.query import show
from tradetalks.web import pages

router = APIRouter(include_in_schema=False)
COOKIE = "tradetalks_session"
MAX_FORM = 16 * 1024
ACTIONS = ("set", "clear", "merge", "split", "not_event", "accept")
REGISTRY = ("rename_mechanism", "merge_mechanisms", "rename_person", "merge_people")


def session_of(token: str) -> str:  # the same as safety._form_post computes
    """The session cookie's value for a token (a keyed hash: the token is never sent back)."""
    return hmac.new(token.encode(), b"tradetalks session", hashlib.sha256).hexdigest()


def csrf_of(token: str) -> str:
    return hmac.new(token.encode(), b"tradetalks csrf " + session_of(token).encode(), hashlib.sha256).hexdigest()


def signed_in(request: Request) -> bool:
    token = request.app.state.token
    given = request.cookies.get(COOKIE, "")
    return bool(token) and hmac.compare_digest(given.encode(), session_of(token).encode())


def _csrf(request: Request) -> str | None:
    return csrf_of(request.app.state.token) if signed_in(request) else None


async def _form(request: Request) -> dict[str, str]:
    """The posted form (checked: a session, its CSRF token, and an Origin of this server)."""
    if not request.app.state.token:
        raise Forbidden("corrections over the web are off; start the server with --token or set TRADETALKS_TOKEN")
    if not signed_in(request):
        raise Unauthorized("sign in first, with the server's token: /login")
    body = await request.body()
    if len(body) > MAX_FORM:
        raise QueryError("the form is too large")
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
    if not hmac.compare_digest(form.get("csrf", "").encode(), csrf_of(request.app.state.token).encode()):
        raise Forbidden("the form's CSRF token is missing or stale; reload the page and send it again")
    origin = request.headers.get("origin")
    if origin and origin != "null" and origin.split("://", 1)[-1] != request.headers.get("host", ""):
        raise Forbidden("the form was sent from another site; send it from this server's page")
    return form


def _who(form: dict[str, str]) -> actions.Who:
    return actions.Who(form.get("by", ""), form.get("why") or None)


def _local(path: str | None) -> str:
    """Where to go after signing in: a path of this server only."""
    return path if path and path.startswith("/") and not path.startswith("//") and "\\" not in path else "/review"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> HTMLResponse:  # noqa: A002 - the query's name
    return pages.render(request, "login.html", next=_local(next), on=bool(request.app.state.token),
                        signed_in=signed_in(request))


@router.post("/login")
async def login(request: Request) -> Response:
    token = request.app.state.token
    if not token:
        raise Forbidden("corrections over the web are off; start the server with --token or set TRADETALKS_TOKEN")
    # By the connection's address, never a header the client sends (X-Forwarded-For).
    address = request.client.host if request.client else "unknown"
    failures = request.app.state.login_failures = getattr(request.app.state, "login_failures", None) or LoginFailures()
    failures.check(address, time.monotonic())
    body = await request.body()
    form = {k: v[0] for k, v in parse_qs(body[:MAX_FORM].decode("utf-8", "replace")).items()}
    if not hmac.compare_digest(form.get("token", "").encode(), token.encode()):
        failures.add(address, time.monotonic())
        raise Unauthorized("that is not the server's token; give the one it was started with (--token)")
    out = RedirectResponse(_local(form.get("next")), status_code=303)
    out.set_cookie(COOKIE, session_of(token), httponly=True, samesite="strict", path="/",
                   secure=request.url.scheme == "https")
    return out


class LoginFailures:
    """Wrong tokens by client address: past LOGIN_TRIES within LOGIN_WINDOW seconds, an
    address is refused (429) until the window has passed, so that a token cannot be guessed
    at the speed of the server. At most LOGIN_CLIENTS addresses are remembered (the oldest
    forgotten first)."""

    def __init__(self) -> None:
        self.seen: OrderedDict[str, deque[float]] = OrderedDict()

    def check(self, address: str, now: float) -> None:
        tries = self.seen.get(address)
        while tries and tries[0] <= now - LOGIN_WINDOW:
            tries.popleft()
        if tries is not None and len(tries) >= LOGIN_TRIES:
            raise TooManyTries(f"{LOGIN_TRIES} wrong tokens from your address within {LOGIN_WINDOW} s; "
                               f"wait {int(tries[0] + LOGIN_WINDOW - now) + 1} s and give the server's token")

    def add(self, address: str, now: float) -> None:
        self.seen.setdefault(address, deque()).append(now)
        self.seen.move_to_end(address)
        while len(self.seen) > LOGIN_CLIENTS:
            self.seen.popitem(last=False)


LOGIN_TRIES, LOGIN_WINDOW, LOGIN_CLIENTS = 5, 60, 10_000


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, conn: pages.Conn) -> HTMLResponse:
    return pages.render(request, "review.html", rows=review.listing(conn, limit=100), csrf=_csrf(request))


@router.post("/review/accept")
async def accept(request: Request) -> Response:
    form = await _form(request)
    event_id = _event_id(form.get("event", ""))
    _write(request, lambda conn: actions.accept(conn, event_id, _who(form)))
    return RedirectResponse("/review", status_code=303)


def _event_id(text: str) -> int:
    if not text.strip().isdigit() or int(text) > 2**63 - 1:
        raise QueryError(f"{text[:40]!r} is not an event id; give a whole number")
    return int(text)


def _write(request: Request, change: Any) -> Any:
    with request.app.state.store.transaction() as conn:
        return change(conn)


@router.get("/correct/events/{event_id}", response_class=HTMLResponse)
def correct_page(request: Request, conn: pages.Conn, event_id: pages.EventId) -> Response:
    if not signed_in(request):
        return RedirectResponse(f"/login?next={quote(f'/correct/events/{event_id}')}", status_code=303)
    ev = show(conn, event_id)
    values = {f: fields.display(fields.value_of(ev, ev.get("mechanism_id"), f)) for f in fields.FIELDS}
    return pages.render(request, "correct.html", ev=ev, values=values, fields=fields.FIELDS, csrf=_csrf(request),
                        issues=review.issues_of(conn, event_id))


@router.post("/correct/events/{event_id}")
async def correct(request: Request, event_id: pages.EventId) -> Response:
    form = await _form(request)
    action, who = form.get("action", ""), _who(form)
    if action not in ACTIONS:
        raise QueryError(f"{action[:40]!r} is not a correction; use one of: {', '.join(ACTIONS)}")
    field = form.get("field", "")

    def change(conn: Any) -> None:
        if action == "set":
            actions.set_field(conn, event_id, field, form.get("value", ""), who)
        elif action == "clear":
            actions.set_field(conn, event_id, field, None, who)
        elif action == "merge":
            actions.merge(conn, event_id, _event_id(form.get("other", "")), who)
        elif action == "split":
            actions.split(conn, event_id, _event_id(form.get("document", "")), who)
        elif action == "not_event":
            actions.not_event(conn, event_id, who)
        else:
            actions.accept(conn, event_id, who)

    _write(request, change)
    gone = action == "not_event"
    return RedirectResponse("/review" if gone else f"/events/{event_id}", status_code=303)


@router.get("/correct", response_class=HTMLResponse)
def registry_page(request: Request) -> Response:
    if not signed_in(request):
        return RedirectResponse("/login?next=/correct", status_code=303)
    return pages.render(request, "correct_registry.html", csrf=_csrf(request))


@router.post("/correct")
async def correct_registry(request: Request) -> Response:
    form = await _form(request)
    action, who = form.get("action", ""), _who(form)
    if action not in REGISTRY:
        raise QueryError(f"{action[:40]!r} is not a correction of the registry; use one of: {', '.join(REGISTRY)}")
    table = "mechanisms" if "mechanism" in action else "people"
    first, second = form.get("entry", ""), form.get("other", "")
    if action.startswith("rename"):
        _write(request, lambda conn: actions.rename(conn, table, first, second, who))
    else:
        _write(request, lambda conn: actions.merge_entries(conn, table, first, second, who))
    return RedirectResponse("/mechanisms" if table == "mechanisms" else "/people", status_code=303)
