"""The record's read statements over many events: the events that pass a listing's filters
(a query other statements here take), the rows a listing shows of them, how many there
are, their facets, a chart's points, the newest for feeds, and the relationships.

The filters arrive checked (countries as codes, a mechanism as its id, dates as dates):
:mod:`tradetalks.query` checks what users give."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ARRAY, Integer, and_, any_, case, cast, func, literal, literal_column, or_, select
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql import Select

from tradetalks.store import fts
from tradetalks.store.schema import documents, event_parties, event_people, event_sources, event_topics, events, people

MAX_LIMIT = 10_000
_LISTED = (events.c.id, events.c.type, events.c.status, events.c.mechanism, events.c.mechanism_id, events.c.round,
           events.c.start, events.c.end, events.c.place, events.c.country, events.c.parties, events.c.n_sources,
           events.c.last_report)


def _with_parties(conn: Connection, q: Select[Any], codes: list[str]) -> Select[Any]:
    """Events with all these sides: found from the rarest side's events (USA is a side of
    nearly everything), then checked for each other side."""
    def frequency(code: str) -> int:  # counted up to a bound: enough to tell a rare side from a common one
        some = select(event_parties.c.event_id).where(event_parties.c.country == code).limit(2000).subquery()
        return int(conn.execute(select(func.count()).select_from(some)).scalar() or 0)

    counts = {c: frequency(c) for c in set(codes)}
    rarest, *others = sorted(counts, key=lambda c: counts[c])
    q = q.where(events.c.id.in_(select(event_parties.c.event_id).where(event_parties.c.country == rarest)))
    for c in others:
        p = event_parties.alias()
        q = q.where(select(p.c.event_id).where(p.c.event_id == events.c.id, p.c.country == c).exists())
    return q


def passing(conn: Connection, *, person: str | None = None, parties: str | None = None, codes: list[str] | None = None,
            mechanism_id: str | None = None, since: str | None = None, until: str | None = None, type_: str | None = None,
            status: str | None = None, topic: str | None = None) -> Select[Any]:
    """The events that pass these filters, as a query: of a person (id), with exactly
    these sides (`parties`, "TWN USA") or with at least these (`codes`), of a mechanism
    (id), from `since` to `until` (dates of any precision; `until` includes its whole
    day, month or year), of a type, a status, a topic."""
    q = select(events)
    if person:
        q = q.where(events.c.id.in_(select(event_people.c.event_id).where(event_people.c.person_id == person)))
    if parties is not None:
        q = q.where(events.c.parties == parties)
    if codes:
        q = _with_parties(conn, q, codes)
    if mechanism_id:
        q = q.where(events.c.mechanism_id == mechanism_id)
    if since:
        q = q.where(events.c.sort_date >= since)
    if until:
        q = q.where(events.c.sort_date <= until + "\uffff")
    if type_:
        q = q.where(events.c.type == type_)
    if status:
        q = q.where(events.c.status == status)
    if topic:
        q = q.where(events.c.id.in_(select(event_topics.c.event_id).where(event_topics.c.topic == topic)))
    return q


def with_ids(ids: list[int]) -> Select[Any]:
    """These events, as a query."""
    return select(events).where(events.c.id.in_(ids))


def of_mechanism(mechanism_id: str) -> Select[Any]:
    """A mechanism's events, as a query."""
    return select(events).where(events.c.mechanism_id == mechanism_id)


def dated_from(q: Select[Any], today: str) -> Select[Any]:
    """Of the events of a query known on `today` (first reported by then, or by undated
    documents), those dated today or later at the precision they have (a month from its
    first day to its last, a span until its last day)."""
    known = or_(events.c.first_report.is_(None), events.c.first_report <= today)
    return q.where(events.c.start.is_not(None), known, or_(
        and_(func.length(events.c.start) == 4, events.c.start >= today[:4]),
        and_(func.length(events.c.start) == 7, events.c.start >= today[:7]),
        and_(func.length(events.c.start) == 10, func.coalesce(events.c.end, events.c.start) >= today),
    ))


def to_the(q: Select[Any], precision: str) -> Select[Any]:
    """Of the events of a query, those dated to the day, or only to the month or year."""
    if precision == "day":
        return q.where(func.length(events.c.start) == 10)
    return q.where(func.length(events.c.start).in_([4, 7]))


def undated_reported(q: Select[Any], since: str, until: str) -> Select[Any]:
    """Of the events of a query, those without a date that were first reported by `until`
    and last reported on `since` or later."""
    return q.where(events.c.start.is_(None), events.c.first_report <= until, events.c.last_report >= since)


def ids_of(q: Select[Any]) -> Select[Any]:
    """The ids of the events of a query, as a query."""
    return q.with_only_columns(events.c.id)


def passing_ids(conn: Connection, q: Select[Any], ids: list[int]) -> set[int]:
    """Of these events, those of the query."""
    return set(conn.execute(ids_of(q).where(events.c.id.in_(ids))).scalars())


def ranked_passing(conn: Connection, words: str, limit: int, q: Select[Any]) -> list[int]:
    """PostgreSQL: the events of the query that match a search, best first."""
    return fts.ranked_among(conn, words, limit, ids_of(q))


def count(conn: Connection, q: Select[Any]) -> int:
    """How many events the query has."""
    return int(conn.execute(select(func.count()).select_from(ids_of(q).subquery())).scalar() or 0)


