"""Sources against a loopback server playing bad websites: a page that trickles in a byte at
a time, a server that asks to come back in an hour, endless redirects, a charset that
does not exist; and a record whose disk fills up during an ingest."""

from __future__ import annotations

import email.utils
import http.server
import threading
import time

import pytest
from conftest import SEEDS
from sqlalchemy import event, func, select

from tradetalks.errors import DiskFull, FetchError
from tradetalks.ingest import ingest
from tradetalks.sources.fetch import Fetcher
from tradetalks.store import Store
from tradetalks.store.schema import documents

PAGE = SEEDS[1].read_bytes()


class BadSite(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        BadSite.hits[self.path] = BadSite.hits.get(self.path, 0) + 1
        if self.path == "/trickle":  # a byte every 50 ms: no read ever waits long
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(400):
                try:
                    self.wfile.write(b"a")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.05)
            return
        if self.path in ("/later", "/later-date"):
            when = "3600" if self.path == "/later" else email.utils.formatdate(time.time() + 3600, usegmt=True)
            return self._send(503, b"busy", Retry_After=when)
        if self.path.startswith("/hop/"):
            return self._send(302, Location=f"/hop/{int(self.path.rsplit('/', 1)[1]) + 1}")
        if self.path == "/undefined":
            body = b"<html><head><title>Talks</title></head><body><p>Caf\xe9 talks.</p><p>" + PAGE + b"</p></body></html>"
            return self._send(200, body, Content_Type="text/html; charset=undefined")
        self._send(404)

    def _send(self, code: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(code)
        for key, value in {"Content-Type": "text/plain", **{k.replace("_", "-"): v for k, v in headers.items()}}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), BadSite)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_trickling_page_is_given_up_at_the_total_deadline(site):
    fetcher = Fetcher(allow_private=True, timeout=5, total=1.0, retries=0)
    with pytest.raises(FetchError) as exc:
        fetcher.get(f"{site}/trickle")
    assert str(exc.value) == (f"{site}/trickle: not fetched within 1 s in all (the server is too slow); it will be "
                              "tried again on the next run")


@pytest.mark.parametrize("path", ["/later", "/later-date"])
def test_a_retry_after_over_the_cap_fails_the_url_for_this_run(site, path):
    fetcher = Fetcher(allow_private=True, max_wait=30)
    with pytest.raises(FetchError, match=r"the server asks to come back in 3\d\d\d s \(over the 30 s waited for\); "
                                         r"it will be tried again on the next run$"):
        fetcher.get(site + path)
    assert BadSite.hits[path] == 1  # asked once, not waited for and asked again


def test_endless_redirects_stop(site):
    with pytest.raises(FetchError, match=r"/hop/6: more than 5 redirects; give the final address$"):
        Fetcher(allow_private=True).get(f"{site}/hop/0")


def test_a_page_declaring_a_charset_that_does_not_exist_is_stored(site, tmp_path):
    with Store(str(tmp_path / "r.db")) as store:
        summary = ingest(store, [(f"{site}/undefined", "page")], fetcher=Fetcher(allow_private=True), progress=False)
    assert summary.added == 1 and not summary.failed
    assert summary.notes[0] == f"{site}/undefined: the declared charset 'undefined' is unknown or does not fit the bytes"


def test_a_full_disk_stops_the_run_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(30):
        (folder / f"{i:02}.txt").write_text(f"Copy {i}.\n\n" + SEEDS[i % len(SEEDS)].read_text() + f"\n\nNote {i}.")
    store = Store(str(tmp_path / "r.db"))
    with store.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    store.engine.dispose()

    @event.listens_for(store.engine, "connect")
    def small_disk(dbapi_connection, _):  # the file may grow by 60 pages, then the disk is "full"
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 60}")

    with pytest.raises(DiskFull) as exc:
        ingest(store, [(str(folder), "auto")], progress=False)
    message = str(exc.value)
    assert message.startswith("the record's disk is full: stopped after storing ")
    assert message.endswith("was written; free some space and run the same command again to go on")
    with store.read() as conn:
        stored = conn.execute(select(func.count()).select_from(documents)).scalar()
    assert 0 < stored < 30 and f"stopped after storing {stored} documents" in message
    store.close()
