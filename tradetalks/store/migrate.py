"""Versioned migrations. The ``meta`` table holds ``schema_version``; each migration runs
once, in its own transaction, in order. A database newer than this tradetalks is refused
rather than misread."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from tradetalks.errors import StoreError
from tradetalks.store import fts
from tradetalks.store.schema import corrections, documents, meta, metadata

RECORD_VERSION = "record_version"  # meta key: changes with every write transaction


def _v1(conn: Connection) -> None:
    metadata.create_all(conn)
    fts.create(conn)


def _v2(conn: Connection) -> None:
    conn.execute(meta.insert().values(key=RECORD_VERSION, value="0"))


def _v3(conn: Connection) -> None:
    corrections.create(conn, checkfirst=True)  # a database made at version 3 has it from _v1
    for index in corrections.indexes:
        index.create(conn, checkfirst=True)


def _v4(conn: Connection) -> None:
    for index in documents.indexes:
        index.create(conn, checkfirst=True)


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "documents, events and their sources, registry, full-text search", _v1),
    (2, "a stamp of the record's last write, for caches of what it shows", _v2),
    (3, "an analyst's corrections, kept apart from what extraction produced", _v3),
    (4, "the copies of a document found by an index", _v4),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, "meta"):
        return 0
    value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(value) if value else 0


def upgrade(engine: Engine) -> int:
    """Bring the database to the latest schema; return the version it is at."""
    with engine.begin() as conn:
        version = current_version(conn)
    if version > LATEST:
        raise StoreError(
            f"the database is at schema version {version}, newer than this tradetalks knows ({LATEST}); "
            "upgrade tradetalks to read it"
        )
    for number, _, step in MIGRATIONS:
        if number <= version:
            continue
        with engine.begin() as conn:
            step(conn)
            if current_version(conn) == 0 and number == 1:
                conn.execute(meta.insert().values(key="schema_version", value=str(number)))
            else:
                conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(number)))
        version = number
    return version
