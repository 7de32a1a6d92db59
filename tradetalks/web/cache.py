"""Responses kept until the record changes: the record is written only by ingest, whose
every transaction changes its stamp (`Store.stamp`), so a page rendered once is served
again, byte for byte, until the next write commits (seen within STAMP_EVERY). Bounded in
entries' size and in total bytes, least recently used first out.

A server of several worker processes also shares what they render (SharedPages, a SQLite
file of theirs): a page one worker made is not made again by the others."""

from __future__ import annotations

import json
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, urlencode

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tradetalks.store import Store
from tradetalks.store.pages import PageFile

MAX_BYTES = 64 * 1024 * 1024    # all kept responses together
MAX_ENTRY = 1024 * 1024         # one response
# Files already cheap; a calendar depends on today; the review queue and the corrections'
# forms on who is signed in.
UNCACHED = ("/static/", "/vendor/", "/calendar/", "/review", "/correct", "/login")
STAMP_EVERY = 0.1               # seconds between reads of the record's stamp: a write by another
                                # process shows within this; one through this app at once


@dataclass
class Kept:
    start: Message
    body: bytes


Key = tuple[str, bytes, bool]  # path, query string, HTML asked for


class SharedPages:
    """Pages kept in a SQLite file that the worker processes of one server share, each
    under the record's stamp it was made from. Best effort: a look-up or a write that
    would wait for another process is skipped (the page is then rendered, or not shared)."""

    PRUNE_EVERY = 64  # writes between checks of the total size

    def __init__(self, path: str, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.db = PageFile(path)
        self.writes = 0

    @staticmethod
    def _key(key: Key) -> str:
        path, query, html = key
        return f"{'html' if html else 'data'} {path}?{query.decode('latin-1')}"

    def get(self, key: Key, stamp: str) -> Kept | None:
        try:
            row = self.db.get(self._key(key), stamp)
        except sqlite3.Error:
            return None
        if row is None:
            return None
        head = json.loads(row[0])
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in head["headers"]]
        return Kept({"type": "http.response.start", "status": head["status"], "headers": headers}, row[1])

    def put(self, key: Key, stamp: str, kept: Kept) -> None:
        head = json.dumps({"status": kept.start["status"],
                           "headers": [(k.decode("latin-1"), v.decode("latin-1")) for k, v in kept.start["headers"]]})
        try:
            self.db.put(self._key(key), stamp, head, kept.body)
            self.writes += 1
            if self.writes % self.PRUNE_EVERY == 0:
                self.db.prune(self.max_bytes)
        except sqlite3.Error:
            pass

    def keep_only(self, stamp: str) -> None:
        """Pages of an earlier state of the record go."""
        try:
            self.db.keep_only(stamp)
        except sqlite3.Error:
            pass


class PageCache:
    """ASGI middleware: GET responses with status 200, by path, query and the kind of
    answer asked for (HTML or JSON), kept while the record's stamp stays the same. Nothing
of the Host header goes into a page (see web/app.py), so a page kept is the same for all."""

    def __init__(self, app: ASGIApp, *, store: Store, max_bytes: int = MAX_BYTES, shared: SharedPages | None = None,
                 names: Callable[[], frozenset[str]] | None = None) -> None:
        self.app, self.store, self.max_bytes, self.shared = app, store, max_bytes, shared
        self.names = names            # the query parameters some page reads; others do not change a page
        self._known: frozenset[str] | None = None
        self.kept: OrderedDict[Key, Kept] = OrderedDict()
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
            stamp: str | None = await anyio.to_thread.run_sync(self.store.stamp)
            if stamp is not None:  # what is upcoming changes with the day, as with the record
                stamp = f"{stamp}@{date.today().isoformat()}"
            self.checked = time.monotonic()
            if stamp != self.stamp:
                self.kept.clear()
                self.size, self.stamp = 0, stamp
                if self.shared is not None and stamp is not None:  # (no stamp: SQL's != NULL kept every page)
                    self.shared.keep_only(stamp)
        stamp = self.stamp
        accept = dict(scope["headers"]).get(b"accept", b"")
        key = (scope["path"], self._query(scope.get("query_string", b"")), b"text/html" in accept)
        kept = self.kept.get(key)
        if kept is None and self.shared is not None and stamp is not None:
            kept = self.shared.get(key, stamp)
            if kept is not None:
                self._add(key, kept)
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
            kept = Kept(start, body)
            self._add(key, kept)
            if self.shared is not None and stamp is not None:
                self.shared.put(key, stamp, kept)

    def _query(self, raw: bytes) -> bytes:
        """The query string as a key: the parameters no page reads left out, the others in
        order of name (each name's values in their order), so that '?x=1' or a shuffled
        query is the page already kept, not a new one to render."""
        if self.names is None or not raw:
            return raw
        if self._known is None:
            self._known = self.names()
        pairs = [(k, v) for k, v in parse_qsl(raw.decode("latin-1"), keep_blank_values=True) if k in self._known]
        return urlencode(sorted(pairs, key=lambda kv: kv[0])).encode("latin-1")

    def _add(self, key: Key, kept: Kept) -> None:
        self.kept[key] = kept
        self.size += len(kept.body)
        while self.size > self.max_bytes and self.kept:
            _, old = self.kept.popitem(last=False)
            self.size -= len(old.body)
