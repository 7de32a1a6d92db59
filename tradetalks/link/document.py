"""Writing one extraction into the record: the document, its near-duplicate check, and
each of its events linked to the stored event it reports or added as a new one
(:mod:`tradetalks.link.events`). The decisions are :mod:`tradetalks.link.dedupe`'s; every
statement is the store's (:mod:`tradetalks.store.documents`). Everything here runs inside
the caller's transaction (a savepoint of one, when a run shares its commits)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from tradetalks import __version__
from tradetalks.corrections.enforce import enforce
from tradetalks.link import dedupe, registry
from tradetalks.link.events import link_events, refresh_events
from tradetalks.link.prepared import Prepared, prepare, sha256
from tradetalks.models import Extraction
from tradetalks.store import corrections as corrections_store
from tradetalks.store import documents as store
from tradetalks.store import events


@dataclass
class Saved:
    status: str              # added | updated | unchanged | duplicate
    document_id: int
    events: int = 0          # events this document reports
    new_events: int = 0      # of which new records
    duplicate_of: int | None = None
    similarity: float | None = None


def document_row(raw: str, content_hash: str, ready: Prepared, url: str | None, copy: tuple[int, float] | None,
                 stamp: str) -> dict[str, Any]:
    """The columns of a document's row (but its id and when it was first ingested)."""
    doc = ready.extraction.document
    return dict(
        source=doc.source, url=url, content_hash=content_hash, text_hash=ready.text_hash, raw=raw, text=doc.text,
        title=doc.title, published=doc.published, publisher=doc.publisher, kind=doc.kind,
        dateline_place=doc.dateline.place if doc.dateline else None,
        dateline_country=doc.dateline.country if doc.dateline else None,
        extraction=ready.extraction_json, extractor=__version__, minhash=ready.signature, facts=ready.facts,
        duplicate_of=copy[0] if copy else None, similarity=f"{copy[1]:.2f}" if copy else None, updated_at=stamp,
    )


def save_document(conn: Connection, raw: str, ex: Extraction | Prepared, *, url: str | None = None,
                  source: str | None = None, replace: int | None = None, corrections: bool = True) -> Saved:
    """Store a document and link its events. `replace` is the id of the stored version of
    the same source (a page that changed, or a document being reprocessed); without it,
    the record is searched for this very input (then nothing is written: 'unchanged') and
    for an earlier version from the same URL or source (then it is replaced: 'updated').
    `corrections=False` leaves the analysts' corrections to the caller (who relinks many
    documents and applies them once)."""
    ready = ex if isinstance(ex, Prepared) else prepare(ex)
    stamp = registry.now()
    content_hash = sha256(raw)
    # Sent together, read in one round trip: what is stored of this input, its possible
    # copies, and an id for it.
    versions = None if replace is not None else store.send_stored_versions(
        conn, content_hash, url=url, source=source or ready.extraction.document.source)
    similar = store.send_possible_copies(conn, ready.text_hash, ready.bands)
    sent_id = store.send_new_ids(conn, "documents", 1) if replace is None else None
    in_force = corrections_store.send_any_active(conn) if corrections else None
    if versions is not None:
        state, replace = dedupe.stored_state(store.read(versions), content_hash)
        if state == "unchanged":
            store.discard(similar, sent_id, in_force)
            return Saved("unchanged", int(replace or 0))
    ids = store.drawn(sent_id)
    copy = dedupe.copy_of([r for r in store.read(similar) if r[0] != replace], ready.text_hash, ready.signature, ready.facts)
    demoted = None  # the stored copy this document takes the story's reports from
    if copy is not None and replace is None and dedupe.first_copy(
            (ready.extraction.document.published, content_hash), events.document_order(conn, copy[0])):
        demoted, copy = copy, None
    values = document_row(raw, content_hash, ready, url, copy, stamp)
    if replace is None:
        doc_id = store.add_document(conn, {"ingested_at": stamp, **values}, ids)
    else:
        doc_id = replace
        store.replace_document(conn, doc_id, values)
    if copy is not None:
        # The same story again: linked to the first copy, not stored as new facts.
        store.discard(in_force)
        unlink_document(conn, doc_id)
        return Saved("duplicate", doc_id, duplicate_of=copy[0], similarity=copy[1])
    store.add_bands(conn, doc_id, ready.bands)
    previous = {sid: (eid, json.loads(data)) for sid, eid, data in store.reports_of(conn, doc_id)} if replace else {}
    old = set(previous)
    if old:  # a new version: its old reports go, the new ones are linked afresh
        store.retire_reports(conn, old)
    n_new, touched, fresh = link_events(conn, doc_id, ready, list(previous.values()))
    touched |= unlink_document(conn, doc_id, only=old)
    if demoted is not None:
        events.make_copy(conn, demoted[0], doc_id, demoted[1])
        touched |= unlink_document(conn, demoted[0], refresh=False)
    refresh_events(conn, touched, fresh)
    if corrections:
        enforce(conn, in_force)  # an analyst's corrections hold whatever linking did (issue 13)
    return Saved("updated" if replace is not None else "added", doc_id, len(ready.events), n_new)


def unlink_document(conn: Connection, doc_id: int, only: set[int] | None = None, refresh: bool = True) -> set[int]:
    """Remove a document's reports from the events (all, or the reports in `only`);
    events left without a report are deleted. Returns the events still to refresh (all
    are refreshed here when every report goes, unless `refresh` is False)."""
    if only is None:
        affected = events.detach_document(conn, doc_id)
    elif only:
        affected = events.detach_reports(conn, only)
    else:
        return set()
    left = events.reported(conn, affected)
    gone = affected - left
    if gone:
        events.delete_events(conn, gone)
    if only is None and refresh:
        refresh_events(conn, left)
        enforce(conn)
    return left
