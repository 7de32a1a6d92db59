"""What every request and response passes through: security headers (a CSP that allows
no inline script), a cap on request bodies and one on request times, and the API's one
error shape, which these answers use too."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 11 * 1024 * 1024     # a posted document: the 10 MB cap of any input, and its JSON wrapping
TIMEOUT = 15.0                  # seconds a request may take

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
         413: "too_large", 415: "unsupported_media_type", 500: "internal_error", 502: "bad_gateway",
         503: "unavailable", 504: "timeout"}


def error_body(status: int, message: str) -> dict[str, Any]:
    """The one JSON error shape of the API."""
    return {"error": {"status": status, "code": CODES.get(status, "error"), "message": message}}


class Guard:
    """Security headers on every response; request bodies capped at `max_body` bytes and
    requests at `timeout` seconds (past it the client gets a 504, whatever the handler
    was doing)."""

    def __init__(self, app: ASGIApp, *, max_body: int = MAX_BODY, timeout: float = TIMEOUT) -> None:
        self.app, self.max_body, self.timeout = app, max_body, timeout

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

        async def fail(status: int, text: str) -> None:
            body = json.dumps(error_body(status, text)).encode()
            await send_guarded({"type": "http.response.start", "status": status,
                                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        too_large = f"the request body is over {self.max_body // (1024 * 1024)} MB; send a smaller document"
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await fail(413, too_large)
            return
        if scope["method"] in ("POST", "PUT", "PATCH"):  # read (and cap) the body before the app sees it
            chunks, size = [], 0
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > self.max_body:
                    await fail(413, too_large)
                    return
                if not message.get("more_body"):
                    break
            body = b"".join(chunks)
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if replayed:
                    return await receive()
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            receive = replay
        try:
            await asyncio.wait_for(self.app(scope, receive, send_guarded), self.timeout)
        except TimeoutError:
            if not started:
                await fail(504, f"the request took over {self.timeout:g} s and was stopped; narrow it (filters, fewer items)")


