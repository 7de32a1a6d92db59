"""Where a document comes from: its own address (the fetched URL, else the one it gives in
its front matter, RSS link or canonical link, else a manifest's), and what a manifest adds
to a document that does not say it (title, publisher)."""

from __future__ import annotations

import json

from tradetalks.clean.metadata import publisher_for
from tradetalks.link.prepared import Prepared


def own_url(fetched: str | None, ready: Prepared) -> str | None:
    """The document's address: where it was fetched from, else the one it gives itself
    (the extraction's `document.url`, which a manifest may have filled)."""
    return fetched or getattr(ready.extraction.document, "url", None)


def fill(ready: Prepared, meta: dict[str, str]) -> None:
    """Give a document what a manifest says of it and it does not say itself: URL, title,
    publisher (else the publisher known for the URL's site). The stored extraction says
    the same."""
    doc = ready.extraction.document
    filled: dict[str, str] = {}
    if meta.get("url") and not getattr(doc, "url", None):
        filled["url"] = meta["url"]
    if meta.get("title") and not doc.title:
        filled["title"] = meta["title"]
    if not doc.publisher:
        publisher = meta.get("publisher") or (publisher_for(meta["url"], "")[0] if meta.get("url") else None)
        if publisher:
            filled["publisher"] = publisher
    if not filled:
        return
    for key, value in filled.items():
        setattr(doc, key, value)
    data = json.loads(ready.extraction_json)
    data["document"].update(filled)
    ready.extraction_json = json.dumps(data, ensure_ascii=False)
