"""Making corrections: each checks what it is given (a QueryError or NotFound says what to
give instead), keeps who, when, why and the value before, and is applied at once
(enforce.enforce). Undoing one puts back what the sources say. Every function runs inside
the caller's transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from tradetalks.corrections import fields, keys
from tradetalks.corrections.enforce import REGISTRY_KINDS, Locator, enforce, loads
from tradetalks.corrections.review import issues_of, keys_for
from tradetalks.errors import NotFound, QueryError
from tradetalks.link import registry
from tradetalks.link.document import save_document
from tradetalks.link.events import refresh_events
from tradetalks.models import Extraction
from tradetalks.query import resolve_mechanism
from tradetalks.store import corrections as store
from tradetalks.store import documents, lookup
from tradetalks.store import registry as registry_store

MAX_REASON = 500
MAX_AUTHOR = 80


@dataclass(frozen=True)
class Who:
    """Who makes a correction, and why (both kept in the audit trail)."""

    author: str
    reason: str | None = None

    def checked(self) -> Who:
        author = " ".join(self.author.split())
        if not author or len(author) > MAX_AUTHOR:
            raise QueryError(f"say who makes the correction in at most {MAX_AUTHOR} characters (--by NAME)")
        reason = " ".join((self.reason or "").split()) or None
        if reason and len(reason) > MAX_REASON:
            raise QueryError(f"the reason is {len(reason)} characters long; give at most {MAX_REASON}")
        return Who(author, reason)


def _record(conn: Connection, event_id: int) -> Any:
    row = lookup.event(conn, event_id)
    if row is None:
        raise NotFound(f"no event {event_id}; find ids with: tradetalks timeline")
    return row


def _add(conn: Connection, who: Who, kind: str, target: Any, *, field: str | None = None, value: Any = None,
         other: Any = None, before: Any = None, review: list[str] | None = None) -> int:
    who = who.checked()
    cid = store.add(conn, {
        "kind": kind, "target": json.dumps(target, ensure_ascii=False), "field": field,
        "value": json.dumps(value, ensure_ascii=False) if value is not None else None,
        "other": json.dumps(other, ensure_ascii=False) if other is not None else None,
        "before": json.dumps(before, ensure_ascii=False) if before is not None else None,
        "review": json.dumps(review or [], ensure_ascii=False), "author": who.author, "reason": who.reason,
        "created_at": registry.now()})
    enforce(conn)
    return cid


def set_field(conn: Connection, event_id: int, name: str, text: str | None, who: Who) -> int:
    """Set a field of a record (`text` None: clear it)."""
    row = _record(conn, event_id)
    fields.check_field(name)
    if text is None and name in fields.REQUIRED:
        raise QueryError(f"a record always has a {name}; set another one instead of clearing it")
    value = fields.parse(conn, name, text) if text is not None else None
    before = fields.value_of(json.loads(row["data"]), row["mechanism_id"], name)
    return _add(conn, who, "set" if text is not None else "clear", keys_for(conn, event_id), field=name, value=value,
                before=before, review=issues_of(conn, event_id))


def merge(conn: Connection, event_id: int, other_id: int, who: Who) -> int:
    """Merge record `other_id` into `event_id`: one event, all their sources."""
    if event_id == other_id:
        raise QueryError(f"event {event_id} cannot be merged with itself; give two different ids")
    kept, merged = _record(conn, event_id), _record(conn, other_id)
    review = sorted(set(issues_of(conn, event_id)) | set(issues_of(conn, other_id)))
    return _add(conn, who, "merge", keys_for(conn, event_id), other={"keys": keys_for(conn, other_id), "id": other_id},
                before={"kept": json.loads(kept["data"]), "merged": json.loads(merged["data"])}, review=review)


def split(conn: Connection, event_id: int, document_id: int, who: Who) -> int:
    """Take one source's report(s) out of a record, into a record of their own."""
    row = _record(conn, event_id)
    rows = store.report_keys(conn, [event_id])
    doc = lookup.document(conn, document_id)
    mine = [r for r in rows if doc is not None and r[2] == doc["content_hash"]]
    if not mine:
        docs = sorted({d for _, d, *_ in store.documents_of_events(conn, [event_id])})
        raise QueryError(f"document {document_id} is not a source of event {event_id}; its sources are documents "
                         + ", ".join(str(d) for d in docs))
    rest = [r for r in rows if r not in mine]
    if not rest:
        raise QueryError(f"document {document_id} is the only source of event {event_id}; nothing to split it from")
    return _add(conn, who, "split", keys.keys_of(rest), other={"doc": mine[0][2], "keys": keys.keys_of(mine),
                                                               "document_id": document_id},
                before=json.loads(row["data"]), review=issues_of(conn, event_id))


