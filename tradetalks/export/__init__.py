"""Exports of the record's events: JSON Lines (full records, each with its sources and the
sentences behind each field), CSV (one row per event, its sources' addresses in one
column), Parquet (columns, lists kept as lists) and an iCalendar file of the dated events.
Each event carries its CAMEO codes and PLOVER type (:mod:`tradetalks.export.codes`)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from tradetalks import __version__
from tradetalks.errors import QueryError
from tradetalks.export.codes import codes
from tradetalks.query import Support, support_of
from tradetalks.store import listing

FORMATS = ("jsonl", "csv", "parquet", "ics")
CSV_COLUMNS = ["id", "type", "status", "mechanism", "round", "start", "end", "place", "country", "parties",
               "leads", "participants", "organizations", "topics", "outcomes", "cameo", "plover", "n_sources", "sources"]
CHUNK = 200  # events whose sources are read at once


def records(conn: Connection, q: Select | None = None, *, evidence: bool = True) -> Iterator[dict[str, Any]]:
    """Every event (or those of a filtered query) as a flat-ish record, in date order, with
    its CAMEO and PLOVER codes and its sources (address, title, publisher, date and, with
    `evidence`, the sentences behind each field)."""
    batch: list[dict[str, Any]] = []
    for row in listing.in_date_order(conn, q):
        batch.append(_record(row))
        if len(batch) >= CHUNK:
            yield from _with_sources(conn, batch, evidence)
            batch = []
    yield from _with_sources(conn, batch, evidence)


def _record(row: Any) -> dict[str, Any]:
    rec = json.loads(row["data"])
    loc = rec.get("location") or {}
    found = codes(rec["type"], rec["status"])
    return {
        "id": row["id"], "type": rec["type"], "status": rec["status"], "mechanism": rec.get("mechanism"),
        "mechanism_id": row["mechanism_id"], "round": rec.get("round"), "start": rec.get("start"),
        "end": rec.get("end"), "place": loc.get("place"), "country": loc.get("country"),
        "parties": rec.get("parties") or [], "participants": rec.get("participants") or [],
        "organizations": rec.get("organizations") or [], "topics": rec.get("topics") or [],
        "outcomes": rec.get("outcomes") or [], "cameo": found["cameo"], "plover": found["plover"],
        "n_sources": row["n_sources"], "corrected": sorted(rec.get("corrected") or {}), "sources": [],
    }


def _with_sources(conn: Connection, batch: list[dict[str, Any]], evidence: bool) -> list[dict[str, Any]]:
    found = listing.sources_of(conn, [r["id"] for r in batch], texts=evidence)
    splits: dict[int, Support] = {}
    for rec in batch:
        for row in found.get(rec["id"], []):
            source = {"document_id": row["document_id"], "url": row["url"], "title": row["title"],
                      "publisher": row["publisher"], "published": row["published"]}
            if evidence:
                split = splits.get(row["document_id"]) or splits.setdefault(row["document_id"], Support(row["text"]))
                source["evidence"] = support_of(json.loads(row["data"]).get("evidence") or [], split)
            rec["sources"].append(source)
    return batch


_WEB = re.compile(r"https?://[^\s\x00-\x1f\x7f]+\Z")


def web_urls(rec: dict[str, Any]) -> list[str]:
    """The web addresses of an event's sources (http and https only, without spaces or
    control characters), each once, in order."""
    return list(dict.fromkeys(s["url"] for s in rec["sources"] if _WEB.match(s.get("url") or "")))


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: rec[k] for k in ("id", "type", "status", "mechanism", "round", "start", "end", "place", "country", "n_sources")},
        "parties": " ".join(rec["parties"]),
        "leads": "; ".join(p["name"] for p in rec["participants"] if p.get("role") == "lead"),
        "participants": "; ".join(f"{p['name']} ({p.get('role')})" for p in rec["participants"]),
        "organizations": "; ".join(rec["organizations"]), "topics": " ".join(rec["topics"]),
        "outcomes": "; ".join(f"{o['type']}: {o['text']}" for o in rec["outcomes"]),
        "cameo": " ".join(rec["cameo"]), "plover": rec["plover"] or "",
        "sources": " ".join(web_urls(rec)),
    }


def to_jsonl(recs: Iterator[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)


def to_csv(recs: Iterator[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    w.writeheader()
    for r in recs:
        w.writerow(_flat(r))
    return buf.getvalue()


def to_parquet(recs: Iterator[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(recs)
    people = pa.list_(pa.struct([("name", pa.string()), ("title", pa.string()), ("org", pa.string()),
                                 ("country", pa.string()), ("role", pa.string())]))
    schema = pa.schema([
        ("id", pa.int64()), ("type", pa.string()), ("status", pa.string()), ("mechanism", pa.string()),
        ("mechanism_id", pa.string()), ("round", pa.int64()), ("start", pa.string()), ("end", pa.string()),
        ("place", pa.string()), ("country", pa.string()), ("parties", pa.list_(pa.string())), ("participants", people),
        ("organizations", pa.list_(pa.string())), ("topics", pa.list_(pa.string())),
        ("outcomes", pa.list_(pa.struct([("type", pa.string()), ("text", pa.string())]))),
        ("cameo", pa.list_(pa.string())), ("plover", pa.string()), ("n_sources", pa.int64()),
        ("sources", pa.list_(pa.struct([
            ("document_id", pa.int64()), ("url", pa.string()), ("title", pa.string()), ("publisher", pa.string()),
            ("published", pa.string()),
            ("evidence", pa.list_(pa.struct([("sentence", pa.string()), ("fields", pa.list_(pa.string()))])))]))),
    ])
    for r in rows:
        r["participants"] = [{k: p.get(k) for k in ("name", "title", "org", "country", "role")} for p in r["participants"]]
        r["outcomes"] = [{"type": o["type"], "text": o["text"]} for o in r["outcomes"]]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return len(rows)


def _ics_text(value: str) -> str:
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "").replace("\n", "\\n")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _fold(line: str) -> str:
    """RFC 5545 lines are at most 75 octets; longer ones continue after CRLF + space."""
    out: list[str] = []
    cur = b""
    for ch in line:
        b = ch.encode()
        if len(cur) + len(b) > (75 if not out else 74):
            out.append(cur.decode())
            cur = b""
        cur += b
    out.append(cur.decode())
    return "\r\n ".join(out)


def summary_of(rec: dict[str, Any]) -> str:
    what = rec.get("mechanism") or rec["type"].replace("_", " ")
    if rec.get("round"):
        what += f", round {rec['round']}"
    sides = "–".join(rec.get("parties") or [])
    status = " (planned)" if rec["status"] == "planned" else ""
    return f"{what}{status}" + (f" [{sides}]" if sides and not rec.get("mechanism") else "")


def to_ics(recs: Iterator[dict[str, Any]], name: str = "tradetalks") -> tuple[str, int]:
    """A calendar of the events dated to the day; returns it and how many were left out
    for having no exact day."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//tradetalks//{__version__}//EN", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_ics_text(name)}"]
    left_out = 0
    for r in recs:
        event = _vevent(r, stamp)
        if event is None:
            left_out += 1
        else:
            lines += event
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines), left_out


