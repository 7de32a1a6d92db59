"""The names callers outside ``link`` knew this module by (``ingest``, ``budget``, the web
app's tests): storing a document is :mod:`tradetalks.link.document`, preparing it
:mod:`tradetalks.link.prepared`, linking its events :mod:`tradetalks.link.events`, and
every statement is the store's. New code imports from those modules."""

from __future__ import annotations

from tradetalks.link.document import Saved, save_document, unlink_document
from tradetalks.link.events import link_events, refresh_events
from tradetalks.link.prepared import Prepared, prepare, sha256
from tradetalks.store.documents import extraction_of

__all__ = ["Prepared", "Saved", "extraction_of", "link_events", "prepare", "refresh_events", "save_document", "sha256",
           "unlink_document"]
