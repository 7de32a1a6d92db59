"""Corrections applied to the record, again after every change to it.

Linking recomputes a record from its reports whenever one is added, moved or removed, and
`reprocess` and a fresh ingest rebuild every record; so what an analyst corrected is kept
apart (the `corrections` table) and :func:`enforce` makes the record agree with it at the
end of each document's transaction (link.document calls it) and when a correction is
made. It is idempotent: a record that already agrees is not written. In order:

1. the registry: mechanisms and people renamed or merged (the reports of a merged-in
   entry point to the one kept, so linking compares them as one);
2. the grouping: records merged, a source's report split out, records that are no event;
3. the fields set or cleared;
4. the names of renamed and merged mechanisms and people in the records' JSON.

Every read and export reads the record as it is stored, so each sees the corrections.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection

from tradetalks.corrections import fields, keys
from tradetalks.link import registry
from tradetalks.link.events import new_event, refresh_events, search_body, stored_versions
from tradetalks.store import corrections as store
from tradetalks.store import events as event_store
from tradetalks.store import registry as registry_store

RECORD_KINDS = ("set", "clear", "merge", "split", "not_event", "accept")
REGISTRY_KINDS = ("rename_mechanism", "merge_mechanisms", "rename_person", "merge_people")


def enforce(conn: Connection, sent: Any = None) -> None:
    """Make the record agree with every correction in force (see the module's doc); `sent`
    is the look-up of whether any is, sent earlier (store.send_any_active)."""
    if not store.any_active(conn, sent):
        return
    rows = store.active(conn)
    names = canonical_names(conn, rows)
    _registry(conn, rows)
    _grouping(conn, rows)
    written: dict[int, dict[str, Any]] = {}  # the records written here, as written: their search text follows
    _fields(conn, rows, names, written)
    _names(conn, names, written)
    _reindex(conn, written)


def loads(value: str | None) -> Any:
    return json.loads(value) if value else None


def canonical_names(conn: Connection, rows: Sequence[Any]) -> dict[tuple[str, str], str]:
    """The name each renamed or merged-into mechanism and person is shown by:
    ("mechanisms" | "people", id) -> name (the latest rename, else the registry's)."""
    out: dict[tuple[str, str], str] = {}
    for c in rows:
        if c["kind"] not in REGISTRY_KINDS:
            continue
        table = "mechanisms" if "mechanism" in c["kind"] else "people"
        target = loads(c["target"])
        if c["kind"].startswith("rename"):
            out[(table, target)] = loads(c["value"])
        elif (table, target) not in out:
            name = store.registry_name(conn, table, target)
            if name:
                out[(table, target)] = name
    return out


def merged_away(conn: Connection) -> dict[tuple[str, str], str]:
    """Registry entries merged into others: ("mechanisms" | "people", id) -> the id kept."""
    return {(table, old): new for table in ("mechanisms", "people") for old, new in store.merged_ids(conn, table).items()}


def _registry(conn: Connection, rows: Sequence[Any]) -> None:
    """Merged-in mechanisms and people: their records' reports point to the entry kept,
    and those records are reconciled again. Renamed ones: the registry's name."""
    for (table, old), new in merged_away(conn).items():
        if table == "mechanisms":
            eids = [eid for eid, _, _ in store.events_of_mechanism(conn, old)]
        else:
            eids = [eid for eid, _ in store.events_of_person(conn, old)]
        if not eids:
            continue
        moved = []
        for sid, data in store.reports_of_events(conn, eids):
            rec = json.loads(data)
            if table == "mechanisms" and rec.get("mechanism_id") == old:
                rec["mechanism_id"] = new
            elif table == "people":
                for p in rec.get("participants") or []:
                    if p.get("person_id") == old:
                        p["person_id"] = new
            moved.append((sid, json.dumps(rec, ensure_ascii=False)))
        registry_store.set_reports_data(conn, moved)
        refresh_events(conn, set(eids))
    for c in rows:
        if c["kind"] in ("rename_mechanism", "rename_person"):
            table = "mechanisms" if c["kind"] == "rename_mechanism" else "people"
            target, name = loads(c["target"]), loads(c["value"])
            if store.registry_name(conn, table, target) not in (None, name):
                registry_store.rename_entry(conn, table, target, name)


class Locator:
    """Where the reports that corrections name are now: read once, read again after the
    grouping changed."""

    def __init__(self, conn: Connection, rows: Sequence[Any]) -> None:
        self.conn = conn
        wanted: list[keys.Key] = []
        for c in rows:
            if c["kind"] in RECORD_KINDS:
                wanted += loads(c["target"]) or []
            if c["kind"] in ("merge", "split"):
                wanted += (loads(c["other"]) or {}).get("keys", [])
        self.hashes = keys.hashes(wanted)
        self.refresh()

    def refresh(self) -> None:
        self.rows = store.reports_of_hashes(self.conn, self.hashes)

    def record(self, target: list[keys.Key]) -> int | None:
        return keys.located(target, self.rows)[0]


def _grouping(conn: Connection, rows: Sequence[Any]) -> None:
    kinds = [c for c in rows if c["kind"] in ("merge", "split", "not_event")]
    if not kinds:
        return
    where = Locator(conn, kinds)
    for c in kinds:
        target = loads(c["target"])
        record = where.record(target)
        if record is None:
            continue
        if c["kind"] == "merge":
            other = where.record(loads(c["other"])["keys"])
            if other is None or other == record:
                continue
            event_store.move_reports(conn, [(sid, record) for sid, _ in store.reports_of_events(conn, [other])])
            refresh_events(conn, {record, other})
        elif c["kind"] == "split":
            doc = loads(c["other"])["doc"]
            reports = store.report_keys(conn, [record])
            mine = [r for r in reports if r[2] == doc]
            if not mine or len(mine) == len(reports):
                continue
            first = json.loads(mine[0][4])
            fresh = event_store.add_event(conn, new_event(first, None, registry.now()), None)
            event_store.move_reports(conn, [(r[1], fresh) for r in mine])
            refresh_events(conn, {record, fresh})
        else:
            event_store.detach_reports(conn, [sid for sid, _ in store.reports_of_events(conn, [record])])
            event_store.delete_events(conn, [record])
        where.refresh()


def _fields(conn: Connection, rows: Sequence[Any], names: dict[tuple[str, str], str], written: dict[int, dict[str, Any]]) -> None:
    todo = [c for c in rows if c["kind"] in ("set", "clear")]
    if not todo:
        return
    where = Locator(conn, todo)
    by_record: dict[int, list[Any]] = {}
    for c in todo:
        record = where.record(loads(c["target"]))
        if record is not None:
            by_record.setdefault(record, []).append(c)
    stored = store.event_rows(conn, list(by_record))
    for eid, mine in by_record.items():
        row = stored.get(eid)
        if row is None:
            continue
        rec = json.loads(row["data"])
        want = {k: v for k, v in rec.items() if k != fields.CORRECTED}
        marks: dict[str, int] = {}
        for c in mine:
            value = loads(c["value"]) if c["kind"] == "set" else None
            if c["field"] == "mechanism" and value and ("mechanisms", value["id"]) in names:
                value = dict(value, name=names[("mechanisms", value["id"])])
            want = fields.with_value(want, c["field"], value)
            marks[c["field"]] = c["id"]
        want[fields.CORRECTED] = marks
        cols = fields.columns(want, row)
        want.pop("mechanism_id", None)
        if want == rec and all(row[k] == v for k, v in cols.items()):
            continue
        store.set_event(conn, eid, {**cols, "data": json.dumps(want, ensure_ascii=False), "updated_at": registry.now()})
        written[eid] = want
        if want.get("parties") != rec.get("parties"):
            store.set_parties(conn, eid, want.get("parties") or [])
        if want.get("topics") != rec.get("topics"):
            store.set_topics(conn, eid, want.get("topics") or [])


def _names(conn: Connection, names: dict[tuple[str, str], str], written: dict[int, dict[str, Any]]) -> None:
    """Records show a renamed (or merged-into) mechanism or person by its name."""
    for (table, entry), name in names.items():
        if table == "mechanisms":
            for eid, shown, data in store.events_of_mechanism(conn, entry):
                rec = json.loads(data)
                if shown != name or rec.get("mechanism") != name:
                    rec["mechanism"] = name
                    store.set_event(conn, eid, {"mechanism": name, "data": json.dumps(rec, ensure_ascii=False)})
                    written[eid] = rec
            continue
        for eid, data in store.events_of_person(conn, entry):
            rec = json.loads(data)
            people, changed = [], False
            for p in rec.get("participants") or []:
                if p.get("person_id") == entry and p.get("name") != name:
                    p, changed = dict(p, name=name), True
                people.append(p)
            if changed:
                rec["participants"] = people
                store.set_event(conn, eid, {"data": json.dumps(rec, ensure_ascii=False)})
                written[eid] = rec


def _reindex(conn: Connection, written: dict[int, dict[str, Any]]) -> None:
    """The search text of the records corrected here: of their fields as corrected (a search
    finds a place set, not the place cleared); one read of their reports, one write."""
    if not written:
        return
    versions = stored_versions(conn, sorted(written))
    event_store.set_search_texts(conn, {eid: search_body(rec, versions.get(eid, [])) for eid, rec in written.items()})
