"""The extraction pipeline: raw document -> cleaned text and metadata -> recognizers ->
events, as one contract document (``tradetalks/extraction-v1``)."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import cast

from tradetalks import clean as cleaning
from tradetalks.clean import decode, metadata
from tradetalks.errors import InputError, shown
from tradetalks.extract import actors, dates, events, mechanisms, outcomes, people, topics
from tradetalks.extract.sentences import sentences as split_sentences
from tradetalks.models import DocKind, Document, Extraction

MAX_TEXT_CHARS = 1_000_000  # cleaned text beyond this is not read for events


def extract_text(raw: str, source: str, published: str | None = None) -> Extraction:
    """Extract one document given as text. `published` is used when the document gives
    no publication date of its own. Raises NotAnArticle for an input that is a table, a
    data file, a log or a corpus's README.

    The cyclic garbage collector is paused while one document is extracted: the stages
    make many small short-lived objects, and its passes over the lexicons cost 10-20% of
    the time on large texts; what it would free is freed when it resumes."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _extract_text(raw, source, published)
    finally:
        if paused:
            gc.enable()


def _extract_text(raw: str, source: str, published: str | None = None) -> Extraction:
    kind = metadata.not_an_article(raw)
    if kind:
        raise metadata.NotAnArticle(f"{shown(source)}: {kind}, not an article; passed over")
    c = cleaning.clean(raw)
    pub = c.published or published
    text = c.text
    scan = text[:MAX_TEXT_CHARS]
    sentences = split_sentences(scan)
    countries = actors.find_countries(scan)
    orgs = actors.find_orgs(scan)
    actors.assign_home(orgs, c.home or (c.dateline.country if c.dateline else None))
    persons = people.find_people(scan, countries, orgs)
    actors.trim_orgs(orgs, [span for p in persons for span in p.spans])
    people.fill_from_orgs(persons, orgs)
    people.fill_from_holders(persons)
    topic_cues = topics.outside_names(topics.find_topics(scan), orgs, persons)
    found_dates = dates.outside_dateline(dates.find_dates(scan, dates.anchor(pub, c.written)), c.dateline_span)
    found = events.Found(
        text=scan, sentences=sentences, title=c.title, published=pub, kind=c.kind,
        dateline=c.dateline, home=c.home, dates=found_dates, countries=countries,
        orgs=orgs, people=persons,
        mechanisms=mechanisms.find_mechanisms(scan, title=c.title, org_ends=[o.end for o in orgs]), topics=topic_cues,
        outcomes=outcomes.find_outcomes(scan),
    )
    evs = events.build(found) if sentences else []
    doc = Document(
        source=source, title=c.title, published=pub, publisher=c.publisher, kind=cast(DocKind, c.kind),
        dateline=c.dateline, text=text, **{"url": _own_url(c.url)},  # an extra key the contract allows
    )
    return Extraction(document=doc, events=evs)


def _own_url(url: str | None) -> str | None:
    """The document's own address as it gives it (front matter, the RSS item's link, the
    page's canonical link or og:url): a web address only, of a sane length."""
    url = (url or "").strip()
    return url if url.startswith(("http://", "https://")) and len(url) <= MAX_URL and url.isprintable() else None


MAX_URL = 2048


def read_document(path: str | os.PathLike[str]) -> str:
    """Read and decode a document file, or raise InputError saying what to do."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(f"{name}: no such file; check the path")
    if p.is_dir():
        raise InputError(f"{name}: is a directory; pass the files in it (e.g. {name}/*.txt)")
    try:
        size = p.stat().st_size
        if size > decode.MAX_BYTES:
            raise InputError(
                f"{name}: file is {size // (1024 * 1024)} MB, over the 10 MB limit; split it or pass only the article"
            )
        data = p.read_bytes()
    except PermissionError:
        raise InputError(f"{name}: permission denied; make the file readable") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror}); check the file") from None
    return decode.decode(data, name)


def extract_file(path: str | os.PathLike[str], published: str | None = None) -> Extraction:
    return extract_text(read_document(path), str(path), published)
