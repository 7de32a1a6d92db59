"""A run's documents sharing their commits (SQLite, store.commits): each document stays all
or nothing, one that fails takes nothing else with it, a commit that fails names the
documents it held (what a connection remembers: test_store.py's registry test)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from conftest import SEEDS, USGOV
from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from tradetalks.ingest import ingest
from tradetalks.link import record
from tradetalks.store import Store
from tradetalks.store.schema import documents, event_sources, events

FILES = [*SEEDS, *sorted(USGOV.iterdir())]


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for p in FILES:
        shutil.copy(p, folder / p.name)
    return folder


def record_of(store: Store) -> tuple[int, int, int, list[tuple[str, ...]]]:
    with store.read() as conn:
        n = [conn.execute(select(func.count()).select_from(t)).scalar() for t in (documents, events, event_sources)]
        rows = conn.execute(select(events.c.type, events.c.status, events.c.parties, events.c.start)).all()
    return n[0], n[1], n[2], sorted(tuple(str(x) for x in r) for r in rows)


def test_a_run_shares_commits_on_sqlite_only(tmp_path, db_url):
    with Store(db_url) as store:
        assert (store.shared_commits() is not None) == (store.dialect == "sqlite")


def test_a_document_that_fails_midway_takes_nothing_else_with_it(tmp_path, corpus, monkeypatch):
    bad = FILES[3].name
    real = record.save_document

    def fails_after_writing(conn, raw, ready, **kw):
        saved = real(conn, raw, ready, **kw)
        if kw["source"].endswith(bad):
            raise RuntimeError("the store gave up")
        return saved

    monkeypatch.setattr(record, "save_document", fails_after_writing)
    with Store(str(tmp_path / "shared.db")) as store:
        summary = ingest(store, [(str(corpus), "auto")], progress=False)
        assert [s for s, _ in summary.failed] == [str(corpus / bad)]
        assert summary.added + summary.duplicates == len(FILES) - 1
        shared = record_of(store)
    monkeypatch.setattr(record, "save_document", real)
    with Store(str(tmp_path / "alone.db")) as store:
        ingest(store, [(str(corpus / p.name), "auto") for p in FILES if p.name != bad], progress=False)
        assert record_of(store) == shared  # the failed document left nothing behind


def test_a_commit_that_fails_names_its_documents_and_a_rerun_stores_them(tmp_path, corpus, monkeypatch):
    store = Store(str(tmp_path / "r.db"))
    real = Connection.commit
    failed: list[int] = []

    def fails_once(self):
        if not failed:
            failed.append(1)
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("disk I/O error"))
        return real(self)

    monkeypatch.setattr(Connection, "commit", fails_once)
    first = ingest(store, [(str(corpus), "auto")], progress=False)
    monkeypatch.setattr(Connection, "commit", real)
    lost = [s for s, _ in first.failed]
    assert lost and all(why.endswith("not stored (OperationalError: (sqlite3.OperationalError) disk I/O error); "
                                     "nothing of it was written") for _, why in first.failed)
    with store.read() as conn:
        stored = set(conn.execute(select(documents.c.source)).scalars())
    assert not stored & set(lost) and len(stored) + len(lost) == len(FILES)
    assert first.added + first.duplicates == len(stored)  # counted once committed, never before
    second = ingest(store, [(str(corpus), "auto")], progress=False)
    assert not second.failed and second.added + second.duplicates == len(lost)
    with Store(str(tmp_path / "once.db")) as once:
        ingest(once, [(str(corpus), "auto")], progress=False)
        assert record_of(store) == record_of(once)
    store.close()
