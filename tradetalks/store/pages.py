"""The web app's page cache: rendered pages kept in a SQLite file of their own (not the
record), each under the record's stamp it was made from. Its statements live here, with
the record's; web/cache.py decides what is kept and when."""

from __future__ import annotations

import sqlite3


class PageFile:
    """A SQLite file of pages that the worker processes of one server share. Reads and
    writes that would wait for another process fail at once (sqlite3.Error): the caller
    treats them as misses."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, timeout=0.05, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")  # a cache: a crash may lose it, never the record
        self.db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, stamp TEXT NOT NULL, "
                        "size INTEGER NOT NULL, head TEXT NOT NULL, body BLOB NOT NULL)")

    def get(self, key: str, stamp: str) -> tuple[str, bytes] | None:
        row = self.db.execute("SELECT head, body FROM pages WHERE key = ? AND stamp = ?", (key, stamp)).fetchone()
        return None if row is None else (row[0], row[1])

    def put(self, key: str, stamp: str, head: str, body: bytes) -> None:
        self.db.execute("INSERT OR REPLACE INTO pages (key, stamp, size, head, body) VALUES (?, ?, ?, ?, ?)",
                        (key, stamp, len(body), head, body))

    def prune(self, max_bytes: int) -> None:
        """The oldest quarter of the pages goes while they take more than max_bytes."""
        while (self.db.execute("SELECT coalesce(sum(size), 0) FROM pages").fetchone()[0] or 0) > max_bytes:
            self.db.execute("DELETE FROM pages WHERE rowid IN (SELECT rowid FROM pages ORDER BY rowid "
                            "LIMIT max(1, (SELECT count(*) FROM pages) / 4))")

    def keep_only(self, stamp: str) -> None:
        """Pages of an earlier state of the record go."""
        self.db.execute("DELETE FROM pages WHERE stamp != ?", (stamp,))
