"""A manifest: a CSV file giving, for each document file, what the file itself may not say
(its URL, publication date, publisher and title). `ingest --manifest FILE.csv` reads it;
the document's own metadata comes first, the manifest fills what it lacks."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from tradetalks.clean.metadata import parse_date
from tradetalks.errors import InputError, shown
from tradetalks.sources.files import read_file

# The columns read, each with the other names it is accepted under.
COLUMNS = {
    "url": ("url", "url_if_known", "source_url", "link"),
    "published": ("date", "date_if_known", "published", "published_date"),
    "publisher": ("publisher",),
    "title": ("title",),
}
MAX_URL = 2048


@dataclass
class Manifest:
    path: str
    entries: dict[str, dict[str, str]] = field(default_factory=dict)  # a file's real path -> its metadata
    notes: list[str] = field(default_factory=list)                      # what was not used, and why

    def lookup(self, path: str | os.PathLike[str]) -> dict[str, str]:
        """The metadata the manifest gives for a file (empty when it lists it not)."""
        return self.entries.get(os.path.realpath(path), {})


def load(path: str | os.PathLike[str]) -> Manifest:
    """Read a manifest, or raise InputError saying how to fix it. Paths in its `file`
    column are relative to the manifest's folder; dates not given to the day are not
    used (a note says how many)."""
    name = shown(os.fspath(path))
    text, _ = read_file(path)
    try:
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error as exc:
        raise InputError(f"{name}: not a readable CSV file ({exc}); fix it") from None
    header = {h.strip().lower(): h for h in (rows[0].keys() if rows else []) if h}
    if "file" not in header:
        raise InputError(f"{name}: a manifest needs a 'file' column (and any of url, date, publisher, title); "
                         f"its columns are: {', '.join(header) or 'none'}")
    found = {key: next((header[n] for n in names if n in header), None) for key, names in COLUMNS.items()}
    manifest = Manifest(name)
    base = Path(path).parent
    vague = 0
    for row in rows:
        file = (row.get(header["file"]) or "").strip()
        if not file:
            continue
        meta = {key: (row.get(column) or "").strip() for key, column in found.items() if column}
        if meta.get("published"):
            day = parse_date(meta["published"]) if len(meta["published"]) == 10 else None
            vague += day is None
            meta["published"] = day or ""
        if meta.get("publisher"):  # "ABC News (scraped by ...)": the name, not the note after it
            meta["publisher"] = meta["publisher"].split(" (")[0].strip()
        if not meta.get("url", "").startswith(("http://", "https://")) or len(meta["url"]) > MAX_URL:
            meta.pop("url", None)
        manifest.entries[os.path.realpath(base / file)] = {k: v for k, v in meta.items() if v}
    if vague:
        manifest.notes.append(f"{name}: {vague} {'date' if vague == 1 else 'dates'} not given as YYYY-MM-DD "
                              "not used as publication dates")
    return manifest
