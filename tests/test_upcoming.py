"""Upcoming means upcoming, on both engines: planned events dated from a day on (today, or
--as-of), soonest first; plans not dated yet apart, only while recently announced; the
calendar file holds every planned event dated to the day, the calendar page the ones dated
to the month only. tests/data/upcoming: a round planned for June 2024 (announced
2024-03-01), a meeting planned for 2024-05-20 (announced 2024-03-05), a meeting planned
without a date (announced 2024-02-20) and another (announced 2020-01-10)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA
from fastapi.testclient import TestClient

from tradetalks import export, query
from tradetalks.errors import QueryError
from tradetalks.ingest import ingest
from tradetalks.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
PLANS = DATA / "upcoming"
KENYA, JAPAN = "U.S.-Kenya Strategic Trade and Investment Partnership", "U.S.-Japan Partnership on Trade"
MEXICO, CANADA = "U.S.-Mexico High-Level Economic Dialogue", "U.S.-Canada Regulatory Cooperation Council"


def upcoming(store, day: str, **options) -> list[tuple[str | None, str | None, bool]]:
    with store.read() as conn:
        return [(r["mechanism"], r["start"], r["dated"]) for r in query.upcoming(conn, today=day, **options)]


@pytest.fixture()
def plans(store):
    s = ingest(store, [(str(PLANS), "auto")], progress=False)
    assert not s.failed and s.added == 4
    return store


def test_planned_events_ahead_soonest_first_then_recent_plans_without_a_date(plans):
    assert upcoming(plans, "2024-03-06") == [(JAPAN, "2024-05-20", True), (KENYA, "2024-06", True), (MEXICO, None, False)]
    # A day past is past; a month is ahead until it ends.
    assert upcoming(plans, "2024-05-21") == [(KENYA, "2024-06", True), (MEXICO, None, False)]
    assert upcoming(plans, "2024-06-30") == [(KENYA, "2024-06", True), (MEXICO, None, False)]
    assert upcoming(plans, "2024-07-01") == [(MEXICO, None, False)]
    # A plan without a date is shown while announced in the last 12 months (or as many as asked).
    assert upcoming(plans, "2025-02-19") == [(MEXICO, None, False)]
    assert upcoming(plans, "2025-02-21") == []
    assert upcoming(plans, "2024-07-01", recent_months=3) == []
    # As of a day, only what was announced by then.
    assert upcoming(plans, "2024-03-02") == [(KENYA, "2024-06", True), (MEXICO, None, False)]
    assert upcoming(plans, "2020-06-01") == [(CANADA, None, False)]


def test_a_day_that_is_no_day_is_refused(plans):
    with plans.read() as conn, pytest.raises(QueryError, match="'2024-02' is not a day to look ahead from; give YYYY-MM-DD"):
        query.upcoming(conn, today="2024-02")


def test_the_calendar_file_holds_every_planned_event_dated_to_the_day(plans):
    with plans.read() as conn:
        body, left_out = export.to_ics(export.records(conn, query.filtered(conn, status="planned"), evidence=False))
    assert body.count("BEGIN:VEVENT") == 1 and "DTSTART;VALUE=DATE:20240520\r\n" in body  # long past, still there
    assert "URL:https://www.ustr.gov/readout-first-meeting\r\n" in body
    assert left_out == 3  # the June round (a month) and the two plans without a date


def test_upcoming_command_as_of_a_day(tmp_path):
    db = tmp_path / "record.db"
    cli = [sys.executable, "-m", "tradetalks.cli"]
    assert subprocess.run([*cli, "ingest", str(PLANS), "--db", str(db), "--no-progress"], capture_output=True,
                          cwd=ROOT, timeout=300).returncode == 0
    r = subprocess.run([*cli, "upcoming", "--as-of", "2024-03-06", "--db", str(db), "-f", "json"], capture_output=True,
                       text=True, cwd=ROOT, timeout=120)
    rows = json.loads(r.stdout)
    assert [(x["when"], x["dated"], x["announced"]) for x in rows] == [
        ("2024-05-20", True, "2024-03-05"), ("2024-06", True, "2024-03-01"), ("", False, "2024-02-20")]
    table = subprocess.run([*cli, "upcoming", "--as-of", "2024-03-06", "--db", str(db)], capture_output=True, text=True,
                           cwd=ROOT, timeout=120).stdout
    assert "upcoming: dated from 2024-03-06 on" in table
    assert "planned, not dated yet: announced in the 12 months to 2024-03-06" in table
    assert table.index("2024-05-20") < table.index("2024-06 ") < table.index("2024-02-20")
    bad = subprocess.run([*cli, "upcoming", "--as-of", "2024-02-30", "--db", str(db)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "'2024-02-30' is not a real calendar date" in bad.stderr


def test_pages_upcoming_and_calendar(tmp_path):
    from tradetalks.store import Store

    path = tmp_path / "record.db"
    with Store(str(path)) as store:
        ingest(store, [(str(PLANS), "auto")], progress=False)
    with TestClient(create_app(str(path)), headers={"accept": "text/html"}) as client:
        page = client.get("/upcoming", params={"as_of": "2024-03-06"}).text
        assert "Planned events dated from 2024-03-06 on" in page
        assert page.index("2024-05-20") < page.index("2024-06") < page.index('id="not-dated"') < page.index("2024-02-20")
        api = client.get("/api/upcoming", params={"as_of": "2024-03-06"}).json()
        assert [(r["start"], r["dated"]) for r in api["items"]] == [("2024-05-20", True), ("2024-06", True), (None, False)]
        assert client.get("/api/upcoming", params={"as_of": "2024-13-01"}).status_code == 400
        calendar = client.get("/calendar").text
        assert "holds every planned event dated to the day (1 now)" in calendar
        assert "U.S.-Kenya Strategic Trade and Investment Partnership" in calendar  # the June round, dated to the month
        ics = client.get("/calendar/planned.ics").text
        assert ics.count("BEGIN:VEVENT") == 1 and "DTSTART;VALUE=DATE:20240520" in ics
