"""The web app in a real browser: Debian's headless Chromium driven by Playwright against
`tradetalks serve` on loopback. Open the home page, search, open an event and check its
highlighted evidence, follow the link to the mechanism page, see the relationship's chart
drawn, check that a document full of scripts runs none of them, and correct a record
through its form after signing in. Screenshots of each page go to tests/artifacts/ for a
person to look at."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest
from webserver import start_serve

CHROMIUM = os.environ.get("TRADETALKS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(web_db):
    base, stop = start_serve(web_db)
    yield base
    stop()


TOKEN = "browser-test-token"


@pytest.fixture(scope="module")
def correcting(web_db, tmp_path_factory):
    """A server that takes corrections (a token given), over a copy of the record."""
    db = str(tmp_path_factory.mktemp("correcting") / "record.db")
    shutil.copy(web_db, db)
    base, stop = start_serve(db, token=TOKEN)
    yield base
    stop()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM} (`make test` installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    """A page that records what would show that something ran or was blocked: dialogs,
    script errors and CSP reports in the console."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs, pg.problems = [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()


def shot(pg, name: str) -> None:
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_search_to_event_to_mechanism(server, page):
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "The record of trade talks"
    shot(page, "home")
    page.fill("form.big-search input[name=q]", '"trade facilitation" Taipei')
    page.click("form.big-search button")
    page.wait_for_url("**/search?**")
    assert page.locator("table.events tbody tr").count() >= 1
    assert page.locator("tr.snippet mark").count() >= 1
    shot(page, "search")
    page.locator("table.events tbody tr a[href^='/events/']").first.click()
    page.wait_for_url("**/events/*")
    dates = page.locator("article.source mark.f-start")
    assert dates.count() >= 1 and "January 14-17, 2023" in dates.first.inner_text()
    assert page.locator("article.source .support").count() >= 1
    assert page.locator("dl.fields a[href='/people/terry-mccartin']").is_visible()
    shot(page, "event")
    page.click("dl.fields a[href^='/mechanisms/']")
    page.wait_for_url("**/mechanisms/*")
    assert page.locator("h1").inner_text() == "U.S.-Taiwan Initiative on 21st-Century Trade"
    assert page.locator("table.matrix td.on").count() >= 1
    shot(page, "mechanism")
    assert not page.problems and not page.dialogs, page.problems + page.dialogs


def test_relationship_chart_is_drawn(server, page):
    page.goto(server + "/relationships/TWN-USA")
    page.wait_for_selector("#timeline-chart[data-ready='1'] .main-svg", timeout=20_000)
    points = page.locator("#timeline-chart .scatterlayer .point").count()
    assert points >= 5
    legend = page.locator("#timeline-chart .legendtext").all_text_contents()
    assert "negotiation round" in legend
    shot(page, "relationship")
    page.select_option("form.filters select[name=type]", "negotiation_round")
    page.click("form.filters button")
    page.wait_for_selector("#timeline-chart[data-ready='1'] .main-svg")
    assert page.locator("#timeline-chart .legendtext").all_text_contents() == ["negotiation round"]
    assert not page.problems, page.problems


def test_hostile_document_runs_nothing(server, page):
    docs = httpx.get(server + "/api/documents", params={"per_page": 100}).json()["items"]
    doc = next(d for d in docs if d["source"].endswith("script-laden-readout.txt"))
    event_id = httpx.get(server + f"/api/documents/{doc['id']}").json()["events"][0]["event_id"]
    for path in (f"/documents/{doc['id']}", f"/documents/{doc['id']}?view=raw", f"/events/{event_id}",
                 "/search?q=defaced&scope=documents"):
        page.goto(server + path)
        page.wait_for_load_state("load")
        body = page.locator("main").inner_text()
        assert "<script>" in body, path          # the markup shows as text
        assert page.evaluate("typeof window.__pwned === 'undefined' && typeof window.pwned === 'undefined'"), path
        assert page.locator("main script, main img, main svg, main iframe").count() == 0, path
        assert "defaced" not in page.locator("body").inner_text()[:200]
        shot(page, "hostile-" + path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-").replace("&", "-"))
    page.locator("main a", has_text="Nairobi").count()  # nothing to click: markup links are text
    assert not page.dialogs, page.dialogs
    assert not [p for p in page.problems if "Content Security Policy" not in p], page.problems


def test_upcoming_and_calendar_pages(server, page):
    """The upcoming page lists dated plans, then those not dated yet, apart; the calendar
    page links the calendar file and lists the plans dated to the month only."""
    page.goto(server + "/upcoming?as_of=2024-03-01")
    assert page.locator("h1").inner_text() == "Upcoming events"
    tables = page.locator("main table.events")
    assert tables.count() == 2 and page.locator("h2#not-dated").is_visible()
    assert tables.nth(0).locator("tbody tr").count() >= 1 and tables.nth(1).locator("tbody tr").count() >= 1
    shot(page, "upcoming")
    page.click("nav a[href='/calendar']")
    page.wait_for_url("**/calendar")
    assert page.locator("main a[href='/calendar/planned.ics']").is_visible()
    assert page.locator("main table.events tbody tr").count() >= 1  # planned for a month or a year
    shot(page, "calendar")
    assert not page.problems, page.problems


def test_a_record_corrected_through_its_form(correcting, page):
    """Sign in with the server's token, set a record's place in its correction form (whose
    CSRF field the page fills), and see the place on the record, marked as corrected."""
    page.goto(correcting + "/search?q=" + '"trade facilitation" Taipei')
    href = page.locator("table.events tbody tr a[href^='/events/']").first.get_attribute("href")
    page.goto(correcting + "/correct" + href)
    page.wait_for_url("**/login?**")
    page.fill("input[name=token]", TOKEN)
    page.click("form.correct button")
    page.wait_for_url("**/correct/events/*")
    shot(page, "correct")
    row = page.locator("table.fields-form tr", has=page.locator("input[name=field][value=place]"))
    form = row.locator("form", has=page.locator("input[name=action][value=set]"))
    form.locator("input[name=value]").fill("Kaohsiung")
    form.locator("input[name=by]").fill("ana")
    form.locator("button").click()
    page.wait_for_url("**" + href)
    fields = page.locator("dl.fields")
    assert "Kaohsiung" in fields.inner_text()
    assert fields.locator("span.corrected").count() >= 1
    assert not page.problems, page.problems
    shot(page, "corrected")
