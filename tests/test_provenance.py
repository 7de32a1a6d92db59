"""Provenance on both engines: each document keeps its address, title, publisher and date
(its own, or a manifest's); inputs that are not articles are passed over with the reason;
documents without a date are counted; every export carries each event's sources and its
CAMEO and PLOVER codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from conftest import DATA, LINKING
from sqlalchemy import select

from tradetalks import export
from tradetalks.export.atom import to_atom
from tradetalks.ingest import ingest, reprocess
from tradetalks.link import record
from tradetalks.pipeline import extract_text
from tradetalks.store.schema import documents, events
from tradetalks.web import queries

ROOT = Path(__file__).resolve().parent.parent
INDEX = DATA / "index_files"
NOT_ARTICLES = {"MANIFEST.csv", "README.txt", "items.json", "scrape.log", "listing.tsv", "sources.yaml"}
READOUT_URL = "https://ustr.gov/about-us/policy-offices/press-office/press-releases/2023/august/readout-third-round"
WIRE_URL = "https://harborwire.example/2024/04/us-kenya-nairobi"


def stored(store) -> dict[str, dict]:
    with store.read() as conn:
        rows = conn.execute(select(documents.c.source, documents.c.url, documents.c.published, documents.c.publisher,
                                   documents.c.title)).mappings().all()
    return {Path(r["source"]).name: dict(r) for r in rows}


def test_files_that_are_not_articles_are_passed_over_with_the_reason(store):
    s = ingest(store, [(str(INDEX), "auto")], progress=False)
    assert not s.failed, s.failed
    reasons = {Path(source).name: why for source, why in s.not_articles()}
    assert set(reasons) == NOT_ARTICLES
    assert reasons["MANIFEST.csv"] == ("a CSV table (5 columns, 3 rows: file, publisher, url_if_known, date_if_known, ...), "
                                       "not an article")
    assert reasons["listing.tsv"].startswith("a TSV table (4 columns")
    assert reasons["items.json"].startswith("JSON data")
    assert reasons["scrape.log"].startswith("a log")
    assert reasons["sources.yaml"].startswith("YAML data")
    assert reasons["README.txt"].startswith("a README of a corpus")
    assert s.added == 2 and set(stored(store)) == {"ustr-readout-third-round.md", "wire-story.txt"}
    assert "skipped 6 (6 not articles)" in s.line()
    report = s.report()
    assert sum(line.startswith("Skipped: ") and line.endswith(", not an article") for line in report) == 6
    # The wire story gives no date: counted, with the way to give one.
    assert [Path(p).name for p in s.undated] == ["wire-story.txt"]
    assert report[-1].endswith("; 1 document without a publication date (relative dates in them stay unresolved): "
                               "give one with --published YYYY-MM-DD or a date column in --manifest FILE.csv")


def test_a_manifest_gives_what_a_file_does_not_say(store):
    s = ingest(store, [(str(INDEX), "auto")], manifest=str(INDEX / "MANIFEST.csv"), progress=False)
    assert not s.failed and s.added == 2 and not s.undated
    assert s.notes == [f"{INDEX / 'MANIFEST.csv'}: 1 date not given as YYYY-MM-DD not used as publication dates"]
    docs = stored(store)
    # The readout's own front matter comes first; the manifest fills only what it lacks.
    assert docs["ustr-readout-third-round.md"]["url"] == READOUT_URL
    assert docs["ustr-readout-third-round.md"]["published"] == "2023-08-18"
    assert docs["ustr-readout-third-round.md"]["title"].startswith("Readout of the Third Negotiating Round")
    wire = docs["wire-story.txt"]
    assert (wire["url"], wire["published"], wire["publisher"]) == (WIRE_URL, "2024-04-05", "Harbor Wire")
    assert wire["title"] == "U.S. and Kenya trade officials meet in Nairobi"
    # The manifest's date is the document's: "on Monday" is the Monday before 2024-04-05.
    with store.read() as conn:
        starts = set(conn.execute(select(events.c.start)).scalars())
    assert "2024-04-01" in starts


def test_a_manifest_without_a_file_column_is_refused(store, tmp_path):
    bad = tmp_path / "list.csv"
    bad.write_text("name,url\na.txt,https://a.example/\n", encoding="utf-8")
    try:
        ingest(store, [(str(INDEX), "auto")], manifest=str(bad), progress=False)
    except Exception as exc:  # noqa: BLE001 - the message is the test
        assert str(exc) == (f"{bad}: a manifest needs a 'file' column (and any of url, date, publisher, title); "
                            "its columns are: name, url")
    else:
        raise AssertionError("a manifest without a 'file' column was read")


def test_the_url_a_file_gives_does_not_make_another_file_a_version_of_it(store, tmp_path):
    """Two files giving the same address (a page and a tracker's copy of it) are two
    documents; each keeps the address, and only a web address is kept."""
    body = ("WASHINGTON - The United States and Kenya held the second round of the U.S.-Kenya Strategic Trade and "
            "Investment Partnership in Washington on February 27-28, 2024.\n")
    (tmp_path / "a.md").write_text(f"---\ntitle: A\ndate: 2024-03-01\nsource_url: https://ustr.gov/x\n---\n\n{body}")
    (tmp_path / "b.md").write_text(f"---\ntitle: B\ndate: 2024-03-02\nsource_url: https://ustr.gov/x\n---\n\nNote. {body}"
                                   "Both sides discussed agriculture at length in a further session.\n")
    (tmp_path / "c.md").write_text(f"---\ntitle: C\ndate: 2024-03-03\nsource_url: javascript:alert(1)\n---\n\n{body}")
    s = ingest(store, [(str(tmp_path), "auto")], progress=False)
    assert s.updated == 0 and s.added + s.duplicates == 3
    docs = stored(store)
    assert docs["a.md"]["url"] == docs["b.md"]["url"] == "https://ustr.gov/x"
    assert docs["c.md"]["url"] is None


def test_extract_notes_a_file_that_is_not_an_article():
    r = subprocess.run([sys.executable, "-m", "tradetalks.cli", "extract", "-f", "jsonl", str(INDEX / "MANIFEST.csv"),
                        str(INDEX / "wire-story.txt")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0
    assert r.stderr == (f"Note: {INDEX / 'MANIFEST.csv'}: a CSV table (5 columns, 3 rows: file, publisher, url_if_known, "
                        "date_if_known, ...), not an article; passed over\n")
    assert [json.loads(line)["document"]["source"] for line in r.stdout.splitlines()] == [str(INDEX / "wire-story.txt")]


def test_reprocess_removes_an_index_file_stored_by_an_earlier_version(store, monkeypatch):
    raw = (INDEX / "listing.tsv").read_text(encoding="utf-8")
    monkeypatch.setattr("tradetalks.clean.metadata.not_an_article", lambda text: None)  # as before issue 13
    ex = extract_text(raw, str(INDEX / "listing.tsv"))
    monkeypatch.undo()
    ingest(store, [(str(INDEX / "ustr-readout-third-round.md"), "auto")], progress=False)
    with store.transaction() as conn:
        record.save_document(conn, raw, ex, source=str(INDEX / "listing.tsv"))
    assert set(stored(store)) == {"ustr-readout-third-round.md", "listing.tsv"}
    s = reprocess(store, progress=False)
    assert s.removed == 1 and not s.failed
    assert "1 stored inputs that are not articles removed" in s.line()
    assert set(stored(store)) == {"ustr-readout-third-round.md"}


def test_every_export_carries_the_sources_and_the_codes(store, tmp_path):
    ingest(store, [(str(LINKING), "auto"), (str(INDEX), "auto")], manifest=str(INDEX / "MANIFEST.csv"), progress=False)
    with store.read() as conn:
        recs = [json.loads(line) for line in export.export(conn, "jsonl", None)[0].splitlines()]
        rows = list(csv.DictReader(io.StringIO(export.export(conn, "csv", None)[0])))
        ics = export.export(conn, "ics", None)[0]
        feed = to_atom(queries.new_events(conn), title="t", feed_url="/feeds/events.atom", site_url="/")
        parquet = tmp_path / "events.parquet"
        export.export(conn, "parquet", parquet)
    taipei = next(r for r in recs if r["type"] == "negotiation_round" and r["start"] == "2023-08-14")
    assert (taipei["cameo"], taipei["plover"]) == (["046"], "CONSULT")
    assert taipei["n_sources"] == len(taipei["sources"]) >= 1  # the readout, and the stories that announced the round
    source = next(s for s in taipei["sources"] if s["url"] == READOUT_URL)
    assert source["published"] == "2023-08-18"
    assert source["title"].startswith("Readout of the Third Negotiating Round")
    assert source["publisher"] == "Office of the United States Trade Representative"
    assert any("start" in e["fields"] and "August 14-17, 2023" in e["sentence"] for e in source["evidence"])
    january = next(r for r in recs if r["type"] == "negotiation_round" and r["start"] == "2023-01-14")
    assert january["n_sources"] == len(january["sources"]) == 3  # one record, every source listed
    assert all(r["n_sources"] == len(r["sources"]) and "cameo" in r and "plover" in r for r in recs)
    # CSV: the sources' addresses in one column, and the codes.
    row = next(r for r in rows if r["id"] == str(taipei["id"]))
    assert READOUT_URL in row["sources"].split() and (row["cameo"], row["plover"]) == ("046", "CONSULT")
    assert row["n_sources"] == str(taipei["n_sources"])
    # ICS: the event's address and a description naming its source.
    unfolded = ics.replace("\r\n ", "")
    event = unfolded.split(f"UID:event-{taipei['id']}@tradetalks")[1].split("END:VEVENT")[0]
    assert f"\r\nURL:{export.web_urls(taipei)[0]}\r\n" in event
    assert f"Sources ({taipei['n_sources']}): " in event and f"Readout of the Third Negotiating Round of the U.S.-Taiwan " \
        f"Initiative on 21st-Century Trade (Office of the United States Trade Representative\\, 2023-08-18) <{READOUT_URL}>" in event
    assert "CAMEO 046\\; PLOVER CONSULT." in event
    # Atom: each entry's date, mechanism, round and source link.
    assert "Mechanism: U.S.-Taiwan Initiative on 21st-Century Trade" in feed and "Round: 3" in feed
    assert f'<link rel="related" href="{READOUT_URL}" type="text/html" />' in feed and ", 2023-08-14</title>" in feed
    assert 'term="CONSULT" scheme="https://github.com/openeventdata/PLOVER"' in feed
    import pyarrow.parquet as pq

    table = pq.read_table(parquet).to_pylist()
    in_parquet = next(r for r in table if r["id"] == taipei["id"])
    assert READOUT_URL in [s["url"] for s in in_parquet["sources"]] and in_parquet["cameo"] == ["046"]


def test_pages_link_to_the_original_escaped(tmp_path):
    """A document's own address is linked from its event, its page and the documents list,
    escaped: a quote in it cannot close the attribute."""
    from fastapi.testclient import TestClient

    from tradetalks.store import Store
    from tradetalks.web.app import create_app

    hostile = 'https://harborwire.example/a"><script>alert(1)</script>'
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text(
        f"---\ntitle: Readout\ndate: 2024-03-01\nsource_url: {hostile}\n---\n\nWASHINGTON - The United States and Kenya "
        "held the second round of the U.S.-Kenya Strategic Trade and Investment Partnership in Washington on "
        "February 27-28, 2024.\n", encoding="utf-8")
    path = tmp_path / "record.db"
    with Store(str(path)) as store:
        ingest(store, [(str(tmp_path / "docs"), "auto")], progress=False)
    escaped = 'href="https://harborwire.example/a&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'
    with TestClient(create_app(str(path)), headers={"accept": "text/html"}) as client:
        event_id = client.get("/api/events").json()["items"][0]["id"]
        for page in (f"/events/{event_id}", "/documents/1", "/documents"):
            html = client.get(page).text
            assert escaped in html and "<script>alert" not in html, page
