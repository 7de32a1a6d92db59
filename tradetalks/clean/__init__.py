"""Clean a raw document: detect its family, take its metadata, repair its text."""

from __future__ import annotations

from dataclasses import dataclass, field

from tradetalks.clean import boilerplate, formats, metadata, repair
from tradetalks.clean.boilerplate import Removal
from tradetalks.models import Place

__all__ = ["Cleaned", "Removal", "clean", "explain"]


@dataclass
class Cleaned:
    text: str
    fmt: str
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    kind: str = "other"
    url: str | None = None
    dateline: Place | None = None
    dateline_span: tuple[int, int] | None = None
    flags: dict[str, bool] = field(default_factory=dict)
    home: str | None = None  # the country the publisher is based in
    written: str | None = None  # the date line at the text's head, when it is not the publication date
    removed: list[Removal] = field(default_factory=list)  # what cleaning took out, and why


def clean(raw: str) -> Cleaned:
    """Turn one raw document (any supported family) into clean text and metadata."""
    parsed = formats.parse(raw)
    meta = parsed.meta
    body, header_date, header = metadata.take_scraper_header(parsed.body)
    repaired = repair.repair_text(body, titled=bool(meta.get("title")))
    text, flags, removed = repaired.text, repaired.flags, repaired.removed
    if header:
        removed.insert(0, Removal("date_header", header))
    text, date_line, date_lines = metadata.take_date_lines(text)
    removed.extend(Removal("date_line", line) for line in date_lines)
    # A date written for readers beats the archive's: a date line, one in the page's head that
    # went with a block of furniture (when it is the only date there), a dated dateline, a
    # date after the headline; the URL's last.
    date_line = (date_line or metadata.only_date([r.text for r in removed if r.top])
                 or metadata.date_in_head(text) or header_date)
    title = meta.get("title")
    if title:
        title = " ".join(repair.strip_markup(repair.normalize_spaces(title)).split())
    elif parsed.fmt in ("text", "tracker"):
        title = metadata.guess_title(text)
    if meta.get("title") and title:
        text = boilerplate.drop_title_heading(text, title, removed)
    published = metadata.parse_date(meta.get("published")) or date_line
    url = meta.get("url")
    published = published or metadata.date_in_url(url)
    publisher, government, home = metadata.publisher_for(url, text)
    publisher = meta.get("publisher") or publisher
    dateline, span = metadata.find_dateline(text)
    kind = metadata.guess_kind(title, text, government, flags, parsed.fmt)
    return Cleaned(
        text=text, fmt=parsed.fmt, title=title or None, published=published, publisher=publisher,
        kind=kind, url=url, dateline=dateline, dateline_span=span, flags=flags, home=home,
        written=date_line if date_line and date_line != published else None,
        removed=removed,
    )


def explain(raw: str) -> str:
    """What cleaning removes from one raw document, and why (`extract --explain-cleaning`)."""
    return boilerplate.explain(clean(raw).removed)
