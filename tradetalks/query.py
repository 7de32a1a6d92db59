"""Questions asked of the record: timelines, what is coming up, the mechanisms and people
it knows, full-text search, and everything about one event with its evidence."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import ARRAY, Integer, and_, any_, case, cast, func, literal, literal_column, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from tradetalks import lexicons
from tradetalks.errors import NotFound, QueryError
from tradetalks.extract import matchers
from tradetalks.link.names import fold, mechanism_parts
from tradetalks.link.record import Sentences
from tradetalks.store import fts
from tradetalks.store.schema import (
    documents,
    event_parties,
    event_people,
    event_sources,
    event_topics,
    events,
    mechanism_aliases,
    mechanisms,
    people,
    person_aliases,
    person_titles,
)

MAX_LIMIT = 10_000
MAX_QUERY = 500         # characters of a search
FACET_HITS = 1000       # a search's facets count its best matches, up to this many


def country_code(value: str) -> str:
    code = value.strip().upper()
    if code == "EU":
        code = "EUU"
    if code not in lexicons.get().countries:
        hit = matchers.lookup_country(value.strip())
        if hit and hit[0]:
            return hit[0]
        raise QueryError(f"unknown country {value!r}; give an ISO 3166-1 alpha-3 code such as USA, TWN, CHN, EUU")
    return code


_PAD = {4: "-01-01", 7: "-01", 10: ""}  # YYYY, YYYY-MM, YYYY-MM-DD


def check_date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        date.fromisoformat(value + _PAD[len(value)])
        return value
    except (KeyError, ValueError):
        raise QueryError(f"{option} {value!r} is not a date; give YYYY, YYYY-MM or YYYY-MM-DD") from None


def resolve_mechanism(conn: Connection, name: str) -> str:
    """A mechanism's id from its id, name, any name seen for it, acronym or short name."""
    rows = conn.execute(select(mechanisms.c.id, mechanisms.c.name, mechanisms.c.key, mechanisms.c.acronyms)).all()
    wanted = fold(name)
    for mid, full, _, _ in rows:
        if name == mid or wanted == fold(full):
            return str(mid)
    alias = conn.execute(select(mechanism_aliases.c.mechanism_id).where(func.lower(mechanism_aliases.c.alias) == name.lower())).scalar()
    if alias:
        return str(alias)
    core, _ = mechanism_parts(name)
    hits = [mid for mid, _, key, acr in rows if key == core or name.upper() in json.loads(acr or "[]")]
    if len(hits) == 1:
        return str(hits[0])
    hits = [mid for mid, full, _, _ in rows if wanted and wanted in fold(full)]
    if len(hits) == 1:
        return str(hits[0])
    known = sorted(full for _, full, _, _ in rows)
    if hits:
        raise QueryError(f"{name!r} fits several mechanisms; give one of: " + "; ".join(
            full for mid, full, _, _ in rows if mid in hits))
    shown = "; ".join(known[:8]) + (" ..." if len(known) > 8 else "")
    raise QueryError(f"unknown mechanism {name!r}; known mechanisms: {shown or 'none yet'} (see: tradetalks mechanisms)")


def _with_parties(conn: Connection, q: Select, codes: list[str]) -> Select:
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


def filtered(conn: Connection, *, between: list[str] | None = None, mechanism: str | None = None,
              since: str | None = None, until: str | None = None, type_: str | None = None,
              status: str | None = None, country: str | None = None, topic: str | None = None,
              parties: str | None = None, person: str | None = None) -> Select:
    """The events that pass the filters, as a query (timeline, search and export use it)."""
    q = select(events)
    if person:
        q = q.where(events.c.id.in_(select(event_people.c.event_id).where(event_people.c.person_id == person)))
    if parties is not None:  # exactly these sides: "TWN USA"
        q = q.where(events.c.parties == parties)
    codes = [country_code(c) for c in between or []]
    if country:
        codes.append(country_code(country))
    if codes:
        q = _with_parties(conn, q, codes)
    if mechanism:
        q = q.where(events.c.mechanism_id == resolve_mechanism(conn, mechanism))
    if since:
        q = q.where(events.c.sort_date >= check_date(since, "--since"))
    if until:
        q = q.where(events.c.sort_date <= (check_date(until, "--until") or "") + "\uffff")
    if type_:
        q = q.where(events.c.type == type_)
    if status:
        q = q.where(events.c.status == status)
    if topic:
        lexicons.get().topic(topic)
        q = q.where(events.c.id.in_(select(event_topics.c.event_id).where(event_topics.c.topic == topic)))
    return q


