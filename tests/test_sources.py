"""Sources against a real local HTTP server: pages, RSS and Atom feeds, conditional
requests, retries, redirects, size caps, private addresses, config files, folders."""

from __future__ import annotations

import html
import http.server
import threading
from pathlib import Path

import pytest
from conftest import DATA, SEEDS, USGOV
from sqlalchemy import func, select

from tradetalks import sources
from tradetalks.errors import FetchError, InputError
from tradetalks.ingest import ingest
from tradetalks.sources import feeds
from tradetalks.sources.fetch import Fetcher
from tradetalks.store import Store
from tradetalks.store.schema import documents

PAGES = {
    "/pages/uae.txt": USGOV / "statedept-joint-statement-on-the-eighth-u-s-uae-economic-policy-dialog.txt",
    "/pages/bangladesh.txt": USGOV / "statedept-u-s-bangladesh-high-level-economic-consultation.txt",
    "/pages/old.txt": SEEDS[0],
    "/pages/cigw.txt": SEEDS[3],
}


class Handler(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    agents: list[str] = []

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, code: int, body: bytes = b"", ctype: str = "text/plain; charset=utf-8", **headers: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        path = self.path
        Handler.hits[path] = Handler.hits.get(path, 0) + 1
        Handler.agents.append(self.headers.get("User-Agent", ""))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if path in ("/feed.rss", "/feed.atom"):
            body = (DATA / "feeds" / ("trade.rss" if path.endswith("rss") else "trade.atom")).read_text().replace("{base}", base)
            etag = '"feed-v1"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304)
            return self._send(200, body.encode(), "application/rss+xml", ETag=etag)
        if path in PAGES:
            body = PAGES[path].read_bytes()
            modified = "Wed, 01 May 2024 00:00:00 GMT"
            if self.headers.get("If-Modified-Since") == modified:
                return self._send(304)
            return self._send(200, body, Last_Modified=modified)
        if path == "/flaky":
            if Handler.hits[path] < 3:
                return self._send(503, b"busy", Retry_After="0")
            return self._send(200, SEEDS[1].read_bytes())
        if path == "/moved":
            return self._send(301, Location="/pages/cigw.txt")
        if path == "/loop":
            return self._send(302, Location="/loop")
        if path == "/huge":
            return self._send(200, b"x" * (11 * 1024 * 1024))
        if path == "/binary":
            return self._send(200, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "image/png")
        if path == "/not-a-feed":
            return self._send(200, b"<html><body><p>Just a page about nothing.</p></body></html>", "text/html")
        return self._send(404, b"not found")


@pytest.fixture()
def server():
    Handler.hits = {}
    Handler.agents = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def fetcher():
    f = Fetcher(allow_private=True, timeout=5, retries=3, backoff=0.01)
    yield f
    f.close()


def test_private_addresses_are_refused_unless_allowed(server):
    f = Fetcher(timeout=5)
    with pytest.raises(FetchError) as exc:
        f.get(server + "/pages/uae.txt")
    assert str(exc.value) == (f"{server}/pages/uae.txt: refusing to fetch a private or loopback address (127.0.0.1); "
                              "pass --allow-private to allow it")
    assert Handler.hits == {}  # nothing was sent


def test_fetch_sends_user_agent_follows_redirects_and_retries(server, fetcher):
    page = fetcher.get(server + "/moved")
    assert page.url.endswith("/pages/cigw.txt") and "Commercial Issues Working Group" in page.text
    assert all(a.startswith("tradetalks/") for a in Handler.agents)
    flaky = fetcher.get(server + "/flaky")
    assert flaky.status == 200 and Handler.hits["/flaky"] == 3


def test_fetch_errors_say_what_to_do(server, fetcher):
    with pytest.raises(FetchError, match=r"/missing: the server answered 404 Not Found; check the URL"):
        fetcher.get(server + "/missing")
    with pytest.raises(FetchError, match="more than 5 redirects; give the final address"):
        fetcher.get(server + "/loop")
    with pytest.raises(FetchError, match="over the 10 MB limit"):
        fetcher.get(server + "/huge")
    with pytest.raises(InputError, match="looks like a binary file"):
        fetcher.get(server + "/binary")
    with pytest.raises(FetchError, match="not an http"):
        fetcher.get("ftp://example.org/x")
    dead = Fetcher(allow_private=True, timeout=2, retries=1, backoff=0.01)
    with pytest.raises(FetchError, match=r"cannot connect \(ConnectError, 2 tries\)"):
        dead.get("http://127.0.0.1:9/")


def test_feed_ingest_fetches_entries_then_only_what_changed(server, fetcher, tmp_path):
    store = Store(str(tmp_path / "r.db"))
    s = ingest(store, [(server + "/feed.rss", "auto")], fetcher=fetcher, since="2018-01-01")
    assert s.added == 2
    assert [why for _, why in s.failed] == [f"{server}/missing: the server answered 404 Not Found; check the URL"]
    assert "/pages/old.txt" not in Handler.hits  # before --since: never fetched
    with store.read() as conn:
        urls = set(conn.execute(select(documents.c.url)).scalars())
    assert urls == {server + "/pages/uae.txt", server + "/pages/bangladesh.txt"}
    # Polled again: the feed answers 304, nothing is fetched or stored again.
    before = dict(Handler.hits)
    again = ingest(store, [(server + "/feed.rss", "auto")], fetcher=fetcher, since="2018-01-01")
    assert again.added == 0 and not again.failed
    assert Handler.hits["/feed.rss"] == before["/feed.rss"] + 1
    assert Handler.hits["/pages/uae.txt"] == before["/pages/uae.txt"]


def test_atom_feed_and_pages_conditional(server, fetcher, store):
    """On both engines: what a page answered is remembered in the document's transaction."""
    assert ingest(store, [(server + "/feed.atom", "feed")], fetcher=fetcher).added == 1
    # The entry's page was remembered: asked again by URL, the server answers 304.
    assert ingest(store, [(server + "/pages/cigw.txt", "page")], fetcher=fetcher).unchanged == 1
    # A page ingested by URL is remembered with its Last-Modified date: 304 the next time.
    assert ingest(store, [(server + "/pages/bangladesh.txt", "auto")], fetcher=fetcher).added == 1
    s = ingest(store, [(server + "/pages/bangladesh.txt", "auto")], fetcher=fetcher)
    assert s.added == 0 and s.unchanged == 1 and Handler.hits["/pages/bangladesh.txt"] == 2


def test_not_a_feed_says_how_to_read_it(server, fetcher, tmp_path):
    store = Store(str(tmp_path / "r.db"))
    s = ingest(store, [(server + "/not-a-feed", "feed")], fetcher=fetcher)
    assert [why for _, why in s.failed] == [f"{server}/not-a-feed is neither RSS nor Atom; pass it as a page with --as page"]


def test_feed_file_with_full_content(tmp_path):
    body = html.escape(SEEDS[3].read_text()).replace("\n\n", "</p><p>")
    feed = tmp_path / "local.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
                    "<channel><title>t</title><item><title>Consultation</title><pubDate>Thu, 02 Jun 2022 12:00:00 GMT</pubDate>"
                    f"<content:encoded><![CDATA[<p>{body}</p>]]></content:encoded></item></channel></rss>")
    entries = feeds.parse(feed.read_text(), str(feed))
    assert [(e.title, e.published) for e in entries] == [("Consultation", "2022-06-02")]
    store = Store(str(tmp_path / "r.db"))
    s = ingest(store, [(str(feed), "auto")], fetcher=None)
    assert s.added == 1 and not s.failed


