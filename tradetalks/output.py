"""Rendering extractions for the terminal: JSON, JSON Lines and a readable table."""

from __future__ import annotations

import json
from typing import Any

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


def table(extractions: list[Extraction], console: Console) -> None:
    t = Table(title="tradetalks: events", show_lines=False, expand=False)
    for col in ("document", "type", "status", "mechanism", "rnd", "start", "end", "where", "parties", "leads"):
        t.add_column(col, overflow="fold")
    for ex in extractions:
        name = ex.document.source.rsplit("/", 1)[-1]
        if not ex.events:
            t.add_row(_cell(name), _cell("(no events)"), *[_cell("")] * 8)
        for ev in ex.events:
            where = ", ".join(x for x in ((ev.location.place, ev.location.country) if ev.location else ()) if x)
            leads = "; ".join(p.name for p in ev.participants if p.role == "lead")
            t.add_row(_cell(name), _cell(ev.type), _cell(ev.status), _cell(ev.mechanism), _cell(ev.round),
                      _cell(ev.start), _cell(ev.end), _cell(where), _cell(" ".join(ev.parties)), _cell(leads))
            name = ""
    console.print(t)
