"""The query parameters that pages and API calls share: event filters and paging, checked
once, so that a bad value is a 400 that says what to give instead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Path, Query

from tradetalks.errors import QueryError
from tradetalks.models import EVENT_TYPES

MAX_PER_PAGE = 500
MAX_PAGE = 10_000
TEXT = 200  # characters of a filter value
MAX_ID = 2**63 - 1  # the largest id a database column holds; a larger one is a 400, not an overflow
EventId = Annotated[int, Path(ge=1, le=MAX_ID, description="The event's id.")]
DocumentId = Annotated[int, Path(ge=1, le=MAX_ID, description="The document's id.")]


@dataclass
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def paging(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="Items per page.")] = 50,
) -> Paging:
    return Paging(page, per_page)


def search_paging(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="Matches per page.")] = 20,
) -> Paging:
    return Paging(page, per_page)


def event_filters(
    type: Annotated[str | None, Query(max_length=TEXT, description="Event type: " + ", ".join(EVENT_TYPES) + ".")] = None,
    status: Annotated[str | None, Query(max_length=TEXT, description="held or planned.")] = None,
    mechanism: Annotated[str | None, Query(max_length=TEXT, description="A mechanism's id, name or acronym.")] = None,
    topic: Annotated[str | None, Query(max_length=TEXT, description="A topic code, e.g. critical_minerals.")] = None,
    country: Annotated[str | None, Query(max_length=TEXT, description="Events with this side (ISO alpha-3, e.g. CHN).")] = None,
    between: Annotated[str | None, Query(max_length=TEXT, description="Events with all these sides, e.g. USA-TWN.")] = None,
    since: Annotated[str | None, Query(max_length=10, description="From this date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(max_length=10, description="Up to this date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200, description="Events of this year.")] = None,
    person: Annotated[str | None, Query(max_length=TEXT, description="Events this person (by id) took part in.")] = None,
) -> dict[str, Any]:
    """The filters of `tradetalks.query.filtered`, from a request's query string. Empty
    values (an unset select in a form) count as absent."""
    type_, status = type or None, status or None
    if type_ is not None and type_ not in EVENT_TYPES:
        raise QueryError(f"type {type_!r} is not an event type; use one of: {', '.join(EVENT_TYPES)}")
    if status is not None and status not in ("held", "planned"):
        raise QueryError(f"status {status!r} is not a status; use held or planned")
    if year is not None:
        if since or until:
            raise QueryError("give either year or since/until, not both")
        since = until = str(year)
    sides = [c for c in (between or "").replace(",", " ").replace("-", " ").split() if c]
    return {"type_": type_, "status": status, "mechanism": mechanism or None, "topic": topic or None,
            "country": country or None, "between": sides or None, "since": since or None, "until": until or None,
            "person": person or None}


def query_string(filters: dict[str, Any], **extra: Any) -> str:
    """Filters (as `event_filters` gives them) and extra parameters back as a query string,
    for links to other pages and downloads of the same listing."""
    names = {"type_": "type", "between": "between"}
    pairs: list[tuple[str, str]] = []
    for key, value in {**filters, **extra}.items():
        if value in (None, "", []):
            continue
        if key == "between":
            value = "-".join(value)
        pairs.append((names.get(key, key), str(value)))
    return urlencode(pairs)
