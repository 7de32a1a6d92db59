"""The record on both engines: ingest, idempotence, linking across documents,
near-duplicates, planned events that happen, search, migrations and crash safety."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import LINKING, SEEDS, USGOV
from sqlalchemy import func, select

from tradetalks import query
from tradetalks.errors import StoreError
from tradetalks.ingest import ingest, reprocess
from tradetalks.store import Store, fts, migrate
from tradetalks.store import documents as stored
from tradetalks.store.schema import documents, event_sources, events, meta

ROOT = Path(__file__).resolve().parent.parent


def counts(store: Store) -> dict[str, int]:
    with store.read() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in (documents, events, event_sources)}


def test_ingest_seeds_then_again_adds_nothing(store):
    s1 = ingest(store, [(str(p), "auto") for p in SEEDS])
    assert s1.added == 5 and not s1.failed
    before = counts(store)
    assert before["documents"] == 5 and before["events"] >= 10
    s2 = ingest(store, [(str(p), "auto") for p in SEEDS])
    assert s2.added == 0 and s2.unchanged == 5
    assert counts(store) == before


def test_three_publishers_one_event(store):
    """A USTR readout, a wire story and a trade paper's page about the January 2023 round
    are one event with three sources, reconciled; the syndicated copy is a near-duplicate."""
    s = ingest(store, [(str(LINKING), "auto")])
    assert not s.failed, s.failed
    assert s.duplicates == 1 and s.added == 3
    with store.read() as conn:
        rows = query.timeline(conn, mechanism="U.S.-Taiwan Initiative on 21st-Century Trade", since="2023-01", until="2023-01",
                              status="held")
        assert len(rows) == 1, rows
        # The next round, announced by all three and dated by none, is one planned event.
        nxt = query.upcoming(conn, today="2023-01-20", mechanism="U.S.-Taiwan Initiative on 21st-Century Trade")
        assert [(r["type"], r["sources"]) for r in nxt] == [("negotiation_round", 3)]
        ev = query.show(conn, rows[0]["id"])
        dup = conn.execute(select(documents.c.source, documents.c.duplicate_of).where(documents.c.duplicate_of.is_not(None))).all()
    assert ev["sources"] and len(ev["sources"]) == 3
    assert {Path(s["source"]).name for s in ev["sources"]} == {
        "ustr-readout-january-round.txt", "harborwire-taiwan-us-wrap-up-talks.md", "pacifictradedaily-taipei-round.html"}
    assert (ev["start"], ev["end"]) == ("2023-01-14", "2023-01-17")
    assert ev["location"]["place"] == "Taipei" and ev["parties"] == ["TWN", "USA"]
    names = {p["name"]: p["role"] for p in ev["participants"]}
    assert names.get("Terry McCartin") == "lead"
    assert names.get("Yang Jen-ni") == "lead"  # named by the wire story only
    assert len(dup) == 1 and Path(dup[0][0]).name == "islandpost-syndicated-harborwire.md"
    # Every source keeps the sentences behind its fields.
    for src in ev["sources"]:
        assert any("start" in item["fields"] and "January 14-17" in item["sentence"] for item in src["support"]), src
    # Ingesting the whole corpus again adds nothing.
    before = counts(store)
    again = ingest(store, [(str(LINKING), "auto")])
    assert again.added == again.duplicates == 0 and counts(store) == before


def test_changed_document_is_updated_not_duplicated(store, tmp_path):
    doc = tmp_path / "readout.txt"
    text = (SEEDS[3]).read_text(encoding="utf-8")
    doc.write_text(text, encoding="utf-8")
    ingest(store, [(str(doc), "auto")])
    first = counts(store)
    with store.read() as conn:
        ids_before = set(conn.execute(select(events.c.id)).scalars())
    doc.write_text(text.replace("Marisa Lago", "Marisa Lago and her team"), encoding="utf-8")
    s = ingest(store, [(str(doc), "auto")])
    assert s.updated == 1 and s.added == 0
    assert counts(store)["documents"] == first["documents"] == 1
    with store.read() as conn:
        ids_after = set(conn.execute(select(events.c.id)).scalars())
    assert ids_after == ids_before  # the same events keep their ids


def test_planned_event_becomes_held(store, tmp_path):
    plan = tmp_path / "plan.md"
    plan.write_text(
        "---\ntitle: Readout\ndate: 2024-03-01\n---\n\nWASHINGTON - The United States and Kenya held the second round of "
        "the U.S.-Kenya Strategic Trade and Investment Partnership in Washington on February 27-28, 2024. "
        "Both sides agreed to hold the third round in Nairobi in June 2024.\n", encoding="utf-8")
    held = tmp_path / "held.md"
    held.write_text(
        "---\ntitle: Readout of the third round\ndate: 2024-06-14\n---\n\nNAIROBI - The United States and Kenya held the third "
        "round of the U.S.-Kenya Strategic Trade and Investment Partnership in Nairobi from June 11-13, 2024.\n",
        encoding="utf-8")
    ingest(store, [(str(plan), "auto")])
    with store.read() as conn:
        planned = query.upcoming(conn, today="2024-03-02")
    assert [(r["round"], r["start"]) for r in planned] == [(3, "2024-06")]
    ingest(store, [(str(held), "auto")])
    with store.read() as conn:
        third = [r for r in query.timeline(conn) if r["round"] == 3]
        assert query.upcoming(conn, today="2024-03-02") == []
    assert len(third) == 1 and third[0]["status"] == "held" and third[0]["sources"] == 2
    assert (third[0]["start"], third[0]["end"]) == ("2024-06-11", "2024-06-13")  # the exact date beats the month


def test_search_filters_and_snippets(store):
    ingest(store, [(str(p), "auto") for p in SEEDS])
    with store.read() as conn:
        hits = query.search(conn, "overcapacity")
        assert hits and "[overcapacity]" in hits[0]["snippet"]
        assert all("CHN" in h["parties"] for h in hits)
        assert query.search(conn, "overcapacity", country="JPN") == []
        assert query.search(conn, '"negotiating round"', type_="negotiation_round")
        # FTS syntax in the input is taken as words, never as an error.
        assert isinstance(query.search(conn, 'AND OR NOT "unclosed * ( NEAR'), list)
        docs = query.search_documents(conn, "Commercial Issues Working Group")
        assert docs and Path(docs[0]["source"]).name.startswith("003_") and "[Commercial]" in docs[0]["snippet"]


def test_a_filtered_search_looks_past_the_newest_matches(store, monkeypatch):
    """PostgreSQL ranks only the newest matches of a broad search; a search's filters narrow
    the matches first, so that it still finds the older events that pass them."""
    ingest(store, [(str(p), "auto") for p in SEEDS])
    with store.read() as conn:
        newest = max(query.search(conn, "trade"), key=lambda h: h["id"])
    assert "CHN" not in newest["parties"]  # so that ranking only the newest match finds no CHN event
    monkeypatch.setattr(fts, "RANKED", 1)
    with store.read() as conn:
        hits = query.search(conn, "trade", country="CHN")
        page = query.search_page(conn, "trade", country="CHN")
    assert hits and all("CHN" in h["parties"] for h in hits)
    assert [h["id"] for h in page["items"]] == [h["id"] for h in hits][:len(page["items"])]


def test_a_large_ingest_tidies_the_store(store, monkeypatch):
    calls = []
    monkeypatch.setattr(store, "tidy", lambda: calls.append("tidy"))
    monkeypatch.setattr("tradetalks.ingest.TIDY_AFTER", 3)
    ingest(store, [(str(p), "auto") for p in SEEDS[:2]])
    assert calls == []  # two documents: not worth it
    ingest(store, [(str(p), "auto") for p in SEEDS])
    assert len(calls) == 1
    Store.tidy(store)  # VACUUM ANALYZE on PostgreSQL, PRAGMA optimize on SQLite: runs outside a transaction
    with store.read() as conn:
        assert len(query.timeline(conn)) > 0


def test_people_and_mechanisms_registry(store):
    ingest(store, [(str(p), "auto") for p in SEEDS] + [(str(USGOV), "auto")])
    with store.read() as conn:
        mechs = {m["name"]: m for m in query.mechanism_list(conn)}
        eppd = mechs["U.S.-Taiwan Economic Prosperity Partnership Dialogue"]
        assert eppd["acronyms"] == "EPPD" and eppd["parties"] == "TWN USA"
        assert query.resolve_mechanism(conn, "EPPD") == eppd["id"]
        assert query.resolve_mechanism(conn, "Commercial Issues Working Group") == "us-china-commercial-issues-working-group"
        people = {p["name"]: p for p in query.people_list(conn)}
        assert people["Kung Ming-hsin"]["country"] == "TWN"
        blinken = query.person(conn, people["Antony Blinken"]["id"])
        assert blinken["titles"] and blinken["events"]


@pytest.mark.parametrize("shared", [False, True], ids=["a transaction each", "shared commits"])
def test_the_registry_remembers_only_what_was_committed(store, shared):
    """Of a document rolled back, nothing is remembered; so too when documents are savepoints
    of one transaction (SQLite's shared commits, store.commits)."""
    from tradetalks.link import registry
    from tradetalks.store.schema import person_titles

    writes = store.shared_commits() if shared else None
    if shared and writes is None:
        pytest.skip("PostgreSQL keeps a transaction a document")
    begin = writes.transaction if writes else store.transaction

    def seen(published, fail=False):
        try:
            with begin() as conn:
                registry.resolve_person(conn, {"name": "Katherine Tai", "country": "USA",
                                               "title": "United States Trade Representative"}, published)
                if fail:
                    raise RuntimeError("the document failed after its people were resolved")
        except RuntimeError:
            pass
        with begin() as conn:
            return conn.execute(select(person_titles.c.first_seen, person_titles.c.last_seen)).all()

    assert seen("2024-01-01", fail=True) == []  # rolled back: no person, no title, nothing cached
    assert seen("2024-03-01") == [("2024-03-01", "2024-03-01")]
    assert seen("2025-01-01", fail=True) == [("2024-03-01", "2024-03-01")]
    assert seen("2024-01-15") == [("2024-01-15", "2024-03-01")]
    assert seen("2025-01-01") == [("2024-01-15", "2025-01-01")]  # not skipped for the rolled-back date
    if writes:
        writes.close()
    with store.read() as conn:
        assert conn.execute(select(person_titles.c.first_seen, person_titles.c.last_seen)).all() == [
            ("2024-01-15", "2025-01-01")]


def test_a_connection_the_server_closed_is_replaced(pg_url, monkeypatch):
    import psycopg

    from tradetalks import store as store_module

    s = Store(pg_url)
    with s.read() as conn:
        conn.execute(select(func.count()).select_from(events))
    with psycopg.connect(pg_url, autocommit=True) as admin:  # as a server restart would
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    monkeypatch.setattr(store_module, "PING_AFTER", 0.0)
    with s.read() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar() == 0
    s.close()


def test_reprocess_keeps_the_record(store):
    ingest(store, [(str(p), "auto") for p in SEEDS])
    before = counts(store)
    with store.read() as conn:
        ids = set(conn.execute(select(events.c.id)).scalars())
    s = reprocess(store)
    assert s.updated == 5 and not s.failed
    assert counts(store) == before
    with store.read() as conn:
        assert set(conn.execute(select(events.c.id)).scalars()) == ids


def test_newer_schema_is_refused(db_url):
    s = Store(db_url)
    with s.transaction() as conn:
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(migrate.LATEST + 1)))
    s.close()
    with pytest.raises(StoreError, match="newer than this tradetalks knows"):
        Store(db_url)


