"""Where documents come from: files and folders, web pages by URL, RSS/Atom feeds and a
config file listing any of these. :func:`iter_items` turns what the user gave into one
stream of items, each a document's text or the reason it could not be had."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from tradetalks.clean import metadata
from tradetalks.errors import InputError, TradetalksError, shown
from tradetalks.sources import feeds
from tradetalks.sources.fetch import Fetcher
from tradetalks.sources.files import read_file, read_head
from tradetalks.sources.manifest import Manifest

As = Literal["auto", "page", "feed"]
SKIP_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico", ".pdf", ".zip", ".gz", ".bz2", ".xz",
                 ".tar", ".woff", ".woff2", ".ttf", ".mp3", ".mp4", ".db", ".sqlite", ".pyc", ".parquet"}


@dataclass
class Item:
    source: str                    # path or URL as given (or the entry's URL)
    raw: str | None = None         # the document's text; None when it failed or was skipped
    url: str | None = None
    published: str | None = None   # a date from outside the text (the feed entry's)
    error: str | None = None       # why it failed
    skipped: str | None = None     # why it was passed over
    cache: dict[str, str | None] = field(default_factory=dict)  # etag/last_modified to remember
    replace: int | None = None     # the stored document this is a new version of (reprocess)
    notes: list[str] = field(default_factory=list)  # how it was read (a charset that did not fit, ...)
    meta: dict[str, str] = field(default_factory=dict)  # what a manifest gives: url, publisher, title


CacheLookup = Callable[[str], tuple[str | None, str | None]]


def _is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def load_config(path: str) -> list[tuple[str, As]]:
    """The sources listed in a YAML file: `sources:` with paths, URLs, or mappings
    `{feed: URL}`, `{page: URL}`, `{path: DIR}`."""
    if not os.path.lexists(path):
        raise InputError(f"{shown(path)}: no such config file; check the path")
    try:
        data = yaml.safe_load(read_file(path)[0])  # a regular file only: a FIFO would hang the run
    except yaml.YAMLError as exc:
        raise InputError(f"{shown(path)}: not a readable YAML file ({type(exc).__name__}); fix it") from None
    listed = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(listed, list):
        raise InputError(f"{path}: expected a 'sources:' list of paths, URLs or {{feed: URL}} entries")
    out: list[tuple[str, As]] = []
    base = Path(path).parent
    for entry in listed:
        if isinstance(entry, str):
            out.append((entry if _is_url(entry) or Path(entry).is_absolute() else str(base / entry), "auto"))
        elif isinstance(entry, dict) and len(entry) == 1 and next(iter(entry)) in ("feed", "page", "path", "url"):
            kind, value = next(iter(entry.items()))
            value = str(value)
            if kind == "path" and not Path(value).is_absolute():
                value = str(base / value)
            out.append((value, {"feed": "feed", "page": "page"}.get(kind, "auto")))  # type: ignore[arg-type]
        else:
            raise InputError(f"{path}: cannot read source entry {entry!r}; use a path, a URL, or {{feed: URL}}")
    return out


def iter_items(sources: list[tuple[str, As]], fetcher: Fetcher | None, cache: CacheLookup,
               since: str | None = None, manifest: Manifest | None = None) -> Iterator[Item]:
    """Every document the sources give; a file listed in the manifest carries what it
    says of the file (its date as the date from outside the text, and in `meta` its URL,
    publisher and title)."""
    for source, as_ in sources:
        if _is_url(source):
            yield from _url_items(source, as_, fetcher, cache, since)
        elif manifest is None:
            yield from _path_items(source, as_, fetcher, cache, since)
        else:
            for item in _path_items(source, as_, fetcher, cache, since):
                meta = dict(manifest.lookup(item.source)) if item.raw is not None else {}
                item.published = item.published or meta.pop("published", None)
                item.meta = meta
                yield item


def _path_items(source: str, as_: As, fetcher: Fetcher | None, cache: CacheLookup, since: str | None) -> Iterator[Item]:
    p = Path(source)
    if p.is_dir():
        for f in _by_date(_folder_files(p)):
            yield from _file_items(f, as_, fetcher, cache, since, in_folder=True)
        return
    yield from _file_items(p, as_, fetcher, cache, since, in_folder=False)


def _folder_files(folder: Path) -> Iterator[Path]:
    """The files of a folder and its subfolders, hidden ones and known binary kinds left out,
    in path order."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            f = Path(root) / name
            if not name.startswith(".") and f.suffix.lower() not in SKIP_SUFFIXES:
                yield f


