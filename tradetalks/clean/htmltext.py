"""HTML to text: whole pages with trafilatura and htmldate, body fragments (an RSS item's
``content:encoded``) with lxml, keeping paragraphs and list items."""

from __future__ import annotations

import logging
import re
import threading
from html.parser import HTMLParser

import lxml.html
from lxml import etree

from tradetalks.regex import regex

_BLOCKS = {"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
           "tr", "table", "ul", "ol", "br", "hr", "pre", "header", "footer", "figure"}
_DROP = {"script", "style", "noscript", "iframe", "form", "input", "button", "svg", "template", "nav"}

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


def fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment: one paragraph per block, "- " before list items."""
    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        parts: list[str] = []
        _walk(root, parts)
        text = _tidy("".join(parts))
    except (etree.ParserError, ValueError, RecursionError):
        text = ""
    # lxml stops reading past 255 nested elements and says nothing: read such markup again,
    # without a tree.
    return text or _tidy(flat_text(fragment))


def _tidy(text: str) -> str:
    text = regex(r"[ \t]+").sub(" ", text)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    return regex(r"\n{3,}").sub("\n\n", text).strip()


class _FlatText(HTMLParser):
    """Text of markup read as a stream of tags (no tree, so no limit on nesting)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _RAW:
            self.skipping += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _RAW:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS or tag == "li":
            self.parts.append("\n\n" if tag != "li" else "\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


_RAW = {"script", "style", "template", "noscript"}


def flat_text(markup: str) -> str:
    """The text of any markup, however deeply nested, in one pass."""
    parser = _FlatText()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def _walk(el, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _DROP or not isinstance(el.tag, str):
        if el.tail:
            parts.append(el.tail)
        return
    if tag in _BLOCKS:
        parts.append("\n\n")
    if tag == "li":
        parts.append("\n- ")
    if el.text:
        parts.append(el.text)
    for child in el:
        _walk(child, parts)
    if tag in _BLOCKS or tag == "li":
        parts.append("\n\n" if tag != "li" else "\n")
    if el.tail:
        parts.append(el.tail)


def _without_head(page: str) -> str:
    start = regex(r"<head\b", re.I).search(page)
    end = regex(r"</head\s{0,20}>", re.I).search(page, start.end()) if start else None
    return page[: start.start()] + page[end.end():] if start and end else page


# Elements that never nest: void ones, and those whose end tag HTML lets a page leave out.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
         "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup",
         "rt", "rp", "html", "head", "body"}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,30})\b[^<>]{0,2000}?(/?)>")


def too_deep(page: str, limit: int = 255) -> bool:
    """Does the markup nest elements deeper than `limit` (what lxml reads)? One pass over
    the tags."""
    if page.count("<") < limit:
        return False
    depth = 0
    for m in _TAG.finditer(page):
        if m.group(3) or m.group(2).lower() in _VOID:
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        if depth > limit:
            return True
    return False


_DEDUP_LOCK = threading.Lock()


def page_to_text(page: str) -> tuple[str, dict[str, str]]:
    """Main text and metadata of a full HTML page."""
    import trafilatura
    from htmldate import find_date
    from trafilatura.deduplication import LRU_TEST

    meta: dict[str, str] = {}
    if too_deep(page):  # lxml, under trafilatura and htmldate, reads no further than this
        return _tidy(flat_text(_without_head(page))), meta
    with _DEDUP_LOCK:
        # trafilatura's deduplication remembers text across calls in the process: the fourth
        # extraction of the same page (reprocess, a server's re-extraction) lost its repeated
        # parts. Repeats are dropped within this page only.
        LRU_TEST.clear()
        text = trafilatura.extract(
            page, include_comments=False, include_tables=False, include_images=False,
            favor_precision=True, deduplicate=True,
        ) or ""
    if not text.strip():
        text = trafilatura.extract(page, include_comments=False, favor_recall=True) or ""
    if not text.strip():
        text = fragment_to_text(_without_head(page))
    info = trafilatura.extract_metadata(page)
    if info is not None:
        for key, attr in (("title", "title"), ("publisher", "sitename"), ("url", "url")):
            value = getattr(info, attr, None)
            if value:
                meta[key] = str(value)
    try:
        date = find_date(page, original_date=True, extensive_search=False)
    except (ValueError, TypeError):  # htmldate raises on odd markup
        date = None
    if date:
        meta["published"] = date
    return text, meta
