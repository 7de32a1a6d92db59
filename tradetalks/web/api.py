"""The JSON API: everything the pages show, paginated and filterable; listings also as
complete CSV or JSON downloads (`?download=csv|json`); and, with a token, ingest."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager
from datetime import date
from typing import Annotated, Any, Literal, cast

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.engine import Connection

from tradetalks import output, query
from tradetalks.errors import Forbidden, InputError, QueryError, Unauthorized
from tradetalks.store import Store
from tradetalks.web import highlight, queries
from tradetalks.web.params import TEXT, DocumentId, EventId, Paging, event_filters, paging, search_paging


class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="bad_request, unauthorized, forbidden, not_found, too_large, timeout, ...")
    message: str = Field(description="What went wrong and how to fix it, in one line.")


class ErrorResponse(BaseModel):
    """The one shape of every error the API returns."""
    error: ErrorDetail


router = APIRouter(prefix="/api", tags=["api"], responses={
    400: {"model": ErrorResponse, "description": "A parameter is not valid; the message says what to give"},
    404: {"model": ErrorResponse, "description": "Nothing with that id"},
    504: {"model": ErrorResponse, "description": "The request took too long"},
})
Download = Annotated[Literal["csv", "json"] | None, Query(description="The whole listing (up to 10,000 rows) as a file.")]


class _Reader:
    """A read connection to the record, opened on first use: in the thread that runs the
    endpoint, so that a request costs one hop to the thread pool, not three."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._opened: AbstractContextManager[Connection] | None = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        if self._conn is None:
            self._opened = self._store.read()
            self._conn = self._opened.__enter__()
        return getattr(self._conn, name)

    def close(self) -> None:
        with self._lock:
            if self._opened is not None:
                self._opened.__exit__(None, None, None)
                self._opened = self._conn = None

    def cancel(self) -> None:
        """Stop the statement under way, from another thread (the request's deadline):
        SQLite's interrupt, PostgreSQL's cancel request; never on a connection already
        given back to the pool."""
        with self._lock:
            if self._conn is None:
                return
            dbapi = self._conn.connection.dbapi_connection
            stop = getattr(dbapi, "interrupt", None) or getattr(dbapi, "cancel", None)
            if stop is not None:
                stop()


async def connection(request: Request) -> AsyncIterator[Connection]:
    reader = _Reader(request.app.state.store)
    request.state.cancel = reader.cancel  # what the guard calls when the request runs out of time
    try:
        yield cast(Connection, reader)
    finally:
        reader.close()


Conn = Annotated[Connection, Depends(connection)]
Filters = Annotated[dict[str, Any], Depends(event_filters)]
Page = Annotated[Paging, Depends(paging)]
SearchPage = Annotated[Paging, Depends(search_paging)]


def as_file(rows: list[dict[str, Any]], fmt: str, name: str) -> Response:
    """A listing as a file: CSV (lists joined with "; ") or a JSON array."""
    if fmt == "json":
        body, media = json.dumps(rows, ensure_ascii=False, indent=1), "application/json"
    else:
        body, media = output.csv_text(rows), "text/csv; charset=utf-8"
    return Response(body, media_type=media, headers={"content-disposition": f'attachment; filename="{name}.{fmt}"'})


def listing(rows: list[dict[str, Any]], page: Paging, dl: str | None, name: str) -> Any:
    """A listing known in full: one page of it, or all of it as a download."""
    if dl:
        return as_file(rows[:query.MAX_LIMIT], dl, name)
    return {"items": rows[page.offset:page.offset + page.per_page], "total": len(rows), "page": page.page,
            "per_page": page.per_page}


def _events(conn: Connection, filters: dict[str, Any], page: Paging, dl: str | None, name: str, *,
            parties: str | None = None, newest_first: bool = False) -> Any:
    if dl:
        q = query.filtered(conn, parties=parties, **filters)
        return as_file(query.event_rows(conn, q, query.MAX_LIMIT, newest_first=newest_first), dl, name)
    return queries.events_page(conn, page=page.page, per_page=page.per_page, newest_first=newest_first, parties=parties, **filters)


@router.get("/overview", summary="The record's size, newest events, upcoming events, relationships")
def overview(conn: Conn) -> dict[str, Any]:
    return queries.overview(conn)


@router.get("/events", summary="Events in date order, filtered and paginated")
def events(conn: Conn, filters: Filters, page: Page, download: Download = None,
           order: Annotated[Literal["date", "newest"], Query(description="date: oldest first; newest: newest first.")] = "date",
           ) -> Any:
    return _events(conn, filters, page, download, "events", newest_first=order == "newest")


