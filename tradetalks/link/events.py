"""Linking a document's events: each is attached to the stored event it reports or added
as a new one, and an event's fields are reconciled from all its reports.

The decisions are plain functions over data (which events to look at, which one a report
is, what an event's fields and side rows become); :func:`link_events` and
:func:`refresh_events` read and write through the store's API, inside the caller's
transaction (one document, one transaction)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy.engine import Connection

from tradetalks.link import merge, registry
from tradetalks.link.names import person_key
from tradetalks.link.prepared import Prepared
from tradetalks.store import events as store
from tradetalks.store.documents import drawn, send_new_ids

Version = tuple[dict[str, Any], str | None]  # an event as one document reports it, and the document's date
_SAME_REPORT = ("type", "status", "mechanism", "round", "start", "end", "parties")


def _anchor(ev: dict[str, Any], published: str | None) -> str | None:
    return ev.get("start") or published


def wanted(ev: dict[str, Any], published: str | None) -> store.Wanted:
    """The stored events that may be this one: of its type family and its mechanism (or
    of no mechanism and its sides), from the year before its date (or its report's) to
    the year after; besides, what `merge.score` rules out anyway: a different round, or
    another day when both give the day."""
    ev = merge.stated(ev)
    anchor = _anchor(ev, published)
    year = int(anchor[:4]) if anchor else None
    start = ev.get("start")
    return store.Wanted(
        types=tuple(sorted(merge.MEETINGS)) if ev["type"] in merge.MEETINGS else (ev["type"],),
        parties=" ".join(sorted(ev.get("parties") or [])), mechanism_id=ev.get("mechanism_id"),
        since=f"{year - 1}" if year is not None else None, until=f"{year + 1}-12-31" if year is not None else None,
        round=ev.get("round") or None,
        days=_days_of(ev["type"], start, ev.get("end") or start) if start and len(start) == 10 else None)


def _days_of(etype: str, first: str, last: str) -> tuple[str, str]:
    """The days a report's record may hold: its own, and for an announcement the day
    either side (merge.next_day)."""
    if etype not in merge.ANNOUNCED:
        return first, last
    try:
        return ((date.fromisoformat(first) - timedelta(days=1)).isoformat(),
                (date.fromisoformat(last[:10]) + timedelta(days=1)).isoformat())
    except ValueError:
        return first, last


def candidates(found: list[tuple[Any, ...]]) -> list[merge.Candidate]:
    """The rows of `store.send_candidates` as the matcher sees them."""
    return [merge.Candidate(id=r[0], type=r[1], status=r[2], mechanism_id=r[3], round=r[4], start=r[5], end=r[6], place=r[7],
                            parties=r[8], sort_date=r[9], people=set(r[10].split("|")) - {""} if r[10] else set(),
                            published=[d for d in (r[11], r[12]) if d])
            for r in found]


def same_report(ev: dict[str, Any], previous: list[tuple[int, dict[str, Any]]], taken: set[int]) -> int | None:
    """The event that the earlier version of this document reported this one as."""
    return next((eid for eid, old in previous if eid not in taken and all(old.get(k) == ev.get(k) for k in _SAME_REPORT)), None)


def new_event(ev: dict[str, Any], published: str | None, stamp: str) -> dict[str, Any]:
    """The row of an event first reported by this report (its fields filled in by
    :func:`refresh_events`)."""
    ev = merge.stated(ev)
    return dict(type=ev["type"], status=ev["status"], mechanism_id=ev["mechanism_id"], mechanism=ev.get("mechanism"),
                round=ev.get("round"), start=ev.get("start"), end=ev.get("end"),
                parties=" ".join(sorted(ev.get("parties") or [])), sort_date=_anchor(ev, published) or "",
                data="{}", n_sources=0, people_keys="", created_at=stamp, updated_at=stamp)


def _resolved(conn: Connection, ready: Prepared) -> list[dict[str, Any]]:
    """The document's events with the registry's ids of their mechanism and people."""
    published = ready.extraction.document.published
    evs = []
    for prepared in ready.events:
        ev = dict(prepared, participants=[dict(p) for p in prepared.get("participants") or []])
        ev["mechanism_id"] = registry.resolve_mechanism(conn, ev["mechanism"], ev.get("parties") or []) if ev.get("mechanism") else None
        for p in ev["participants"]:
            p["person_id"] = registry.resolve_person(conn, p, published)
        evs.append(ev)
    return evs


def link_events(conn: Connection, doc_id: int, ready: Prepared, previous: list[tuple[int, dict[str, Any]]] | None = None,
                ) -> tuple[int, set[int], dict[int, list[Version]]]:
    """Attach each event of a document to its record, creating records for new events.
    `previous` holds (record id, event) of the document's earlier version, whose records
    an unchanged event keeps. Returns the number of new records, every record touched, and
    the sources of the new records (this document's events: nothing to read back)."""
    published = ready.extraction.document.published
    evs = _resolved(conn, ready)
    if not evs:
        return 0, set(), {}
    sent_ids = send_new_ids(conn, "events", len(evs))
    sent = [store.send_candidates(conn, wanted(ev, published)) for ev in evs]  # all sent, then read in one round trip
    found = [candidates(store.read(cur)) for cur in sent]
    ids = drawn(sent_ids)
    taken: set[int] = set()
    rounds = merge.held_rounds(evs)
    fresh: dict[int, list[Version]] = {}
    reports = []
    for position, ev in enumerate(evs):
        kept = same_report(ev, previous or [], taken)
        match = None if kept is not None else merge.best_match(ev, ev["mechanism_id"], published, found[position], taken,
                                                               rounds.get(ev["mechanism_id"] or ""))
        if kept is not None:
            event_id = kept
        elif match is None:
            event_id = store.add_event(conn, new_event(ev, published, registry.now()), ids)
            fresh[event_id] = [(ev, published)]
        else:
            event_id = match.id
        taken.add(event_id)
        reports.append({"event_id": event_id, "document_id": doc_id, "position": position, "published": published,
                        "data": json.dumps(ev, ensure_ascii=False)})
    store.attach_reports(conn, reports)
    return len(fresh), taken, fresh


def refresh_events(conn: Connection, event_ids: set[int], new: dict[int, list[Version]] | None = None) -> None:
    """Recompute records from all their sources, with their search text and side tables
    (a record left without sources is deleted). `new` gives the sources of the records
    created in this transaction: they are not read back, and have no side rows to clear."""
    if not event_ids:
        return
    ids = sorted(event_ids)
    new = {i: v for i, v in (new or {}).items() if i in event_ids}
    versions = {i: list(v) for i, v in new.items()}
    for eid, data, published in store.reports_of_events(conn, [i for i in ids if i not in versions]):
        versions.setdefault(eid, []).append((json.loads(data), published))
    gone = [i for i in ids if i not in versions]
    if gone:
        store.delete_events(conn, gone)
    live = [i for i in ids if i in versions]
    if not live:
        return
    stale = [i for i in live if i not in new]
    if stale:
        store.clear_side_rows(conn, stale)
    stamp = registry.now()
    fields: list[dict[str, Any]] = []
    side: dict[str, list[dict[str, Any]]] = {t: [] for t in store.SIDE_TABLES}
    for eid in live:
        rec = merge.reconcile(versions[eid])
        fields.append(event_fields(eid, rec, versions[eid], stamp))
        for table, rows in side_rows(eid, rec, versions[eid]).items():
            side[table] += rows
        side["event_orgs"] += [{"event_id": eid, "org_id": registry.resolve_org(conn, o)} for o in rec["organizations"]]
    store.save_fields(conn, fields)
    store.add_side_rows(conn, side)


def event_fields(eid: int, rec: dict[str, Any], versions: list[Version], stamp: str) -> dict[str, Any]:
    """The columns of an event reconciled to `rec` from its reports (`versions`)."""
    mech_ids = [v.get("mechanism_id") for v, _ in versions if v.get("mechanism_id")]
    reports = sorted(p for _, p in versions if p)
    first_pub = reports[0] if reports else None
    loc = rec.get("location") or {}
    keys = sorted({person_key(p["name"]) for p in rec["participants"] if p.get("role") != "mentioned"} - {""})
    return {
        "eid": eid, "type": rec["type"], "status": rec["status"],
        "mechanism_id": max(set(mech_ids), key=mech_ids.count) if mech_ids else None,
        "mechanism": rec["mechanism"], "round": rec["round"], "start": rec["start"], "end": rec["end"],
        "place": loc.get("place"), "country": loc.get("country"), "parties": " ".join(rec["parties"]),
        "sort_date": sort_date(rec, first_pub), "data": json.dumps(rec, ensure_ascii=False), "n_sources": len(versions),
        "people_keys": "|".join(keys), "first_report": first_pub, "last_report": reports[-1] if reports else None,
        "updated_at": stamp}


def side_rows(eid: int, rec: dict[str, Any], versions: list[Version]) -> dict[str, list[dict[str, Any]]]:
    """The rows of an event's side tables but its organizations (which the registry
    resolves): its parties, topics, people and search text."""
    people: list[dict[str, Any]] = []
    seen: set[str] = set()
    for p in rec["participants"]:
        if p.get("person_id") and p["person_id"] not in seen:
            seen.add(p["person_id"])
            people.append({"event_id": eid, "person_id": p["person_id"], "role": p.get("role") or "mentioned",
                           "title": p.get("title"), "org": p.get("org"), "country": p.get("country")})
    return {"event_parties": [{"event_id": eid, "country": c} for c in rec["parties"]],
            "event_topics": [{"event_id": eid, "topic": t} for t in rec["topics"]],
            "event_people": people,
            "event_text": [{"event_id": eid, "body": search_body(rec, versions)}]}


def sort_date(rec: dict[str, Any], first_pub: str | None) -> str:
    """Where an event sits in a timeline: at its date; an undated event at its first
    report; a planned one just after the report that announced it, also when its date is
    only the month or year of that report ("later this year")."""
    start = rec["start"]
    if start and (len(start) == 10 or rec["status"] != "planned" or not first_pub or first_pub[:len(start)] != start):
        return str(start)
    if not first_pub:
        return start or ""
    if rec["status"] != "planned":
        return first_pub
    try:
        return (date.fromisoformat(first_pub) + timedelta(days=1)).isoformat()
    except ValueError:
        return first_pub


def search_body(rec: dict[str, Any], versions: list[Version]) -> str:
    """What a search finds an event by: its fields and its reports' supporting sentences."""
    loc = rec.get("location") or {}
    parts = [rec["type"].replace("_", " "), rec.get("mechanism") or "", loc.get("place") or ""]
    parts += [" ".join(x for x in (p["name"], p.get("title"), p.get("org")) if x) for p in rec["participants"]]
    parts += rec["organizations"] + [t.replace("_", " ") for t in rec["topics"]] + [o["text"] for o in rec["outcomes"]]
    seen: set[str] = set()
    for v, _ in versions:
        for s in v.get("sentences") or []:
            if s not in seen:
                seen.add(s)
                parts.append(s)
    return "\n".join(p for p in parts if p)
