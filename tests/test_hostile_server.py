"""A real `tradetalks serve` against hostile clients: 11 MB bodies without a token leave
its memory where it was; its worker processes end when it is killed with SIGKILL. And a
crafted document posted to the API is stopped at its budget."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from test_hostile_budget import _alive, _cmdline, _kill_parent_and_wait

from tradetalks.web.app import create_app

TOKEN = "s3cret-token-for-tests"
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db: str, *args: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tradetalks.cli", "serve", "--db", db, "--port", str(port), *args],
                            env={**os.environ, "TRADETALKS_TOKEN": TOKEN}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/overview", timeout=2).status_code == 200:
                return proc, port
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("tradetalks serve did not start")


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory (VmRSS), or its peak so far (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _post_unauthenticated(port: int, body: bytes) -> int | None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/api/documents", body=body, headers={"content-type": "application/json"})
        return conn.getresponse().status
    except (BrokenPipeError, ConnectionResetError):
        return None  # refused before the body was sent: the server closed the connection
    finally:
        conn.close()


def test_unauthenticated_bodies_are_not_read(web_db, tmp_path):
    db = tmp_path / "record.db"
    shutil.copy(web_db, db)
    proc, port = _serve(str(db))
    try:
        assert _post_unauthenticated(port, b"{}") == 401
        before = _rss_mb(proc.pid)
        body = b'{"text": "' + b"a" * (10 * 1024 * 1024) + b'"}'
        with ThreadPoolExecutor(40) as pool:  # 40 at once, as a flood would come
            answers = set(pool.map(lambda _: _post_unauthenticated(port, body), range(40)))
        after = _rss_mb(proc.pid, "VmHWM")
    finally:
        proc.kill()
        proc.wait()
    assert answers <= {401, None}  # None: the connection was closed on the client still sending
    assert after - before < 50, f"the server grew from {before:.0f} MB to a peak of {after:.0f} MB"


def test_killed_server_leaves_no_worker(web_db, tmp_path):
    db = tmp_path / "record.db"
    shutil.copy(web_db, db)
    proc, _ = _serve(str(db), "--workers", "2")
    try:
        kids = _kill_parent_and_wait(proc, 2, "spawn_main")
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not [k for k in kids if _alive(k)], [_cmdline(k) for k in kids if _alive(k)]


def test_a_crafted_document_posted_is_stopped_at_its_budget(web_db, tmp_path):
    db = tmp_path / "record.db"
    shutil.copy(web_db, db)
    with TestClient(create_app(str(db), token=TOKEN, budget=0.5)) as c:
        before = c.get("/api/overview").json()["sizes"]["documents"]
        r = c.post("/api/documents", json={"text": "Mr. " * 500_000, "source": "crafted.txt"},
                   headers={"authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 422
        assert r.json()["failed"] == ["crafted.txt: extraction stopped after 0.5 s, over its time budget (the text is "
                                      "too long or too repetitive to extract in time); pass a shorter document, or "
                                      "raise the budget (--budget)"]
        assert c.get("/api/overview").json()["sizes"]["documents"] == before
        ok = c.post("/api/documents", json={"text": "TOKYO, May 2, 2024 - The United States and Japan held the fourth "
                                                    "round of the U.S.-Japan Partnership on Trade in Tokyo."},
                    headers={"authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 201, ok.text