def _by_date(paths: Iterator[Path]) -> list[Path]:
    """Files in the order of the dates their heads give (path order among the same date,
    undated files last). The record does not depend on the order of its inputs, but
    linking a document published after all the reports it joins is the cheap case."""
    keyed = [(metadata.date_hint(read_head(f)) or "~", i, f) for i, f in enumerate(paths)]
    return [f for _, _, f in sorted(keyed)]


def _file_items(path: Path, as_: As, fetcher: Fetcher | None, cache: CacheLookup, since: str | None,
                in_folder: bool) -> Iterator[Item]:
    name = shown(path)
    try:
        raw, notes = read_file(path)
    except InputError as exc:
        if in_folder and "binary" in str(exc):
            yield Item(name, skipped="not a text document")
        else:
            yield Item(name, error=str(exc))
        return
    if as_ == "feed" or (as_ == "auto" and feeds.looks_like_feed(raw)):
        yield from _feed_entries(raw, name, fetcher, cache, since)
        return
    yield Item(name, raw, notes=notes)


def _url_items(url: str, as_: As, fetcher: Fetcher | None, cache: CacheLookup, since: str | None) -> Iterator[Item]:
    if fetcher is None:
        yield Item(url, error=f"{url}: fetching is off; ingest files instead")
        return
    etag, modified = cache(url)
    try:
        page = fetcher.get(url, etag, modified)
    except TradetalksError as exc:
        yield Item(url, error=str(exc))
        return
    remember = {"etag": page.etag, "last_modified": page.last_modified}
    if page.status == 304:
        yield Item(url, url=url, skipped="unchanged since the last fetch")
        return
    is_feed = as_ == "feed" or (as_ == "auto" and feeds.looks_like_feed(page.text))
    if not is_feed:
        yield Item(url, page.text, url=page.url, cache=remember, notes=page.notes)
        return
    yield from _feed_entries(page.text, url, fetcher, cache, since)
    # The feed is remembered only once its entries are through.
    yield Item(url, url=url, skipped="feed read", cache=remember)


def _feed_entries(text: str, name: str, fetcher: Fetcher | None, cache: CacheLookup, since: str | None) -> Iterator[Item]:
    try:
        entries = feeds.parse(text, name)
    except InputError as exc:
        yield Item(name, error=str(exc))
        return
    for entry in feeds.entries_since(entries, since):
        link = entry.link
        if link and fetcher is not None and _is_url(link):
            etag, modified = cache(link)
            try:
                page = fetcher.get(link, etag, modified)
            except TradetalksError as exc:
                if entry.content:
                    yield Item(link, feeds.entry_document(entry), url=link, published=entry.published)
                else:
                    yield Item(link, error=str(exc))
                continue
            if page.status == 304:
                yield Item(link, url=link, skipped="unchanged since the last fetch")
                continue
            yield Item(link, page.text, url=page.url, published=entry.published,
                       cache={"etag": page.etag, "last_modified": page.last_modified}, notes=page.notes)
        elif entry.content:
            yield Item(link or f"{name}#{entry.title or 'entry'}", feeds.entry_document(entry), url=link,
                       published=entry.published)
        else:
            yield Item(link or name, error=f"{link or name}: the feed entry has no page and no content")

