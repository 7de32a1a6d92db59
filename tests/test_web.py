"""The web app in-process (FastAPI's TestClient) on a record seeded from the fixture
documents: every page, the JSON API and its one error shape, downloads, feeds, the
calendar, ingest with a token, caps, and the escaping of hostile text."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import shutil
from xml.etree import ElementTree as ET

import pytest
from conftest import USGOV
from fastapi.testclient import TestClient

from tradetalks.web.app import create_app
from tradetalks.web.safety import Guard

HTML = {"accept": "text/html"}
ATOM = "{http://www.w3.org/2005/Atom}"
TAI = "us-taiwan-initiative-on-21st-century-trade"


@pytest.fixture(scope="module")
def client(web_db):
    with TestClient(create_app(web_db), headers=HTML) as c:
        yield c


@pytest.fixture()
def writable(web_db, tmp_path):
    """An app with ingest switched on, over a copy of the seeded record."""
    path = tmp_path / "record.db"
    shutil.copy(web_db, path)
    with TestClient(create_app(str(path), token="s3cret-token-for-tests", allow_private=True)) as c:
        yield c


def ids_in(html: str, prefix: str = "/events/") -> list[int]:
    return [int(x) for x in re.findall(re.escape(prefix) + r"(\d+)\"", html)]


def test_home_lists_latest_upcoming_and_relationships(client):
    r = client.get("/")
    assert r.status_code == 200
    assert 'href="/relationships/TWN-USA"' in r.text
    api = client.get("/api/overview").json()
    assert api["sizes"]["events"] > 30 and api["sizes"]["documents"] == 17
    for ev in api["latest"][:5]:
        assert f'href="/events/{ev["id"]}"' in r.text
    assert all(e["status"] == "planned" for e in api["upcoming"])
    assert api["relationships"][0]["parties"] == "TWN USA"


def test_security_headers_and_no_inline_script(client):
    for path in ("/", "/api/events", "/static/app.css", "/docs", "/nothing-here"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    for path in ("/", "/relationships/TWN-USA", "/docs", f"/mechanisms/{TAI}"):
        for tag in re.findall(r"<script[^>]*>", client.get(path).text):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)


def test_relationship_page_chart_filters_and_paging(client):
    r = client.get("/relationships/TWN-USA")
    assert r.status_code == 200
    data = json.loads(re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', r.text, re.S).group(1))
    listed = client.get("/api/relationships/TWN-USA/events", params={"per_page": 500}).json()
    assert {p["id"] for p in data["points"]} <= {e["id"] for e in listed["items"]}
    assert {p["mechanism"] for p in data["points"]} >= {"U.S.-Taiwan Initiative on 21st-Century Trade"}
    rounds = client.get("/relationships/TWN-USA", params={"type": "negotiation_round"}).text
    shown = set(ids_in(rounds.split("<h2>Events</h2>")[1]))
    assert shown and shown == {e["id"] for e in listed["items"] if e["type"] == "negotiation_round"}
    page = client.get("/relationships/TWN-USA", params={"per_page": 2}).text
    assert 'rel="next"' in page and "page 1 of" in page
    moved = client.get("/relationships/USA-TWN", params={"type": "meeting"}, follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == "/relationships/TWN-USA?type=meeting"


def test_bad_parameters_are_400_with_the_reason(client):
    page = client.get("/events", params={"since": "2023-13"})
    assert page.status_code == 400 and "--since &#39;2023-13&#39; is not a date" in page.text
    for params, reason in [({"type": "party"}, "is not an event type"), ({"page": 0}, "page: Input should be greater"),
                           ({"per_page": 100000}, "per_page"), ({"topic": "nope"}, "unknown topic 'nope'"),
                           ({"between": "USA-XX1"}, "unknown country"), ({"year": 2020, "since": "2019"}, "either year")]:
        r = client.get("/api/events", params=params)
        assert r.status_code == 400, params
        body = r.json()
        assert set(body) == {"error"} and body["error"]["status"] == 400 and body["error"]["code"] == "bad_request"
        assert reason in body["error"]["message"]
    missing = client.get("/api/events/999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/api/nothing").json()["error"]["status"] == 404
    assert client.get("/events/999999").status_code == 404 and "<h1>Error 404</h1>" in client.get("/events/999999").text
    assert client.get("/api/search", params={"q": "x" * 600}).status_code == 400


def test_event_page_highlights_evidence_and_links(client):
    hits = client.get("/api/search", params={"q": "trade facilitation", "type": "negotiation_round", "mechanism": TAI}).json()["items"]
    eid = hits[0]["id"]
    r = client.get(f"/events/{eid}")
    assert r.status_code == 200
    dates = re.findall(r'<mark class="ev ([^"]*)"[^>]*>([^<]*)</mark>', r.text)
    assert any("f-start" in cls and "January 14-17, 2023" in text for cls, text in dates)
    assert any("f-participants" in cls and text == "Terry McCartin" for cls, text in dates)
    assert '<span class="support">' in r.text
    assert 'href="/people/terry-mccartin"' in r.text and f'href="/mechanisms/{TAI}"' in r.text
    assert 'href="/relationships/TWN-USA"' in r.text
    api = client.get(f"/api/events/{eid}").json()
    assert len(api["sources"]) == 3 and all(s["support"] for s in api["sources"])
    assert r.text.count('<article class="source"') == 3


def test_mechanism_page_rounds_leads_topics_sources(client):
    r = client.get(f"/mechanisms/{TAI}")
    assert r.status_code == 200
    m = client.get(f"/api/mechanisms/{TAI}").json()
    assert m["sides"][:2] == ["TWN", "USA"]
    held = [e for e in m["events"] if e["type"] == "negotiation_round" and e["status"] == "held"]
    assert held and held[0]["round"] == 1
    assert [x["name"] for x in held[0]["leads_by_side"]["USA"]] == ["Terry McCartin"]
    assert "Yang Jen-ni" in r.text and 'href="/people/yang-jen-ni"' in r.text
    row = next(t for t in m["topic_matrix"] if t["topic"] == "trade_facilitation")
    assert len(row["cells"]) == len(m["events"]) and any(row["cells"])
    assert "trade facilitation</a></th>" in r.text
    assert len(m["sources"]) >= 3 and all(f'href="/documents/{s["id"]}"' in r.text for s in m["sources"])
    assert client.get("/mechanisms/no-such-thing").status_code == 404


def test_person_and_people(client):
    r = client.get("/people/yang-jen-ni")
    assert r.status_code == 200 and "Deputy Trade Representative" in r.text and "Titles over time" in r.text
    p = client.get("/api/people/yang-jen-ni").json()
    assert p["events"] and all(f'href="/events/{e["id"]}"' in r.text for e in p["events"])
    rows = list(csv.DictReader(io.StringIO(client.get("/api/events", params={"person": "yang-jen-ni", "download": "csv"}).text)))
    assert sorted(int(x["id"]) for x in rows) == sorted(e["id"] for e in p["events"])
    assert "/api/events?person=yang-jen-ni&amp;download=csv" in r.text
    people = client.get("/api/people", params={"country": "TWN", "per_page": 500}).json()
    assert {"Kung Ming-hsin", "Yang Jen-ni"} <= {x["name"] for x in people["items"]}
    assert people["total"] == len(people["items"])


def test_document_views(client):
    docs = client.get("/api/documents", params={"per_page": 100}).json()
    doc = next(d for d in docs["items"] if d["title"] and "Third Round" in d["title"] and "Japan" in d["title"])
    text = client.get(f"/documents/{doc['id']}")
    assert text.status_code == 200
    assert re.search(r'<mark class="ev [^"]*f-round[^"]*"[^>]*>[^<]*[Tt]hird', text.text)
    assert "/events/" in text.text
    raw = client.get(f"/documents/{doc['id']}", params={"view": "raw"})
    assert "Partnership on Trade" in raw.text and '<pre class="raw">' in raw.text
    extracted = client.get(f"/documents/{doc['id']}", params={"view": "extracted"})
    assert "tradetalks/extraction-v1" in extracted.text
    assert client.get(f"/documents/{doc['id']}", params={"view": "other"}).status_code == 400
    api = client.get(f"/api/documents/{doc['id']}").json()
    assert "raw" not in api and api["text"] and api["events"]
    assert client.get(f"/api/documents/{doc['id']}", params={"raw": True}).json()["raw"]


def test_search_facets_narrow_and_highlight(client):
    r = client.get("/search", params={"q": "trade"})
    assert r.status_code == 200 and "<mark>" in r.text.lower()
    full = client.get("/api/search", params={"q": "trade", "per_page": 500}).json()
    assert all(e["snippet"][a:b].lower().startswith("trad") for e in full["items"] for a, b in e["highlights"])
    types = dict((v, n) for v, _, n in full["facets"]["type"])
    assert sum(types.values()) == full["total"]
    link = re.search(r'<a href="/search\?([^"]*type=meeting[^"]*)"', r.text).group(1).replace("&amp;", "&")
    narrowed = client.get("/api/search?" + link).json()
    assert narrowed["total"] == types["meeting"] and all(e["type"] == "meeting" for e in narrowed["items"])
    year, _, n = full["facets"]["year"][0]
    by_year = client.get("/api/search", params={"q": "trade", "year": year, "per_page": 500}).json()
    assert by_year["total"] == n and all(e["start"] is None or e["start"].startswith(year) for e in by_year["items"])
    docs = client.get("/search", params={"q": "Taipei", "scope": "documents"})
    assert docs.status_code == 200 and "<mark>Taipei</mark>" in docs.text


def test_downloads_are_complete_listings(client):
    total = client.get("/api/events", params={"between": "USA-TWN"}).json()["total"]
    r = client.get("/api/events", params={"between": "USA-TWN", "download": "csv"})
    assert r.headers["content-disposition"] == 'attachment; filename="events.csv"'
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == total and all("TWN" in row["parties"] for row in rows)
    as_json = client.get("/api/events", params={"between": "USA-TWN", "download": "json"}).json()
    assert [e["id"] for e in as_json] == [int(row["id"]) for row in rows]
    page = client.get("/relationships/TWN-USA").text
    assert "/api/relationships/TWN-USA/events?download=csv" in page
    for path in ("/api/mechanisms", "/api/people", "/api/documents", "/api/relationships", "/api/upcoming"):
        params = {"download": "csv", **({"as_of": "2024-03-01"} if path == "/api/upcoming" else {})}  # the record's 2024
        assert client.get(path, params=params).text.count("\n") >= 2, path


def test_api_pagination(client):
    first = client.get("/api/events", params={"per_page": 5}).json()
    second = client.get("/api/events", params={"per_page": 5, "page": 2}).json()
    assert first["total"] == second["total"] > 10 and len(first["items"]) == 5
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    assert [e["id"] for e in first["items"] + second["items"]] == \
        [e["id"] for e in client.get("/api/events", params={"per_page": 10}).json()["items"]]


def test_feeds(client):
    feed = ET.fromstring(client.get("/feeds/events.atom").content)
    entries = feed.findall(f"{ATOM}entry")
    assert entries and feed.find(f"{ATOM}title").text == "tradetalks: new events"
    for e in entries:
        assert re.fullmatch(r"/events/\d+", e.find(f"{ATOM}link").get("href"))  # relative: no Host in a kept feed
    r = client.get("/feeds/relationships/TWN-USA.atom")
    assert r.headers["content-type"].startswith("application/atom+xml")
    linked = {int(e.find(f"{ATOM}id").text.rsplit("/", 1)[1]) for e in ET.fromstring(r.content).findall(f"{ATOM}entry")}
    listed = {e["id"] for e in client.get("/api/relationships/TWN-USA/events", params={"per_page": 500}).json()["items"]}
    assert linked == listed
    assert client.get("/feeds/relationships/XX.atom").status_code == 400


def test_docs_and_openapi_are_served_locally(client):
    spec = client.get("/openapi.json").json()
    assert "/api/events" in spec["paths"] and "/api/documents" in spec["paths"]
    assert not any("422" in op["responses"] for path in spec["paths"].values() for op in path.values())
    docs = client.get("/docs").text
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', docs):
        assert client.get(asset).status_code == 200, asset
    assert "cdn" not in docs.lower()
    assert client.get("/vendor/plotly.min.js").headers["content-type"].startswith("text/javascript")


def test_hostile_text_is_escaped_everywhere(client):
    doc = next(d for d in client.get("/api/documents", params={"per_page": 100}).json()["items"]
               if d["source"].endswith("script-laden-readout.txt"))
    pages = [client.get(f"/documents/{doc['id']}").text, client.get(f"/documents/{doc['id']}?view=raw").text,
             client.get("/search", params={"q": "Kenya"}).text, client.get("/documents").text]
    event_id = client.get(f"/api/documents/{doc['id']}").json()["events"][0]["event_id"]
    pages.append(client.get(f"/events/{event_id}").text)
    for html in pages:
        assert "<script>window" not in html and "<img src=x" not in html and "<svg onload" not in html
        assert "<iframe" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;window.__pwned" in pages[0] and "&lt;img src=x onerror=" in pages[0]
    assert "<title>Readout of the Fourth Round &lt;script&gt;" in pages[0]


def test_ingest_needs_a_token(client, writable):
    off = client.post("/api/documents", json={"text": "hello"})
    assert off.status_code == 403 and "start the server with --token" in off.json()["error"]["message"]
    assert writable.post("/api/documents", json={"text": "hello"}).status_code == 401
    wrong = writable.post("/api/documents", json={"text": "hello"}, headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"


def test_ingest_text_then_it_shows_and_is_on_the_calendar(writable):
    auth = {"authorization": "Bearer s3cret-token-for-tests"}
    text = ("Joint Statement on the Fifth Round of the U.S.-Taiwan Initiative on 21st-Century Trade\n\n"
            "WASHINGTON – The United States and Taiwan will hold the fifth negotiating round of the U.S.-Taiwan "
            "Initiative on 21st-Century Trade in Washington on March 10-12, 2031.\n")
    r = writable.post("/api/documents", json={"text": text, "source": "javascript:alert(1)", "published": "2030-11-02"},
                      headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["added"] == 1 and r.json()["events"] >= 1
    again = writable.post("/api/documents", json={"text": text, "source": "javascript:alert(1)"}, headers=auth)
    assert again.status_code == 200 and again.json()["unchanged"] == 1
    ics = writable.get("/calendar/planned.ics").text
    assert "DTSTART;VALUE=DATE:20310310" in ics and "DTEND;VALUE=DATE:20310313" in ics
    doc = writable.get("/api/documents", params={"per_page": 1}).json()["items"][0]
    page = writable.get(f"/documents/{doc['id']}", headers=HTML).text
    assert "javascript:alert(1)" in page and 'href="javascript:' not in page
    for body, reason in [({}, "either 'text'"), ({"text": "x", "url": "http://a.example/"}, "either 'text'"),
                         ({"text": "   "}, "the file is empty"), ({"url": "ftp://x/y"}, "not a web address"),
                         ({"text": "x", "published": "2024-02-30"}, "not a date")]:
        bad = writable.post("/api/documents", json=body, headers=auth)
        assert bad.status_code == 400 and reason in bad.json()["error"]["message"], body


def test_pages_are_kept_until_the_record_changes(writable):
    first = writable.get("/api/overview")
    again = writable.get("/api/overview")
    assert first.headers["x-tradetalks-cache"] == "miss" and again.headers["x-tradetalks-cache"] == "hit"
    assert again.content == first.content and "content-security-policy" in again.headers
    assert again.headers.get_list("content-security-policy") == first.headers.get_list("content-security-policy")
    html = writable.get("/", headers=HTML)
    assert html.headers["x-tradetalks-cache"] == "miss" and html.text.startswith("<!doctype html>")
    text = sorted(USGOV.iterdir())[0].read_text() + "\nUpdated."
    added = writable.post("/api/documents", json={"text": text}, headers={"authorization": "Bearer s3cret-token-for-tests"})
    assert added.status_code == 201
    after = writable.get("/api/overview")
    assert after.headers["x-tradetalks-cache"] == "miss"
    assert after.json()["sizes"]["documents"] == first.json()["sizes"]["documents"] + 1


def test_worker_processes_share_the_pages_they_render(web_db, tmp_path):
    import time

    from tradetalks.web.cache import STAMP_EVERY

    path, shared = tmp_path / "record.db", str(tmp_path / "pages.db")
    shutil.copy(web_db, path)
    token = "s3cret-token-for-tests"
    with TestClient(create_app(str(path), token=token, shared_pages=shared)) as one, \
            TestClient(create_app(str(path), shared_pages=shared)) as other:
        first = one.get("/api/overview")
        served = other.get("/api/overview")  # made by the first worker, not made again
        assert first.headers["x-tradetalks-cache"] == "miss" and served.headers["x-tradetalks-cache"] == "hit"
        assert served.content == first.content and served.headers["content-type"] == first.headers["content-type"]
        text = sorted(USGOV.iterdir())[0].read_text() + "\nUpdated."
        assert one.post("/api/documents", json={"text": text}, headers={"authorization": f"Bearer {token}"}).status_code == 201
        assert one.get("/api/overview").headers["x-tradetalks-cache"] == "miss"
        time.sleep(STAMP_EVERY * 2)  # the other worker sees the new stamp, and no page of the old record
        after = other.get("/api/overview")
        assert after.json()["sizes"]["documents"] == first.json()["sizes"]["documents"] + 1


def test_shared_pages_are_bounded_in_bytes(tmp_path):
    from tradetalks.web.cache import Kept, SharedPages

    shared = SharedPages(str(tmp_path / "pages.db"), max_bytes=50_000)
    start = {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/html")]}
    for i in range(SharedPages.PRUNE_EVERY * 2):
        shared.put((f"/events/{i}", b"", True), "stamp-1", Kept(start, b"x" * 4_000))
    total = shared.db.db.execute("SELECT sum(size) FROM pages").fetchone()[0]
    assert 0 < total <= 50_000
    newest = (f"/events/{SharedPages.PRUNE_EVERY * 2 - 1}", b"", True)
    assert shared.get(newest, "stamp-1").body == b"x" * 4_000  # the oldest went first
    assert shared.get(("/events/0", b"", True), "stamp-1") is None
    assert shared.get(newest, "stamp-2") is None  # a page of another state of the record is never served
    shared.keep_only("stamp-2")
    assert shared.db.db.execute("SELECT count(*) FROM pages").fetchone()[0] == 0


def test_ingest_url_from_a_local_server(writable):
    import http.server
    import threading

    page = (b"<html><head><title>U.S.-Japan trade talks</title></head><body><article><h1>U.S. and Japan hold talks</h1>"
            b"<p>TOKYO - The United States and Japan held the fourth round of the U.S.-Japan Partnership on Trade in "
            b"Tokyo on May 2, 2024, officials said.</p></article></body></html>")

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/talks.html"
        r = writable.post("/api/documents", json={"url": url}, headers={"authorization": "Bearer s3cret-token-for-tests"})
        assert r.status_code == 201, r.text
        assert r.json()["source"] == url and r.json()["added"] == 1
    finally:
        server.shutdown()


def test_request_body_is_capped(writable):
    big = b'{"text": "' + b"a" * (12 * 1024 * 1024) + b'"}'
    r = writable.post("/api/documents", content=big, headers={"content-type": "application/json",
                                                             "authorization": "Bearer s3cret-token-for-tests"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_slow_requests_are_stopped():
    async def slow(scope, receive, send):
        await asyncio.sleep(5)

    guard = Guard(slow, timeout=0.2)
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(guard({"type": "http", "method": "GET", "headers": [], "path": "/"}, receive, send))
    assert sent[0]["status"] == 504
    assert json.loads(sent[1]["body"])["error"]["code"] == "timeout"
    assert (b"content-security-policy", sent[0]["headers"][-6][1]) == sent[0]["headers"][-6]


def test_serve_refuses_a_missing_record(tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "tradetalks.cli", "serve", "--db", str(tmp_path / "none.db")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert r.stderr.strip() == f"Error: {tmp_path / 'none.db'}: no record there yet; ingest documents first (tradetalks ingest PATH --db {tmp_path / 'none.db'})"


def test_the_app_on_postgresql(pg_url):
    """The same pages and API calls on PostgreSQL (tsvector search, array parameters)."""
    from conftest import DATA, LINKING

    from tradetalks.ingest import ingest
    from tradetalks.store import Store

    with Store(pg_url) as store:
        assert not ingest(store, [(str(DATA / "seeds"), "auto"), (str(LINKING), "auto")], progress=False).failed
    with TestClient(create_app(pg_url), headers=HTML) as c:
        found = c.get("/api/search", params={"q": "trade facilitation"}).json()
        assert found["total"] >= 1 and found["facets"]["type"]
        hit = found["items"][0]
        assert {hit["snippet"][a:b].lower() for a, b in hit["highlights"]} >= {"trade", "facilitation"}
        assert "<mark>" in c.get("/search", params={"q": "Taipei"}).text
        for path in ("/", "/relationships/TWN-USA", f"/mechanisms/{TAI}", "/people/yang-jen-ni", "/documents",
                     "/feeds/events.atom", "/upcoming", "/events?type=negotiation_round"):
            assert c.get(path).status_code == 200, path
        event = found["items"][0]["id"]
        assert "<mark class=\"ev" in c.get(f"/events/{event}").text
        assert c.get("/api/events", params={"between": "USA-TWN", "download": "csv"}).text.count("\n") >= 3


def _sockets(port: int, state: str) -> set[str]:
    """Linux: the inodes of the TCP sockets on a local port in a state ("0A" listening,
    "01" established)."""
    from pathlib import Path

    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                found.add(fields[9])
    return found


def _listening(port: int, sockets: int, wait: float = 60.0) -> int:
    """How many sockets listen on the port, once there are `sockets` of them or `wait`
    seconds have passed (a server process imports the app before it listens)."""
    import time

    deadline = time.monotonic() + wait
    while len(_sockets(port, "0A")) < sockets and time.monotonic() < deadline:
        time.sleep(0.2)
    return len(_sockets(port, "0A"))


def _cmdline(proc) -> bytes:  # type: ignore[no-untyped-def]
    """A process's command line, or nothing when it ended while /proc was listed."""
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""


