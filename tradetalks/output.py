"""Rendering extractions for the terminal: JSON, JSON Lines and a readable table."""

from __future__ import annotations

import json
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tradetalks.models import Extraction

FORMATS = ("json", "jsonl", "table")


def render(extraction: Extraction, fmt: str) -> str:
    data = extraction.to_dict()
    if fmt == "jsonl":
        return json.dumps(data, ensure_ascii=False)
    return json.dumps(data, ensure_ascii=False, indent=2)


def _cell(value: Any) -> Text:
    # Text objects are never parsed for markup: scraped text shows as it is.
    return Text("" if value is None else str(value))


_COLUMNS = [("document", 9), ("event", 17), ("mechanism", 19), ("rnd", 3), ("when", 10),
            ("where", 9), ("parties", 7), ("leads", 12)]


def table(extractions: list[Extraction], console: Console) -> None:
    """Events as a table that stays readable at 100 columns."""
    t = Table(title="tradetalks: events", box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1),
              collapse_padding=True, pad_edge=False)
    for col, width in _COLUMNS:
        t.add_column(col, overflow="fold", max_width=width, min_width=width)
    for ex in extractions:
        name = ex.document.source.rsplit("/", 1)[-1].rsplit(".", 1)[0][:20]
        if not ex.events:
            t.add_row(_cell(name), _cell("(no events)"), *[_cell("")] * (len(_COLUMNS) - 2))
        for ev in ex.events:
            where = ", ".join(x for x in ((ev.location.place, ev.location.country) if ev.location else ()) if x)
            leads = "; ".join(p.name for p in ev.participants if p.role == "lead")
            when = ev.start if ev.start == ev.end else f"{ev.start} to {ev.end}"
            event = ev.type if ev.status == "held" else f"{ev.type} (planned)"
            t.add_row(_cell(name), _cell(event), _cell(ev.mechanism), _cell(ev.round),
                      _cell(when), _cell(where), _cell(" ".join(ev.parties)), _cell(leads))
            name = ""
    console.print(t)


LISTING_FORMATS = ("table", "json", "jsonl", "csv")

# Columns of an event listing, with their widths in a 100-column terminal.
EVENT_COLUMNS = [("id", 5), ("when", 10), ("type", 11), ("mechanism", 22), ("rnd", 3), ("where", 10),
                 ("parties", 7), ("leads", 14), ("src", 3)]
_ALIASES = {"rnd": "round", "src": "sources"}


def rows(records: list[dict[str, Any]], fmt: str, console: Console, *, columns: list[tuple[str, int]] | None = None,
         title: str | None = None) -> None:
    """Print a listing as a table (readable at 100 columns), JSON, JSON Lines or CSV."""
    if fmt == "json":
        console.file.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "jsonl":
        console.file.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        return
    if fmt == "csv":
        console.file.write(csv_text(records, [_ALIASES.get(c, c) for c, _ in columns or []]))
        return
    cols = columns or [(k, 12) for k in (records[0] if records else [])]
    t = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1), collapse_padding=True, pad_edge=False)
    for col, width in cols:
        t.add_column(col, overflow="fold", max_width=width, min_width=min(width, 8))
    for r in records:
        t.add_row(*[_cell(_value(r, col)) for col, _ in cols])
    console.print(t)
    if not records:
        console.print(Text("(nothing found)"))


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(_csv_cell(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def csv_text(records: list[dict[str, Any]], empty_header: list[str] | None = None) -> str:
    """A listing as CSV: every key of any record a column (in order of first appearance),
    lists joined with "; "; with no records, just the header given."""
    import csv
    import io

    fields: list[str] = []
    for r in records:
        fields += [k for k in r if k not in fields]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields or empty_header or ["id"], extrasaction="ignore")
    w.writeheader()
    w.writerows({k: _csv_cell(v) for k, v in r.items()} for r in records)
    return buf.getvalue()


def _value(r: dict[str, Any], col: str) -> Any:
    if col == "type" and "type" in r:  # "negotiation round (planned)" wraps at its spaces
        return r["type"].replace("_", " ") + (" (planned)" if r.get("status") == "planned" else "")
    return r.get(_ALIASES.get(col, col))


def event_detail(ev: dict[str, Any], console: Console) -> None:
    """Every field of one event, then each source with the sentences behind each field."""
    loc = ev.get("location") or {}
    lines = [
        ("event", f"{ev['id']}: {ev['type']} ({ev['status']})"),
        ("mechanism", ev.get("mechanism")), ("round", ev.get("round")),
        ("when", ev.get("start") if ev.get("start") == ev.get("end") else f"{ev.get('start')} to {ev.get('end')}"
         if ev.get("start") else None),
        ("where", ", ".join(x for x in (loc.get("place"), loc.get("country")) if x) or None),
        ("parties", " ".join(ev.get("parties") or []) or None),
        ("organizations", ", ".join(ev.get("organizations") or []) or None),
        ("topics", ", ".join(ev.get("topics") or []) or None),
    ]
    for key, value in lines:
        if value is not None:
            console.print(Text(f"{key:>14}  ", style="bold") + Text(str(value)))
    for p in ev.get("participants") or []:
        who = ", ".join(x for x in (p.get("title"), p.get("org"), p.get("country")) if x)
        console.print(Text(f"{p.get('role', ''):>14}  ", style="bold") + Text(p["name"] + (f" ({who})" if who else "")))
    for o in ev.get("outcomes") or []:
        console.print(Text(f"{'outcome':>14}  ", style="bold") + Text(f"{o['type']}: {o['text']}"))
    for s in ev.get("sources") or []:
        head = " · ".join(str(x) for x in (s.get("publisher"), s.get("published"), s.get("title") or s.get("source")) if x)
        console.print()
        console.print(Text(f"source {s['document_id']}: ", style="bold") + Text(head))
        console.print(Text("    " + (s.get("url") or s.get("source") or ""), style="dim"))
        for item in s.get("support") or []:
            console.print(Text("  " + ", ".join(item["fields"]), style="cyan"))
            console.print(Text("      " + item["sentence"]))
