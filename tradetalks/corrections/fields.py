"""The fields of a record an analyst can set or clear, what a value given as text means
for each (checked: an event type, a status, a mechanism the record knows, a round, a date,
a place, a country, sides, topics), and a record's JSON and columns with the values set.
Plain functions over data, but for the record's mechanisms, which a name is looked up in."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.engine import Connection

from tradetalks import lexicons
from tradetalks.errors import QueryError
from tradetalks.link.fields import sort_date
from tradetalks.models import EVENT_TYPES
from tradetalks.query import check_date, country_code, resolve_mechanism
from tradetalks.store import lookup

FIELDS = ("type", "status", "mechanism", "round", "start", "end", "place", "country", "parties", "topics")
REQUIRED = ("type", "status")   # a record has these always: they can be set, not cleared
MAX_TEXT = 200
CORRECTED = "corrected"         # the record's JSON key: field -> the correction that set it


def check_field(name: str) -> str:
    if name not in FIELDS:
        raise QueryError(f"{name!r} is not a field of a record; use one of: {', '.join(FIELDS)}")
    return name


def _list(text: str) -> list[str]:
    return [x for x in re.split(r"[\s,;]+", text.strip()) if x]


def parse(conn: Connection, name: str, text: str) -> Any:
    """A value given as text, as the record holds it; a QueryError says what to give."""
    check_field(name)
    text = text.strip()
    if not text:
        raise QueryError(f"no value for {name}; give one, or clear the field instead")
    if name == "type":
        if text not in EVENT_TYPES:
            raise QueryError(f"{text!r} is not an event type; use one of: {', '.join(EVENT_TYPES)}")
        return text
    if name == "status":
        if text not in ("held", "planned"):
            raise QueryError(f"{text!r} is not a status; use held or planned")
        return text
    if name == "mechanism":
        mid = resolve_mechanism(conn, text)
        row = lookup.mechanism(conn, mid)
        return {"id": mid, "name": row["name"] if row else text}
    if name == "round":
        if not text.isdigit() or not 1 <= int(text) <= 999:
            raise QueryError(f"round {text!r} is not a number; give a whole number from 1 to 999")
        return int(text)
    if name in ("start", "end"):
        return check_date(text, name)
    if name == "place":
        if len(text) > MAX_TEXT or any(ord(c) < 32 for c in text):
            raise QueryError(f"a place is one line of at most {MAX_TEXT} characters")
        return text
    if name == "country":
        return country_code(text)
    if name == "parties":
        return sorted({country_code(c) for c in _list(text)})
    topics = sorted(set(_list(text)))
    for t in topics:
        lexicons.get().topic(t)
    return topics


def value_of(rec: dict[str, Any], mechanism_id: str | None, name: str) -> Any:
    """A field's value in a record's JSON (the mechanism as its id and name)."""
    loc = rec.get("location") or {}
    if name == "mechanism":
        return {"id": mechanism_id, "name": rec.get("mechanism")} if rec.get("mechanism") or mechanism_id else None
    if name in ("place", "country"):
        return loc.get(name)
    if name in ("parties", "topics"):
        return list(rec.get(name) or [])
    return rec.get(name)


def with_value(rec: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    """A record's JSON with one field set (None: cleared)."""
    rec = dict(rec)
    if name == "mechanism":
        rec["mechanism"] = value["name"] if value else None
        rec["mechanism_id"] = value["id"] if value else None
    elif name in ("place", "country"):
        loc = dict(rec.get("location") or {})
        loc[name] = value
        if name == "place" and value is None and not loc.get("country"):
            loc = {}
        rec["location"] = loc or None
    elif name in ("parties", "topics"):
        rec[name] = list(value or [])
    else:
        rec[name] = value
    return rec


def display(value: Any) -> str:
    """A value as a line of text (a mechanism by its name, lists joined)."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("name") or value.get("id") or "")
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


def columns(rec: dict[str, Any], row: Any) -> dict[str, Any]:
    """The columns of an event's row that follow from its (corrected) JSON."""
    loc = rec.get("location") or {}
    mechanism_id = rec["mechanism_id"] if "mechanism_id" in rec else row["mechanism_id"]
    return {"type": rec["type"], "status": rec["status"], "mechanism_id": mechanism_id, "mechanism": rec.get("mechanism"),
            "round": rec.get("round"), "start": rec.get("start"), "end": rec.get("end"), "place": loc.get("place"),
            "country": loc.get("country"), "parties": " ".join(rec.get("parties") or []),
            "sort_date": sort_date(rec, row["first_report"])}