@router.get("/events/{event_id}", summary="One event: every field, each source and the sentences behind each field")
def event(conn: Conn, event_id: EventId) -> dict[str, Any]:
    return query.show(conn, event_id)


AsOf = Annotated[str | None, Query(max_length=10, description="The day to look ahead from (YYYY-MM-DD; default: today).")]
RecentMonths = Annotated[int, Query(ge=0, le=1200, description="Plans not dated yet are listed while announced this many "
                                                                "months ago or less.")]


@router.get("/upcoming", summary="Planned events still ahead (soonest first), then recent plans not dated yet")
def upcoming(conn: Conn, filters: Filters, page: Page, download: Download = None, as_of: AsOf = None,
             recent_months: RecentMonths = query.RECENT_MONTHS) -> Any:
    filters = {k: v for k, v in filters.items() if k in ("between", "mechanism", "country", "topic", "type_")}
    rows = query.upcoming(conn, today=as_of, recent_months=recent_months, limit=query.MAX_LIMIT, **filters)
    return listing(rows, page, download, "upcoming")


@router.get("/relationships", summary="The sets of sides the record follows, with their number of events")
def relationships(conn: Conn, page: Page, download: Download = None) -> Any:
    return listing(query.relationships(conn), page, download, "relationships")


@router.get("/relationships/{sides}", summary="A relationship: summary and chart points (sides as USA-TWN)")
def relationship(conn: Conn, sides: str, filters: Filters) -> dict[str, Any]:
    parties = queries.parties_key(sides)
    return {**queries.relationship(conn, parties), "chart": queries.chart_points(conn, parties=parties, **filters)}


@router.get("/relationships/{sides}/events", summary="A relationship's events, filtered and paginated")
def relationship_events(conn: Conn, sides: str, filters: Filters, page: Page, download: Download = None) -> Any:
    parties = queries.parties_key(sides)
    return _events(conn, filters, page, download, "relationship-" + parties.replace(" ", "-"), parties=parties)


@router.get("/mechanisms", summary="Dialogues, initiatives and working groups")
def mechanisms(conn: Conn, page: Page, download: Download = None) -> Any:
    return listing(query.mechanism_list(conn), page, download, "mechanisms")


@router.get("/mechanisms/{mechanism_id}", summary="A mechanism: rounds, leads by side, topic matrix, outcomes, sources")
def mechanism(conn: Conn, mechanism_id: str) -> dict[str, Any]:
    return queries.mechanism(conn, mechanism_id)


@router.get("/people", summary="Officials: side, latest title, number of events")
def people(conn: Conn, page: Page, download: Download = None,
           country: Annotated[str | None, Query(max_length=TEXT, description="Only this side, e.g. TWN.")] = None,
           name: Annotated[str | None, Query(max_length=TEXT, description="Only names containing this.")] = None) -> Any:
    return listing(query.people_list(conn, country=country or None, name=name or None), page, download, "people")


@router.get("/people/{person_id}", summary="A person: name variants, titles over time, events")
def person(conn: Conn, person_id: str) -> dict[str, Any]:
    return query.person(conn, person_id)


@router.get("/documents", summary="Stored documents, newest first")
def documents(conn: Conn, page: Page, download: Download = None) -> Any:
    if download:
        return as_file(queries.documents_page(conn, page=1, per_page=query.MAX_LIMIT)["items"], download, "documents")
    return queries.documents_page(conn, page=page.page, per_page=page.per_page)


@router.get("/documents/{document_id}", summary="A document: metadata, cleaned text, extraction, events")
def document(conn: Conn, document_id: DocumentId,
             raw: Annotated[bool, Query(description="Include the raw input as stored.")] = False) -> dict[str, Any]:
    doc = queries.document(conn, document_id)
    doc.pop("spans")
    if not raw:
        doc.pop("raw")
    return doc


@router.get("/search", summary="Full-text search over events (with facets) or documents")
def search(conn: Conn, filters: Filters, page: SearchPage,
           q: Annotated[str, Query(min_length=1, max_length=query.MAX_QUERY, description='Words; "quoted words" as a phrase.')],
           scope: Annotated[Literal["events", "documents"], Query(description="What to search.")] = "events",
           download: Download = None) -> Any:
    if scope == "documents":
        rows = query.search_documents(conn, q, limit=min(page.page * page.per_page, query.MAX_LIMIT), marks=str)
        return listing([_highlighted(r) for r in rows], page, download, "search-documents")
    if download:
        return as_file([_highlighted(r) for r in query.search(conn, q, limit=query.FACET_HITS, marks=str, **filters)],
                       download, "search")
    found = query.search_page(conn, q, page=page.page, per_page=page.per_page, marks=str, **filters)
    return {**found, "items": [_highlighted(r) for r in found["items"]]}


