"""Linking a document's events: each is attached to the stored event it reports or added
as a new one, and an event's fields are reconciled from all its reports.

The decisions are plain functions over data (which events to look at, which one a report
is, what an event's fields and side rows become); :func:`link_events` and
:func:`refresh_events` read and write through the store's API, inside the caller's
transaction (a document's writes are all or nothing)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.engine import Connection

from tradetalks.link import merge, registry, regroup
from tradetalks.link.fields import Version, event_fields, in_order, report_data, sort_date, stored_in_order
from tradetalks.link.prepared import Prepared
from tradetalks.store import events as store
from tradetalks.store.documents import drawn, send_new_ids

__all__ = ["event_fields", "link_events", "refresh_events", "sort_date", "wanted"]  # event_fields, sort_date: link.fields
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
    for ev in evs:  # a mechanism named in full after it was named without sides took a new id
        ev["mechanism_id"] = registry.current_mechanism(conn, ev["mechanism_id"])
    return evs


def link_events(conn: Connection, doc_id: int, ready: Prepared, previous: list[tuple[int, dict[str, Any]]] | None = None,
                ) -> tuple[int, set[int], dict[int, list[Version]]]:
    """Attach each event of a document to its record, creating records for new events, so
    that the grouping is the canonical one (see link.regroup): the reports of the records
    they may be of are grouped again when the document does not come after them all.
    `previous` holds (record id, event) of the document's earlier version, whose records
    an unchanged event keeps where it can. Returns the number of new records, every record
    touched, and the sources of the new records made of this document's events only."""
    published = ready.extraction.document.published
    evs = _resolved(conn, ready)
    if not evs:
        return 0, set(), {}
    sent_ids = send_new_ids(conn, "events", len(evs))
    sent = [store.send_candidates(conn, wanted(ev, published)) for ev in evs]  # all sent, then read in one round trip
    found = {c.id: c for c in candidates(list({r[0]: r for cur in sent for r in store.read(cur)}.values()))}
    ids = drawn(sent_ids)
    taken: set[int] = set()
    mine = []
    for position, ev in enumerate(evs):
        kept = same_report(ev, previous or [], taken)
        taken |= {kept} if kept is not None else set()
        mine.append(regroup.Report(ev, published, doc_id, record=kept, position=position))
    fitting = regroup.compatible(mine, list(found.values()), _wanted_of)
    if not previous and regroup.reported_before(published, fitting):
        groups = regroup.place(mine, fitting, _wanted_of)
    else:
        read: set[int] = set()  # the records whose reports are read (grows in _neighbours)
        old = _neighbours(conn, doc_id, {c.id for c in fitting} | taken, found, read)
        if len(old) > MAX_REGROUP:
            # A neighbourhood of many reports is not grouped again (the work per document
            # stays bounded): the document's reports are placed as for one in order.
            return _write_groups(conn, doc_id, regroup.place(mine, fitting, _wanted_of), ids, taken)
        groups = regroup.place(old + mine, [], _wanted_of)
        for _ in range(3 if len(found) <= MAX_POOL else 0):  # until no other candidate is related to the groups as formed
            more = {c.id for c in regroup.reaching(groups, [c for c in found.values() if c.id not in read])}
            if not more or len(old) > MAX_REGROUP:
                break
            old += _neighbours(conn, doc_id, more, found, read)
            groups = regroup.place(old + mine, [], _wanted_of)
    return _write_groups(conn, doc_id, groups, ids, taken)


# The most reports of earlier records a document arriving out of order groups again with its
# own. Beyond it (a mechanism reported hundreds of times in the same year), its reports are
# placed as those of a document in order: the record then depends on the order of arrival
# for that neighbourhood, and ingest stays linear in the number of documents.
MAX_REGROUP = 60
# Records related to those only through others (a chain of "next meetings") are followed only
# among a small pool of candidates: comparing each pair of a large pool (the 200 newest
# records of a mechanism) for every document made ingest quadratic in them.
MAX_POOL = 40


