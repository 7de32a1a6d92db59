"""The review queue: records whose sources disagree (dates, rounds, places, sides) or whose
confidence is low, most important first (more sources, then more recently reported).

A record leaves the queue when an analyst accepts it or corrects it: each correction of a
record keeps the issues the record had then (`review`), and a record is listed again only
for an issue that was not there (a new source that gives yet another date)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection

from tradetalks.corrections import keys
from tradetalks.corrections.enforce import RECORD_KINDS, Locator, loads
from tradetalks.link.merge import dates_agree, stated
from tradetalks.link.names import fold
from tradetalks.query import event_rows
from tradetalks.store import corrections as store
from tradetalks.store.listing import with_ids

LOW_CONFIDENCE = 0.5   # a record none of whose reports is at least this sure is listed
CHUNK = 500            # records read at once while the queue is gathered
MAX_SCAN = 100_000     # records looked at, at most, for one page of the queue


def _apart(values: list[str]) -> list[str]:
    """Of these texts, those that are neither the same (folded) as another nor part of it:
    'Taipei' and 'Taipei, Taiwan' agree; 'Taipei' and 'Washington' do not."""
    folded = sorted({fold(v): v for v in values if v}.items())
    keep = [(f, v) for f, v in folded if not any(f != g and f in g for g, _ in folded)]
    return [v for _, v in keep] if len(keep) > 1 else []


def issues(reports: list[dict[str, Any]]) -> list[str]:
    """What a record's reports disagree on, and whether its confidence is low, as lines
    (the same lines for the same disagreement, so that a reviewed one is recognised)."""
    evs = [stated(r) for r in reports]
    out = []
    spans = sorted({(e["start"], e.get("end") or e["start"]) for e in evs if e.get("start")})
    clash = sorted({d for a in spans for b in spans if a < b and dates_agree(a[0], a[1], b[0], b[1]) is False for d in (a, b)})
    if clash:
        out.append("dates: " + " | ".join(a if a == b else f"{a} to {b}" for a, b in clash))
    rounds = sorted({e["round"] for e in evs if e.get("round")})
    if len(rounds) > 1:
        out.append("rounds: " + " | ".join(str(r) for r in rounds))
    places = _apart([(e.get("location") or {}).get("place") or "" for e in evs])
    if places:
        out.append("places: " + " | ".join(places))
    sides = sorted({" ".join(sorted(e.get("parties") or [])) for e in evs if e.get("parties")})
    sets = [set(s.split()) for s in sides]
    if any(not (a <= b or b <= a) for a in sets for b in sets):
        out.append("sides: " + " | ".join(sides))
    sure = max((float(e.get("confidence") or 0) for e in evs), default=0.0)
    if sure < LOW_CONFIDENCE:
        out.append(f"low confidence: {sure:.2f}")
    return out


def reviewed(conn: Connection, rows: Sequence[Any] | None = None) -> dict[int, set[str]]:
    """The issues already reviewed, by the record they are of now: those each record had
    when it was accepted or corrected."""
    rows = [c for c in (rows if rows is not None else store.active(conn)) if c["kind"] in RECORD_KINDS]
    where = Locator(conn, rows)
    out: dict[int, set[str]] = {}
    for c in rows:
        record = where.record(loads(c["target"]) or [])
        if record is not None:
            out.setdefault(record, set()).update(loads(c["review"]) or [])
    return out


def issues_of(conn: Connection, event_id: int) -> list[str]:
    """The issues of one record (whether reviewed or not)."""
    found = store.reports_by_event(conn, [event_id]).get(event_id, [])
    return issues([json.loads(d) for d, _, _ in found])


def queue(conn: Connection, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """The records to review, most important first: rows (id, sources, last report,
    issues: the new ones, and the record's fields as listings show them)."""
    done = reviewed(conn)
    found: list[dict[str, Any]] = []
    skip = offset
    for start in range(0, MAX_SCAN, CHUNK):
        batch = store.by_importance(conn, CHUNK, start)
        if not batch:
            break
        reports = store.reports_by_event(conn, [r[0] for r in batch])
        for eid, n, last, _ in batch:
            seen = done.get(eid, set())
            new = [i for i in issues([json.loads(d) for d, _, _ in reports.get(eid, [])]) if i not in seen]
            if not new:
                continue
            if skip:
                skip -= 1
                continue
            found.append({"id": eid, "sources": n, "last_report": last, "issues": new})
            if len(found) >= limit:
                return found
    return found


def keys_for(conn: Connection, event_id: int) -> list[keys.Key]:
    return keys.keys_of(store.report_keys(conn, [event_id]))


def listing(conn: Connection, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """The review queue as a listing: each record's row (as timeline shows it) with its
    issues joined in one line."""
    found = queue(conn, limit=limit, offset=offset)
    shown = {r["id"]: r for r in event_rows(conn, with_ids([f["id"] for f in found]), len(found) or 1)}
    return [{**shown[f["id"]], "issues": "; ".join(f["issues"])} for f in found if f["id"] in shown]
