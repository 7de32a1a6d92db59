"""The HTML pages (server-rendered with Jinja2, every value escaped), the Atom feeds of new
events and the iCalendar file of planned ones."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy.engine import Connection

from tradetalks import __version__, export, lexicons, query
from tradetalks.export.atom import to_atom
from tradetalks.models import EVENT_TYPES
from tradetalks.web import highlight, queries
from tradetalks.web.api import AsOf, Conn, DocumentId, EventId, Filters, Page, RecentMonths, SearchPage
from tradetalks.web.params import MAX_PAGE, TEXT, query_string

TEMPLATES = Path(__file__).parent / "templates"

router = APIRouter(include_in_schema=False)
FEED_ENTRIES = 100


def _when(start: str | None, end: str | None) -> str:
    if not start:
        return ""
    return start if not end or end == start else f"{start} – {end}"


def _web_url(value: str | None) -> str | None:
    """Only http(s) addresses become links: a stored 'javascript:' source stays text."""
    return value if value and value.startswith(("http://", "https://")) else None


def _pair(parties: str) -> str:
    return "-".join(parties.split())


_CELL = {True: Markup('<td class="on">●</td>'), False: Markup('<td class="off"></td>')}


def _cells(cells: list[bool]) -> Markup:
    """A row of a mechanism's topic matrix (fixed markup): joined here, as a template loop
    over 50 rounds for each topic would take most of the page's time."""
    return Markup("").join(_CELL[bool(on)] for on in cells)


def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(TEMPLATES))
    env = t.env
    env.autoescape = True
    env.filters.update(when=_when, web_url=_web_url, pair=_pair, label=lambda v: (v or "").replace("_", " "),
                       segments=highlight.segments, snippet=highlight.snippet, cells=_cells,
                       quote=lambda v: quote(str(v), safe=""))
    env.globals.update(qs=query_string, event_types=EVENT_TYPES, version=__version__)
    return t


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context)


def _topics() -> list[str]:
    return sorted(lexicons.get().topics)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, conn: Conn) -> HTMLResponse:
    return render(request, "home.html", **queries.overview(conn))


@router.get("/relationships", response_class=HTMLResponse)
def relationships(request: Request, conn: Conn) -> HTMLResponse:
    return render(request, "relationships.html", relationships=query.relationships(conn))


@router.get("/relationships/{sides}", response_class=HTMLResponse)
def relationship(request: Request, conn: Conn, sides: str, filters: Filters, page: Page) -> HTMLResponse:
    parties = queries.parties_key(sides)
    if _pair(parties) != sides:  # one address per relationship: /relationships/TWN-USA
        return _redirect(request, f"/relationships/{_pair(parties)}")
    return render(request, "relationship.html", rel=queries.relationship(conn, parties), filters=filters,
                  chart=queries.chart_points(conn, parties=parties, **filters), topics=_topics(),
                  listing=queries.events_page(conn, page=page.page, per_page=page.per_page, parties=parties, **filters))


def _redirect(request: Request, path: str) -> HTMLResponse:
    target = path + (f"?{request.url.query}" if request.url.query else "")
    return HTMLResponse("", status_code=308, headers={"location": target})


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, conn: Conn, filters: Filters, page: Page) -> HTMLResponse:
    return render(request, "events.html", filters=filters, topics=_topics(), title="Events",
                  listing=queries.events_page(conn, page=page.page, per_page=page.per_page, **filters))


@router.get("/upcoming", response_class=HTMLResponse)
def upcoming(request: Request, conn: Conn, as_of: AsOf = None, recent_months: RecentMonths = query.RECENT_MONTHS,
             ) -> HTMLResponse:
    rows = query.upcoming(conn, today=as_of, recent_months=recent_months, limit=query.MAX_LIMIT)
    return render(request, "upcoming.html", dated=[r for r in rows if r["dated"]], undated=[r for r in rows if not r["dated"]],
                  today=as_of or date.today().isoformat(), recent_months=recent_months)


@router.get("/calendar", response_class=HTMLResponse)
def calendar_page(request: Request, conn: Conn) -> HTMLResponse:
    return render(request, "calendar.html", cal=queries.calendar(conn))


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event(request: Request, conn: Conn, event_id: EventId) -> HTMLResponse:
    return render(request, "event.html", ev=queries.event(conn, event_id), limit=queries.MAX_SHOWN_TEXT)


@router.get("/mechanisms", response_class=HTMLResponse)
def mechanisms(request: Request, conn: Conn) -> HTMLResponse:
    return render(request, "mechanisms.html", mechanisms=query.mechanism_list(conn))


@router.get("/mechanisms/{mechanism_id}", response_class=HTMLResponse)
def mechanism(request: Request, conn: Conn, mechanism_id: str) -> HTMLResponse:
    return render(request, "mechanism.html", m=queries.mechanism(conn, mechanism_id))