def test_migration_indexes_the_copies_of_a_document(db_url):
    """A record made before version 4 gets the index by which a document's copies are found
    (when the document goes, or a copy published earlier takes its reports over)."""
    from sqlalchemy import inspect

    with Store(db_url) as s, s.transaction() as conn:
        conn.exec_driver_sql("DROP INDEX ix_documents_duplicate_of")
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="3"))
    with Store(db_url) as s:
        assert s.version == migrate.LATEST >= 4
        with s.read() as conn:
            assert "ix_documents_duplicate_of" in {i["name"] for i in inspect(conn).get_indexes("documents")}
            if s.dialect == "sqlite":
                plan = " ".join(str(r) for r in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN UPDATE documents SET duplicate_of = 1 WHERE duplicate_of = 2"))
                assert "INDEX ix_documents_duplicate_of (duplicate_of=?)" in plan


def test_missing_sqlite_file_for_queries(tmp_path):
    with pytest.raises(StoreError, match="no record there yet; ingest documents first"):
        Store(str(tmp_path / "none.db"), create=False)


def test_reader_not_blocked_by_a_writer(tmp_path):
    path = str(tmp_path / "wal.db")
    s = Store(path)
    ingest(s, [(str(SEEDS[0]), "auto")])
    reader = Store(path)
    with s.transaction() as conn:
        conn.execute(meta.insert().values(key="busy", value="1"))  # a write transaction stays open
        t0 = time.perf_counter()
        with reader.read() as rconn:
            n = rconn.execute(select(func.count()).select_from(documents)).scalar()
        assert n == 1 and time.perf_counter() - t0 < 1.0


def test_sigkill_loses_nothing_committed_and_resume_has_no_duplicates(tmp_path, db_url):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in [*SEEDS, *sorted(USGOV.iterdir())]:
        shutil.copy(p, corpus / p.name)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "tradetalks.cli", "ingest", str(corpus), "--db", db_url, "--no-progress"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    s = Store(db_url)
    deadline = time.time() + 60
    while time.time() < deadline and counts(s)["documents"] < 3:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = counts(s)
    assert partial["documents"] >= 3
    with s.read() as conn:  # every committed document is whole: its events are there
        for doc_id in conn.execute(select(documents.c.id)).scalars():
            n = conn.execute(select(func.count()).select_from(event_sources).where(event_sources.c.document_id == doc_id)).scalar()
            dup = conn.execute(select(documents.c.duplicate_of).where(documents.c.id == doc_id)).scalar()
            extraction = stored.extraction_of(conn, doc_id)
            assert extraction["document"]["text"] and extraction["schema"] == "tradetalks/extraction-v1"
            assert dup is not None or n == len(extraction["events"])
    summary = ingest(s, [(str(corpus), "auto")])
    assert not summary.failed
    final = counts(s)
    assert summary.unchanged >= partial["documents"]
    again = ingest(s, [(str(corpus), "auto")])
    assert again.added == 0 and counts(s) == final
