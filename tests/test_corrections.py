"""Corrections that last and the review queue (issue 13, parts 6 and 7), on both engines:
each kind of correction survives `reprocess`, a fresh ingest of the same documents with
the corrections applied from a file, and a new source joining the record; records whose
sources disagree are listed for review until accepted or corrected."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from conftest import LINKING, SEEDS
from typer.testing import CliRunner

from tradetalks import export, query
from tradetalks.cli import app
from tradetalks.corrections import actions, audit, review
from tradetalks.errors import NotFound, QueryError
from tradetalks.ingest import ingest, reprocess
from tradetalks.store import Store, migrate
from tradetalks.store import corrections as stored
from tradetalks.store.schema import corrections, meta

WHO = actions.Who("ana", "checked against the readout")
TAIWAN = "U.S.-Taiwan Initiative on 21st-Century Trade"
JAPAN = "U.S.-Japan Partnership on Trade"
READOUT, WIRE, PAPER = "ustr-readout-january-round.txt", "harborwire-taiwan-us-wrap-up-talks.md", "pacifictradedaily-taipei-round.html"


@pytest.fixture()
def other_url(db_url, tmp_path, request):
    """A second, empty record on the same engine."""
    if "://" not in db_url:
        yield str(tmp_path / "other.db")
        return
    import psycopg

    server = request.getfixturevalue("pg_server")
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield f"{server.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def build(store: Store, *paths: Path) -> None:
    summary = ingest(store, [(str(p), "auto") for p in paths or (LINKING, *SEEDS)], progress=False)
    assert not summary.failed, summary.failed


def find(conn, *, mechanism: str | None = TAIWAN, **want) -> dict:
    rows = [r for r in query.timeline(conn, mechanism=mechanism) if all(r[k] == v for k, v in want.items())]
    assert len(rows) == 1, rows
    return rows[0]


def january(conn) -> dict:
    return find(conn, type="negotiation_round", status="held")


def snapshot(conn) -> list[str]:
    """The exported record, ids aside (what must be the same however it was built)."""
    out = []
    for r in export.records(conn, evidence=False):
        r = {k: v for k, v in r.items() if k != "id"}
        r["sources"] = sorted(s["title"] or "" for s in r["sources"])
        out.append(json.dumps(r, sort_keys=True))
    return sorted(out)


def doc_id(conn, event_id: int, name: str) -> int:
    return next(s["document_id"] for s in query.show(conn, event_id)["sources"] if Path(s["source"]).name == name)


def correct_everything(store: Store) -> None:
    """One correction of each kind."""
    with store.transaction() as conn:
        jan = january(conn)["id"]
        actions.set_field(conn, jan, "place", "Kaohsiung", WHO)
        actions.set_field(conn, jan, "round", "2", WHO)
        actions.set_field(conn, jan, "topics", "services digital_trade", WHO)
        launch = find(conn, type="launch")["id"]
        actions.set_field(conn, launch, "start", "2022-06-01", WHO)
        actions.set_field(conn, launch, "status", "held", WHO)
        actions.set_field(conn, find(conn, type="meeting", status="held")["id"], "place", None, WHO)
        actions.split(conn, jan, doc_id(conn, jan, PAPER), WHO)
        planned = find(conn, type="negotiation_round", status="planned")["id"]
        agreement = find(conn, mechanism=None, type="agreement", status="planned")["id"]
        actions.merge(conn, planned, agreement, WHO)
        reaction = find(conn, mechanism=None, type="reaction", announced="2023-01-19")["id"]
        actions.not_event(conn, reaction, WHO)
        actions.rename(conn, "mechanisms", TAIWAN, "U.S.-Taiwan 21st Century Trade Initiative", WHO)
        actions.merge_entries(conn, "mechanisms", JAPAN, "Task Force on the Promotion of Human Rights", WHO)
        actions.rename(conn, "people", "portfolio-john-deng", "John Deng", WHO)
        actions.merge_entries(conn, "people", "terry-mccartin", "yang-jen-ni", WHO)


def check_corrected(conn) -> None:
    renamed = "U.S.-Taiwan 21st Century Trade Initiative"
    jan = find(conn, mechanism=renamed, type="negotiation_round", status="held", sources=2)
    assert (jan["where"], jan["round"]) == ("Kaohsiung, TWN", 2)
    assert jan["leads"] == "Terry McCartin"  # Yang Jen-ni merged into him
    shown = query.show(conn, jan["id"])
    assert shown["topics"] == ["digital_trade", "services"]
    assert set(shown["corrected"]) == {"place", "round", "topics"}
    assert {Path(s["source"]).name for s in shown["sources"]} == {READOUT, WIRE}
    split_out = find(conn, mechanism=renamed, type="negotiation_round", status="held", sources=1)
    assert split_out["where"] == "Taipei, TWN"  # its own source's place, not the correction's
    launch = find(conn, mechanism=renamed, type="launch")
    assert launch["start"] == "2022-06-01"
    assert find(conn, mechanism=renamed, type="meeting", status="held")["where"] == "USA"  # its country kept
    merged = find(conn, mechanism=renamed, type="negotiation_round", status="planned")
    assert merged["sources"] == 4 and merged["leads"] == "John Deng"
    assert [r["parties"] for r in query.timeline(conn, type_="reaction")] == ["CHN"]  # the other is no event
    assert not [r for r in query.timeline(conn) if r["type"] == "agreement" and r["status"] == "planned"
                and r["parties"] == "TWN USA"]
    japan = {r["mechanism"] for r in query.timeline(conn, mechanism=JAPAN)}
    assert japan == {JAPAN}
    assert len(query.timeline(conn, mechanism=JAPAN)) == 4  # the task force's meeting is the partnership's now
    assert query.resolve_mechanism(conn, TAIWAN) == query.resolve_mechanism(conn, renamed)  # the old name still finds it
    names = {p["id"]: p["name"] for p in query.people_list(conn)}
    assert names["portfolio-john-deng"] == "John Deng" and "yang-jen-ni" not in names


def test_each_correction_survives_reprocess_and_reingest(store, other_url):
    build(store)
    correct_everything(store)
    with store.read() as conn:
        check_corrected(conn)
        before = snapshot(conn)
        dumped = audit.dumped(conn)
    assert not reprocess(store, progress=False).failed
    with store.read() as conn:
        check_corrected(conn)
        assert snapshot(conn) == before
    # The same documents into a fresh record, then the corrections from the file.
    with Store(other_url) as other:
        build(other)
        with other.transaction() as conn:
            assert audit.applied(conn, dumped.splitlines()) == (13, 0)
        with other.read() as conn:
            check_corrected(conn)
            assert snapshot(conn) == before
        with other.transaction() as conn:  # applied twice: nothing new
            assert audit.applied(conn, dumped.splitlines()) == (0, 13)
        build(other)  # ingested again: unchanged, still corrected
        with other.read() as conn:
            assert snapshot(conn) == before


def test_a_new_source_joins_a_corrected_record(store):
    build(store, LINKING / READOUT, LINKING / WIRE)
    with store.transaction() as conn:
        jan = january(conn)
        assert jan["sources"] == 2
        actions.set_field(conn, jan["id"], "place", None, WHO)
        actions.set_field(conn, jan["id"], "topics", "services", WHO)
    build(store, LINKING / PAPER)  # says Taipei, and more topics
    with store.read() as conn:
        jan = january(conn)
        shown = query.show(conn, jan["id"])
    assert jan["sources"] == 3 and jan["where"] == "TWN"  # the place cleared, its country kept
    assert shown["topics"] == ["services"] and shown["location"]["place"] is None


def test_a_search_finds_a_record_by_its_corrected_fields(store):
    build(store, LINKING / READOUT, LINKING / WIRE)
    with store.transaction() as conn:
        jan = january(conn)["id"]
        assert query.search(conn, "Kaohsiung") == []
        actions.set_field(conn, jan, "place", "Kaohsiung", WHO)
    with store.read() as conn:
        assert [r["id"] for r in query.search(conn, "Kaohsiung")] == [jan]


def test_corrections_in_exports_and_undo(store):
    build(store, LINKING)
    with store.transaction() as conn:
        jan = january(conn)["id"]
        cid = actions.set_field(conn, jan, "start", "2023-01-15", WHO)
    with store.read() as conn:
        (rec,) = [r for r in export.records(conn, evidence=False) if r["id"] == jan]
        assert rec["start"] == "2023-01-15" and rec["corrected"] == ["start"]
        assert "2023-01-15" in export.export(conn, "csv", None)[0]
        trail = audit.trail(conn)
        assert [(t["kind"], t["event"], t["what"], t["before"], t["by"], t["why"]) for t in trail] == [
            ("set", jan, "start = 2023-01-15", "2023-01-14", "ana", "checked against the readout")]
    with store.transaction() as conn:
        actions.undo(conn, cid, actions.Who("bob"))
    with store.read() as conn:
        assert january(conn)["start"] == "2023-01-14"
        assert audit.trail(conn)[0]["state"].startswith("undone") and audit.trail(conn)[0]["state"].endswith("by bob")
        assert "corrected" not in query.show(conn, jan)


def test_undo_a_merge_and_a_not_event(store):
    build(store, LINKING)
    with store.read() as conn:
        before = snapshot(conn)
        planned = find(conn, type="negotiation_round", status="planned")["id"]
        agreement = find(conn, mechanism=None, type="agreement", status="planned")["id"]
    with store.transaction() as conn:
        first = actions.merge(conn, planned, agreement, WHO)
        second = actions.not_event(conn, january(conn)["id"], WHO)
    with store.read() as conn:
        assert snapshot(conn) != before
    with store.transaction() as conn:
        actions.undo(conn, second, WHO)
        actions.undo(conn, first, WHO)
    with store.read() as conn:
        assert snapshot(conn) == before


def test_bad_corrections_say_what_to_give(store):
    build(store, LINKING)
    with store.transaction() as conn:
        jan = january(conn)["id"]
        with pytest.raises(QueryError, match="'when' is not a field of a record; use one of: type, status"):
            actions.set_field(conn, jan, "when", "2023", WHO)
        with pytest.raises(QueryError, match="'2023-13' is not a date"):
            actions.set_field(conn, jan, "start", "2023-13", WHO)
        with pytest.raises(QueryError, match="a record always has a type"):
            actions.set_field(conn, jan, "type", None, WHO)
        with pytest.raises(NotFound, match="no event 999999"):
            actions.not_event(conn, 999999, WHO)
        with pytest.raises(QueryError, match="cannot be merged with itself"):
            actions.merge(conn, jan, jan, WHO)
        with pytest.raises(QueryError, match="is not a source of event"):
            actions.split(conn, jan, 999999, WHO)
        with pytest.raises(QueryError, match="say who makes the correction"):
            actions.accept(conn, jan, actions.Who("  "))
        assert stored.listed(conn) == []


def test_a_disagreement_is_listed_for_review_until_corrected(store):
    build(store, LINKING)
    with store.read() as conn:
        jan = january(conn)["id"]
        launch = find(conn, type="launch")["id"]
        assert jan not in [r["id"] for r in review.queue(conn)]
    with store.transaction() as conn:  # one record now, from sources that give other dates
        actions.merge(conn, jan, launch, WHO)
    with store.read() as conn:
        queued = {r["id"]: r for r in review.queue(conn)}
        assert jan in queued, queued
        assert queued[jan]["issues"] == ["dates: 2022-08 | 2023-01-14 to 2023-01-17"]
        assert list(queued)[0] == jan  # the most sources first
        assert review.listing(conn)[0]["issues"] == "dates: 2022-08 | 2023-01-14 to 2023-01-17"
    with store.transaction() as conn:
        actions.set_field(conn, jan, "start", "2023-01-14", WHO)
    with store.read() as conn:
        assert jan not in [r["id"] for r in review.queue(conn)]


def test_accepting_clears_a_low_confidence_record(store):
    build(store, LINKING)
    with store.read() as conn:
        low = review.queue(conn)
        assert low and all(r["issues"][0].startswith("low confidence") for r in low)
        # more sources first, then the most recent
        assert [(-r["sources"], r["last_report"] or "") for r in low][:2] == sorted(
            [(-r["sources"], r["last_report"] or "") for r in low], key=lambda x: (x[0], [-ord(c) for c in x[1]]))[:2]
    with store.transaction() as conn:
        actions.accept(conn, low[0]["id"], WHO)
    with store.read() as conn:
        assert low[0]["id"] not in [r["id"] for r in review.queue(conn)]
    assert not reprocess(store, progress=False).failed
    with store.read() as conn:
        assert low[0]["id"] not in [r["id"] for r in review.queue(conn)]


def test_issues_of_reports():
    def ev(**kw):
        return {"type": "meeting", "status": "held", "parties": ["TWN", "USA"], "confidence": 0.9, **kw}

    assert review.issues([ev(start="2023-01"), ev(start="2023-01-14")]) == []
    assert review.issues([ev(start="2023-01-14"), ev(start="2023-02-01")]) == ["dates: 2023-01-14 | 2023-02-01"]
    assert review.issues([ev(round=1), ev(round=4), ev()]) == ["rounds: 1 | 4"]
    assert review.issues([ev(location={"place": "Taipei"}), ev(location={"place": "Taipei City"})]) == []
    assert review.issues([ev(location={"place": "Taipei"}), ev(location={"place": "Washington"})]) == [
        "places: Taipei | Washington"]
    assert review.issues([ev(parties=["USA"]), ev()]) == []
    assert review.issues([ev(parties=["JPN", "USA"]), ev()]) == ["sides: JPN USA | TWN USA"]
    assert review.issues([ev(confidence=0.3), ev(confidence=0.45)]) == ["low confidence: 0.45"]
    # what a report borrowed from another sentence is no disagreement of its own
    assert review.issues([ev(start="2023-01-14"), ev(start="2022-05-01", borrowed=["date"])]) == []


def test_migration_adds_the_corrections_table(db_url):
    with Store(db_url) as s, s.transaction() as conn:  # a record made before corrections existed
        conn.execute(meta.update().where(meta.c.key == "schema_version").values(value="2"))
        corrections.drop(conn)
    with Store(db_url) as s:
        assert s.version == migrate.LATEST >= 3
        with s.read() as conn:
            assert stored.listed(conn) == []


def test_cli_correct_corrections_and_review(tmp_path):
    db = str(tmp_path / "record.db")
    with Store(db) as s:
        build(s, LINKING)
        with s.read() as conn:
            jan = january(conn)["id"]
    run = CliRunner().invoke
    r = run(app, ["correct", "set", str(jan), "place", "Kaohsiung", "--db", db, "--by", "ana", "--why", "the readout"])
    assert r.exit_code == 0 and r.stdout == f"correction 1: event {jan}: place set\n"
    r = run(app, ["correct", "set", str(jan), "round", "two", "--db", db])
    assert r.exit_code == 2 and "round 'two' is not a number; give a whole number from 1 to 999" in r.output
    r = run(app, ["correct", "not-event", "999999", "--db", db])
    assert r.exit_code == 1 and "no event 999999; find ids with: tradetalks timeline" in r.output
    r = run(app, ["corrections", "--db", db, "-f", "jsonl"])
    assert r.exit_code == 0
    (row,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert (row["kind"], row["event"], row["what"], row["before"], row["by"], row["why"]) == (
        "set", jan, "place = Kaohsiung", "Taipei", "ana", "the readout")
    out = tmp_path / "corrections.jsonl"
    assert run(app, ["corrections", "export", "--db", db, "-o", str(out)]).exit_code == 0
    other = str(tmp_path / "other.db")
    r = run(app, ["corrections", "apply", str(out), "--db", other])
    assert r.exit_code == 0 and r.stdout == "added 1 corrections, 0 already here\n"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind": "set"}\n')
    r = run(app, ["corrections", "apply", str(bad), "--db", other])
    assert r.exit_code == 1 and "line 1 is not a correction of tradetalks/corrections-v1" in r.output
    r = run(app, ["review", "--db", db, "-f", "json"])
    assert r.exit_code == 0 and all(x["issues"] for x in json.loads(r.stdout))
    first = json.loads(r.stdout)[0]["id"]
    assert run(app, ["review", "accept", str(first), "--db", db]).exit_code == 0
    r = run(app, ["review", "--db", db, "-f", "json"])
    assert first not in [x["id"] for x in json.loads(r.stdout)]