def listed(conn: Connection, q: Select[Any], limit: int = 1000, offset: int = 0, *,
           newest_first: bool = False) -> list[RowMapping]:
    """What a listing shows of the events of a query (not their JSON), in date order (the
    undated, at "", last) or newest first."""
    if newest_first:  # the undated ("" sorts first) come last by themselves
        q = q.order_by(events.c.sort_date.desc(), events.c.id.desc())
    else:
        q = q.order_by(case((events.c.sort_date == "", 1), else_=0), events.c.sort_date, events.c.id)
    q = q.with_only_columns(*_LISTED).limit(min(limit, MAX_LIMIT)).offset(offset)
    return list(conn.execute(q).mappings().all())


def leads(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    """The names of the leads of these events, by event, in name order."""
    out: dict[int, list[str]] = {}
    if not ids:
        return out
    for eid, name in conn.execute(select(event_people.c.event_id, people.c.name).join(
            people, people.c.id == event_people.c.person_id).where(
            event_people.c.event_id.in_(ids), event_people.c.role == "lead").order_by(people.c.name)):
        out.setdefault(eid, []).append(name)
    return out


def relationships(conn: Connection) -> list[tuple[str, int, str | None, str | None]]:
    """The sets of two or more sides the events have: rows (parties, events, first date,
    last date), the most frequent first."""
    dated = func.nullif(events.c.sort_date, "")
    return [tuple(r) for r in conn.execute(
        select(events.c.parties, func.count(), func.min(dated), func.max(dated))
        .where(events.c.parties.like("% %")).group_by(events.c.parties).order_by(func.count().desc(), events.c.parties))]


def _among(conn: Connection, column: Any, ids: list[int]) -> Any:
    """`column IN ids`, the ids sent as one parameter (a JSON array on SQLite, an array on
    PostgreSQL), which is much cheaper than thousands of bound values."""
    if conn.dialect.name == "postgresql":
        return column == any_(cast(literal(list(ids)), ARRAY(Integer)))
    return column.in_(select(literal_column("value")).select_from(func.json_each(literal(json.dumps(list(ids))))))


def facet_rows(conn: Connection, ids: list[int]) -> tuple[list[Any], dict[str, list[tuple[str, int]]]]:
    """For these events, their (type, sort_date, mechanism_id, mechanism), and the counts
    of their countries and topics: ("country" | "topic") -> [(value, count)]."""
    rows = list(conn.execute(select(events.c.type, events.c.sort_date, events.c.mechanism_id, events.c.mechanism)
                             .where(_among(conn, events.c.id, ids))))
    counts = {name: [(v, n) for v, n in conn.execute(select(column, func.count()).where(
                  _among(conn, table.c.event_id, ids)).group_by(column))]
              for name, table, column in (("country", event_parties, event_parties.c.country),
                                          ("topic", event_topics, event_topics.c.topic))}
    return rows, counts


def chart(conn: Connection, q: Select[Any], limit: int) -> tuple[int, list[RowMapping]]:
    """The dated events of a query, for a chart: how many, and the newest `limit` of them
    (id, type, status, mechanism, round, start, end, sort_date), newest first."""
    q = q.with_only_columns(events.c.id, events.c.type, events.c.status, events.c.mechanism, events.c.round,
                            events.c.start, events.c.end, events.c.sort_date).where(events.c.sort_date != "")
    total = count(conn, q)
    return total, list(conn.execute(q.order_by(events.c.sort_date.desc(), events.c.id.desc()).limit(limit)).mappings().all())


def newest(conn: Connection, *, limit: int = 50, parties: str | None = None) -> list[RowMapping]:
    """The events most recently added (id, data, created_at, updated_at, n_sources),
    newest first; of exactly these sides when given."""
    q = select(events.c.id, events.c.data, events.c.created_at, events.c.updated_at, events.c.n_sources)
    if parties:
        q = q.where(events.c.parties == parties)
    return list(conn.execute(q.order_by(events.c.created_at.desc(), events.c.id.desc()).limit(limit)).mappings().all())


def in_date_order(conn: Connection, q: Select[Any] | None = None) -> Any:
    """The events of a query (every event without one), whole rows, in date order."""
    q = q if q is not None else select(events)
    return conn.execute(q.order_by(events.c.sort_date, events.c.id)).mappings()


def sources_of(conn: Connection, ids: list[int], *, texts: bool = False) -> dict[int, list[RowMapping]]:
    """The reports of these events with their documents, by event, in the order they were
    published: rows (event_id, document_id, data: the event as the document gives it,
    title, url, publisher, published, and with `texts` the document's text)."""
    out: dict[int, list[RowMapping]] = {}
    if not ids:
        return out
    columns = [event_sources.c.event_id, event_sources.c.document_id, event_sources.c.data, documents.c.title,
               documents.c.url, documents.c.publisher, documents.c.published] + ([documents.c.text] if texts else [])
    q = (select(*columns).join(documents, documents.c.id == event_sources.c.document_id)
         .where(_among(conn, event_sources.c.event_id, ids))
         .order_by(event_sources.c.event_id, documents.c.published.is_(None), documents.c.published, documents.c.id))
    for row in conn.execute(q).mappings():
        out.setdefault(row["event_id"], []).append(row)
    return out
