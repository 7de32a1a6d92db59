"""The record's commands end to end through the CLI: ingest, timeline, upcoming,
relationships, mechanisms, people, search, show, export, reprocess, and their errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LINKING, SEEDS, USGOV

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, db: Path | str | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "tradetalks.cli", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "record.db"
    r = run("ingest", str(SEEDS[0].parent), str(USGOV), str(LINKING), "--no-progress", db=path)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith("added 15, updated 0, unchanged 1, near-duplicates linked 1")
    return path


def test_timeline_between_in_every_format(db):
    table = run("timeline", "--between", "USA", "TWN", db=db)
    assert table.returncode == 0 and "Initiative on" in table.stdout
    assert max(len(line) for line in table.stdout.splitlines()) <= 100
    rows = json.loads(run("timeline", "--between", "USA", "TWN", "--format", "json", db=db).stdout)
    assert rows and all("TWN" in r["parties"] and "USA" in r["parties"] for r in rows)
    dated = [r["start"] for r in rows if r["start"]]
    assert dated == sorted(dated)
    lines = run("timeline", "--between", "USA", "TWN", "-f", "jsonl", db=db).stdout.splitlines()
    assert [json.loads(x)["id"] for x in lines] == [r["id"] for r in rows]
    got = list(csv.DictReader(io.StringIO(run("timeline", "--between", "USA", "TWN", "-f", "csv", db=db).stdout)))
    assert [int(r["id"]) for r in got] == [r["id"] for r in rows]


def test_timeline_mechanism_by_acronym_and_dates(db):
    rows = json.loads(run("timeline", "--mechanism", "EPPD", "-f", "json", db=db).stdout)
    assert rows and {r["mechanism"] for r in rows} == {"U.S.-Taiwan Economic Prosperity Partnership Dialogue"}
    rows = json.loads(run("timeline", "--since", "2023", "--until", "2023-06", "-f", "json", db=db).stdout)
    assert rows and all("2023-01" <= r["start"] <= "2023-06-30" for r in rows if r["start"])


def test_listing_commands(db):
    mech = json.loads(run("mechanisms", "-f", "json", db=db).stdout)
    tai = next(m for m in mech if m["name"] == "U.S.-Taiwan Initiative on 21st-Century Trade")
    assert tai["parties"] == "TWN USA" and tai["events"] >= 4
    people = json.loads(run("people", "--country", "TWN", "-f", "json", db=db).stdout)
    assert {"Kung Ming-hsin", "Yang Jen-ni"} <= {p["name"] for p in people}
    rel = json.loads(run("relationships", "-f", "json", db=db).stdout)
    assert rel[0]["parties"] == "TWN USA"
    up = json.loads(run("upcoming", "-f", "json", db=db).stdout)
    assert all(r["status"] == "planned" for r in up)


def test_search_and_show_with_evidence(db):
    hits = json.loads(run("search", "trade facilitation", "--type", "negotiation_round", "-f", "json", db=db).stdout)
    assert hits and hits[0]["type"] == "negotiation_round"
    shown = run("show", str(hits[0]["id"]), db=db)
    assert shown.returncode == 0
    assert "Terry McCartin" in shown.stdout and "source " in shown.stdout
    assert "from January 14-17, 2023" in shown.stdout.replace("\n", " ")
    ev = json.loads(run("show", str(hits[0]["id"]), "-f", "json", db=db).stdout)
    assert len(ev["sources"]) == 3 and all(s["support"] for s in ev["sources"])


def test_export_formats(db, tmp_path):
    jsonl = run("export", "--format", "jsonl", db=db)
    recs = [json.loads(x) for x in jsonl.stdout.splitlines()]
    assert recs and all({"id", "type", "status", "participants", "sources"} <= set(r) for r in recs)
    rows = list(csv.DictReader(io.StringIO(run("export", "-f", "csv", "--status", "planned", db=db).stdout)))
    assert rows and {r["status"] for r in rows} == {"planned"}
    out = tmp_path / "events.parquet"
    assert run("export", "-f", "parquet", "-o", str(out), db=db).returncode == 0
    import pyarrow.parquet as pq

    table = pq.read_table(out)
    assert table.num_rows == len(recs) and "participants" in table.column_names
    cal = tmp_path / "events.ics"
    ics = run("export", "-f", "ics", "-o", str(cal), db=db)
    body = cal.read_bytes().decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20230114\r\nDTEND;VALUE=DATE:20230118\r\n" in body  # the end is exclusive
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert "\n" not in body.replace("\r\n", "")
    assert "events without an exact day were left out of the calendar" in ics.stderr


@pytest.mark.parametrize("args, code, message", [
    (["timeline", "--between", "USA", "XXX"], 2, "Error: unknown country 'XXX'; give an ISO 3166-1 alpha-3 code such as USA, TWN, CHN, EUU"),
    (["timeline", "--since", "2023-13"], 2, "Error: --since '2023-13' is not a date; give YYYY, YYYY-MM or YYYY-MM-DD"),
    (["timeline", "--mechanism", "No Such Dialogue"], 2, "Error: unknown mechanism 'No Such Dialogue'; known mechanisms:"),
    (["timeline", "--type", "party"], 2, "Error: 'party' is not an event type; use one of:"),
    (["show", "99999"], 1, "Error: no event 99999; find ids with: tradetalks timeline"),
    (["search", "  "], 2, "Error: the search is empty; give some words"),
    (["export", "-f", "parquet"], 2, "Error: parquet is a binary format; give a file with --output events.parquet"),
    (["export", "-f", "xml"], 2, "Error: 'xml' is not an export format; use one of: jsonl, csv, parquet, ics"),
    (["timeline", "-f", "yaml"], 2, "Error: Invalid value for '--format' / '-f': 'yaml' is not a format; use one of: table, json, jsonl, csv"),
])
def test_errors_are_one_line_with_a_fix(db, args, code, message):
    r = run(*args, db=db)
    assert r.returncode == code
    assert r.stderr.startswith(message) and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_query_on_a_missing_database(tmp_path):
    r = run("timeline", db=tmp_path / "none.db")
    assert r.returncode == 1
    assert r.stderr.strip() == (f"Error: {tmp_path / 'none.db'}: no record there yet; ingest documents first "
                                f"(tradetalks ingest PATH --db {tmp_path / 'none.db'})")
    assert not (tmp_path / "none.db").exists()


def test_ingest_reports_failures_and_keeps_going(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    r = run("ingest", str(SEEDS[0]), str(tmp_path / "empty.txt"), str(tmp_path / "nope.txt"), "--no-progress",
            db=tmp_path / "r.db")
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert lines[0] == f"Error: {tmp_path / 'empty.txt'}: the file is empty; pass a document with text in it"
    assert lines[1] == f"Error: {tmp_path / 'nope.txt'}: no such file; check the path"
    assert lines[2].startswith("added 1, ") and "failed 2" in lines[2]
    assert run("ingest", "--no-progress", db=tmp_path / "r.db").returncode == 2


def test_ingest_with_workers_and_reprocess(tmp_path):
    path = tmp_path / "r.db"
    r = run("ingest", str(SEEDS[0].parent), str(USGOV), "--workers", "2", "--no-progress", db=path)
    assert r.returncode == 0 and r.stderr.startswith("added 13,"), r.stderr
    single = tmp_path / "single.db"
    run("ingest", str(SEEDS[0].parent), str(USGOV), "--no-progress", db=single)
    assert run("export", db=path).stdout.count("\n") == run("export", db=single).stdout.count("\n")
    again = run("reprocess", "--workers", "2", db=path)
    assert again.returncode == 0 and again.stderr.startswith("added 0, updated 13,"), again.stderr