def _spread(port: int) -> dict[int, int]:
    """20 keep-alive clients connect at once and make a request each: their connections,
    counted by the `serve` worker process that holds them (the children of the process
    started with this port)."""
    import socket
    from pathlib import Path

    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
    try:
        for c in clients:
            c.sendall(b"GET /api/overview HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        for c in clients:
            assert c.recv(64).startswith(b"HTTP/1.1 200")
        inodes = _sockets(port, "01")
        serve = {int(p.name) for p in Path("/proc").glob("[0-9]*") if f"--port\0{port}\0".encode() in _cmdline(p)}
        counts = {}
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) not in serve:
                    continue
                links = [str(fd.readlink()) for fd in (proc / "fd").iterdir()]
            except (OSError, ValueError):
                continue
            held = sum(link[len("socket:["):-1] in inodes for link in links if link.startswith("socket:["))
            if held:
                counts[int(proc.name)] = held
        return counts
    finally:
        for c in clients:
            c.close()


def test_serve_with_several_workers(web_db):
    import os
    import signal
    import subprocess
    import sys
    import time

    import httpx
    from webserver import start_serve

    base, stop = start_serve(web_db, workers=2)
    port = int(base.rsplit(":", 1)[1])
    try:
        r = httpx.get(f"{base}/api/overview", timeout=5)
        assert r.status_code == 200 and r.json()["sizes"]["documents"] == 17
        assert httpx.get(f"{base}/events/1", headers=HTML, timeout=5).status_code == 200
        # Keep-alive clients arriving together are spread over both processes, not all
        # taken by the one that woke first (each process listens on its own socket).
        assert _listening(port, 2) == 2
        counts = _spread(port)
        assert len(counts) == 2 and min(counts.values()) >= 3, counts
        # A process that dies is replaced.
        killed = min(counts)
        os.kill(killed, signal.SIGKILL)
        time.sleep(0.5)
        assert _listening(port, 2) == 2
        counts = _spread(port)
        assert len(counts) == 2 and killed not in counts and min(counts.values()) >= 3, counts
        taken = subprocess.run([sys.executable, "-m", "tradetalks.cli", "serve", "--db", web_db, "--port", str(port),
                                "--workers", "2"], capture_output=True, text=True, timeout=60)
        assert taken.returncode == 1 and "cannot listen on" in taken.stderr and "choose another --port" in taken.stderr
    finally:
        printed = stop()
    assert "serving" in printed
