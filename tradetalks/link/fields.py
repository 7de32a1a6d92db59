"""A record's columns from its reports, and the order its reports are read in: the same
whatever order they were stored in (the record does not depend on how ingest was cut into
runs, issue 13). Plain functions over data."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, cast

from tradetalks.link import merge
from tradetalks.link.names import person_key

Version = tuple[dict[str, Any], str | None]  # an event as one document reports it, and the document's date


def order_key(data: dict[str, Any], published: str | None, text: str | None = None) -> tuple[str, int, str]:
    """Where a report comes in the canonical order of reports: by its document's date
    (undated last), the reports dated to the day before those dated to the month or year
    (they place the vaguer ones), then by what it says, as stored (`text`, its JSON; not
    by when, or in which run, it was stored)."""
    start = merge.stated(data).get("start") or ""
    return (published or "~", -len(start), text if text is not None else json.dumps(data, ensure_ascii=False))


def in_order(versions: list[Version]) -> list[Version]:
    """A record's reports in the canonical order (merge.reconcile breaks ties by it)."""
    return sorted(versions, key=lambda v: order_key(v[0], v[1]))


@lru_cache(maxsize=4096)
def report_data(text: str) -> dict[str, Any]:
    """A stored report's event, read from its JSON once for all the documents that read it
    again (those that regroup its record's neighbourhood). Shared: never changed in place."""
    return cast(dict[str, Any], json.loads(text))


def stored_in_order(rows: list[tuple[str, str | None]]) -> list[Version]:
    """A record's stored reports (JSON, published) read, in the canonical order."""
    loaded = [(report_data(text), published, text) for text, published in rows]
    return [(d, p) for d, p, _ in sorted(loaded, key=lambda x: order_key(x[0], x[1], x[2]))]


def event_fields(eid: int, rec: dict[str, Any], versions: list[Version], stamp: str) -> dict[str, Any]:
    """The columns of an event reconciled to `rec` from its reports (`versions`)."""
    return {"eid": eid, **columns(rec, versions), "data": json.dumps(rec, ensure_ascii=False), "updated_at": stamp}


def columns(rec: dict[str, Any], versions: list[Version]) -> dict[str, Any]:
    """The columns of an event reconciled to `rec` from its reports, but its id, JSON and
    time stamp (what grouping compares)."""
    mech_ids = [v.get("mechanism_id") for v, _ in versions if v.get("mechanism_id")]
    reports = sorted(p for _, p in versions if p)
    first_pub = reports[0] if reports else None
    loc = rec.get("location") or {}
    keys = sorted({person_key(p["name"]) for p in rec["participants"] if p.get("role") != "mentioned"} - {""})
    return {
        "type": rec["type"], "status": rec["status"],
        "mechanism_id": max(set(mech_ids), key=mech_ids.count) if mech_ids else None,
        "mechanism": rec["mechanism"], "round": rec["round"], "start": rec["start"], "end": rec["end"],
        "place": loc.get("place"), "country": loc.get("country"), "parties": " ".join(rec["parties"]),
        "sort_date": sort_date(rec, first_pub), "n_sources": len(versions),
        "people_keys": "|".join(keys), "first_report": first_pub, "last_report": reports[-1] if reports else None}


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


