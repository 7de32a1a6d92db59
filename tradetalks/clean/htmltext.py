"""HTML to text: whole pages with trafilatura and htmldate, body fragments (an RSS item's
``content:encoded``) with lxml, keeping paragraphs and list items."""

from __future__ import annotations

import logging

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
    except (etree.ParserError, ValueError):
        return regex(r"<[^>]+>").sub(" ", fragment)
    parts: list[str] = []
    _walk(root, parts)
    text = "".join(parts)
    text = regex(r"[ \t]+").sub(" ", text)
    text = regex(r" *\n *").sub("\n", text)
    return regex(r"\n{3,}").sub("\n\n", text).strip()


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


def page_to_text(page: str) -> tuple[str, dict[str, str]]:
    """Main text and metadata of a full HTML page."""
    import trafilatura
    from htmldate import find_date

    meta: dict[str, str] = {}
    text = trafilatura.extract(
        page, include_comments=False, include_tables=False, include_images=False,
        favor_precision=True, deduplicate=True,
    ) or ""
    if not text.strip():
        text = trafilatura.extract(page, include_comments=False, favor_recall=True) or ""
    if not text.strip():
        text = fragment_to_text(regex(r"(?is)<head\b.*?</head>").sub("", page))
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
