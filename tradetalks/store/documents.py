"""The record's statements about documents: what is stored of an input, which stored texts
may be copies of a new one, writing a document and its signature's bands, its reports,
its stored extraction and input, and the fetch cache of the sources fetched by URL.

Functions named ``send_*`` send a look-up without waiting for it (PostgreSQL's pipeline,
see :mod:`tradetalks.store.cursor`); :func:`read` reads its rows."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from tradetalks.errors import NotFound
from tradetalks.store import cursor
from tradetalks.store.schema import doc_bands, documents, event_sources, fetch_cache

read = cursor.fetch

_STORED_VERSIONS = {column: f"SELECT id, content_hash FROM documents WHERE content_hash = :h OR {column} = :k ORDER BY id"
                    for column in ("url", "source")}
# Candidates share at least two bands with the text. A band that boilerplate puts in
# many templated releases is read only so far (the first BAND_ROWS documents that have it):
# a true copy shares many other bands too, and the look-up stays bounded as the record grows.
BAND_ROWS = 64
_SAME_TEXT = "SELECT id AS document_id FROM documents WHERE text_hash = :h"
_PG_BANDED = ("SELECT b.document_id FROM unnest(CAST(:bands AS bigint[])) AS q(band) CROSS JOIN LATERAL "
              f"(SELECT document_id FROM doc_bands WHERE band = q.band LIMIT {BAND_ROWS}) AS b")


@lru_cache(maxsize=8)
def _possible_copies(dialect: str, bands: int) -> str:
    """Documents that may be copies of a text: those with the very same text, and those
    sharing at least two of its `bands` bands; stored copies themselves are left out (tested
    on each of those, never looked up by the index of copies: nearly every document is none).
    PostgreSQL looks the bands up as one array (a statement planned in a fraction of the
    time of twenty subqueries)."""
    banded = _PG_BANDED if dialect == "postgresql" else " UNION ALL ".join(
        f"SELECT document_id FROM (SELECT document_id FROM doc_bands WHERE band = :b{i} LIMIT {BAND_ROWS}) AS s{i}"
        for i in range(bands))
    return ("SELECT d.id, d.minhash, d.facts, d.text_hash FROM (" + _SAME_TEXT + (
        f" UNION SELECT document_id FROM ({banded}) AS s GROUP BY document_id HAVING count(*) >= 2" if bands else "")
        + ") AS c JOIN documents d ON d.id = c.document_id WHERE +d.duplicate_of IS NULL ORDER BY d.id")


_REPORTS = "SELECT id, event_id, data FROM event_sources WHERE document_id = :d ORDER BY id"
_STORED_HASHES = "SELECT content_hash FROM documents WHERE content_hash IN :hashes"


def send_stored_versions(conn: Connection, content_hash: str, *, url: str | None, source: str) -> Any:
    """Sends the look-up of the stored documents with this very input (its hash) or from
    the same URL when it was fetched from there (its source is a web address), else from
    the same source: rows (id, content_hash), oldest first. The URL a file gives itself
    does not make two files versions of each other (a copy of a page is not a new version
    of it)."""
    by_url = bool(url) and source.startswith(("http://", "https://"))
    return cursor.execute(conn, _STORED_VERSIONS["url" if by_url else "source"],
                          {"h": content_hash, "k": url if by_url else source})


def send_possible_copies(conn: Connection, text_hash: str, bands: list[int]) -> Any:
    """Sends the look-up of the stored documents (not themselves copies) that may be
    copies of a text: rows (id, minhash, facts, text_hash)."""
    params: dict[str, Any] = {"h": text_hash}
    dialect = "postgresql" if conn.dialect.name == "postgresql" else "sqlite"
    if dialect == "postgresql":
        params["bands"] = bands
    else:
        params.update({f"b{i}": b for i, b in enumerate(bands)})
    return cursor.execute(conn, _possible_copies(dialect, len(bands)), params)


def send_new_ids(conn: Connection, table: str, n: int) -> Any:
    """Sends the drawing of n ids for new rows of `table` (PostgreSQL; None on SQLite,
    whose inserts give their id): read with :func:`drawn`."""
    return cursor.new_ids(conn, table, n)


def drawn(sent: Any) -> list[int] | None:
    """The ids drawn by :func:`send_new_ids` (None when none were)."""
    return [r[0] for r in cursor.fetch(sent)] if sent is not None else None


def discard(*sent: Any) -> None:
    """Look-ups sent and not to be read."""
    for cur in sent:
        if cur is not None:
            cur.close()


def add_row(conn: Connection, table: str, values: dict[str, Any], ids: list[int] | None) -> int:
    """Insert a row and return its id: one drawn beforehand (PostgreSQL) or the one the
    insert gave (SQLite)."""
    if ids:
        new_id = int(ids.pop(0))
        cursor.insert(conn, table, {"id": new_id, **values}, returning=None)
        return new_id
    return int(cursor.insert(conn, table, values))


def add_document(conn: Connection, values: dict[str, Any], ids: list[int] | None) -> int:
    """Save a new document (the columns of `documents` but its id); returns its id."""
    return add_row(conn, "documents", values, ids)


def replace_document(conn: Connection, doc_id: int, values: dict[str, Any]) -> None:
    """Save a new version of a stored document over it; its bands go (added again after)."""
    conn.execute(documents.update().where(documents.c.id == doc_id).values(**values))
    conn.execute(delete(doc_bands).where(doc_bands.c.document_id == doc_id))


def add_bands(conn: Connection, doc_id: int, bands: list[int]) -> None:
    """Index a document by the bands of its signature, for the look-up of its copies."""
    cursor.insert_many(conn, "doc_bands", [{"document_id": doc_id, "band": b} for b in bands])


def reports_of(conn: Connection, doc_id: int) -> list[tuple[int, int, str]]:
    """A document's reports of events: rows (report id, event id, event JSON), in the
    order they were attached (a new version keeps the records of its unchanged reports in
    that order; without ORDER BY, PostgreSQL's order varied between runs)."""
    return cursor.rows(conn, _REPORTS, {"d": doc_id})


def retire_reports(conn: Connection, report_ids: Iterable[int]) -> None:
    """Move reports out of the way of a document's new ones (their positions made
    negative) until they are removed."""
    conn.execute(event_sources.update().where(event_sources.c.id.in_(set(report_ids))).values(position=-event_sources.c.id))


def extraction_of(conn: Connection, doc_id: int) -> dict[str, Any]:
    """A stored document's extraction, as the contract's JSON (its text put back)."""
    found = cursor.rows(conn, "SELECT extraction, text FROM documents WHERE id = :i", {"i": doc_id})
    if not found:
        raise NotFound(f"no document {doc_id}; list documents with: tradetalks search --documents WORDS")
    data: dict[str, Any] = json.loads(found[0][0])
    data["document"]["text"] = found[0][1]
    return data


def stored_hashes(conn: Connection, hashes: list[str]) -> set[str]:
    """Of these hashes of inputs, those of inputs stored already."""
    return {r[0] for r in cursor.rows(conn, _STORED_HASHES, {"hashes": hashes})}


def document_ids(conn: Connection) -> list[int]:
    """Every stored document's id, in order."""
    return list(conn.execute(select(documents.c.id).order_by(documents.c.id)).scalars())


def stored_input(conn: Connection, doc_id: int) -> Any:
    """A stored document's input, to extract again: a row (source, raw, published, url),
    or None."""
    return conn.execute(select(documents.c.source, documents.c.raw, documents.c.published,
                               documents.c.url).where(documents.c.id == doc_id)).first()


def fetch_validators(conn: Connection, url: str) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified a URL was last fetched with ((None, None): never)."""
    row = conn.execute(select(fetch_cache.c.etag, fetch_cache.c.last_modified).where(fetch_cache.c.url == url)).first()
    return (row[0], row[1]) if row else (None, None)


def remember_fetch(conn: Connection, values: dict[str, Any]) -> None:
    """Keep (or replace) what a URL was fetched with: the columns of `fetch_cache`."""
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(fetch_cache).values(**values)
    conn.execute(insert.on_conflict_do_update(index_elements=["url"], set_={k: v for k, v in values.items() if k != "url"}))


def remove_document(conn: Connection, doc_id: int) -> None:
    """Delete a stored document whose reports are gone (its bands and reports go with it)."""
    conn.execute(delete(event_sources).where(event_sources.c.document_id == doc_id))
    conn.execute(delete(doc_bands).where(doc_bands.c.document_id == doc_id))
    conn.execute(documents.update().where(documents.c.duplicate_of == doc_id).values(duplicate_of=None))
    conn.execute(delete(documents).where(documents.c.id == doc_id))
