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
