"""Questions asked of the record: timelines, what is coming up, the mechanisms and people
it knows, full-text search, and everything about one event with its evidence."""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from tradetalks import lexicons
from tradetalks.errors import NotFound, QueryError
from tradetalks.extract import matchers
from tradetalks.extract.sentences import sentences
from tradetalks.link.names import fold, mechanism_parts
from tradetalks.link.prepared import MAX_SENTENCE_CHARS
from tradetalks.store import corrections, fts, listing, lookup
from tradetalks.store.listing import MAX_LIMIT

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
    merged = corrections.merged_ids(conn, "mechanisms")  # merged into another by an analyst: that one
    found = _mechanism_named(conn, name)
    return merged.get(found, found)


def _mechanism_named(conn: Connection, name: str) -> str:
    rows = lookup.mechanism_names(conn)
    wanted = fold(name)
    for mid, full, _, _ in rows:
        if name == mid or wanted == fold(full):
            return str(mid)
    alias = lookup.mechanism_with_alias(conn, name)
    if alias:
        return alias
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


def filtered(conn: Connection, *, between: list[str] | None = None, mechanism: str | None = None,
             since: str | None = None, until: str | None = None, type_: str | None = None,
             status: str | None = None, country: str | None = None, topic: str | None = None,
             parties: str | None = None, person: str | None = None) -> Select:
    """The events that pass the filters, as a query (timeline, search and export use it)."""
    codes = [country_code(c) for c in between or []]
    if country:
        codes.append(country_code(country))
    mechanism_id = resolve_mechanism(conn, mechanism) if mechanism else None
    since = check_date(since, "--since") if since else None
    until = check_date(until, "--until") if until else None
    if topic:
        lexicons.get().topic(topic)
    return listing.passing(conn, person=person, parties=parties, codes=codes, mechanism_id=mechanism_id,
                           since=since, until=until, type_=type_, status=status, topic=topic)


def _when(start: str | None, end: str | None) -> str:
    if not start:
        return ""
    return start if not end or end == start else f"{start} to {end}"


def event_rows(conn: Connection, q: Select, limit: int = 1000, offset: int = 0, *, newest_first: bool = False) -> list[dict[str, Any]]:
    """The rows a listing shows of the events of a query (filtered, in store.listing)."""
    rows = listing.listed(conn, q, limit, offset, newest_first=newest_first)
    leads = listing.leads(conn, [r["id"] for r in rows])
    return [{
        "id": r["id"], "when": _when(r["start"], r["end"]), "type": r["type"], "status": r["status"],
        "mechanism": r["mechanism"], "round": r["round"],
        "where": ", ".join(x for x in (r["place"], r["country"]) if x), "parties": r["parties"],
        "leads": "; ".join(leads.get(r["id"], [])), "sources": r["n_sources"],
        "start": r["start"], "end": r["end"], "mechanism_id": r["mechanism_id"], "announced": r["last_report"],
    } for r in rows]


def timeline(conn: Connection, *, limit: int = 1000, offset: int = 0, **filters: Any) -> list[dict[str, Any]]:
    """Events in date order (an undated event at the date of its first report)."""
    return event_rows(conn, filtered(conn, **filters), limit, offset)


RECENT_MONTHS = 12  # a plan without a date is shown while announced this recently


def upcoming(conn: Connection, *, today: str | None = None, limit: int = 1000, recent_months: int = RECENT_MONTHS,
             **filters: Any) -> list[dict[str, Any]]:
    """Planned events still ahead on `today` (default: the real today): those dated from
    then on at the precision they have, soonest first, then those not dated yet, shown only
    while recent (last announced within `recent_months` before `today`), the latest
    announced first. Each row says whether it is dated and when it was last announced."""
    today = today or date.today().isoformat()
    try:
        if len(today) != 10:
            raise ValueError
        date.fromisoformat(today)
    except ValueError:
        raise QueryError(f"{today!r} is not a day to look ahead from; give YYYY-MM-DD, e.g. 2024-04-05") from None
    planned = filtered(conn, status="planned", **filters)
    dated = event_rows(conn, listing.dated_from(planned, today), limit)
    since = months_before(today, recent_months)
    undated = event_rows(conn, listing.undated_reported(planned, since, today), max(0, limit - len(dated)),
                         newest_first=True)
    return [{**r, "dated": True} for r in dated] + [{**r, "dated": False} for r in undated]