def test_folders_recursively_skip_binaries_and_report_bad_files(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "seed.txt").write_bytes(SEEDS[2].read_bytes())
    (tmp_path / "a" / "photo.png").write_bytes(b"\x89PNG....")
    (tmp_path / "a" / "blob.dat").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "a" / "empty.txt").write_text("")
    store = Store(str(tmp_path / "r.db"))
    s = ingest(store, [(str(tmp_path / "a"), "auto")])
    assert s.added == 1
    assert s.skipped == [(str(tmp_path / "a" / "blob.dat"), "not a text document")]
    assert [why for _, why in s.failed] == [f"{tmp_path / 'a' / 'empty.txt'}: the file is empty; pass a document with text in it"]
    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(documents)).scalar() == 1


def test_a_folder_is_read_in_the_order_of_its_documents_dates(tmp_path):
    """Files are read by the dates their heads give (front matter, a meta tag, a dated
    dateline), path order among equals, undated files and what cannot be read last; a
    FIFO among them is not waited for."""
    import os
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("---\ndate: 2024-05-01\n---\n\nText.")
    (tmp_path / "b.txt").write_text("No date at all.\n\nJust text.")
    (tmp_path / "sub" / "c.html").write_text('<meta property="article:published_time" content="2019-03-02T10:00:00Z">')
    (tmp_path / "d.txt").write_text("Brussels, 12 March 2021 \u2013 The two sides met.")
    (tmp_path / "e.txt").write_text("---\ndate: 2024-05-01\n---\n\nOther text.")
    os.mkfifo(tmp_path / "f.txt")
    order = [Path(f).name for f in sources._by_date(sources._folder_files(tmp_path))]
    assert order == ["c.html", "d.txt", "a.txt", "e.txt", "b.txt", "f.txt"]


def test_config_file(tmp_path, server, fetcher):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "seed.txt").write_bytes(SEEDS[0].read_bytes())
    cfg = tmp_path / "sources.yaml"
    cfg.write_text(f"sources:\n  - docs\n  - feed: {server}/feed.atom\n")
    assert sources.load_config(str(cfg)) == [(str(tmp_path / "docs"), "auto"), (server + "/feed.atom", "feed")]
    store = Store(str(tmp_path / "r.db"))
    assert ingest(store, sources.load_config(str(cfg)), fetcher=fetcher).added == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: nope\n")
    with pytest.raises(InputError, match="expected a 'sources:' list"):
        sources.load_config(str(bad))
    with pytest.raises(InputError, match="no such config file"):
        sources.load_config(str(tmp_path / "none.yaml"))


def test_looks_like_feed():
    assert feeds.looks_like_feed('<?xml version="1.0"?>\n<!-- c --><rss version="2.0">')
    assert feeds.looks_like_feed("<feed xmlns='http://www.w3.org/2005/Atom'>")
    assert not feeds.looks_like_feed("<item><title>One item cut from a feed</title></item>")
    assert not feeds.looks_like_feed(Path(USGOV / "statedept-u-s-bangladesh-high-level-economic-consultation.txt").read_text())
