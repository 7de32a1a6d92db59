"""The web app's data queries: what the web pages and the API show beyond the command
line's questions (pages of events with their total, a relationship's chart, a mechanism's
rounds, a document with everything recognised in it, the newest events for feeds). Plain
functions over a connection, returning plain data."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from tradetalks import query
from tradetalks.errors import NotFound, QueryError
from tradetalks.export.codes import codes
from tradetalks.store import listing, lookup

CHART_POINTS = 5000     # events drawn on one chart at most
MECHANISM_EVENTS = 50   # a mechanism page shows its newest events, up to this many
MAX_SHOWN_TEXT = 300_000  # characters of a document shown (and highlighted) on a page


def count(conn: Connection, q: Select) -> int:
    return listing.count(conn, q)


def events_page(conn: Connection, *, page: int = 1, per_page: int = 50, newest_first: bool = False,
                **filters: Any) -> dict[str, Any]:
    """One page of the events that pass the filters, in date order, and how many pass."""
    q = query.filtered(conn, **filters)
    return {"items": query.event_rows(conn, q, per_page, (page - 1) * per_page, newest_first=newest_first),
            "total": count(conn, q), "page": page, "per_page": per_page}


def chart_points(conn: Connection, **filters: Any) -> dict[str, Any]:
    """The dated events that pass the filters, for a timeline chart: one point (or bar,
    for a span) each, at most CHART_POINTS of them, the newest kept."""
    total, rows = listing.chart(conn, query.filtered(conn, **filters), CHART_POINTS)
    points = [{"id": r["id"], "type": r["type"], "status": r["status"], "mechanism": r["mechanism"] or "(no mechanism)",
               "round": r["round"], "start": _day(r["start"] or r["sort_date"]), "end": _day(r["end"] or r["start"] or r["sort_date"]),
               "when": r["start"] or f"undated, reported {r['sort_date']}", "precise": bool(r["start"]) and len(r["start"]) == 10}
              for r in reversed(rows)]
    return {"points": points, "total": total, "shown": len(points)}


def _day(value: str) -> str:
    """A date of any precision as a day a chart can place: a month at its first day."""
    return {4: value + "-01-01", 7: value + "-01"}.get(len(value), value)


def overview(conn: Connection, *, today: str | None = None) -> dict[str, Any]:
    """The home page: the record's size, the newest held events, what is coming up and the
    relationships followed."""
    sizes = lookup.sizes(conn)
    latest = query.event_rows(conn, query.filtered(conn, status="held"), 12, newest_first=True)
    return {"sizes": sizes, "latest": latest, "upcoming": query.upcoming(conn, today=today, limit=12),
            "relationships": query.relationships(conn)}


def parties_key(value: str) -> str:
    """A relationship as given in a URL ("USA-TWN", "twn usa") as the record's key: its
    sides' codes, sorted, space-separated."""
    codes = sorted({query.country_code(c) for c in value.replace("-", " ").replace(",", " ").split() if c})
    if len(codes) < 2:
        raise QueryError(f"{value!r} is not a relationship; give two or more sides, e.g. USA-TWN")
    return " ".join(codes)


def relationship(conn: Connection, parties: str) -> dict[str, Any]:
    """A relationship's summary: its events' number and span, and the mechanisms it has."""
    (total, first, last), mechs = lookup.relationship(conn, parties)
    return {"parties": parties, "codes": parties.split(), "events": int(total or 0), "first": first, "last": last,
            "mechanisms": [{"id": m, "name": n, "events": c} for m, n, c in mechs]}


def mechanism(conn: Connection, mechanism_id: str) -> dict[str, Any]:
    """A mechanism: its rounds and other events in order (held and planned; the newest
    MECHANISM_EVENTS of them), the leads of each side at each, the topics of each as a
    matrix, the outcomes and the documents that reported them."""
    row = lookup.mechanism(conn, mechanism_id)
    if row is None:
        raise NotFound(f"no mechanism {mechanism_id!r}; list them with: tradetalks mechanisms")
    aliases = sorted(lookup.mechanism_aliases_of(conn, mechanism_id) - {row["name"]})
    mine = listing.of_mechanism(mechanism_id)
    total = count(conn, mine)
    rows = query.event_rows(conn, mine, MECHANISM_EVENTS, newest_first=True)[::-1]
    ids = [r["id"] for r in rows]
    data = {i: json.loads(d) for i, d in lookup.event_data(conn, ids).items()}
    sides = row["parties"].split()
    leads: dict[int, dict[str, list[dict[str, str]]]] = {}
    for eid, pid, name, country in lookup.leads_with_sides(conn, ids):
        side = country or "other"
        leads.setdefault(eid, {}).setdefault(side, []).append({"id": pid, "name": name})
        if side not in sides:
            sides.append(side)
    timeline = [{**r, "leads_by_side": leads.get(r["id"], {}), "topics": data[r["id"]].get("topics") or [],
                 "outcomes": data[r["id"]].get("outcomes") or []} for r in rows]
    topics = sorted({t for e in timeline for t in e["topics"]})
    matrix = [{"topic": t, "cells": [t in e["topics"] for e in timeline]} for t in topics]
    sources = lookup.reporting_documents(conn, ids, MECHANISM_EVENTS)
    return {"id": row["id"], "name": row["name"], "parties": row["parties"], "sides": sides,
            "acronyms": json.loads(row["acronyms"] or "[]"), "aliases": aliases, "total": total, "events": timeline,
            "topic_matrix": matrix, "sources": sources}