def _leads(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if not ids:
        return out
    for eid, name in conn.execute(select(event_people.c.event_id, people.c.name).join(
            people, people.c.id == event_people.c.person_id).where(
            event_people.c.event_id.in_(ids), event_people.c.role == "lead").order_by(people.c.name)):
        out.setdefault(eid, []).append(name)
    return out


def _when(start: str | None, end: str | None) -> str:
    if not start:
        return ""
    return start if not end or end == start else f"{start} to {end}"


_LISTED = (events.c.id, events.c.type, events.c.status, events.c.mechanism, events.c.mechanism_id, events.c.round,
           events.c.start, events.c.end, events.c.place, events.c.country, events.c.parties, events.c.n_sources)


def event_rows(conn: Connection, q: Select, limit: int = 1000, offset: int = 0, *, newest_first: bool = False) -> list[dict[str, Any]]:
    if newest_first:  # the undated ("" sorts first) come last by themselves
        q = q.order_by(events.c.sort_date.desc(), events.c.id.desc())
    else:
        q = q.order_by(case((events.c.sort_date == "", 1), else_=0), events.c.sort_date, events.c.id)
    q = q.with_only_columns(*_LISTED).limit(min(limit, MAX_LIMIT)).offset(offset)  # not the record's JSON
    rows = conn.execute(q).mappings().all()
    leads = _leads(conn, [r["id"] for r in rows])
    return [{
        "id": r["id"], "when": _when(r["start"], r["end"]), "type": r["type"], "status": r["status"],
        "mechanism": r["mechanism"], "round": r["round"],
        "where": ", ".join(x for x in (r["place"], r["country"]) if x), "parties": r["parties"],
        "leads": "; ".join(leads.get(r["id"], [])), "sources": r["n_sources"],
        "start": r["start"], "end": r["end"], "mechanism_id": r["mechanism_id"],
    } for r in rows]


def timeline(conn: Connection, *, limit: int = 1000, offset: int = 0, **filters: Any) -> list[dict[str, Any]]:
    """Events in date order (an undated event at the date of its first report)."""
    return event_rows(conn, filtered(conn, **filters), limit, offset)


def upcoming(conn: Connection, *, today: str | None = None, limit: int = 1000, **filters: Any) -> list[dict[str, Any]]:
    """Planned events not yet past: dated today or later (at the precision they have), or undated."""
    today = today or date.today().isoformat()
    q = filtered(conn, status="planned", **filters).where(or_(
        events.c.start.is_(None),
        and_(func.length(events.c.start) == 4, events.c.start >= today[:4]),
        and_(func.length(events.c.start) == 7, events.c.start >= today[:7]),
        and_(func.length(events.c.start) == 10, func.coalesce(events.c.end, events.c.start) >= today),
    ))
    return event_rows(conn, q, limit)


def relationships(conn: Connection) -> list[dict[str, Any]]:
    """The sides the record follows (the parties of its events), with counts."""
    dated = func.nullif(events.c.sort_date, "")
    rows = conn.execute(select(events.c.parties, func.count(), func.min(dated), func.max(dated))
                        .where(events.c.parties.like("% %")).group_by(events.c.parties).order_by(func.count().desc(), events.c.parties))
    return [{"parties": p, "events": n, "first": a, "last": b} for p, n, a, b in rows]


def mechanism_list(conn: Connection) -> list[dict[str, Any]]:
    stats = select(events.c.mechanism_id, func.count().label("n"), func.max(events.c.round).label("rounds"),
                   func.min(events.c.start).label("first"), func.max(events.c.start).label("last")).group_by(
        events.c.mechanism_id).subquery()
    rows = conn.execute(select(mechanisms, stats.c.n, stats.c.rounds, stats.c.first, stats.c.last).outerjoin(
        stats, stats.c.mechanism_id == mechanisms.c.id).order_by(mechanisms.c.name)).mappings().all()
    return [{"id": r["id"], "name": r["name"], "parties": r["parties"], "acronyms": ", ".join(json.loads(r["acronyms"] or "[]")),
             "events": r["n"] or 0, "last_round": r["rounds"], "first": r["first"], "last": r["last"]} for r in rows]


def people_list(conn: Connection, *, country: str | None = None, name: str | None = None) -> list[dict[str, Any]]:
    n_events = select(event_people.c.person_id, func.count(func.distinct(event_people.c.event_id)).label("n")).group_by(
        event_people.c.person_id).subquery()
    q = select(people, n_events.c.n).outerjoin(n_events, n_events.c.person_id == people.c.id)
    if country:
        q = q.where(people.c.country == country_code(country))
    if name:
        q = q.where(people.c.key.like(f"%{fold(name)}%") | people.c.id.in_(
            select(person_aliases.c.person_id).where(func.lower(person_aliases.c.alias).like(f"%{name.lower()}%"))))
    rows = conn.execute(q.order_by(n_events.c.n.desc().nulls_last(), people.c.name)).mappings().all()
    titles: dict[str, str] = {}
    for pid, title, _ in conn.execute(select(person_titles.c.person_id, person_titles.c.title, person_titles.c.last_seen)
                                         .order_by(person_titles.c.last_seen)):
        titles[pid] = title  # the latest seen wins
    return [{"id": r["id"], "name": r["name"], "country": r["country"], "title": titles.get(r["id"]),
             "events": r["n"] or 0} for r in rows]


def person(conn: Connection, person_id: str) -> dict[str, Any]:
    row = conn.execute(select(people).where(people.c.id == person_id)).mappings().first()
    if row is None:
        raise NotFound(f"no person {person_id!r}; list them with: tradetalks people")
    aliases = list(conn.execute(select(person_aliases.c.alias).where(person_aliases.c.person_id == person_id)).scalars())
    titles = [dict(t) for t in conn.execute(select(person_titles.c.title, person_titles.c.org, person_titles.c.first_seen,
                                                   person_titles.c.last_seen).where(person_titles.c.person_id == person_id)
                                            .order_by(person_titles.c.first_seen)).mappings()]
    ids = select(event_people.c.event_id).where(event_people.c.person_id == person_id)
    return {"id": row["id"], "name": row["name"], "country": row["country"], "aliases": aliases, "titles": titles,
            "events": event_rows(conn, select(events).where(events.c.id.in_(ids)))}


Marks = Callable[[str], str]


def _check_search(q: str) -> None:
    if not q.strip():
        raise QueryError("the search is empty; give some words, e.g. tradetalks search \"critical minerals\"")
    if len(q) > MAX_QUERY:
        raise QueryError(f"the search is {len(q)} characters long; give at most {MAX_QUERY}")


def _hits(conn: Connection, q: str, limit: int, filters: dict[str, Any]) -> list[int]:
    """Ids of the events matching the words and passing the filters, best first."""
    _check_search(q)
    narrowed = any(v for v in filters.values())
    if narrowed and conn.dialect.name == "postgresql":
        return fts.ranked_among(conn, q, limit, filtered(conn, **filters).with_only_columns(events.c.id))
    ids = fts.ranked(conn, "events", q, limit)
    if not ids or not narrowed:
        return ids
    passing = set(conn.execute(filtered(conn, **filters).with_only_columns(events.c.id).where(events.c.id.in_(ids))).scalars())
    return [i for i in ids if i in passing]


def _ranked_rows(conn: Connection, q: str, ids: list[int], marks: Marks, offset: int | None = None,
                 found: dict[int, str] | None = None) -> list[dict[str, Any]]:
    """The rows of these events, in this order, each with its snippet (given in `found`,
    or made; `offset`: these are the matches ranked from there on, none filtered out)."""
    rows = {r["id"]: r for r in event_rows(conn, select(events).where(events.c.id.in_(ids)), MAX_LIMIT)}
    if found is None:
        found = fts.snippets(conn, "events", q, ids, offset)
    return [{**rows[i], "snippet": marks(" ".join(found.get(i, "").split()))} for i in ids if i in rows]


def search(conn: Connection, q: str, *, limit: int = 50, marks: Marks = fts.bracketed, **filters: Any) -> list[dict[str, Any]]:
    """Events whose fields or supporting sentences match the words, best first."""
    if not any(filters.values()):
        _check_search(q)
        hits = fts.matches(conn, "events", q, limit)
        return _ranked_rows(conn, q, [i for i, _ in hits], marks, found=dict(hits))
    ids = _hits(conn, q, MAX_LIMIT, filters)
    return _ranked_rows(conn, q, ids[:limit], marks)


def search_page(conn: Connection, q: str, *, page: int = 1, per_page: int = 20, marks: Marks = fts.bracketed,
                **filters: Any) -> dict[str, Any]:
    """One page of a search, best first, with the facets (type, country, mechanism, topic,
    year) of its best FACET_HITS matches."""
    ids = _hits(conn, q, FACET_HITS, filters)
    first = (page - 1) * per_page
    return {"query": q, "total": len(ids), "capped": len(ids) >= FACET_HITS, "page": page, "per_page": per_page,
            "items": _ranked_rows(conn, q, ids[first:first + per_page], marks, None if any(filters.values()) else first),
            "facets": facets(conn, ids)}


def among(conn: Connection, column: Any, ids: list[int]) -> Any:
    """`column IN ids`, the ids sent as one parameter (a JSON array on SQLite, an array on
    PostgreSQL), which is much cheaper than thousands of bound values."""
    if conn.dialect.name == "postgresql":
        return column == any_(cast(literal(list(ids)), ARRAY(Integer)))
    return column.in_(select(literal_column("value")).select_from(func.json_each(literal(json.dumps(list(ids))))))


def facets(conn: Connection, ids: list[int]) -> dict[str, list[tuple[str, str, int]]]:
    """Counts of the events' types, countries, mechanisms, topics and years, as
    (value, label, count), most frequent first (30 at most each)."""
    counts: dict[str, Counter[tuple[str, str]]] = {k: Counter() for k in ("type", "country", "mechanism", "topic", "year")}
    if ids:
        for type_, sort_date, mid, name in conn.execute(select(events.c.type, events.c.sort_date, events.c.mechanism_id,
                                                               events.c.mechanism).where(among(conn, events.c.id, ids))):
            counts["type"][(type_, type_)] += 1
            if sort_date:
                counts["year"][(sort_date[:4], sort_date[:4])] += 1
            if mid:
                counts["mechanism"][(mid, name or mid)] += 1
        for name, table, column in (("country", event_parties, event_parties.c.country), ("topic", event_topics, event_topics.c.topic)):
            for value, n in conn.execute(select(column, func.count()).where(among(conn, table.c.event_id, ids)).group_by(column)):
                counts[name][(value, value)] = n
    return {name: [(v, label, n) for (v, label), n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:30]]
            for name, c in counts.items()}


