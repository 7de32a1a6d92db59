"""The store's named statements on both engines, and the rule they serve: every SQL
statement of the record lives in tradetalks/store/ (linking, questions and pages call it)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import SEEDS

from tradetalks import query
from tradetalks.ingest import ingest
from tradetalks.link.prepared import sha256
from tradetalks.store import documents, events, listing, lookup, registry

PACKAGE = Path(__file__).resolve().parent.parent / "tradetalks"
# SQL text, or SQLAlchemy building statements: what only store/ may hold.
_SQL = re.compile(r"\b(?:SELECT|INSERT INTO|DELETE FROM|UPDATE \w+ SET)\b|from sqlalchemy(?:\.dialects|\.sql\.expression)? import"
                  r"|store\.schema|store import [\w, ]*\b(?:cursor|schema)\b")
# Every statement, the web app's page cache's too (store/pages.py), lives in the store.
_NOT_THE_RECORD: set[str] = set()


def test_sql_lives_in_the_store():
    files = [p for p in sorted(PACKAGE.rglob("*.py"))
             if p.relative_to(PACKAGE).parts[0] != "store" and str(p.relative_to(PACKAGE)) not in _NOT_THE_RECORD]
    found = [f"{p.relative_to(PACKAGE)}:{n}: {line.strip()}" for p in files
             for n, line in enumerate(p.read_text().splitlines(), 1) if _SQL.search(line)]
    assert found == []


def test_registry_statements(store):
    with store.transaction() as conn:
        registry.add_mechanism(conn, {"id": "wg", "name": "Working Group", "key": "working group", "parties": "JPN USA",
                                      "acronyms": "[]", "created_at": "now"})
        registry.add_alias(conn, "mechanisms", "wg", "WG")
        registry.add_person(conn, {"id": "gina-raimondo", "name": "Gina Raimondo", "key": "gina raimondo",
                                   "country": None, "created_at": "now"})
        registry.set_person_country(conn, "gina-raimondo", "USA")
        registry.add_title(conn, "gina-raimondo", "Secretary", "Commerce", "2023-01-02")
        registry.set_title_dates(conn, "gina-raimondo", "Secretary", "2022-01-01", "2023-01-02")
        registry.add_organization(conn, "wto", "World Trade Organization", None)
    with store.read() as conn:
        assert registry.mechanisms_with_key(conn, "working group") == [("wg", "Working Group", "JPN USA")]
        assert registry.has_alias(conn, "mechanisms", "wg", "WG") and not registry.has_alias(conn, "people", "wg", "WG")
        assert registry.people_with_word(conn, "raimondo") == [("gina-raimondo", "Gina Raimondo", "USA")]
        assert registry.people_with_key(conn, "raimondo") == []
        assert registry.title_dates(conn, "gina-raimondo", "Secretary") == ("2022-01-01", "2023-01-02")
        assert registry.title_dates(conn, "gina-raimondo", "Minister") is None
        assert registry.organization_id(conn, "World Trade Organization") == "wto"
        assert registry.ids_taken(conn, "people", "raimondo") == set()
        assert registry.ids_taken(conn, "people", "gina") == {"gina-raimondo"}  # taken by "gina-..."


def test_document_and_event_statements(store):
    ingest(store, [(str(p), "auto") for p in SEEDS[:2]], progress=False)
    with store.read() as conn:
        ids = documents.document_ids(conn)
        source, raw, _, _ = documents.stored_input(conn, ids[0])
        assert documents.extraction_of(conn, ids[0])["document"]["source"] == source
        assert documents.stored_hashes(conn, [sha256(raw), "0" * 64]) == {sha256(raw)}
        reports = documents.reports_of(conn, ids[0])
        event_id = reports[0][1]
        assert {r[0] for r in events.reports_of_events(conn, [event_id])} == {event_id}
        assert events.reported(conn, [event_id, 10**9]) == {event_id}
        row = lookup.event(conn, event_id)
        wanted = events.Wanted(types=(row["type"],), parties=row["parties"], mechanism_id=row["mechanism_id"])
        assert event_id in [r[0] for r in events.read(events.send_candidates(conn, wanted))]
        assert listing.count(conn, listing.with_ids([event_id])) == 1
        assert event_id in lookup.document_links(conn, ids[0]).values()
    with store.transaction() as conn:
        assert documents.fetch_validators(conn, "https://example.org/a") == (None, None)
        documents.remember_fetch(conn, {"url": "https://example.org/a", "etag": "e1", "last_modified": None,
                                        "content_hash": None, "fetched_at": "now"})
        documents.remember_fetch(conn, {"url": "https://example.org/a", "etag": "e2", "last_modified": "x",
                                        "content_hash": None, "fetched_at": "now"})
        assert documents.fetch_validators(conn, "https://example.org/a") == ("e2", "x")


def test_show_gives_the_sentence_of_each_piece_of_evidence(store):
    ingest(store, [(str(p), "auto") for p in SEEDS[:1]], progress=False)
    with store.read() as conn:
        event_id = query.timeline(conn)[0]["id"]
        shown = query.show(conn, event_id, texts=True)
    for source in shown["sources"]:
        for support in source["support"]:
            assert support["sentence"] and support["sentence"] in source["text"]
        assert all(a < b <= len(source["text"]) for a, b, *_ in source["spans"])
