"""Input families, detected from content (never from the file name), each split into
a body to repair and the metadata its wrapper carries."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field

import yaml

from tradetalks.clean import htmltext
from tradetalks.regex import regex

# libyaml's parser when PyYAML has it (a front matter is read for every document).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Parsed:
    fmt: str
    body: str
    meta: dict[str, str] = field(default_factory=dict)


_FRONT = re.compile(r"\A\ufeff?\s*---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
_TRACKER = re.compile(r"^\*\*(?:Category|Publisher|Published|Source)[:*]", re.M)
_RSS_ITEM = re.compile(r"<(item|entry)\b[^>]*>", re.I)
_HTML = re.compile(r"<!doctype html|<html\b|<body\b|<head\b", re.I)


def detect(text: str) -> str:
    head = text[:4000]
    if regex(r"<REUTERS\b").search(head):
        return "sgml"
    if _RSS_ITEM.search(head) and regex(r"<(content:encoded|description|content|summary)\b", re.I).search(text):
        return "rss"
    if _HTML.search(head):
        return "html"
    if _FRONT.match(text):
        return "front_matter"
    if _TRACKER.search(head) and "## Full Article" in text:
        return "tracker"
    return "text"


def parse(text: str) -> Parsed:
    fmt = detect(text)
    return {
        "sgml": _sgml,
        "rss": _rss,
        "html": _html,
        "front_matter": _front_matter,
        "tracker": _tracker,
    }.get(fmt, lambda t: Parsed("text", t))(text)


# -- Markdown with YAML front matter ---------------------------------------------------------

_META_KEYS = {
    "title": ("title",),
    "published": ("date", "published_date", "published", "doc_date", "pubdate", "published_time"),
    "url": ("source_url", "url", "link", "permalink"),
    "publisher": ("publisher", "source", "site_name", "sitename"),
}


def _front_matter(text: str) -> Parsed:
    m = _FRONT.match(text)
    assert m is not None
    raw = m.group(1)
    try:
        data = yaml.load(raw, Loader=_YAML_LOADER)
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict):
        data = dict(regex(r"^([A-Za-z_]+):\s*['\"]?(.*?)['\"]?\s*$", re.M).findall(raw))
    meta = _pick(data)
    body = text[m.end():]
    # Some front matters put a bare site root in source_url and the page in url.
    if meta.get("url", "").rstrip("/").count("/") <= 2 and isinstance(data.get("url"), str):
        meta["url"] = data["url"]
    return Parsed("front_matter", body, meta)


def _pick(data: dict) -> dict[str, str]:
    meta: dict[str, str] = {}
    for key, names in _META_KEYS.items():
        for name in names:
            value = data.get(name)
            if value not in (None, "", []):
                meta[key] = str(value).strip()
                break
    # A publisher that is a URL is not a name.
    if meta.get("publisher", "").startswith("http"):
        meta.pop("publisher")
    return meta


# -- News tracker wrapper --------------------------------------------------------------------

def _tracker(text: str) -> Parsed:
    meta: dict[str, str] = {}
    title = regex(r"^# (.+)$", re.M).search(text)
    if title:
        meta["title"] = title.group(1).strip()
    for key, label in (("publisher", "Publisher"), ("published", "Published")):
        m = regex(rf"^\*\*{label}:\*\*\s*(.+)$", re.M).search(text)
        if m:
            meta[key] = m.group(1).strip()
    src = regex(r"^\*\*Source:\*\*\s*\[?([^\]\s]+)", re.M).search(text)
    if src:
        meta["url"] = src.group(1)
    body = text.split("## Full Article", 1)[1]
    return Parsed("tracker", body, meta)


# -- RSS / Atom item ---------------------------------------------------------------------------

def _tag(text: str, *names: str) -> str | None:
    for name in names:
        m = regex(rf"<{name}\b[^>]*>(.*?)</{name}>", re.S | re.I).search(text)
        if m:
            value = m.group(1).strip()
            cdata = regex(r"<!\[CDATA\[(.*)\]\]>", re.S).fullmatch(value)
            value = cdata.group(1) if cdata else htmllib.unescape(value)
            if value.strip():
                return value.strip()
    return None


def _rss(text: str) -> Parsed:
    meta: dict[str, str] = {}
    for key, names in (
        ("title", ("title",)),
        ("url", ("link",)),
        ("published", ("pubDate", "published", "updated", "dc:date")),
        ("author", ("dc:creator", "author")),
    ):
        value = _tag(text, *names)
        if value:
            meta[key] = htmltext.fragment_to_text(value) if key == "title" else value
    if "url" not in meta:
        link = regex(r"<link\b[^>]*href=[\"']([^\"']+)", re.I).search(text)
        if link:
            meta["url"] = link.group(1)
    body_html = _tag(text, "content:encoded", "content") or _tag(text, "description", "summary") or ""
    return Parsed("rss", htmltext.fragment_to_text(body_html), meta)


# -- SGML wire copy (Reuters-21578) -----------------------------------------------------------

def _sgml(text: str) -> Parsed:
    meta: dict[str, str] = {}
    title = _tag(text, "TITLE")
    if title:
        meta["title"] = title
    date = _tag(text, "DATE")
    if date:
        meta["published"] = date
    dateline = _tag(text, "DATELINE") or ""
    body = _tag(text, "BODY") or _tag(text, "TEXT") or ""
    body = regex(r"<[^>]+>").sub(" ", body)
    body = regex(r"&#\d+;").sub("", body)
    body = regex(r"\s*\bReuters?\b\W*\Z", re.I).sub("", body.rstrip())
    # Paragraphs of wire copy start with an indent.
    body = regex(r"\n[ \t]{2,}").sub("\n\n", body)
    dateline = " ".join(dateline.split())
    if dateline:
        body = f"{dateline} {body.lstrip()}"
    meta["publisher"] = "Reuters"
    return Parsed("sgml", htmllib.unescape(body), meta)


# -- Full HTML page ----------------------------------------------------------------------------

def _html(text: str) -> Parsed:
    body, meta = htmltext.page_to_text(text)
    return Parsed("html", body, meta)