def documents_page(conn: Connection, *, page: int = 1, per_page: int = 50) -> dict[str, Any]:
    """The stored documents, newest first, with the number of events each reports."""
    items = lookup.documents_page(conn, limit=per_page, offset=(page - 1) * per_page)
    return {"items": items, "total": lookup.document_count(conn), "page": page, "per_page": per_page}


def document(conn: Connection, doc_id: int) -> dict[str, Any]:
    """A stored document: its metadata, cleaned text, raw input and extraction, the events
    it reports (with the record's ids) and the spans of everything recognised in it."""
    row = lookup.document(conn, doc_id)
    if row is None:
        raise NotFound(f"no document {doc_id}; list them at /documents")
    extraction = json.loads(row["extraction"])
    extraction["document"]["text"] = row["text"]
    linked = lookup.document_links(conn, doc_id)
    reported = []
    spans: list[tuple[int, int, str, int | None]] = []
    for i, ev in enumerate(extraction.get("events") or []):
        event_id = linked.get(i)
        reported.append({"position": i, "event_id": event_id, "type": ev["type"], "status": ev["status"],
                         "mechanism": ev.get("mechanism"), "round": ev.get("round"), "start": ev.get("start"),
                         "end": ev.get("end")})
        spans += [(e["start"], e["end"], e["field"], event_id) for e in ev.get("evidence") or []]
    text = row["text"]
    return {"id": row["id"], "title": row["title"], "source": row["source"], "url": row["url"], "publisher": row["publisher"],
            "published": row["published"], "kind": row["kind"], "dateline_place": row["dateline_place"],
            "dateline_country": row["dateline_country"], "duplicate_of": row["duplicate_of"], "similarity": row["similarity"],
            "ingested_at": row["ingested_at"], "extractor": row["extractor"], "text": text, "raw": row["raw"],
            "extraction": extraction, "events": reported,
            "spans": [s for s in spans if 0 <= s[0] < s[1] <= min(len(text), MAX_SHOWN_TEXT)],
            "truncated": len(text) > MAX_SHOWN_TEXT}


def event(conn: Connection, event_id: int) -> dict[str, Any]:
    """An event as `query.show` gives it, each source with its text (up to MAX_SHOWN_TEXT
    characters) and the spans of its supporting sentences and evidence in it."""
    ev = query.show(conn, event_id, texts=True)
    for s in ev["sources"]:
        s["truncated"] = len(s["text"]) > MAX_SHOWN_TEXT
        s["spans"] = [x for x in s["spans"] if 0 <= x[0] < x[1] <= min(len(s["text"]), MAX_SHOWN_TEXT)]
    return ev


def calendar(conn: Connection, *, today: str | None = None) -> dict[str, Any]:
    """The calendar page: how many planned events the calendar file holds (those dated to
    the day) and the planned events it cannot hold, dated only to the month (or the year):
    those from this month (year) on, soonest first, and the earlier ones, latest first."""
    today = today or date.today().isoformat()
    planned = query.filtered(conn, status="planned")
    coarse = query.event_rows(conn, listing.to_the(planned, "month"), listing.MAX_LIMIT)
    return {"today": today, "in_file": count(conn, listing.to_the(planned, "day")),
            "ahead": [r for r in coarse if r["start"] >= today[:len(r["start"])]],
            "earlier": [r for r in reversed(coarse) if r["start"] < today[:len(r["start"])]]}


def new_events(conn: Connection, *, limit: int = 50, parties: str | None = None) -> list[dict[str, Any]]:
    """The events most recently added to the record (newest first), for feeds: each with
    its sources (address, title, publisher, date) and its CAMEO and PLOVER codes."""
    rows = listing.newest(conn, limit=limit, parties=parties)
    reports = listing.sources_of(conn, [r["id"] for r in rows])
    out = []
    for r in rows:
        ev = {"id": r["id"], **json.loads(r["data"]), "created_at": r["created_at"], "updated_at": r["updated_at"],
              "n_sources": r["n_sources"]}
        ev["sources"] = [{"document_id": s["document_id"], "url": s["url"], "title": s["title"],
                          "publisher": s["publisher"], "published": s["published"]} for s in reports.get(r["id"], [])]
        out.append({**ev, **codes(ev["type"], ev["status"])})
    return out
