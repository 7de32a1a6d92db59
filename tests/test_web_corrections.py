"""Corrections and review in the web app (issue 13): sign in with the server's token,
forms with a CSRF token, a corrected field marked on the event's page, the review queue."""

from __future__ import annotations

import re
import shutil

import httpx
import pytest
from fastapi.testclient import TestClient
from webserver import start_serve

from tradetalks import query
from tradetalks.errors import TooManyTries
from tradetalks.store import Store
from tradetalks.web.app import create_app
from tradetalks.web.corrections import LOGIN_TRIES, LOGIN_WINDOW, LoginFailures

TOKEN = "s3cret-token-for-tests"
HTML = {"accept": "text/html"}


@pytest.fixture()
def web(web_db, tmp_path):
    path = tmp_path / "record.db"
    shutil.copy(web_db, path)
    with TestClient(create_app(str(path), token=TOKEN), headers=HTML) as c:
        yield c, str(path)


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)


def _january(db: str) -> int:
    with Store(db) as s, s.read() as conn:
        (row,) = [r for r in query.timeline(conn, mechanism="U.S.-Taiwan Initiative on 21st-Century Trade", since="2023-01",
                                            until="2023-01") if r["status"] == "held"]
        return int(row["id"])


def test_correct_a_field_through_the_forms(web):
    c, db = web
    jan = _january(db)
    r = c.get(f"/correct/events/{jan}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/login?next=/correct/events/{jan}"
    assert c.post("/login", data={"token": "wrong-token-wrong"}).status_code == 401
    r = c.post("/login", data={"token": TOKEN, "next": f"/correct/events/{jan}"}, follow_redirects=False)
    assert r.status_code == 303 and "httponly" in r.headers["set-cookie"].lower()
    assert TOKEN not in r.headers["set-cookie"]
    page = c.get(f"/correct/events/{jan}").text
    csrf = _csrf(page)
    # without the CSRF token, or from another site: refused, nothing written
    assert c.post(f"/correct/events/{jan}", data={"action": "set", "field": "place", "value": "X", "by": "ana"}).status_code == 403
    r = c.post(f"/correct/events/{jan}", data={"action": "set", "field": "place", "value": "X", "by": "ana", "csrf": csrf},
               headers={"origin": "https://evil.example"})
    assert r.status_code == 403
    r = c.post(f"/correct/events/{jan}", data={"action": "set", "field": "place", "value": "<b>Kaohsiung</b>", "by": "ana",
                                               "why": "the readout", "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/events/{jan}"
    page = c.get(f"/events/{jan}").text
    assert "&lt;b&gt;Kaohsiung&lt;/b&gt;" in page and "<b>Kaohsiung" not in page
    assert 'class="corrected"' in page
    bad = c.post(f"/correct/events/{jan}", data={"action": "set", "field": "round", "value": "two", "by": "ana", "csrf": csrf})
    assert bad.status_code == 400 and "is not a number; give a whole number from 1 to 999" in bad.text


def test_posts_need_the_session(web):
    c, db = web
    jan = _january(db)
    r = c.post(f"/correct/events/{jan}", data={"action": "not_event", "by": "ana", "csrf": "0" * 64})
    assert r.status_code == 401  # the guard: no token header, no session cookie
    with TestClient(create_app(db)) as off:  # no token: corrections are off
        assert off.post("/login", data={"token": TOKEN}).status_code == 403


def test_review_page_and_accept(web):
    c, db = web
    page = c.get("/review").text
    assert "To review" in page and "low confidence" in page and "Sign in" in page
    first = int(re.search(r'<td><a href="/events/(\d+)">', page).group(1))
    c.post("/login", data={"token": TOKEN})
    page = c.get("/review").text
    r = c.post("/review/accept", data={"event": str(first), "by": "ana", "csrf": _csrf(page)}, follow_redirects=False)
    assert r.status_code == 303
    assert f'<td><a href="/events/{first}">' not in c.get("/review").text


def test_the_session_cookie_opens_only_the_forms_paths():
    import hashlib
    import hmac

    from tradetalks.web.safety import SESSION_COOKIE, _form_post
    cookie = hmac.new(b"tok", b"tradetalks session", hashlib.sha256).hexdigest()
    headers = {b"cookie": f"{SESSION_COOKIE}={cookie}".encode()}
    assert _form_post("/correct", headers, "tok") and _form_post("/correct/events/3", headers, "tok")
    assert _form_post("/review/3/accept", headers, "tok")
    assert not _form_post("/corrections", headers, "tok") and not _form_post("/correctx", headers, "tok")


def test_wrong_tokens_are_refused_for_a_while_after_five(web_db, tmp_path):
    """Five wrong tokens from one address within a minute: the sixth try is refused, the
    right token too, whatever X-Forwarded-For the client claims (a real server on
    loopback, where uvicorn would otherwise believe the header)."""
    db = tmp_path / "record.db"
    shutil.copy(web_db, db)
    base, stop = start_serve(str(db), token=TOKEN)
    try:
        with httpx.Client(base_url=base, timeout=10) as c:
            for i in range(5):
                r = c.post("/login", data={"token": "not-the-token-at-all"}, headers={"x-forwarded-for": f"203.0.113.{i}"})
                assert r.status_code == 401
            r = c.post("/login", data={"token": TOKEN}, headers={"x-forwarded-for": "198.51.100.7"})
            assert r.status_code == 429 and "wrong tokens from your address" in r.text
    finally:
        stop()


def test_wrong_tokens_are_forgotten_after_their_minute():
    failures = LoginFailures()
    for t in range(LOGIN_TRIES):
        failures.add("10.0.0.1", float(t))
    with pytest.raises(TooManyTries):
        failures.check("10.0.0.1", LOGIN_TRIES + 1.0)
    failures.check("10.0.0.2", LOGIN_TRIES + 1.0)  # another address is not held back
    failures.check("10.0.0.1", LOGIN_WINDOW + LOGIN_TRIES + 0.5)  # the window has passed
