"""An Atom feed (RFC 4287) of events newly added to the record, for feed readers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from tradetalks import __version__
from tradetalks.export import summary_of

NS = "http://www.w3.org/2005/Atom"
CAMEO = "http://eventdata.parusanalytics.com/data.dir/cameo.html"
PLOVER = "https://github.com/openeventdata/PLOVER"
_WEB = re.compile(r"https?://[^\s\x00-\x1f\x7f]+\Z")


def web_url(value: str | None) -> bool:
    """Only http(s) addresses become links."""
    return bool(value and _WEB.match(value))


def _details(ev: dict[str, Any]) -> str:
    loc = ev.get("location") or {}
    when = ev.get("start") if not ev.get("end") or ev.get("end") == ev.get("start") else f"{ev['start']} to {ev['end']}"
    leads = "; ".join(p["name"] for p in ev.get("participants") or [] if p.get("role") == "lead")
    sources = "; ".join(" ".join(x for x in (s.get("title") or f"document {s['document_id']}",
                                             f"({', '.join(y for y in (s.get('publisher'), s.get('published')) if y)})"
                                             if s.get("publisher") or s.get("published") else "",
                                             s["url"] if web_url(s.get("url")) else "") if x)
                         for s in ev.get("sources") or [])
    parts = [
        f"{ev['type'].replace('_', ' ')} ({ev['status']})",
        f"When: {when}" if when else "When: not dated",
        f"Mechanism: {ev['mechanism']}" if ev.get("mechanism") else "",
        f"Round: {ev['round']}" if ev.get("round") else "",
        "Where: " + ", ".join(x for x in (loc.get("place"), loc.get("country")) if x) if loc.get("place") or loc.get("country") else "",
        f"Parties: {' '.join(ev.get('parties') or [])}" if ev.get("parties") else "",
        f"Leads: {leads}" if leads else "",
        f"Topics: {', '.join(t.replace('_', ' ') for t in ev.get('topics') or [])}" if ev.get("topics") else "",
        f"Sources ({ev.get('n_sources', 0)}): {sources}" if sources else f"Sources: {ev.get('n_sources', 0)}",
        " ".join(x for x in (f"CAMEO: {', '.join(ev['cameo'])}." if ev.get("cameo") else "",
                             f"PLOVER: {ev['plover']}." if ev.get("plover") else "") if x),
    ]
    return "\n".join(p for p in parts if p)


def _xml_safe(value: str) -> str:
    """XML 1.0 has no place for most control characters; scraped text may hold them."""
    return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20 and ch not in "\ufffe\uffff")


def to_atom(events: list[dict[str, Any]], *, title: str, feed_url: str, site_url: str) -> str:
    """The feed of these events (newest first), each linking to its page on the site."""
    ET.register_namespace("", NS)
    feed = ET.Element(f"{{{NS}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)
        if text is not None:
            el.text = _xml_safe(text)
        return el

    updated = max((e["updated_at"] for e in events), default=datetime.now(UTC).isoformat(timespec="seconds"))
    add(feed, "title", title)
    add(feed, "id", feed_url)
    add(feed, "updated", updated)
    add(feed, "link", rel="self", href=feed_url, type="application/atom+xml")
    add(feed, "link", rel="alternate", href=site_url, type="text/html")
    add(feed, "generator", "tradetalks", version=__version__)
    author = add(feed, "author")
    add(author, "name", "tradetalks")
    base = site_url.rstrip("/")
    for ev in events:
        entry = add(feed, "entry")
        when = ev.get("start") or "not dated"
        add(entry, "title", summary_of(ev) + (f" [{'–'.join(ev.get('parties') or [])}]" if ev.get("mechanism") else "")
            + f", {when}")
        add(entry, "id", f"{base}/events/{ev['id']}")
        add(entry, "link", rel="alternate", href=f"{base}/events/{ev['id']}", type="text/html")
        add(entry, "published", ev["created_at"])
        add(entry, "updated", ev["updated_at"])
        add(entry, "summary", _details(ev), type="text")
        for url in dict.fromkeys(s["url"] for s in ev.get("sources") or [] if web_url(s.get("url"))):
            add(entry, "link", rel="related", href=url, type="text/html")
        for code in ev.get("topics") or []:
            add(entry, "category", term=code)
        for code in ev.get("cameo") or []:
            add(entry, "category", term=code, scheme=CAMEO, label=f"CAMEO {code}")
        if ev.get("plover"):
            add(entry, "category", term=ev["plover"], scheme=PLOVER, label=f"PLOVER {ev['plover']}")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
