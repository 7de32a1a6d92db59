"""RSS and Atom feeds (feedparser): every entry becomes a document, its page fetched by
URL, or its own content when the feed carries the full text and the page cannot be had."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from time import strftime

import feedparser

from tradetalks.errors import InputError

_ROOT = re.compile(r"\A(?:\ufeff)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*|<\?xml-stylesheet[^>]*\?>\s*)*"
                   r"<(?:rss|feed|rdf:RDF)\b", re.S | re.I)


def looks_like_feed(text: str) -> bool:
    """A whole RSS or Atom feed (not one item cut out of it)."""
    return bool(_ROOT.match(text[:4096]))


@dataclass
class Entry:
    link: str | None
    title: str | None
    published: str | None     # YYYY-MM-DD
    content: str | None       # the entry's own HTML, when the feed carries it


def parse(text: str, name: str) -> list[Entry]:
    """The entries of a feed, or InputError when the text is no feed."""
    if not looks_like_feed(text):
        raise InputError(f"{name} is neither RSS nor Atom; pass it as a page with --as page")
    parsed = feedparser.parse(text)
    out = []
    for e in parsed.entries:
        when = e.get("published_parsed") or e.get("updated_parsed")
        body = None
        if e.get("content"):
            body = max((c.get("value", "") for c in e.content), key=len) or None
        elif e.get("summary"):
            body = e.summary
        out.append(Entry(e.get("link"), e.get("title"), strftime("%Y-%m-%d", when) if when else None, body))
    if not out and parsed.bozo:
        raise InputError(f"{name}: the feed cannot be parsed ({parsed.bozo_exception}); check that it is RSS or Atom")
    return out


def entry_document(entry: Entry) -> str:
    """An entry's own content as an HTML page the cleaner reads like any other."""
    title = html.escape(entry.title or "")
    meta = f'<meta property="article:published_time" content="{entry.published}">' if entry.published else ""
    return f"<html><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1>{entry.content or ''}</article></body></html>"


def entries_since(entries: list[Entry], since: str | None) -> Iterator[Entry]:
    for e in entries:
        if since and e.published and e.published < since:
            continue
        yield e

