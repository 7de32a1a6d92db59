"""Exports of the record's events: JSON Lines (full records), CSV (one row per event),
Parquet (columns, lists kept as lists) and an iCalendar file of the dated events."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from tradetalks import __version__
from tradetalks.errors import QueryError
from tradetalks.store import listing

FORMATS = ("jsonl", "csv", "parquet", "ics")
CSV_COLUMNS = ["id", "type", "status", "mechanism", "round", "start", "end", "place", "country", "parties",
               "leads", "participants", "organizations", "topics", "outcomes", "sources"]


def records(conn: Connection, q: Select | None = None) -> Iterator[dict[str, Any]]:
    """Every event (or those of a filtered query) as a flat-ish record, in date order."""
    for row in listing.in_date_order(conn, q):
        rec = json.loads(row["data"])
        loc = rec.get("location") or {}
        yield {
            "id": row["id"], "type": rec["type"], "status": rec["status"], "mechanism": rec.get("mechanism"),
            "mechanism_id": row["mechanism_id"], "round": rec.get("round"), "start": rec.get("start"),
            "end": rec.get("end"), "place": loc.get("place"), "country": loc.get("country"),
            "parties": rec.get("parties") or [], "participants": rec.get("participants") or [],
            "organizations": rec.get("organizations") or [], "topics": rec.get("topics") or [],
            "outcomes": rec.get("outcomes") or [], "sources": row["n_sources"],
        }


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: rec[k] for k in ("id", "type", "status", "mechanism", "round", "start", "end", "place", "country", "sources")},
        "parties": " ".join(rec["parties"]),
        "leads": "; ".join(p["name"] for p in rec["participants"] if p.get("role") == "lead"),
        "participants": "; ".join(f"{p['name']} ({p.get('role')})" for p in rec["participants"]),
        "organizations": "; ".join(rec["organizations"]), "topics": " ".join(rec["topics"]),
        "outcomes": "; ".join(f"{o['type']}: {o['text']}" for o in rec["outcomes"]),
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
        ("outcomes", pa.list_(pa.struct([("type", pa.string()), ("text", pa.string())]))), ("sources", pa.int64()),
    ])
    for r in rows:
        r["participants"] = [{k: p.get(k) for k in ("name", "title", "org", "country", "role")} for p in r["participants"]]
        r["outcomes"] = [{"type": o["type"], "text": o["text"]} for o in r["outcomes"]]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return len(rows)


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "").replace("\n", "\\n")


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
        start = r.get("start")
        if not start or len(start) != 10:
            left_out += 1
            continue
        end: str = r["end"] if r.get("end") and len(r["end"]) == 10 else start
        try:
            last = date.fromisoformat(end) + timedelta(days=1)  # DTEND of an all-day event is exclusive
            first = date.fromisoformat(start)
        except ValueError:
            left_out += 1
            continue
        where = ", ".join(x for x in (r.get("place"), r.get("country")) if x)
        leads = "; ".join(p["name"] for p in r["participants"] if p.get("role") == "lead")
        desc = " ".join(x for x in (f"Parties: {' '.join(r['parties'])}." if r["parties"] else "",
                                    f"Leads: {leads}." if leads else "", f"Sources: {r['sources']}.") if x)
        lines += ["BEGIN:VEVENT", f"UID:event-{r['id']}@tradetalks", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{first:%Y%m%d}", f"DTEND;VALUE=DATE:{last:%Y%m%d}",
                  f"SUMMARY:{_ics_text(summary_of(r))}", f"DESCRIPTION:{_ics_text(desc)}",
                  f"STATUS:{'TENTATIVE' if r['status'] == 'planned' else 'CONFIRMED'}"]
        if where:
            lines.append(f"LOCATION:{_ics_text(where)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines), left_out


def export(conn: Connection, fmt: str, output: Path | None, q: Select | None = None) -> tuple[str | None, int]:
    """Export events; returns the text (None when written to `output`) and, for ics, how
    many events were left out for lack of an exact day."""
    if fmt not in FORMATS:
        raise QueryError(f"{fmt!r} is not an export format; use one of: {', '.join(FORMATS)}")
    recs = records(conn, q)
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