def _neighbours(conn: Connection, doc_id: int, todo_ids: set[int], found: dict[int, merge.Candidate],
                near: set[int], rounds: int = 4) -> list[regroup.Report]:
    """The reports (but the document's own) of the records `todo_ids` and of the
    candidates related to them, and so on (regroup.reaching): the records whose grouping a
    document arriving out of order can change, among its candidates. `near`: the records
    already read; it grows by those read here."""
    todo = set(todo_ids) - near
    frontier = [found[i] for i in todo if i in found]
    for _ in range(rounds if len(found) <= MAX_POOL else 0):
        more = regroup.related_to(frontier, [c for c in found.values() if c.id not in near and c.id not in todo])
        if not more:
            break
        todo |= {c.id for c in more}
        frontier = more
    near |= todo
    return [regroup.Report(report_data(data), pub, doc, record=eid, sid=sid, text=data)
            for sid, eid, doc, pub, data in store.reports_to_regroup(conn, sorted(todo)) if doc != doc_id]


def _wanted_of(r: regroup.Report) -> store.Wanted:
    return wanted(r.data, r.published)


def _write_groups(conn: Connection, doc_id: int, groups: list[regroup.Group], ids: list[int] | None,
                  touched: set[int]) -> tuple[int, set[int], dict[int, list[Version]]]:
    """Store a grouping: new records for new groups, reports moved where their group's
    record is, the document's reports attached. Returns as link_events; the records
    touched are `touched` and those that gained or lost a report (a record regrouped as it
    was is left as it is)."""
    fresh: dict[int, list[Version]] = {}
    moves: list[tuple[int, int]] = []
    reports = []
    for group, rid in zip(groups, regroup.record_ids(groups), strict=True):
        if not group.members:
            continue
        if rid is None:
            first = min(group.members, key=lambda r: r.key)
            rid = store.add_event(conn, new_event(first.data, first.published, registry.now()), ids)
            if all(r.sid is None for r in group.members):
                fresh[rid] = [(r.data, r.published) for r in group.members]
        for r in group.members:
            if r.sid is None:
                reports.append({"event_id": rid, "document_id": doc_id, "position": r.position, "published": r.published,
                                "data": r.text})
                touched.add(rid)
            elif r.record != rid:
                moves.append((r.sid, rid))
                touched |= {rid, r.record} if r.record is not None else {rid}
    store.move_reports(conn, moves)
    store.attach_reports(conn, sorted(reports, key=lambda x: x["position"]))
    return len(fresh), touched, fresh


def refresh_events(conn: Connection, event_ids: set[int], new: dict[int, list[Version]] | None = None) -> None:
    """Recompute records from all their sources, with their search text and side tables
    (a record left without sources is deleted). `new` gives the sources of the records
    created in this transaction: they are not read back, and have no side rows to clear."""
    if not event_ids:
        return
    ids = sorted(event_ids)
    new = {i: v for i, v in (new or {}).items() if i in event_ids}
    versions = {i: in_order(list(v)) for i, v in new.items()}
    versions.update(stored_versions(conn, [i for i in ids if i not in versions]))
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


def stored_versions(conn: Connection, event_ids: list[int]) -> dict[int, list[Version]]:
    """The stored reports of these records, by record, in the canonical order (ties broken
    by what the reports say); a record without reports is left out."""
    rows: dict[int, list[tuple[str, str | None]]] = {}
    for eid, data, published in store.reports_of_events(conn, event_ids):
        rows.setdefault(eid, []).append((data, published))
    return {i: stored_in_order(r) for i, r in rows.items()}


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


def search_body(rec: dict[str, Any], versions: list[Version]) -> str:
    """What a search finds an event by: its fields (as corrected, when they are: a field
    cleared is None) and its reports' supporting sentences."""
    loc = rec.get("location") or {}
    parts = [rec["type"].replace("_", " "), rec.get("mechanism") or "", loc.get("place") or ""]
    parts += [" ".join(x for x in (p["name"], p.get("title"), p.get("org")) if x) for p in rec.get("participants") or []]
    parts += (rec.get("organizations") or []) + [t.replace("_", " ") for t in rec.get("topics") or []]
    parts += [o["text"] for o in rec.get("outcomes") or []]
    seen: set[str] = set()
    for v, _ in versions:
        for s in v.get("sentences") or []:
            if s not in seen:
                seen.add(s)
                parts.append(s)
    return "\n".join(p for p in parts if p)
