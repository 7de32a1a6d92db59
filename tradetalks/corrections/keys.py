"""How a correction names a record: by its reports, since a record's id may change when
linking groups reports again (a document arriving out of order, `reprocess`, the same
folder ingested into a fresh record). A report is named by its document's content hash
(the same input gives the same hash in any record), its place in the document's
extraction, and a fingerprint of what it says; a record is the one that now holds most of
the reports a correction names. Plain functions over data."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from tradetalks.link.names import fold

Key = dict[str, Any]   # {"doc": content hash, "pos": position, "fp": fingerprint}
Row = tuple[int, int, str, int, str]  # (event id, report id, content hash, position, event JSON)


def fingerprint(data: dict[str, Any]) -> str:
    """What a report says, in a few words that a better extractor seldom changes: its
    type family, mechanism, round and year."""
    family = "meeting" if data.get("type") in ("meeting", "negotiation_round", "visit") else data.get("type") or ""
    return "|".join([family, fold(data.get("mechanism") or ""), str(data.get("round") or ""),
                     (data.get("start") or "")[:4]])


def keys_of(rows: list[Row]) -> list[Key]:
    """The keys of these reports (rows of store.corrections.report_keys)."""
    out = []
    for _eid, _sid, content_hash, position, data in rows:
        out.append({"doc": content_hash, "pos": position, "fp": fingerprint(json.loads(data))})
    return out


def hashes(keys: list[Key]) -> list[str]:
    return sorted({k["doc"] for k in keys})


def _matches(key: Key, rows: list[tuple[Row, str]]) -> Row | None:
    """The report a key names among its document's reports (each with its fingerprint):
    the one at its place saying the same, else the one saying the same, else the one at
    its place."""
    mine = [(r, fp) for r, fp in rows if r[2] == key["doc"]]
    for test in (lambda r, fp: r[3] == key["pos"] and fp == key["fp"], lambda r, fp: fp == key["fp"],
                 lambda r, fp: r[3] == key["pos"]):
        found = [r for r, fp in mine if test(r, fp)]
        if found:
            return min(found, key=lambda r: abs(r[3] - key["pos"]))
    return None


def located(keys: list[Key], rows: list[Row]) -> tuple[int | None, list[int]]:
    """The record that holds most of the reports these keys name (ties: the one of the
    first key), and the reports found, given the current reports of their documents
    (rows of store.corrections.reports_of_hashes). (None, []) when none is left."""
    marked = [(r, fingerprint(json.loads(r[4]))) for r in rows]
    found = [r for r in (_matches(k, marked) for k in keys) if r is not None]
    if not found:
        return None, []
    counts = Counter(r[0] for r in found)
    best = max(counts.values())
    record = next(r[0] for r in found if counts[r[0]] == best)
    return record, [r[1] for r in found]


def document_key(content_hash: str) -> dict[str, str]:
    return {"doc": content_hash}
