"""The record's statements about events as linking writes them: find the candidate events
a report may be of, add an event, attach reports to events, read an event's reports,
detach and delete, and save the fields an event is reconciled to, with its side tables
(parties, topics, people, organizations, search text).

Functions named ``send_*`` send a look-up without waiting for it (PostgreSQL's pipeline,
see :mod:`tradetalks.store.cursor`); :func:`read` reads its rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy.engine import Connection

from tradetalks.store import cursor
from tradetalks.store.documents import add_row

read = cursor.fetch

SIDE_TABLES = ("event_parties", "event_topics", "event_people", "event_orgs", "event_text")
CANDIDATES = 200  # the newest stored events a report is compared with, at most

_SOURCES_OF = "SELECT event_id, data, published FROM event_sources WHERE event_id IN :ids ORDER BY event_id, published, id"
_SAVE_FIELDS = ('UPDATE events SET type = :type, status = :status, mechanism_id = :mechanism_id, mechanism = :mechanism, '
                '"round" = :round, start = :start, "end" = :end, place = :place, country = :country, parties = :parties, '
                "sort_date = :sort_date, data = :data, n_sources = :n_sources, people_keys = :people_keys, "
                "first_report = :first_report, last_report = :last_report, updated_at = :updated_at WHERE id = :eid")


@dataclass(frozen=True)
class Wanted:
    """Which stored events a report may be of: of these types, of this mechanism (or of
    none and these sides) or, without a mechanism, of these sides; optionally within the
    years `since`..`until`, of the same round (or none), and overlapping these days (or
    without an exact day)."""

    types: tuple[str, ...]
    parties: str
    mechanism_id: str | None = None
    since: str | None = None       # "YYYY"
    until: str | None = None       # "YYYY-12-31"
    round: int | None = None
    days: tuple[str, str] | None = None  # (first day, last day)


@lru_cache(maxsize=32)
def _candidates_sql(by_mech: bool, dated: bool, by_round: bool, by_day: bool) -> str:
    rest = ["type IN :family"]
    if by_round:
        rest.append('("round" IS NULL OR "round" = :round)')
    if by_day:
        rest.append('(start IS NULL OR length(start) < 10 OR (start <= :day_end AND coalesce("end", start) >= :day_start))')
    # One branch per index range (of a mechanism, or of sides without one; in the years, or
    # dated by nothing at all), so that each is read as a range of its index.
    whose = ["mechanism_id = :mech", "mechanism_id IS NULL AND parties = :parties"] if by_mech else ["parties = :parties"]
    when = ["sort_date >= :lo AND sort_date <= :hi", "sort_date = ''"] if dated else ["1 = 1"]
    cols = ('id, type, status, mechanism_id, "round", start, "end", place, parties, sort_date, people_keys, '
            "first_report, last_report")
    branches = [f"SELECT {cols} FROM events WHERE {' AND '.join([w, d, *rest])}" for w in whose for d in when]
    return f"SELECT * FROM ({' UNION ALL '.join(branches)}) AS c ORDER BY sort_date DESC LIMIT {CANDIDATES}"


def send_candidates(conn: Connection, wanted: Wanted) -> Any:
    """Sends the look-up of the stored events that may be a report's, newest first: rows
    (id, type, status, mechanism_id, round, start, end, place, parties, sort_date,
    people_keys, first_report, last_report). Each look-up is one of a few statements,
    which the server plans once and reuses."""
    params: dict[str, Any] = {"family": list(wanted.types), "parties": wanted.parties}
    if wanted.mechanism_id:
        params["mech"] = wanted.mechanism_id
    if wanted.since:
        params.update(lo=wanted.since, hi=wanted.until)
    if wanted.round:
        params["round"] = wanted.round
    if wanted.days:
        params.update(day_start=wanted.days[0], day_end=wanted.days[1])
    sql = _candidates_sql(bool(wanted.mechanism_id), bool(wanted.since), bool(wanted.round), bool(wanted.days))
    return cursor.execute(conn, sql, params)


def add_event(conn: Connection, values: dict[str, Any], ids: list[int] | None) -> int:
    """Add an event (the columns of `events` but its id); returns its id, one of `ids`
    when ids were drawn beforehand."""
    return add_row(conn, "events", values, ids)


def attach_reports(conn: Connection, reports: list[dict[str, Any]]) -> None:
    """Attach reports to events: rows of `event_sources` (event_id, document_id,
    position, published, data)."""
    cursor.insert_many(conn, "event_sources", reports)


def reports_of_events(conn: Connection, event_ids: list[int]) -> list[tuple[int, str, str | None]]:
    """The reports of these events: rows (event id, event JSON, published), by event and
    in the order they were published."""
    return cursor.rows(conn, _SOURCES_OF, {"ids": event_ids}) if event_ids else []


_TO_REGROUP = ("SELECT id, event_id, document_id, published, data FROM event_sources WHERE event_id IN :ids AND position >= 0 "
               "ORDER BY id")


def reports_to_regroup(conn: Connection, event_ids: list[int]) -> list[tuple[int, int, int, str | None, str]]:
    """The current reports of these events, to decide their grouping again: rows (report
    id, event id, document id, published, event JSON); a document's reports retired by a
    new version (see documents.retire_reports) are left out."""
    return cursor.rows(conn, _TO_REGROUP, {"ids": event_ids}) if event_ids else []


def move_reports(conn: Connection, moves: list[tuple[int, int]]) -> None:
    """Attach reports to other events: pairs (report id, event id)."""
    cursor.many(conn, "UPDATE event_sources SET event_id = :e WHERE id = :s", [{"s": s, "e": e} for s, e in moves])


def document_order(conn: Connection, doc_id: int) -> tuple[str | None, str] | None:
    """A stored document's date and content hash (which of two copies of one story holds
    its reports, see link.document), or None when it is not stored."""
    found = cursor.rows(conn, "SELECT published, content_hash FROM documents WHERE id = :i", {"i": doc_id})
    return (found[0][0], found[0][1]) if found else None


def make_copy(conn: Connection, doc_id: int, original: int, similarity: float) -> None:
    """A stored document becomes a copy of another (which now holds the story's reports),
    and so do the copies it had; its bands go (copies are not looked up)."""
    cursor.execute(conn, "UPDATE documents SET duplicate_of = :o WHERE duplicate_of = :d", {"o": original, "d": doc_id}).close()
    cursor.execute(conn, "UPDATE documents SET duplicate_of = :o, similarity = :s WHERE id = :d",
                   {"o": original, "s": f"{similarity:.2f}", "d": doc_id}).close()
    cursor.execute(conn, "DELETE FROM doc_bands WHERE document_id = :d", {"d": doc_id}).close()


def detach_document(conn: Connection, doc_id: int) -> set[int]:
    """Remove every report of a document; returns the events they were of."""
    affected = {r[0] for r in cursor.rows(conn, "SELECT event_id FROM event_sources WHERE document_id = :d", {"d": doc_id})}
    cursor.execute(conn, "DELETE FROM event_sources WHERE document_id = :d", {"d": doc_id}).close()
    return affected


def detach_reports(conn: Connection, report_ids: Iterable[int]) -> set[int]:
    """Remove these reports; returns the events they were of."""
    ids = list(report_ids)
    affected = {r[0] for r in cursor.rows(conn, "SELECT event_id FROM event_sources WHERE id IN :ids", {"ids": ids})}
    cursor.execute(conn, "DELETE FROM event_sources WHERE id IN :ids", {"ids": ids}).close()
    return affected


def reported(conn: Connection, event_ids: Iterable[int]) -> set[int]:
    """Of these events, those that still have a report."""
    ids = list(event_ids)
    if not ids:
        return set()
    return {r[0] for r in cursor.rows(conn, "SELECT DISTINCT event_id FROM event_sources WHERE event_id IN :ids", {"ids": ids})}


def delete_events(conn: Connection, event_ids: Iterable[int]) -> None:
    cursor.execute(conn, "DELETE FROM events WHERE id IN :ids", {"ids": list(event_ids)}).close()


def clear_side_rows(conn: Connection, event_ids: list[int]) -> None:
    """Remove the side rows (parties, topics, people, organizations, search text) of
    these events, before they are written again."""
    for table in SIDE_TABLES:
        cursor.execute(conn, f"DELETE FROM {table} WHERE event_id IN :ids", {"ids": event_ids}).close()


def set_search_texts(conn: Connection, bodies: dict[int, str]) -> None:
    """Replace events' search text (their index follows: triggers, generated columns)."""
    cursor.many(conn, "UPDATE event_text SET body = :b WHERE event_id = :e", [{"b": b, "e": e} for e, b in bodies.items()])


def save_fields(conn: Connection, fields: list[dict[str, Any]]) -> None:
    """Save the reconciled fields of events: dicts of the columns of `events` set after
    linking, and `eid`, the event's id."""
    cursor.many(conn, _SAVE_FIELDS, fields)


def add_side_rows(conn: Connection, side: dict[str, list[dict[str, Any]]]) -> None:
    """Add rows of the side tables, by table (one of SIDE_TABLES)."""
    for table in SIDE_TABLES:
        cursor.insert_many(conn, table, side.get(table, []))
