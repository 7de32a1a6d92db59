"""Write transactions that share their commits (SQLite), for a run of many documents.

A document's writes stay all or nothing: each is a savepoint of one open transaction, rolled
back alone when it fails. What a commit costs whatever it holds (the write-ahead log's pages
that every document changes, the record's stamp) is paid once for several documents. A
document is in the record once the commit that holds it is through: until then, a crash or a
kill loses it (and nothing else), and running the same command again stores it.

What is to follow a transaction is said in its scratch dict (``conn.info["tradetalks_txn"]``):
``after_commit`` (this connection's caches, which must follow what it wrote) runs when the
document's savepoint is released; ``committed`` (what the run reports as stored) once the
commit is through; ``source`` names the document should the commit fail. A commit that
fails lets go of the connection's caches (they may hold what was rolled back) and raises
:class:`SharedCommitFailed`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Connection, Engine

from tradetalks.store import cursor, migrate

EVERY = 16          # documents a commit holds at most
WITHIN = 0.25       # seconds a document's writes wait for their commit at most
STAMP = 'UPDATE meta SET value = :v WHERE "key" = :k'  # a new version stamp of the record (Store.stamp)
REGISTRY_CACHE = "tradetalks_registry"  # conn.info key of what a connection remembers of the registry's rows


class SharedCommitFailed(Exception):
    """A shared commit failed: `lost` documents, released into it, were not stored."""

    def __init__(self, lost: list[str], cause: BaseException) -> None:
        super().__init__(f"{len(lost)} documents not stored: {cause}")
        self.lost, self.cause = lost, cause


class SharedCommits:
    """One SQLite connection whose write transactions are savepoints of a transaction
    committed every `every` documents, `within` seconds after the first, and at close."""

    def __init__(self, engine: Engine, every: int = EVERY, within: float = WITHIN) -> None:
        self.engine, self.every, self.within = engine, every, within
        self.conn: Connection | None = None
        self.committed: list[Callable[[], None]] = []
        self.held: list[str] = []  # the documents released into the open transaction
        self.since = 0.0

    def _begin(self) -> Connection:
        if self.conn is None:
            self.conn = self.engine.connect()
            self.conn.begin()
        if not self.held:
            # A write first, so that the savepoints nest in the transaction (an outermost
            # savepoint's release would be a commit of its own).
            cursor.execute(self.conn, STAMP, {"v": uuid.uuid4().hex, "k": migrate.RECORD_VERSION}).close()
            self.since = time.monotonic()
        return self.conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One document's writes: a savepoint, released into the shared transaction."""
        conn = self._begin()
        scratch: dict[str, Any] = {}
        savepoint = conn.begin_nested()
        conn.info["tradetalks_txn"] = scratch
        try:
            yield conn
        except BaseException:
            savepoint.rollback()
            raise
        savepoint.commit()
        for then in scratch.get("after_commit", ()):
            then()
        self.committed += scratch.get("committed", [])
        self.held.append(scratch.get("source", "a document"))
        if len(self.held) >= self.every or time.monotonic() - self.since >= self.within:
            self.commit()

    def commit(self) -> None:
        """Commit what is held; then say it is stored."""
        if self.conn is None or not self.held:
            return
        held, self.held = self.held, []
        done, self.committed = self.committed, []
        try:
            self.conn.commit()
        except Exception as exc:
            self._drop()
            raise SharedCommitFailed(held, exc) from exc
        self.conn.begin()
        for then in done:
            then()

    def _drop(self) -> None:
        """After a failed commit: the connection and what it remembered are let go."""
        conn, self.conn = self.conn, None
        if conn is None:
            return
        conn.info.pop(REGISTRY_CACHE, None)
        try:
            conn.rollback()
        finally:
            conn.close()

    def close(self) -> None:
        try:
            self.commit()
        finally:
            if self.conn is not None:
                self.conn.rollback()
                self.conn.close()
                self.conn = None
