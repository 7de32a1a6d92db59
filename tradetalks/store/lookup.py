"""The record's read statements about one thing, and the registry's lists: an event with
its reports, a person, a mechanism, a document, their lists, a relationship's summary,
the record's size. Each returns rows (or None when the thing is not stored); what pages
and commands make of them is :mod:`tradetalks.query`'s and :mod:`tradetalks.views`'."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, RowMapping

from tradetalks.store.schema import (
    documents,
    event_people,
    event_sources,
    events,
    mechanism_aliases,
    mechanisms,
    people,
    person_aliases,
    person_titles,
)

_DOCUMENT_META = (documents.c.id, documents.c.title, documents.c.source, documents.c.url, documents.c.publisher,
                  documents.c.published)


def mechanism_names(conn: Connection) -> list[tuple[str, str, str, str]]:
    """Every mechanism: rows (id, name, key, acronyms JSON)."""
    return [tuple(r) for r in conn.execute(
        select(mechanisms.c.id, mechanisms.c.name, mechanisms.c.key, mechanisms.c.acronyms)).all()]


def mechanism_with_alias(conn: Connection, alias: str) -> str | None:
    """The id of a mechanism that has this name among its aliases (in any case)."""
    found = conn.execute(select(mechanism_aliases.c.mechanism_id).where(
        func.lower(mechanism_aliases.c.alias) == alias.lower())).scalar()
    return str(found) if found else None


def mechanisms_with_counts(conn: Connection) -> list[RowMapping]:
    """Every mechanism (its columns) with its events' number `n`, highest round `rounds`
    and first and last dates `first`, `last`, in name order."""
    stats = select(events.c.mechanism_id, func.count().label("n"), func.max(events.c.round).label("rounds"),
                   func.min(events.c.start).label("first"), func.max(events.c.start).label("last")).group_by(
        events.c.mechanism_id).subquery()
    return list(conn.execute(select(mechanisms, stats.c.n, stats.c.rounds, stats.c.first, stats.c.last).outerjoin(
        stats, stats.c.mechanism_id == mechanisms.c.id).order_by(mechanisms.c.name)).mappings().all())


def people_with_counts(conn: Connection, *, country: str | None = None, key_part: str | None = None,
                       alias_part: str | None = None) -> list[RowMapping]:
    """The people (their columns) with their events' number `n`, those with most events
    first; of a side; whose folded name contains `key_part` or one of whose names contains
    `alias_part` (lower case)."""
    n_events = select(event_people.c.person_id, func.count(func.distinct(event_people.c.event_id)).label("n")).group_by(
        event_people.c.person_id).subquery()
    q = select(people, n_events.c.n).outerjoin(n_events, n_events.c.person_id == people.c.id)
    if country:
        q = q.where(people.c.country == country)
    if key_part is not None:
        q = q.where(people.c.key.like(f"%{key_part}%") | people.c.id.in_(
            select(person_aliases.c.person_id).where(func.lower(person_aliases.c.alias).like(f"%{alias_part}%"))))
    return list(conn.execute(q.order_by(n_events.c.n.desc().nulls_last(), people.c.name)).mappings().all())


def latest_titles(conn: Connection) -> dict[str, str]:
    """Each person's title seen last."""
    titles: dict[str, str] = {}
    for pid, title, _ in conn.execute(select(person_titles.c.person_id, person_titles.c.title, person_titles.c.last_seen)
                                      .order_by(person_titles.c.last_seen)):
        titles[pid] = title  # the latest seen wins
    return titles


def person(conn: Connection, person_id: str) -> tuple[RowMapping, list[str], list[dict[str, Any]]] | None:
    """A person: their row, aliases, and titles (title, org, first_seen, last_seen) in the
    order they were first seen; None when unknown."""
    row = conn.execute(select(people).where(people.c.id == person_id)).mappings().first()
    if row is None:
        return None
    aliases = list(conn.execute(select(person_aliases.c.alias).where(person_aliases.c.person_id == person_id)).scalars())
    titles = [dict(t) for t in conn.execute(select(person_titles.c.title, person_titles.c.org, person_titles.c.first_seen,
                                                   person_titles.c.last_seen).where(person_titles.c.person_id == person_id)
                                            .order_by(person_titles.c.first_seen)).mappings()]
    return row, aliases, titles


def event(conn: Connection, event_id: int) -> RowMapping | None:
    return conn.execute(select(events).where(events.c.id == event_id)).mappings().first()


def event_reports(conn: Connection, event_id: int) -> list[tuple[Any, ...]]:
    """An event's reports with their documents: rows (document id, event JSON, title,
    source, url, publisher, published, text), in the order they were published."""
    return [tuple(r) for r in conn.execute(
        select(event_sources.c.document_id, event_sources.c.data, documents.c.title, documents.c.source,
               documents.c.url, documents.c.publisher, documents.c.published, documents.c.text)
        .join(documents, documents.c.id == event_sources.c.document_id)
        .where(event_sources.c.event_id == event_id).order_by(documents.c.published, documents.c.id))]