def not_event(conn: Connection, event_id: int, who: Who) -> int:
    """A record that is no event (an index file's row, a headline misread): removed from
    the record, and again whenever its reports come back."""
    row = _record(conn, event_id)
    return _add(conn, who, "not_event", keys_for(conn, event_id), before=json.loads(row["data"]),
                review=issues_of(conn, event_id))


def accept(conn: Connection, event_id: int, who: Who) -> int:
    """Accept a record as it is: it leaves the review queue (until a new issue comes)."""
    _record(conn, event_id)
    return _add(conn, who, "accept", keys_for(conn, event_id), review=issues_of(conn, event_id))


def _mechanism(conn: Connection, name: str) -> str:
    return resolve_mechanism(conn, name)  # one merged into another is that one


def _person(conn: Connection, person_id: str) -> str:
    if lookup.person(conn, person_id) is None:
        raise NotFound(f"no person {person_id!r}; list them with: tradetalks people")
    return store.merged_ids(conn, "people").get(person_id, person_id)


def _new_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > fields.MAX_TEXT:
        raise QueryError(f"give the new name in 1 to {fields.MAX_TEXT} characters")
    return name


def rename(conn: Connection, table: str, entry: str, name: str, who: Who) -> int:
    """Rename a mechanism (table "mechanisms": its id or any of its names) or a person
    ("people": their id); the old name stays an alias, so it still finds them."""
    entry = _mechanism(conn, entry) if table == "mechanisms" else _person(conn, entry)
    name, before = _new_name(name), store.registry_name(conn, table, entry)
    if before is not None:
        store.add_aliases(conn, table, entry, [before])
    kind = "rename_mechanism" if table == "mechanisms" else "rename_person"
    return _add(conn, who, kind, entry, value=name, before=before)


def merge_entries(conn: Connection, table: str, keep: str, merge_in: str, who: Who) -> int:
    """Merge a mechanism or person into another: their events, names and aliases become
    the kept one's."""
    find = _mechanism if table == "mechanisms" else _person
    keep, merge_in = find(conn, keep), find(conn, merge_in)
    if keep == merge_in:
        raise QueryError(f"{keep!r} and {merge_in!r} are already one; give two different ones")
    before = store.registry_name(conn, table, merge_in)
    store.add_aliases(conn, table, keep, [before or "", *store.aliases(conn, table, merge_in)])
    kind = "merge_mechanisms" if table == "mechanisms" else "merge_people"
    return _add(conn, who, kind, keep, other=merge_in, before={"name": before})


def undo(conn: Connection, correction_id: int, who: Who) -> None:
    """Undo a correction: the record goes back to what its sources (and the other
    corrections) say. The audit trail keeps it, marked undone."""
    who = who.checked()
    row = store.one(conn, correction_id)
    if row is None or row["undone_at"] is not None:
        raise NotFound(f"no correction {correction_id} in force; list them with: tradetalks corrections")
    docs = _documents_involved(conn, row)
    store.mark_undone(conn, correction_id, who.author, registry.now())
    if row["kind"].startswith("rename") and row["before"]:
        table = "mechanisms" if row["kind"] == "rename_mechanism" else "people"
        if store.registry_name(conn, table, loads(row["target"])) == loads(row["value"]):
            registry_store.rename_entry(conn, table, loads(row["target"]), loads(row["before"]))
    if row["kind"] in ("set", "clear", "accept"):
        record = Locator(conn, [row]).record(loads(row["target"]))
        if record is not None:
            refresh_events(conn, {record})
    else:
        relink(conn, docs)
    enforce(conn)


def _documents_involved(conn: Connection, row: Any) -> list[int]:
    """The documents whose records a correction changed (relinked when it is undone)."""
    if row["kind"] in REGISTRY_KINDS:
        table = "mechanisms" if "mechanism" in row["kind"] else "people"
        target = loads(row["target"])
        eids = ([e for e, _, _ in store.events_of_mechanism(conn, target)] if table == "mechanisms"
                else [e for e, _ in store.events_of_person(conn, target)])
        return sorted({d for _, d, *_ in store.documents_of_events(conn, eids)})
    wanted = list(loads(row["target"]) or []) + list((loads(row["other"]) or {}).get("keys", []))
    found = [store.document_of_hash(conn, h) for h in keys.hashes(wanted)]
    return sorted(d["id"] for d in found if d is not None)


def relink(conn: Connection, doc_ids: list[int]) -> None:
    """Link these documents' events again from their stored extractions (not extracted
    again): what their records were before any correction of them. The caller applies the
    corrections once, after all of them."""
    for doc_id in doc_ids:
        found = documents.stored_input(conn, doc_id)
        if found is None:
            continue
        ex = Extraction.model_validate(documents.extraction_of(conn, doc_id))
        save_document(conn, found.raw, ex, url=found.url, source=found.source, replace=doc_id, corrections=False)