def _vevent(r: dict[str, Any], stamp: str) -> list[str] | None:
    """An event dated to the day as a VEVENT (None for one that is not): its first source's
    address as URL, and a DESCRIPTION naming every source."""
    start = r.get("start")
    if not start or len(start) != 10:
        return None
    end: str = r["end"] if r.get("end") and len(r["end"]) == 10 else start
    try:
        last = date.fromisoformat(end) + timedelta(days=1)  # DTEND of an all-day event is exclusive
        first = date.fromisoformat(start)
    except ValueError:
        return None
    where = ", ".join(x for x in (r.get("place"), r.get("country")) if x)
    leads = "; ".join(p["name"] for p in r["participants"] if p.get("role") == "lead")
    named = "; ".join(_named(s) for s in r["sources"])
    codes_ = " ".join(x for x in (f"CAMEO {', '.join(r['cameo'])};" if r["cameo"] else "",
                                  f"PLOVER {r['plover']}." if r["plover"] else "") if x)
    desc = " ".join(x for x in (f"Parties: {' '.join(r['parties'])}." if r["parties"] else "",
                                f"Leads: {leads}." if leads else "",
                                f"Sources ({r['n_sources']}): {named}." if named else f"Sources: {r['n_sources']}.",
                                f"Codes: {codes_}" if codes_ else "") if x)
    lines = ["BEGIN:VEVENT", f"UID:event-{r['id']}@tradetalks", f"DTSTAMP:{stamp}",
             f"DTSTART;VALUE=DATE:{first:%Y%m%d}", f"DTEND;VALUE=DATE:{last:%Y%m%d}",
             f"SUMMARY:{_ics_text(summary_of(r))}", f"DESCRIPTION:{_ics_text(desc)}",
             f"STATUS:{'TENTATIVE' if r['status'] == 'planned' else 'CONFIRMED'}"]
    if where:
        lines.append(f"LOCATION:{_ics_text(where)}")
    urls = web_urls(r)
    if urls:
        lines.append(f"URL:{urls[0]}")
    return [*lines, "END:VEVENT"]


def _named(source: dict[str, Any]) -> str:
    """A source as a calendar's description names it: title (publisher, date) <address>."""
    about = ", ".join(x for x in (source.get("publisher"), source.get("published")) if x)
    url = source.get("url") if _WEB.match(source.get("url") or "") else None
    return " ".join(x for x in (source.get("title") or f"document {source['document_id']}",
                                f"({about})" if about else "", f"<{url}>" if url else "") if x)


def export(conn: Connection, fmt: str, output: Path | None, q: Select | None = None) -> tuple[str | None, int]:
    """Export events; returns the text (None when written to `output`) and, for ics, how
    many events were left out for lack of an exact day."""
    if fmt not in FORMATS:
        raise QueryError(f"{fmt!r} is not an export format; use one of: {', '.join(FORMATS)}")
    recs = records(conn, q, evidence=fmt in ("jsonl", "parquet"))
    if fmt == "parquet":
        if output is None:
            raise QueryError("parquet is a binary format; give a file with --output events.parquet")
        to_parquet(recs, output)
        return None, 0
    left = 0
    if fmt == "jsonl":
        body = to_jsonl(recs)
    elif fmt == "csv":
        body = to_csv(recs)
    else:
        body, left = to_ics(recs)
    if output is None:
        return body, left
    output.write_text(body, encoding="utf-8", newline="")
    return None, left
