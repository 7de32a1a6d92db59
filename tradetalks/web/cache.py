"""Responses kept until the record changes: the record is written only by ingest, whose
every transaction changes its stamp (`Store.stamp`), so a page rendered once is served
again, byte for byte, until the next write commits (seen within STAMP_EVERY). Bounded in
entries' size and in total bytes, least recently used first out."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tradetalks.store import Store

MAX_BYTES = 64 * 1024 * 1024    # all kept responses together
MAX_ENTRY = 1024 * 1024         # one response
UNCACHED = ("/static/", "/vendor/", "/calendar/")  # files already cheap; a calendar depends on today
STAMP_EVERY = 0.1               # seconds between reads of the record's stamp: a write by another
                                # process shows within this; one through this app at once


@dataclass
class Kept:
    start: Message
    body: bytes


class PageCache:
    """ASGI middleware: GET responses with status 200, by path, query and the kind of
    answer asked for (HTML or JSON), kept while the record's stamp stays the same."""

    def __init__(self, app: ASGIApp, *, store: Store, max_bytes: int = MAX_BYTES) -> None:
        self.app, self.store, self.max_bytes = app, store, max_bytes
        self.kept: OrderedDict[tuple[str, bytes, bool], Kept] = OrderedDict()
        self.size = 0
        self.stamp: str | None = None
        self.checked = 0.0  # when the stamp was last read (time.monotonic())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(UNCACHED):
            try:
                await self.app(scope, receive, send)
            finally:
                if scope["type"] == "http" and scope["method"] != "GET":
                    self.checked = 0.0  # a write through this app: the next page reads the stamp first
            return
        if time.monotonic() - self.checked > STAMP_EVERY:
            stamp = await anyio.to_thread.run_sync(self.store.stamp)
            self.checked = time.monotonic()
            if stamp != self.stamp:
                self.kept.clear()
                self.size, self.stamp = 0, stamp
        stamp = self.stamp
        accept = dict(scope["headers"]).get(b"accept", b"")
        key = (scope["path"], scope.get("query_string", b""), b"text/html" in accept)
        kept = self.kept.get(key)
        if kept is not None:
            self.kept.move_to_end(key)
            await send({**kept.start, "headers": kept.start["headers"] + [(b"x-tradetalks-cache", b"hit")]})
            await send({"type": "http.response.body", "body": kept.body})
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = {**message, "headers": list(message.get("headers", []))}
                message = {**message, "headers": start["headers"] + [(b"x-tradetalks-cache", b"miss")]}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        body = b"".join(chunks)
        if start.get("status") == 200 and len(body) <= MAX_ENTRY and stamp == self.stamp:
            self._add(key, Kept(start, body))

    def _add(self, key: tuple[str, bytes, bool], kept: Kept) -> None:
        self.kept[key] = kept
        self.size += len(kept.body)
        while self.size > self.max_bytes and self.kept:
            _, old = self.kept.popitem(last=False)
            self.size -= len(old.body)
