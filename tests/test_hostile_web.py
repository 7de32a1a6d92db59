"""The web app against hostile requests: Host-header poisoning, unauthenticated bodies,
absurd ids and unencodable text, query strings made to miss the cache, one client
flooding the server, a request stopped at its deadline committing afterwards, and heavy
pages; server processes end with their parent."""

from __future__ import annotations

import asyncio
import shutil
import time

import pytest
from conftest import USGOV
from fastapi.testclient import TestClient

from tradetalks.ingest import CommitGate
from tradetalks.web.app import create_app, served_hosts
from tradetalks.web.safety import ClientLimit, Guard

HTML = {"accept": "text/html"}
TOKEN = "s3cret-token-for-tests"
AUTH = {"authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(web_db):
    with TestClient(create_app(web_db), headers=HTML) as c:
        yield c


@pytest.fixture()
def writable(web_db, tmp_path):
    path = tmp_path / "record.db"
    shutil.copy(web_db, path)
    with TestClient(create_app(str(path), token=TOKEN)) as c:
        yield c


def test_a_host_header_never_reaches_a_kept_feed(client):
    poisoned = client.get("/feeds/events.atom", headers={"host": "evil.example"})
    assert poisoned.status_code == 200 and "evil.example" not in poisoned.text
    later = client.get("/feeds/events.atom")
    assert "evil.example" not in later.text and 'href="/events/' in later.text


def test_feeds_link_to_the_public_url(web_db):
    with TestClient(create_app(web_db, public_url="https://talks.example.org/")) as c:
        feed = c.get("/feeds/relationships/TWN-USA.atom").text
    assert 'href="https://talks.example.org/events/' in feed
    assert "<id>https://talks.example.org/feeds/relationships/TWN-USA.atom</id>" in feed


def test_a_host_not_served_is_refused(web_db):
    with TestClient(create_app(web_db, hosts=["testserver"], public_url="https://talks.example.org")) as c:
        assert c.get("/api/overview").status_code == 200
        assert c.get("/api/overview", headers={"host": "talks.example.org"}).status_code == 200
        r = c.get("/feeds/events.atom", headers={"host": "evil.example:8000"})
    assert r.status_code == 400
    assert r.json()["error"]["message"] == ("this server does not serve the host 'evil.example:8000'; use the address "
                                            "it is published at (talks.example.org, testserver)")


def test_served_hosts_of_serve_options():
    assert served_hosts("127.0.0.1", None) == ["127.0.0.1", "::1", "localhost"]
    assert served_hosts("0.0.0.0", None) is None  # its names are not known; nothing uses Host anyway
    assert served_hosts("0.0.0.0", "https://talks.example.org") == ["talks.example.org"]


@pytest.mark.parametrize("path", ["/api/events/99999999999999999999", "/api/documents/9223372036854775808",
                                  "/events/99999999999999999999", "/documents/-1", "/api/events/1e3"])
def test_absurd_ids_are_400(client, path):
    r = client.get(path, headers={"accept": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request", r.text


def test_a_lone_surrogate_is_400(writable):
    body = '{"text": "The United States and Japan met \\ud800 in Tokyo on March 3, 2024."}'
    r = writable.post("/api/documents", content=body, headers={**AUTH, "content-type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["message"] == ("'text' holds a lone surrogate (U+D800 at character 32), which is not "
                                            "text; send it as valid Unicode (UTF-8)")


def test_query_parameters_no_page_reads_do_not_bypass_the_cache(writable):
    assert writable.get("/api/events", params={"per_page": 5, "page": 1}).headers["x-tradetalks-cache"] == "miss"
    for params in ({"page": 1, "per_page": 5, "x": "1"}, {"page": 1, "per_page": 5, "cache-buster": "2"}):
        assert writable.get("/api/events", params=params).headers["x-tradetalks-cache"] == "hit"
    assert writable.get("/api/events", params={"per_page": 5, "page": 2}).headers["x-tradetalks-cache"] == "miss"


def _receive_counting(calls: list[str]):
    async def receive():
        calls.append("read")
        return {"type": "http.request", "body": b"x" * 1024, "more_body": True}
    return receive


def _post(guard: Guard, headers: list[tuple[bytes, bytes]]) -> tuple[int, list[str]]:
    calls: list[str] = []
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def app(scope, receive, send):  # pragma: no cover - never reached
        raise AssertionError("the app ran")

    scope = {"type": "http", "method": "POST", "path": "/api/documents", "headers": headers}
    asyncio.run(Guard(app, **guard)(scope, _receive_counting(calls), send))  # type: ignore[arg-type]
    return sent[0]["status"], calls


def test_the_token_is_checked_before_the_body_is_read():
    status, calls = _post({"token": TOKEN}, [(b"content-length", b"10000000"), (b"host", b"x")])
    assert status == 401 and calls == []
    status, calls = _post({"token": TOKEN}, [(b"authorization", b"Bearer nope"), (b"content-length", b"10000000")])
    assert status == 401 and calls == []
    status, calls = _post({}, [(b"content-length", b"10000000")])
    assert status == 403 and calls == []


def test_a_declared_length_over_the_cap_is_refused_at_once():
    status, calls = _post({"token": TOKEN}, [(b"authorization", f"Bearer {TOKEN}".encode()),
                                             (b"content-length", str(12 * 1024 * 1024).encode())])
    assert status == 413 and calls == []


def test_nothing_is_committed_after_the_client_was_told_it_stopped(web_db, tmp_path, monkeypatch):
    from tradetalks.link import record

    path = tmp_path / "record.db"
    shutil.copy(web_db, path)
    save = record.save_document

    def slow_save(*args, **kwargs):
        time.sleep(2.0)  # the store is slow: the request's 1 s run out while it writes
        return save(*args, **kwargs)

    monkeypatch.setattr(record, "save_document", slow_save)
    text = sorted(USGOV.iterdir())[0].read_text() + "\nUpdated late."
    with TestClient(create_app(str(path), token=TOKEN, timeout=1.0)) as c:
        before = c.get("/api/overview").json()["sizes"]["documents"]
        r = c.post("/api/documents", json={"text": text}, headers=AUTH)
        assert r.status_code == 504
        time.sleep(2.5)  # the thread that went on has reached its commit, and given up
        assert c.get("/api/overview").json()["sizes"]["documents"] == before


def test_a_commit_under_way_is_waited_for():
    gate = CommitGate()
    assert gate.enter()          # the commit started before the deadline
    assert not gate.stop()       # so the deadline does not stop it: the client gets its answer
    gate.leave()
    assert gate.stop() and not gate.enter()  # once stopped, no commit starts


def test_one_client_cannot_take_every_worker():
    async def scenario():
        running: list[str] = []
        release = asyncio.Event()

        async def app(scope, receive, send):
            running.append(scope["client"][0])
            await release.wait()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        limit = ClientLimit(app, per_client=2, queue=1)
        sent: list[int] = []

        async def send(message):
            if message["type"] == "http.response.start":
                sent.append(message["status"])

        def request(address):
            return limit({"type": "http", "client": (address, 1), "headers": []}, None, send)

        flood = [asyncio.create_task(request("10.0.0.1")) for _ in range(4)]
        other = asyncio.create_task(request("10.0.0.2"))
        await asyncio.sleep(0.05)
        at_work = sorted(running)
        refused = list(sent)
        release.set()
        await asyncio.gather(*flood, other)
        return at_work, refused, sent

    at_work, refused, sent = asyncio.run(scenario())
    assert at_work == ["10.0.0.1", "10.0.0.1", "10.0.0.2"]  # two of the flood at work, the other client too
    assert refused == [429]                                  # one waits its turn, the fourth is refused
    assert sorted(sent) == [200, 200, 200, 200, 429]


def test_a_long_document_is_shown_part_by_part(writable):
    words = ["tariffs", "semiconductors", "agriculture", "fisheries", "customs", "services", "investment", "energy"]
    cities = ["Tokyo", "Geneva", "Taipei", "Hanoi", "Ottawa", "Seoul", "Canberra"]
    text = ("U.S. and Japan review trade annexes\n\nTOKYO, March 3, 2024 - The United States and Japan held the "
            "second round of talks." + "".join(
                f"\n\nOn day {i} of the review, delegates discussed {words[i % 8]} and {words[(i * 3) % 8]} in "
                f"{cities[i % 7]}, officials said, adding that {i * 7 % 31 + 2} items of annex {i} remained open."
                for i in range(300)))
    added = writable.post("/api/documents", json={"text": text, "source": "long.txt"}, headers=AUTH)
    assert added.status_code == 201, added.text
    doc = next(d for d in writable.get("/api/documents", params={"per_page": 500}).json()["items"] if d["source"] == "long.txt")
    first = writable.get(f"/documents/{doc['id']}", headers=HTML).text
    assert "part 1 of 3" in first and f"/documents/{doc['id']}?view=text&amp;part=2" in first
    assert "On day 10 of" in first and "On day 200 of" not in first
    second = writable.get(f"/documents/{doc['id']}", params={"part": 2}, headers=HTML).text
    assert "part 2 of 3" in second and "On day 200 of" in second and "On day 10 of" not in second


def test_a_documents_events_are_listed_page_by_page(client):
    docs = client.get("/api/documents", params={"per_page": 500}).json()["items"]
    doc, events = next((d, e) for d in docs if len(e := client.get(f"/api/documents/{d['id']}").json()["events"]) >= 3)
    page = client.get(f"/documents/{doc['id']}", params={"per_page": 2, "page": 2}).text
    listed = page.split('<ul class="reported">')[1].split("</ul>")[0]
    assert listed.count("<li>") == min(2, len(events) - 2)
    assert f"{len(events)} in all · page 2 of {(len(events) + 1) // 2}" in page


def test_a_query_past_the_deadline_is_interrupted(web_db, monkeypatch):
    from sqlalchemy import text

    from tradetalks.web import queries

    ended: list[str] = []

    def endless(conn):
        try:
            conn.execute(text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"))
        except Exception as exc:
            ended.append(str(exc))
            raise

    monkeypatch.setattr(queries, "overview", endless)
    with TestClient(create_app(web_db, timeout=1.0)) as c:
        assert c.get("/api/overview").status_code == 504
        for _ in range(100):
            if ended:
                break
            time.sleep(0.1)
    assert ended and "interrupted" in ended[0]