def _highlighted(row: dict[str, Any]) -> dict[str, Any]:
    """A search hit with its snippet as plain text and the matched words as [start, end]
    offsets into it."""
    text, spans = "", []
    for seg in highlight.snippet(row["snippet"]):
        if seg.marked:
            spans.append([len(text), len(text) + len(seg.text)])
        text += seg.text
    return {**row, "snippet": text, "highlights": spans}


class NewDocument(BaseModel):
    """A document to ingest: its text, or a URL to fetch."""
    text: str | None = Field(None, description="The document as text, Markdown or HTML (at most 10 MB).")
    url: str | None = Field(None, max_length=2000, description="A page (or feed) to fetch instead.")
    source: str | None = Field(None, max_length=500, description="A name for the text, e.g. its URL or file name.")
    published: str | None = Field(None, description="Publication date (YYYY-MM-DD) for a text that gives none.")


def _authorized(request: Request) -> None:
    token = request.app.state.token
    if not token:
        raise Forbidden("ingesting over the API is off; start the server with --token or set TRADETALKS_TOKEN")
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise Unauthorized("a valid token is needed: send the header 'Authorization: Bearer <token>'")


@router.post("/documents", status_code=201, summary="Ingest a document (needs the server's token)",
             responses={401: {"description": "No or wrong token"}, 403: {"description": "Ingest is off"}})
def ingest_document(request: Request, doc: NewDocument) -> JSONResponse:
    """Ingest within the request's time: the extraction gets what is left of it (at most
    the server's budget), and once the client was answered 504, nothing is committed."""
    from tradetalks.clean.decode import decode_noted
    from tradetalks.ingest import ingest, ingest_text
    from tradetalks.sources.fetch import Fetcher

    _authorized(request)
    state, app = request.state, request.app.state
    gate, deadline = getattr(state, "gate", None), getattr(state, "deadline", time.monotonic() + app.budget)
    budget = max(0.1, min(app.budget, deadline - time.monotonic() - 0.5))
    store = request.app.state.store
    if bool(doc.text) == bool(doc.url):
        raise InputError("give either 'text' (the document) or 'url' (a page to fetch), not both or neither")
    for name in ("text", "url", "source", "published"):
        _encodable(name, getattr(doc, name))
    if doc.published is not None:
        try:
            date.fromisoformat(doc.published)
        except ValueError:
            raise QueryError(f"published {doc.published!r} is not a date; give YYYY-MM-DD") from None
    if doc.url:
        if not doc.url.startswith(("http://", "https://")):
            raise InputError(f"{doc.url!r} is not a web address; give an http:// or https:// URL")
        fetcher = Fetcher(allow_private=app.allow_private, total=max(1.0, deadline - time.monotonic() - 1.0))
        try:
            summary = ingest(store, [(doc.url, "auto")], fetcher=fetcher, published=doc.published, progress=False,
                             budget=budget, extractor=app.extractor, gate=gate)
        finally:
            fetcher.close()
        source = doc.url
    else:
        text = doc.text or ""
        source = doc.source or f"api:{hashlib.sha256(text.encode()).hexdigest()[:12]}"
        raw, notes = decode_noted(text.encode("utf-8"), source)
        summary = ingest_text(store, raw, source, published=doc.published, budget=budget, extractor=app.extractor,
                              gate=gate, notes=notes)
    body = {"source": source, "added": summary.added, "updated": summary.updated, "unchanged": summary.unchanged,
            "near_duplicates": summary.duplicates, "events": summary.reports, "new_events": summary.new_events,
            "failed": [why for _, why in summary.failed], "skipped": [why for _, why in summary.skipped],
            "notes": summary.notes}
    status = 201 if summary.added or summary.duplicates else 200
    if summary.failed and not (summary.added or summary.updated or summary.duplicates):
        status = 422
    return JSONResponse(body, status_code=status)


def _encodable(name: str, value: str | None) -> None:
    """Text that JSON can carry but no UTF-8 can (a lone surrogate, '\\ud800') is a 400."""
    if value is None:
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"'{name}' holds a lone surrogate (U+{ord(value[exc.start]):04X} at character {exc.start}), "
                         "which is not text; send it as valid Unicode (UTF-8)") from None