def event_data(conn: Connection, ids: list[int]) -> dict[int, str]:
    """The record's JSON of these events, by id."""
    return {i: d for i, d in conn.execute(select(events.c.id, events.c.data).where(events.c.id.in_(ids)))}


def leads_with_sides(conn: Connection, ids: list[int]) -> list[tuple[int, str, str, str | None]]:
    """The leads of these events: rows (event id, person id, name, side), in name order."""
    return [tuple(r) for r in conn.execute(
        select(event_people.c.event_id, people.c.id, people.c.name, event_people.c.country)
        .join(people, people.c.id == event_people.c.person_id)
        .where(event_people.c.event_id.in_(ids), event_people.c.role == "lead").order_by(people.c.name))]


def mechanism(conn: Connection, mechanism_id: str) -> RowMapping | None:
    return conn.execute(select(mechanisms).where(mechanisms.c.id == mechanism_id)).mappings().first()


def mechanism_aliases_of(conn: Connection, mechanism_id: str) -> set[str]:
    return set(conn.execute(select(mechanism_aliases.c.alias).where(mechanism_aliases.c.mechanism_id == mechanism_id)).scalars())


def reporting_documents(conn: Connection, ids: list[int], limit: int) -> list[dict[str, Any]]:
    """The newest `limit` documents that report these events (id, title, source, url,
    publisher, published, and `events`: how many of them each reports), oldest first."""
    return [dict(s) for s in conn.execute(
        select(*_DOCUMENT_META, func.count().label("events"))
        .join(event_sources, event_sources.c.document_id == documents.c.id)
        .where(event_sources.c.event_id.in_(ids)).group_by(*_DOCUMENT_META)
        .order_by(documents.c.published.desc(), documents.c.id.desc()).limit(limit)).mappings()][::-1]


def documents_meta(conn: Connection, ids: list[int]) -> dict[int, RowMapping]:
    """These documents' id, title, source, published and publisher, by id."""
    return {r["id"]: r for r in conn.execute(select(documents.c.id, documents.c.title, documents.c.source,
                                                    documents.c.published, documents.c.publisher).where(
        documents.c.id.in_(ids))).mappings()}


def documents_page(conn: Connection, *, limit: int, offset: int) -> list[dict[str, Any]]:
    """Stored documents, newest first (id, title, source, url, published, publisher, kind,
    duplicate_of, and `events`: the number it reports)."""
    reports = select(event_sources.c.document_id, func.count().label("n")).group_by(event_sources.c.document_id).subquery()
    q = (select(documents.c.id, documents.c.title, documents.c.source, documents.c.url, documents.c.published,
                documents.c.publisher, documents.c.kind, documents.c.duplicate_of, func.coalesce(reports.c.n, 0).label("events"))
         .outerjoin(reports, reports.c.document_id == documents.c.id)
         .order_by(documents.c.published.desc().nulls_last(), documents.c.id.desc())
         .limit(limit).offset(offset))
    return [dict(r) for r in conn.execute(q).mappings()]


def document(conn: Connection, doc_id: int) -> RowMapping | None:
    return conn.execute(select(documents).where(documents.c.id == doc_id)).mappings().first()


def document_links(conn: Connection, doc_id: int) -> dict[int, int]:
    """The events a document's reports were linked to: position in its extraction -> event id."""
    return {pos: eid for pos, eid in conn.execute(
        select(event_sources.c.position, event_sources.c.event_id).where(event_sources.c.document_id == doc_id))}


def sizes(conn: Connection) -> dict[str, int]:
    """How many events, documents, mechanisms and people the record holds."""
    return {name: int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
            for name, table in (("events", events), ("documents", documents), ("mechanisms", mechanisms), ("people", people))}


def document_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(documents)).scalar() or 0)


def relationship(conn: Connection, parties: str) -> tuple[tuple[Any, ...], list[tuple[str, str, int]]]:
    """A relationship's (number of events, first date, last date), and its mechanisms as
    rows (id, name, events), the most frequent first."""
    mine = events.c.parties == parties
    dated = func.nullif(events.c.sort_date, "")
    summary = tuple(conn.execute(select(func.count(), func.min(dated), func.max(dated)).where(mine)).one())
    mechs = [tuple(r) for r in conn.execute(select(events.c.mechanism_id, events.c.mechanism, func.count().label("n")).where(
        mine, events.c.mechanism_id.is_not(None)).group_by(events.c.mechanism_id, events.c.mechanism).order_by(
        func.count().desc(), events.c.mechanism)).all()]
    return summary, mechs


def all_reports(conn: Connection) -> list[tuple[int, str, int, str]]:
    """Every report of the record, as the linking benchmark reads them: rows (event id,
    the document's source, the report's position in its document, the report as JSON)."""
    return [tuple(r) for r in conn.execute(
        select(event_sources.c.event_id, documents.c.source, event_sources.c.position, event_sources.c.data)
        .join(documents, documents.c.id == event_sources.c.document_id)
        .order_by(documents.c.source, event_sources.c.position)).all()]
