"""The corrections as an audit trail (who, when, why, the value before, whether still in
force and which record each applies to now), written to a file and applied to another
record from it: a correction names records by their sources' content, so it finds them in
any record built from the same documents, and waits for them in one that lacks them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy.engine import Connection

from tradetalks.corrections import fields
from tradetalks.corrections.enforce import RECORD_KINDS, REGISTRY_KINDS, Locator, enforce, loads
from tradetalks.errors import InputError
from tradetalks.store import corrections as store

FORMAT = "tradetalks/corrections-v1"
KINDS = (*RECORD_KINDS, *REGISTRY_KINDS)
_COLUMNS = ("kind", "target", "field", "value", "other", "before", "review", "author", "reason", "created_at",
            "undone_at", "undone_by")


def _what(c: Any) -> str:
    """A correction in a few words."""
    kind, value, other = c["kind"], loads(c["value"]), loads(c["other"])
    if kind == "set":
        return f"{c['field']} = {fields.display(value)}"
    if kind == "clear":
        return f"{c['field']} cleared"
    if kind == "merge":
        return f"merged with event {other.get('id')}" if other.get("id") else "merged"
    if kind == "split":
        return f"document {other.get('document_id')} split out"
    if kind == "not_event":
        return "not an event"
    if kind == "accept":
        return "accepted as it is"
    if kind.startswith("rename"):
        return f"{loads(c['target'])} renamed {value}"
    return f"{other} merged into {loads(c['target'])}"


def trail(conn: Connection, *, undone: bool = True, kind: str | None = None) -> list[dict[str, Any]]:
    """Every correction, oldest first: id, when, who, kind, the record it applies to now
    (record kinds), what it does, the value before, why, and its state."""
    if kind is not None and kind not in KINDS:
        raise InputError(f"{kind!r} is not a kind of correction; use one of: {', '.join(KINDS)}")
    rows = store.listed(conn, undone=undone, kind=kind)
    where = Locator(conn, [c for c in rows if c["undone_at"] is None])
    out = []
    for c in rows:
        record = where.record(loads(c["target"]) or []) if c["kind"] in RECORD_KINDS and not c["undone_at"] else None
        if c["undone_at"]:
            state = f"undone {c['undone_at'][:10]} by {c['undone_by']}"
        elif c["kind"] in RECORD_KINDS and record is None:
            state = "in force; its sources are not in this record" if c["kind"] != "not_event" else "in force"
        else:
            state = "in force"
        before = loads(c["before"])
        out.append({"id": c["id"], "when": c["created_at"], "by": c["author"], "kind": c["kind"],
                    "event": record, "what": _what(c),
                    "before": fields.display(before) if c["kind"] in ("set", "clear") or c["kind"].startswith("rename") else "",
                    "why": c["reason"] or "", "state": state})
    return out


def dumped(conn: Connection) -> str:
    """Every correction (those undone too) as JSON Lines, to keep or to apply elsewhere."""
    lines = []
    for c in store.listed(conn):
        lines.append(json.dumps({"format": FORMAT, "id": c["id"], **{k: loads(c[k]) if k in (
            "target", "value", "other", "before", "review") else c[k] for k in _COLUMNS}}, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def _checked(n: int, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict) or item.get("format") != FORMAT:
        raise InputError(f"line {n} is not a correction of {FORMAT}; give a file written by: tradetalks corrections export")
    if item.get("kind") not in KINDS or not item.get("author") or not item.get("created_at") or item.get("target") is None:
        raise InputError(f"line {n}: a correction needs a kind ({', '.join(KINDS)}), a target, an author and a date")
    if item["kind"] in ("set", "clear"):
        fields.check_field(str(item.get("field")))
    return item


def _row(item: dict[str, Any]) -> dict[str, Any]:
    return {k: (json.dumps(item.get(k), ensure_ascii=False) if item.get(k) is not None else None)
            if k in ("target", "value", "other", "before", "review") else item.get(k) for k in _COLUMNS}


def applied(conn: Connection, lines: Iterable[str]) -> tuple[int, int]:
    """Add the corrections of a file (written by :func:`dumped`) that this record has not
    got yet, and apply them; returns (added, already there). A bad line stops it all
    (nothing is added): the caller's transaction is rolled back."""
    items = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(_checked(n, json.loads(line)))
        except json.JSONDecodeError:
            raise InputError(f"line {n} is not JSON; give a file written by: tradetalks corrections export") from None
    have = {tuple(c[k] for k in _COLUMNS if k not in ("undone_at", "undone_by")) for c in store.listed(conn)}
    added = 0
    for item in items:
        row = _row(item)
        if tuple(row[k] for k in _COLUMNS if k not in ("undone_at", "undone_by")) in have:
            continue
        store.add(conn, row)
        added += 1
    enforce(conn)
    return added, len(items) - added
