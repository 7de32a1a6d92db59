"""The record's statements about the registry: look up and add mechanisms, people (with
their aliases and titles) and organizations, and the ids already taken."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from tradetalks.store import cursor

_IDS_LIKE = "SELECT id FROM {table} WHERE id = :base OR id LIKE :pattern"
_ALIASES = {"mechanisms": ("mechanism_aliases", "mechanism_id"), "people": ("person_aliases", "person_id")}
_ALIAS_KNOWN = {k: f"SELECT 1 FROM {t} WHERE {c} = :i AND alias = :a" for k, (t, c) in _ALIASES.items()}
_ALIAS_ADD = {k: f"INSERT INTO {t} ({c}, alias) VALUES (:i, :a)" for k, (t, c) in _ALIASES.items()}
_MECHANISMS_BY_KEY = 'SELECT id, name, parties FROM mechanisms WHERE "key" = :k'
_PEOPLE_BY_KEY = 'SELECT id, name, country FROM people WHERE "key" = :k'
_PEOPLE_BY_WORD = "SELECT id, name, country FROM people WHERE (' ' || \"key\" || ' ') LIKE :w"
_TITLE = "SELECT first_seen, last_seen FROM person_titles WHERE person_id = :i AND title = :t"
_ORG = "SELECT id FROM organizations WHERE name = :n"


def ids_taken(conn: Connection, table: str, base: str) -> set[str]:
    """The ids of `table` (mechanisms, people or organizations) that are `base` or
    `base` followed by "-" and more."""
    return {r[0] for r in cursor.rows(conn, _IDS_LIKE.format(table=table), {"base": base, "pattern": base + "-%"})}


def has_alias(conn: Connection, table: str, owner: str, alias: str) -> bool:
    """Whether a mechanism (table "mechanisms") or person ("people") has this alias."""
    return bool(cursor.rows(conn, _ALIAS_KNOWN[table], {"i": owner, "a": alias}))


def add_alias(conn: Connection, table: str, owner: str, alias: str) -> None:
    cursor.execute(conn, _ALIAS_ADD[table], {"i": owner, "a": alias}).close()


def mechanisms_with_key(conn: Connection, key: str) -> list[tuple[str, str, str]]:
    """The mechanisms known by this name after their country prefix: rows (id, name, parties)."""
    return cursor.rows(conn, _MECHANISMS_BY_KEY, {"k": key})


def add_mechanism(conn: Connection, values: dict[str, Any]) -> None:
    """Add a mechanism: the columns of `mechanisms` (id, name, key, parties, acronyms, created_at)."""
    cursor.insert(conn, "mechanisms", values, returning=None)


def rename_mechanism(conn: Connection, mechanism_id: str, name: str) -> None:
    cursor.execute(conn, "UPDATE mechanisms SET name = :n WHERE id = :i", {"n": name, "i": mechanism_id}).close()


_MECHANISM_COPY = ("INSERT INTO mechanisms (id, name, \"key\", parties, acronyms, created_at) "
                   "SELECT :new, :name, \"key\", parties, acronyms, created_at FROM mechanisms WHERE id = :old")
_MECHANISM_REPORTS = ("SELECT s.id, s.data FROM event_sources s JOIN events e ON e.id = s.event_id "
                      "WHERE e.mechanism_id = :m ORDER BY s.id")


def repoint_mechanism(conn: Connection, old: str, new: str, name: str) -> list[tuple[int, str]]:
    """Give a mechanism another id (and name): its aliases and events follow. Returns its
    events' reports (report id, event JSON), whose JSON still holds the old id."""
    cursor.execute(conn, _MECHANISM_COPY, {"new": new, "name": name, "old": old}).close()
    for table in ("mechanism_aliases", "events"):
        cursor.execute(conn, f"UPDATE {table} SET mechanism_id = :new WHERE mechanism_id = :old", {"new": new, "old": old}).close()
    cursor.execute(conn, "DELETE FROM mechanisms WHERE id = :old", {"old": old}).close()
    return cursor.rows(conn, _MECHANISM_REPORTS, {"m": new})


def set_reports_data(conn: Connection, rows: list[tuple[int, str]]) -> None:
    """Save reports' event JSON: pairs (report id, JSON)."""
    cursor.many(conn, "UPDATE event_sources SET data = :d WHERE id = :i", [{"i": i, "d": d} for i, d in rows])


def people_with_key(conn: Connection, key: str) -> list[tuple[str, str, str | None]]:
    """The people whose folded name is `key`: rows (id, name, country)."""
    return cursor.rows(conn, _PEOPLE_BY_KEY, {"k": key})


def people_with_word(conn: Connection, word: str) -> list[tuple[str, str, str | None]]:
    """The people with this word (folded) in their name: rows (id, name, country)."""
    return cursor.rows(conn, _PEOPLE_BY_WORD, {"w": f"% {word} %"})


def add_person(conn: Connection, values: dict[str, Any]) -> None:
    """Add a person: the columns of `people` (id, name, key, country, created_at)."""
    cursor.insert(conn, "people", values, returning=None)


def rename_person(conn: Connection, person_id: str, name: str) -> None:
    cursor.execute(conn, "UPDATE people SET name = :n WHERE id = :i", {"n": name, "i": person_id}).close()


def rename_entry(conn: Connection, table: str, entry_id: str, name: str) -> None:
    """Rename a mechanism ("mechanisms") or a person ("people")."""
    (rename_mechanism if table == "mechanisms" else rename_person)(conn, entry_id, name)


def set_person_country(conn: Connection, person_id: str, country: str) -> None:
    cursor.execute(conn, "UPDATE people SET country = :c WHERE id = :i", {"c": country, "i": person_id}).close()


def title_dates(conn: Connection, person_id: str, title: str) -> tuple[str | None, str | None] | None:
    """The first and last dates a person's title was seen, or None when it never was."""
    found = cursor.rows(conn, _TITLE, {"i": person_id, "t": title})
    return (found[0][0], found[0][1]) if found else None


def add_title(conn: Connection, person_id: str, title: str, org: str | None, seen: str | None) -> None:
    """Add a title of a person, first and last seen on `seen`."""
    cursor.insert(conn, "person_titles", {"person_id": person_id, "title": title, "org": org, "first_seen": seen,
                                          "last_seen": seen}, returning=None)


def set_title_dates(conn: Connection, person_id: str, title: str, first: str | None, last: str | None) -> None:
    cursor.execute(conn, "UPDATE person_titles SET first_seen = :f, last_seen = :l WHERE person_id = :i AND title = :t",
                   {"f": first, "l": last, "i": person_id, "t": title}).close()


def organization_id(conn: Connection, name: str) -> str | None:
    """The id of the organization of this name, or None."""
    found = cursor.scalar(conn, _ORG, {"n": name})
    return str(found) if found else None


def add_organization(conn: Connection, org_id: str, name: str, country: str | None) -> None:
    cursor.insert(conn, "organizations", {"id": org_id, "name": name, "country": country}, returning=None)
