"""The record's statements about corrections (issue 13): add one, list them, mark one
undone; and what applying them reads and writes: the reports of records by their
documents' hashes, a record's row and side rows, the events and reports of a mechanism or
a person, aliases moved from one registry entry to another."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from tradetalks.store import cursor
from tradetalks.store.schema import (
    corrections,
    documents,
    event_parties,
    event_sources,
    event_topics,
    events,
    mechanism_aliases,
    person_aliases,
)

_ANY_ACTIVE = "SELECT 1 FROM corrections WHERE undone_at IS NULL LIMIT 1"


def add(conn: Connection, values: dict[str, Any]) -> int:
    """Add a correction: the columns of `corrections` but its id; returns its id."""
    return int(conn.execute(insert(corrections).values(**values).returning(corrections.c.id)).scalar_one())


def any_active(conn: Connection, sent: Any = None) -> bool:
    """Whether any correction is in force (one cheap look-up, made after each document):
    read from `sent` when the look-up was sent earlier with :func:`send_any_active`."""
    return bool(cursor.fetch(sent) if sent is not None else cursor.rows(conn, _ANY_ACTIVE))


def send_any_active(conn: Connection) -> Any:
    """The look-up of :func:`any_active`, sent now (pipelined on PostgreSQL with a
    document's first reads, so that it costs no round trip of its own)."""
    return cursor.execute(conn, _ANY_ACTIVE)


_COLUMNS = [c.name for c in corrections.columns]
_ACTIVE = f"SELECT {', '.join(_COLUMNS)} FROM corrections WHERE undone_at IS NULL ORDER BY id"


def active(conn: Connection) -> list[dict[str, Any]]:
    """The corrections in force, in the order they were made. (Plain statements here and
    below: they run inside an ingest's transaction, pipelined on PostgreSQL.)"""
    return [dict(zip(_COLUMNS, r, strict=True)) for r in cursor.rows(conn, _ACTIVE)]


def listed(conn: Connection, *, undone: bool = True, kind: str | None = None) -> list[RowMapping]:
    """Every correction (with `undone`, those undone too), in the order they were made."""
    q = select(corrections).order_by(corrections.c.id)
    if not undone:
        q = q.where(corrections.c.undone_at.is_(None))
    if kind:
        q = q.where(corrections.c.kind == kind)
    return list(conn.execute(q).mappings().all())


def one(conn: Connection, correction_id: int) -> RowMapping | None:
    return conn.execute(select(corrections).where(corrections.c.id == correction_id)).mappings().first()


def mark_undone(conn: Connection, correction_id: int, by: str, at: str) -> None:
    conn.execute(update(corrections).where(corrections.c.id == correction_id).values(undone_at=at, undone_by=by))


_KEYS = ("SELECT s.event_id, s.id, d.content_hash, s.position, s.data FROM event_sources s "
         "JOIN documents d ON d.id = s.document_id WHERE {where} ORDER BY s.id")


def report_keys(conn: Connection, event_ids: list[int]) -> list[tuple[int, int, str, int, str]]:
    """The reports of these events with their documents' hashes: rows (event id, report
    id, content hash, position, event JSON), in the order they were attached."""
    if not event_ids:
        return []
    return cursor.rows(conn, _KEYS.format(where="s.event_id IN :ids"), {"ids": sorted(set(event_ids))})


def reports_of_hashes(conn: Connection, hashes: list[str]) -> list[tuple[int, int, str, int, str]]:
    """The current reports of the documents with these hashes: rows (event id, report id,
    content hash, position, event JSON)."""
    if not hashes:
        return []
    return cursor.rows(conn, _KEYS.format(where="d.content_hash IN :h AND s.position >= 0"), {"h": sorted(set(hashes))})


def document_of_hash(conn: Connection, content_hash: str) -> RowMapping | None:
    """A stored document by its content hash: (id, title, source, url, published)."""
    return conn.execute(select(documents.c.id, documents.c.title, documents.c.source, documents.c.url,
                               documents.c.published).where(documents.c.content_hash == content_hash)).mappings().first()


def documents_of_events(conn: Connection, event_ids: list[int]) -> list[tuple[int, int, str, str | None, str | None]]:
    """The documents reporting these events: rows (event id, document id, content hash,
    title, source), in the order they were published."""
    if not event_ids:
        return []
    return [tuple(r) for r in conn.execute(
        select(event_sources.c.event_id, documents.c.id, documents.c.content_hash, documents.c.title, documents.c.source)
        .join(documents, documents.c.id == event_sources.c.document_id)
        .where(event_sources.c.event_id.in_(event_ids)).distinct()
        .order_by(event_sources.c.event_id, documents.c.id)).all()]


_EVENT_COLUMNS = [c.name for c in events.columns]
_EVENTS = "SELECT " + ", ".join(f'"{c}"' for c in _EVENT_COLUMNS) + " FROM events WHERE id IN :ids"


def event_rows(conn: Connection, event_ids: list[int]) -> dict[int, dict[str, Any]]:
    """These events' rows, by id."""
    if not event_ids:
        return {}
    rows = [dict(zip(_EVENT_COLUMNS, r, strict=True)) for r in cursor.rows(conn, _EVENTS, {"ids": sorted(set(event_ids))})]
    return {r["id"]: r for r in rows}


def set_event(conn: Connection, event_id: int, values: dict[str, Any]) -> None:
    """Save some columns of an event (those a correction changes)."""
    conn.execute(update(events).where(events.c.id == event_id).values(**values))


def set_parties(conn: Connection, event_id: int, codes: list[str]) -> None:
    conn.execute(delete(event_parties).where(event_parties.c.event_id == event_id))
    if codes:
        conn.execute(insert(event_parties), [{"event_id": event_id, "country": c} for c in codes])


def set_topics(conn: Connection, event_id: int, topics: list[str]) -> None:
    conn.execute(delete(event_topics).where(event_topics.c.event_id == event_id))
    if topics:
        conn.execute(insert(event_topics), [{"event_id": event_id, "topic": t} for t in topics])


def events_of_mechanism(conn: Connection, mechanism_id: str) -> list[tuple[int, str | None, str]]:
    """A mechanism's events: rows (id, mechanism name shown, JSON)."""
    return cursor.rows(conn, "SELECT id, mechanism, data FROM events WHERE mechanism_id = :m ORDER BY id", {"m": mechanism_id})


_OF_PERSON = ("SELECT id, data FROM events WHERE id IN (SELECT event_id FROM event_people WHERE person_id = :p) "
              "ORDER BY id")


def events_of_person(conn: Connection, person_id: str) -> list[tuple[int, str]]:
    """The events a person takes part in: rows (id, JSON)."""
    return cursor.rows(conn, _OF_PERSON, {"p": person_id})


def reports_of_events(conn: Connection, event_ids: list[int]) -> list[tuple[int, str]]:
    """The reports of these events: rows (report id, event JSON)."""
    if not event_ids:
        return []
    return cursor.rows(conn, "SELECT id, data FROM event_sources WHERE event_id IN :ids ORDER BY id",
                       {"ids": sorted(set(event_ids))})


def registry_name(conn: Connection, table: str, entry_id: str) -> str | None:
    """The name of a mechanism (table "mechanisms") or person ("people"), None when unknown."""
    found = cursor.rows(conn, f"SELECT name FROM {'mechanisms' if table == 'mechanisms' else 'people'} WHERE id = :i",
                        {"i": entry_id})
    return str(found[0][0]) if found else None


def add_aliases(conn: Connection, table: str, entry_id: str, names: list[str]) -> None:
    """Give a mechanism or person these names as aliases (those it has not yet)."""
    t, owner = (mechanism_aliases, mechanism_aliases.c.mechanism_id) if table == "mechanisms" else (
        person_aliases, person_aliases.c.person_id)
    known = {a.lower() for a in conn.execute(select(t.c.alias).where(owner == entry_id)).scalars()}
    new = [n for n in dict.fromkeys(names) if n and n.lower() not in known]
    if new:
        conn.execute(insert(t), [{owner.name: entry_id, "alias": n} for n in new])


def aliases(conn: Connection, table: str, entry_id: str) -> list[str]:
    t, owner = (mechanism_aliases, mechanism_aliases.c.mechanism_id) if table == "mechanisms" else (
        person_aliases, person_aliases.c.person_id)
    return list(conn.execute(select(t.c.alias).where(owner == entry_id).order_by(t.c.alias)).scalars())


def by_importance(conn: Connection, limit: int, offset: int) -> list[tuple[int, int, str | None, str]]:
    """Events, the most reported first, then the most recently reported: rows (id,
    n_sources, last report, sort date)."""
    return [tuple(r) for r in conn.execute(
        select(events.c.id, events.c.n_sources, events.c.last_report, events.c.sort_date)
        .order_by(events.c.n_sources.desc(), events.c.last_report.desc().nulls_last(), events.c.sort_date.desc(),
                  events.c.id).limit(limit).offset(offset)).all()]


def reports_by_event(conn: Connection, event_ids: list[int]) -> dict[int, list[tuple[str, str | None, int]]]:
    """The reports of these events: event id -> [(event JSON, published, document id)]."""
    out: dict[int, list[tuple[str, str | None, int]]] = {}
    if not event_ids:
        return out
    for eid, data, published, doc in conn.execute(
            select(event_sources.c.event_id, event_sources.c.data, event_sources.c.published, event_sources.c.document_id)
            .where(event_sources.c.event_id.in_(event_ids)).order_by(event_sources.c.id)):
        out.setdefault(eid, []).append((data, published, doc))
    return out


def merged_ids(conn: Connection, table: str) -> dict[str, str]:
    """The mechanisms (table "mechanisms") or people ("people") merged into others by a
    correction in force: id -> the id kept (the end of a chain of merges)."""
    kind = "merge_mechanisms" if table == "mechanisms" else "merge_people"
    moved = {json.loads(o): json.loads(t) for t, o in cursor.rows(
        conn, "SELECT target, other FROM corrections WHERE kind = :k AND undone_at IS NULL ORDER BY id", {"k": kind})}
    out = {}
    for old, new in moved.items():
        seen = {old}
        while new in moved and new not in seen:
            seen.add(new)
            new = moved[new]
        out[old] = new
    return out