@router.get("/people", response_class=HTMLResponse)
def people(request: Request, conn: Conn, page: Page,
           country: Annotated[str | None, Query(max_length=TEXT)] = None,
           name: Annotated[str | None, Query(max_length=TEXT)] = None) -> HTMLResponse:
    rows = query.people_list(conn, country=country or None, name=name or None)
    return render(request, "people.html", rows=rows[page.offset:page.offset + page.per_page], total=len(rows),
                  page=page, country=country or "", name=name or "")


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person(request: Request, conn: Conn, person_id: str) -> HTMLResponse:
    return render(request, "person.html", p=query.person(conn, person_id))


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, conn: Conn, page: Page) -> HTMLResponse:
    return render(request, "documents.html", listing=queries.documents_page(conn, page=page.page, per_page=page.per_page))


PART = 20_000      # characters of a document's text on one page
MAX_MARKS = 4_000  # marks (pieces of evidence) highlighted in one part


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document(request: Request, conn: Conn, document_id: DocumentId, page: Page,
             view: Annotated[Literal["text", "raw", "extracted"], Query()] = "text",
             part: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Part of the text, from 1.")] = 1) -> HTMLResponse:
    """A document: the events it reports, page by page, and its text, part by part, with
    what was recognised in each part marked (so that no page grows with the document)."""
    doc = queries.document(conn, document_id)
    text = doc["text"][:queries.MAX_SHOWN_TEXT]
    parts = max(1, -(-len(text) // PART))
    part = min(part, parts)
    start, end = (part - 1) * PART, part * PART
    spans = [(max(a, start) - start, min(b, end) - start, label, ev) for a, b, label, ev in doc["spans"] if a < end and b > start]
    extracted = json.dumps(doc["extraction"], ensure_ascii=False, indent=2)[:queries.MAX_SHOWN_TEXT * 2] if view == "extracted" else ""
    return render(request, "document.html", doc=doc, view=view, limit=queries.MAX_SHOWN_TEXT, extracted=extracted,
                  text=text[start:end], spans=spans[:MAX_MARKS], spans_cut=len(spans) > MAX_MARKS, part=part,
                  parts=parts, page=page)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, conn: Conn, filters: Filters, page: SearchPage,
           q: Annotated[str, Query(max_length=query.MAX_QUERY)] = "",
           scope: Annotated[Literal["events", "documents"], Query()] = "events") -> HTMLResponse:
    result: dict[str, Any] | None = None
    docs: list[dict[str, Any]] | None = None
    if q.strip() and scope == "events":
        result = query.search_page(conn, q, page=page.page, per_page=page.per_page, marks=str, **filters)
    elif q.strip():
        docs = query.search_documents(conn, q, limit=100, marks=str)
    facets = _facet_links(q, filters, result["facets"]) if result else {}
    return render(request, "search.html", q=q, scope=scope, filters=filters, result=result, docs=docs, page=page,
                  facets=facets)


_FACET_FILTER = {"type": "type_", "country": "country", "mechanism": "mechanism", "topic": "topic"}


def _facet_links(q: str, filters: dict[str, Any], facets: dict[str, list[tuple[str, str, int]]]) -> dict[str, list[dict[str, Any]]]:
    """Each facet value with the query string that adds it to the search, or, for a value
    already chosen, removes it."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, values in facets.items():
        entries = []
        for value, label, n in values:
            changed: dict[str, str | None]
            if name == "year":
                on = filters["since"] == filters["until"] == value
                changed = {"since": None, "until": None} if on else {"since": value, "until": value}
            else:
                key = _FACET_FILTER[name]
                on = filters.get(key) == value
                changed = {key: None if on else value}
            entries.append({"label": label, "n": n, "on": on, "query": query_string({**filters, **changed}, q=q)})
        out[name] = entries
    return out


@router.get("/feeds/events.atom")
def feed(request: Request, conn: Conn) -> Response:
    return _atom(request, conn, None, "tradetalks: new events")


@router.get("/feeds/relationships/{sides}.atom")
def relationship_feed(request: Request, conn: Conn, sides: str) -> Response:
    parties = queries.parties_key(sides)
    return _atom(request, conn, parties, f"tradetalks: new events, {' – '.join(parties.split())}")


def _atom(request: Request, conn: Connection, parties: str | None, title: str) -> Response:
    """A feed whose links start with the server's public URL (--public-url), or are
    relative to the feed: never built from the request's Host header, as the feed is kept
    and served to every subscriber."""
    site = request.app.state.public_url or ""
    body = to_atom(queries.new_events(conn, limit=FEED_ENTRIES, parties=parties), title=title,
                   feed_url=site + request.url.path, site_url=site + "/")  # entries link to site_url + /events/N
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/calendar/planned.ics")
def calendar(conn: Conn, filters: Filters) -> Response:
    """Every planned event dated to the day (the filters narrow them), to subscribe to in a
    calendar; those dated to the month only are listed on /calendar."""
    filters = {**filters, "status": "planned"}
    recs = export.records(conn, query.filtered(conn, **filters), evidence=False)
    body, _ = export.to_ics(recs, name="tradetalks: planned events")
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"content-disposition": 'inline; filename="tradetalks-planned.ics"'})
