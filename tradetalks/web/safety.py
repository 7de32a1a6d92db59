"""What every request and response passes through: security headers (a CSP that allows
no inline script), a cap on request bodies and one on request times, and the API's one
error shape, which these answers use too."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tradetalks.ingest import CommitGate

MAX_BODY = 11 * 1024 * 1024     # a posted document: the 10 MB cap of any input, and its JSON wrapping
TIMEOUT = 15.0                  # seconds a request may take
PER_CLIENT = 8                  # requests of one client worked on at once (pages not kept)
QUEUE = 64                      # requests of one client waiting their turn; more are refused

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         413: "too_large", 415: "unsupported_media_type", 429: "too_many_requests", 500: "internal_error", 502: "bad_gateway",
         503: "unavailable", 504: "timeout"}


def error_body(status: int, message: str) -> dict[str, Any]:
    """The one JSON error shape of the API."""
    return {"error": {"status": status, "code": CODES.get(status, "error"), "message": message}}


BODY_METHODS = ("POST", "PUT", "PATCH")


class Guard:
    """Security headers on every response; requests for a host the server does not serve
    refused; request bodies capped at `max_body` bytes and read only once the token in the
    headers is right; requests capped at `timeout` seconds: past it the client gets a 504
    and the work is stopped (an ingest under way commits nothing after that: its
    CommitGate, in the request's state, is shut)."""

    def __init__(self, app: ASGIApp, *, max_body: int = MAX_BODY, timeout: float = TIMEOUT,
                 token: str | None = None, hosts: frozenset[str] | None = None) -> None:
        self.app, self.max_body, self.timeout, self.token, self.hosts = app, max_body, timeout, token, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": list(message.get("headers", [])) + SECURITY_HEADERS}
            await send(message)

        async def fail(status: int, text: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
            body = json.dumps(error_body(status, text)).encode()
            await send_guarded({"type": "http.response.start", "status": status, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(headers or [])]})
            await send({"type": "http.response.body", "body": body})

        refusal = self._refusal(scope)
        if refusal is not None:
            await fail(*refusal)
            return
        if scope["method"] in BODY_METHODS:  # read (and cap) the body before the app sees it
            body = await _read_body(receive, self.max_body)
            if body is None:
                await fail(413, self._too_large())
                return
            receive = _replay(body, receive)
        await self._run(scope, receive, send_guarded, lambda: started, fail)

    def _too_large(self) -> str:
        return f"the request body is over {self.max_body // (1024 * 1024)} MB; send a smaller document"

    def _refusal(self, scope: Scope) -> tuple[int, str, list[tuple[bytes, bytes]]] | None:
        """Why the request is refused from its headers alone (nothing of the body read)."""
        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1")
        if self.hosts is not None and _hostname(host) not in self.hosts:
            return 400, (f"this server does not serve the host {host[:100]!r}; use the address it is published at "
                         f"({', '.join(sorted(self.hosts))})"), []
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            return 413, self._too_large(), [(b"connection", b"close")]
        if scope["method"] not in BODY_METHODS:
            return None
        if self.token and _form_post(scope["path"], headers, self.token):
            return None  # the web's forms of corrections: their route checks the session and its CSRF token
        if not self.token:
            return 403, "ingesting over the API is off; start the server with --token or set TRADETALKS_TOKEN", []
        given = headers.get(b"authorization", b"")
        if not hmac.compare_digest(given, f"Bearer {self.token}".encode()):
            return (401, "a valid token is needed: send the header 'Authorization: Bearer <token>'",
                    [(b"www-authenticate", b"Bearer"), (b"connection", b"close")])
        return None

    async def _run(self, scope: Scope, receive: Receive, send: Send, started: Any, fail: Any) -> None:
        gate = CommitGate()
        state = scope.setdefault("state", {})
        state["gate"], state["deadline"] = gate, time.monotonic() + self.timeout
        task = asyncio.ensure_future(self.app(scope, receive, send))
        done, _ = await asyncio.wait({task}, timeout=self.timeout)
        while not done and not gate.stop():  # a commit under way: its answer is worth the wait
            done, _ = await asyncio.wait({task}, timeout=0.05)
        if done:
            task.result()
            return
        cancel = state.get("cancel")
        if cancel is not None:
            cancel()  # the query under way stops; a thread rendering a page goes on to its end
        task.cancel()  # and nothing is committed after this
        task.add_done_callback(_quiet)
        if not started():
            await fail(504, f"the request took over {self.timeout:g} s and was stopped; narrow it (filters, fewer items)")


FORM_PATHS = ("/correct/", "/review/")  # posted by the corrections' forms (and /correct), with the session cookie
SESSION_COOKIE = "tradetalks_session"


def _form_post(path: str, headers: dict[bytes, bytes], token: str) -> bool:
    """Whether a post is one the web's forms send: signing in (/login, its body small and
    read only there), or a form of corrections from a browser with the session cookie
    (a keyed hash of the token, see web/corrections.py)."""
    if path == "/login":
        return True
    if not (path == "/correct" or path.startswith(FORM_PATHS)):  # not "/corrections..."
        return False
    session = hmac.new(token.encode(), b"tradetalks session", hashlib.sha256).hexdigest()
    cookies = headers.get(b"cookie", b"").decode("latin-1")
    given = next((c.split("=", 1)[1].strip() for c in cookies.split(";") if c.strip().startswith(SESSION_COOKIE + "=")), "")
    return hmac.compare_digest(given.encode(), session.encode())


def _quiet(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()


def _hostname(host: str) -> str:
    """'example.org' of 'Example.org:8000', '::1' of '[::1]:8000'."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


async def _read_body(receive: Receive, cap: int) -> bytes | None:
    """The whole body, or None as soon as it passes `cap` bytes."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b""
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if size > cap:
            return None
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}
    return replay


class ClientLimit:
    """At most `per_client` requests of one client (by address) worked on at once: the
    others wait their turn (within their time), and past `queue` waiting, are refused with
    a 429. A request stopped at its deadline keeps its place until its work has ended, so
    that a client cannot pile up abandoned work. Behind the page cache: kept pages are
    served to all without waiting."""

    def __init__(self, app: ASGIApp, *, per_client: int = PER_CLIENT, queue: int = QUEUE) -> None:
        self.app, self.per_client, self.queue = app, per_client, queue
        self.clients: dict[str, _Client] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        address = (scope.get("client") or ("unknown",))[0]
        client = self.clients.setdefault(address, _Client(asyncio.Semaphore(self.per_client)))
        if client.waiting >= self.queue:
            body = json.dumps(error_body(429, f"over {self.per_client + self.queue} requests of yours at once; "
                                              "send fewer at a time")).encode()
            await send({"type": "http.response.start", "status": 429, "headers": [
                (b"content-type", b"application/json"), (b"retry-after", b"1"), *SECURITY_HEADERS]})
            await send({"type": "http.response.body", "body": body})
            return
        client.waiting += 1
        try:
            await client.slots.acquire()
        finally:
            client.waiting -= 1
        client.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            client.slots.release()
            client.active -= 1
            if not client.active and not client.waiting:
                self.clients.pop(address, None)


@dataclass
class _Client:
    slots: asyncio.Semaphore
    waiting: int = 0
    active: int = 0
