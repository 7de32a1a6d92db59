"""The record's database: SQLite by default (a file, WAL mode, so readers never wait for a
running ingest) or PostgreSQL (``--db postgresql://...``), with one schema for both."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, OperationalError, SQLAlchemyError

from tradetalks.errors import StoreError
from tradetalks.store import cursor, migrate
from tradetalks.store.commits import STAMP, SharedCommits
from tradetalks.store.schema import meta

DEFAULT_DB = "tradetalks.db"
ENV_DB = "TRADETALKS_DB"
SQLITE_POOL = 40  # the web server's threads (anyio's default limit)


def resolve_url(db: str | None) -> str:
    """A --db value as a SQLAlchemy URL: a file path is a SQLite file; postgresql:// URLs
    use the psycopg driver."""
    db = db or os.environ.get(ENV_DB) or DEFAULT_DB
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser()}"
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA cache_size=-65536")    # 64 MB of page cache: indexes stay in memory
    cur.execute("PRAGMA mmap_size=268435456")
    cur.execute("PRAGMA temp_store=MEMORY")
    # Checkpoint the write-ahead log every 10,000 pages (40 MB) rather than 1,000: a page
    # that every document's transaction changes (an index's, the search index's) is copied
    # into the database once per checkpoint, so an ingest writes a fraction of the pages.
    cur.execute("PRAGMA wal_autocheckpoint=10000")
    cur.execute("PRAGMA journal_size_limit=67108864")  # and the log file shrinks back after it
    cur.close()


PING_AFTER = 5.0  # seconds a pooled PostgreSQL connection may idle before it is checked again


def _used(_dbapi_conn, record) -> None:  # type: ignore[no-untyped-def]
    record.info["tradetalks_used"] = time.monotonic()


def _ping_if_idle(dbapi_conn, record, _proxy) -> None:  # type: ignore[no-untyped-def]
    """A PostgreSQL connection that has idled is checked before use (a server restarted
    meanwhile has closed it; the pool then opens a new one). One in constant use, as an
    ingest's, is not: a check is a round trip to the server for each document."""
    if time.monotonic() - record.info.get("tradetalks_used", 0.0) < PING_AFTER:
        return
    try:
        dbapi_conn.execute("SELECT 1")
        dbapi_conn.rollback()
    except Exception as exc:  # noqa: BLE001 - whatever broke it, the pool replaces it
        raise DisconnectionError(str(exc)) from exc


class Store:
    """An open record. Use :meth:`transaction` for every write: one document, one
    transaction, so a crash loses nothing already committed."""

    def __init__(self, db: str | None = None, *, create: bool = True) -> None:
        self.url = resolve_url(db)
        try:
            url = make_url(self.url)
        except ArgumentError:
            raise StoreError(f"{db!r} is not a database URL; give a file path or postgresql://user@host/dbname") from None
        self.dialect = url.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise StoreError(f"{url.get_backend_name()} databases are not supported; use a SQLite file or postgresql://")
        if self.dialect == "sqlite":
            path = url.database or ""
            if path and path != ":memory:":
                if not create and not Path(path).exists():
                    raise StoreError(f"{path}: no record there yet; ingest documents first (tradetalks ingest PATH --db {path})")
                if Path(path).parent and not Path(path).parent.exists():
                    raise StoreError(f"{path}: its folder does not exist; create it or choose another --db")
        self.label = url.render_as_string(hide_password=True) if self.dialect != "sqlite" else (url.database or "")
        # LIFO: one process's reads and writes reuse the same connection, whose page cache
        # stays warm (SQLite drops a connection's cache when another one wrote).
        # SQLite: as many connections kept open as a web server's threads read with at once
        # (one opened afresh runs its pragmas and reads the schema before its first query).
        pool = {"pool_size": SQLITE_POOL, "max_overflow": 10} if self.dialect == "sqlite" else {}
        self.engine: Engine = create_engine(self.url, future=True, pool_use_lifo=True, **pool)
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            event.listen(self.engine.pool, "checkout", _ping_if_idle)
            event.listen(self.engine.pool, "checkin", _used)
        try:
            self.version = migrate.upgrade(self.engine)
        except OperationalError as exc:
            raise StoreError(f"cannot open {self.label}: {str(exc.orig).strip().splitlines()[0]}; check --db") from None
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot prepare {self.label}: {type(exc).__name__}; check --db") from None

    @contextmanager
    def transaction(self, *, pipelined: bool = False) -> Iterator[Connection]:
        """One write transaction. `pipelined` (PostgreSQL): statements whose results are
        not read are sent without waiting for the server (psycopg's pipeline mode), for a
        block that runs only plain statements (tradetalks.store.cursor) and SQLAlchemy writes."""
        scratch: dict[str, Any] = {}  # of this transaction only: what to run once it committed (store.commits)
        with self.engine.connect() as conn:
            # The pipeline encloses the commit, which then goes out with the last writes.
            with conn.connection.dbapi_connection.pipeline() if pipelined and self.dialect == "postgresql" else nullcontext():  # type: ignore[union-attr]
                with conn.begin():
                    conn.info["tradetalks_txn"] = scratch
                    yield conn
                    # Every write changes the record's stamp, in the same transaction, so that a
                    # cache of what the record showed (the web app's) knows when to refresh.
                    cursor.execute(conn, STAMP, {"v": uuid.uuid4().hex, "k": migrate.RECORD_VERSION}).close()
        for then in [*scratch.get("after_commit", ()), *scratch.get("committed", ())]:
            then()

    def shared_commits(self) -> SharedCommits | None:
        """For a run of many documents: SQLite's write transactions sharing their commits
        (store.commits); None on PostgreSQL, whose commits cost a round trip (sent with a
        document's last writes)."""
        return SharedCommits(self.engine) if self.dialect == "sqlite" else None

    def tidy(self) -> None:
        """After a large ingest: refresh the planner's statistics, and on PostgreSQL the
        visibility map too (VACUUM ANALYZE). Freshly loaded rows are otherwise read twice as
        slowly by searches until autovacuum gets to them."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE)" if self.dialect == "postgresql" else "PRAGMA optimize"))

    def stamp(self) -> str:
        """The record's version stamp: it changes whenever a write transaction commits."""
        with self.engine.connect() as conn:
            return str(conn.execute(select(meta.c.value).where(meta.c.key == migrate.RECORD_VERSION)).scalar() or "")

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