def search_documents(conn: Connection, q: str, *, limit: int = 50, marks: Marks = fts.bracketed) -> list[dict[str, Any]]:
    _check_search(q)
    hits = fts.matches(conn, "documents", q, limit)
    if not hits:
        return []
    meta = {r["id"]: r for r in conn.execute(select(documents.c.id, documents.c.title, documents.c.source,
                                                    documents.c.published, documents.c.publisher).where(
        documents.c.id.in_([h for h, _ in hits]))).mappings()}
    return [{**dict(meta[i]), "snippet": marks(" ".join(s.split()))} for i, s in hits if i in meta]


def show(conn: Connection, event_id: int, *, texts: bool = False) -> dict[str, Any]:
    """Every field of an event, each source that reported it, and the sentence behind each
    field in each source; with `texts`, each source's text too, with the spans of its
    supporting sentences (field "sentence") and of its evidence."""
    row = conn.execute(select(events).where(events.c.id == event_id)).mappings().first()
    if row is None:
        raise NotFound(f"no event {event_id}; find ids with: tradetalks timeline")
    rec = json.loads(row["data"])
    sources = []
    for doc_id, data, title, source, url, publisher, published, text in conn.execute(
            select(event_sources.c.document_id, event_sources.c.data, documents.c.title, documents.c.source,
                   documents.c.url, documents.c.publisher, documents.c.published, documents.c.text)
            .join(documents, documents.c.id == event_sources.c.document_id)
            .where(event_sources.c.event_id == event_id).order_by(documents.c.published, documents.c.id)):
        evidence = json.loads(data).get("evidence") or []
        support: dict[str, list[str]] = {}  # sentence -> the fields it supports
        spans: set[tuple[int, int]] = set()
        split = Sentences(text)
        for ev in evidence:
            spans.add(split.span(ev["start"], ev["end"]))
            sentence = split.around(ev["start"], ev["end"])
            if sentence and ev["field"] not in support.setdefault(sentence, []):
                support[sentence].append(ev["field"])
        found = {"document_id": doc_id, "title": title, "source": source, "url": url, "publisher": publisher,
                 "published": published, "evidence": evidence,
                 "support": [{"sentence": k, "fields": v} for k, v in support.items()]}
        if texts:
            found["text"] = text
            found["spans"] = sorted([(a, b, "sentence", None) for a, b in spans if a < b]
                                    + [(e["start"], e["end"], e["field"], event_id) for e in evidence])
        sources.append(found)
    return {"id": row["id"], **rec, "mechanism_id": row["mechanism_id"], "sources": sources}