def months_before(day: str, months: int) -> str:
    """The day `months` months before a YYYY-MM-DD day (the month's last day when shorter)."""
    y, m, d = (int(x) for x in day.split("-"))
    total = y * 12 + (m - 1) - months
    y, m = divmod(total, 12)
    m += 1
    last = (date(y + m // 12, m % 12 + 1, 1) - date.resolution).day
    return f"{y:04d}-{m:02d}-{min(d, last):02d}"


def relationships(conn: Connection) -> list[dict[str, Any]]:
    """The sides the record follows (the parties of its events), with counts."""
    return [{"parties": p, "events": n, "first": a, "last": b} for p, n, a, b in listing.relationships(conn)]


def mechanism_list(conn: Connection) -> list[dict[str, Any]]:
    merged = corrections.merged_ids(conn, "mechanisms")
    rows = [r for r in lookup.mechanisms_with_counts(conn) if r["id"] not in merged]
    return [{"id": r["id"], "name": r["name"], "parties": r["parties"], "acronyms": ", ".join(json.loads(r["acronyms"] or "[]")),
             "events": r["n"] or 0, "last_round": r["rounds"], "first": r["first"], "last": r["last"]} for r in rows]


def people_list(conn: Connection, *, country: str | None = None, name: str | None = None) -> list[dict[str, Any]]:
    rows = lookup.people_with_counts(conn, country=country_code(country) if country else None,
                                     key_part=fold(name) if name else None, alias_part=name.lower() if name else None)
    titles = lookup.latest_titles(conn)
    merged = corrections.merged_ids(conn, "people")
    return [{"id": r["id"], "name": r["name"], "country": r["country"], "title": titles.get(r["id"]),
             "events": r["n"] or 0} for r in rows if r["id"] not in merged]


def person(conn: Connection, person_id: str) -> dict[str, Any]:
    person_id = corrections.merged_ids(conn, "people").get(person_id, person_id)  # merged into another: that one
    found = lookup.person(conn, person_id)
    if found is None:
        raise NotFound(f"no person {person_id!r}; list them with: tradetalks people")
    row, aliases, titles = found
    return {"id": row["id"], "name": row["name"], "country": row["country"], "aliases": aliases, "titles": titles,
            "events": event_rows(conn, listing.passing(conn, person=person_id))}


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
        return listing.ranked_passing(conn, q, limit, filtered(conn, **filters))
    ids = fts.ranked(conn, "events", q, limit)
    if not ids or not narrowed:
        return ids
    passing = listing.passing_ids(conn, filtered(conn, **filters), ids)
    return [i for i in ids if i in passing]


def _ranked_rows(conn: Connection, q: str, ids: list[int], marks: Marks, offset: int | None = None,
                 found: dict[int, str] | None = None) -> list[dict[str, Any]]:
    """The rows of these events, in this order, each with its snippet (given in `found`,
    or made; `offset`: these are the matches ranked from there on, none filtered out)."""
    rows = {r["id"]: r for r in event_rows(conn, listing.with_ids(ids), MAX_LIMIT)}
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


def facets(conn: Connection, ids: list[int]) -> dict[str, list[tuple[str, str, int]]]:
    """Counts of the events' types, countries, mechanisms, topics and years, as
    (value, label, count), most frequent first (30 at most each)."""
    counts: dict[str, Counter[tuple[str, str]]] = {k: Counter() for k in ("type", "country", "mechanism", "topic", "year")}
    if ids:
        rows, by_side_and_topic = listing.facet_rows(conn, ids)
        for type_, sort_date, mid, name in rows:
            counts["type"][(type_, type_)] += 1
            if sort_date:
                counts["year"][(sort_date[:4], sort_date[:4])] += 1
            if mid:
                counts["mechanism"][(mid, name or mid)] += 1
        for facet, values in by_side_and_topic.items():
            for value, n in values:
                counts[facet][(value, value)] = n
    return {name: [(v, label, n) for (v, label), n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:30]]
            for name, c in counts.items()}


def search_documents(conn: Connection, q: str, *, limit: int = 50, marks: Marks = fts.bracketed) -> list[dict[str, Any]]:
    _check_search(q)
    hits = fts.matches(conn, "documents", q, limit)
    if not hits:
        return []
    meta = lookup.documents_meta(conn, [h for h, _ in hits])
    return [{**dict(meta[i]), "snippet": marks(" ".join(s.split()))} for i, s in hits if i in meta]


class Support:
    """The sentences of a text as extract/sentences.py splits them, for the spans of many
    pieces of evidence."""

    def __init__(self, text: str) -> None:
        self.text = text
        spans = sentences(text) or [(0, len(text))]
        self.starts = [a for a, _ in spans]
        self.stops = [b for _, b in spans]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where the sentence (or sentences) holding a span begins and ends in the text."""
        i = max(0, bisect_right(self.starts, start) - 1)
        j = max(i, min(len(self.stops) - 1, bisect_left(self.stops, end)))
        return self.starts[i], max(self.stops[j], self.starts[i])

    def around(self, start: int, end: int) -> str:
        """The sentence (or sentences) holding a span, capped in length."""
        first, last = self.span(start, end)
        return self.text[first:last].strip()[:MAX_SENTENCE_CHARS]


def support_of(evidence: list[dict[str, Any]], split: Support) -> list[dict[str, Any]]:
    """Each sentence that supports a field of an event, once, with the fields it supports."""
    support: dict[str, list[str]] = {}  # sentence -> the fields it supports
    for ev in evidence:
        sentence = split.around(ev["start"], ev["end"])
        if sentence and ev["field"] not in support.setdefault(sentence, []):
            support[sentence].append(ev["field"])
    return [{"sentence": k, "fields": v} for k, v in support.items()]


def _source(event_id: int, report: tuple[Any, ...], texts: bool) -> dict[str, Any]:
    """One report of an event as `show` gives it."""
    doc_id, data, title, source, url, publisher, published, text = report
    evidence = json.loads(data).get("evidence") or []
    split = Support(text)
    found = {"document_id": doc_id, "title": title, "source": source, "url": url, "publisher": publisher,
             "published": published, "evidence": evidence, "support": support_of(evidence, split)}
    if texts:
        spans = {split.span(ev["start"], ev["end"]) for ev in evidence}
        found["text"] = text
        found["spans"] = sorted([(a, b, "sentence", None) for a, b in spans if a < b]
                                + [(e["start"], e["end"], e["field"], event_id) for e in evidence])
    return found


def show(conn: Connection, event_id: int, *, texts: bool = False) -> dict[str, Any]:
    """Every field of an event, each source that reported it, and the sentence behind each
    field in each source; with `texts`, each source's text too, with the spans of its
    supporting sentences (field "sentence") and of its evidence."""
    row = lookup.event(conn, event_id)
    if row is None:
        raise NotFound(f"no event {event_id}; find ids with: tradetalks timeline")
    rec = json.loads(row["data"])
    sources = [_source(event_id, report, texts) for report in lookup.event_reports(conn, event_id)]
    return {"id": row["id"], **rec, "mechanism_id": row["mechanism_id"], "sources": sources}
