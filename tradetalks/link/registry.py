"""The registry: mechanisms, people and organizations, each with a stable id (a slug of
its name), resolved across documents.

A mechanism is known by its name after the countries that lead it ("Commercial Issues
Working Group" is the stored "U.S.-China Commercial Issues Working Group" when the sides
agree), a person by their name's words in any order ("Kung Ming-hsin" = "Ming-hsin Kung"),
with every variant and title kept, dated by the documents that used them.

Look-ups are cached per database connection, and what a transaction learns enters the
cache only once it has committed (Store.transaction runs its `after_commit` list), so a
rolled-back document never leaves a cached id behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection

from tradetalks import lexicons
from tradetalks.link.names import fold, mechanism_parts, person_key, slug
from tradetalks.store import raw


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Cache:
    mechanisms: dict[tuple[str, str, str], str] = field(default_factory=dict)   # (name, core, sides) -> id
    people: dict[tuple[str, str | None], str] = field(default_factory=dict)     # (name, country) -> id
    aliases: set[tuple[str, str]] = field(default_factory=set)                  # (id, alias) known
    titles: dict[tuple[str, str], tuple[str | None, str | None]] = field(default_factory=dict)
    orgs: dict[str, str] = field(default_factory=dict)


Later = list[Callable[[], None]]


def _cache(conn: Connection) -> tuple[Cache, Later]:
    """The cache of this database connection, and the updates of it to make once this
    transaction has committed (Store.transaction starts each with a fresh scratch dict)."""
    cache = conn.info.setdefault("tradetalks_registry", Cache())
    later = conn.info.setdefault("tradetalks_txn", {}).setdefault("after_commit", [])
    return cache, later


_IDS_LIKE = "SELECT id FROM {table} WHERE id = :base OR id LIKE :pattern"
_MECHS_BY_KEY = 'SELECT id, name, parties FROM mechanisms WHERE "key" = :k'
_ALIASES = {"mechanisms": ("mechanism_aliases", "mechanism_id"), "people": ("person_aliases", "person_id")}
_ALIAS_KNOWN = {k: f"SELECT 1 FROM {t} WHERE {c} = :i AND alias = :a" for k, (t, c) in _ALIASES.items()}
_ALIAS_ADD = {k: f"INSERT INTO {t} ({c}, alias) VALUES (:i, :a)" for k, (t, c) in _ALIASES.items()}
_PEOPLE_BY_KEY = 'SELECT id, name, country FROM people WHERE "key" = :k'
_PEOPLE_BY_WORD = "SELECT id, name, country FROM people WHERE (' ' || \"key\" || ' ') LIKE :w"
_TITLE = "SELECT first_seen, last_seen FROM person_titles WHERE person_id = :i AND title = :t"
_ORG = "SELECT id FROM organizations WHERE name = :n"


def _unique_id(conn: Connection, table: str, base: str) -> str:
    taken = {r[0] for r in raw.rows(conn, _IDS_LIKE.format(table=table), {"base": base, "pattern": base + "-%"})}
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _lexicon_acronyms(name: str) -> list[str]:
    for entry in lexicons.get().mechanisms:
        if fold(entry.get("name", "")) == fold(name):
            return list(entry.get("acronyms") or [])
    return []


def _alias(conn: Connection, cache: Cache, later: Later, table: str, owner: str, alias: str) -> None:
    if (owner, alias) in cache.aliases:
        return
    if not raw.rows(conn, _ALIAS_KNOWN[table], {"i": owner, "a": alias}):
        raw.execute(conn, _ALIAS_ADD[table], {"i": owner, "a": alias}).close()
    later.append(lambda: cache.aliases.add((owner, alias)))


def resolve_mechanism(conn: Connection, name: str, parties: list[str]) -> str:
    cache, later = _cache(conn)
    core, sides = mechanism_parts(name)
    wanted = " ".join(sides) if sides else " ".join(sorted(parties))
    key = (name, core, wanted)
    if key in cache.mechanisms:
        return cache.mechanisms[key]
    rows = raw.rows(conn, _MECHS_BY_KEY, {"k": core})
    pick = next((r for r in rows if r[2] == wanted), None)
    if pick is None and not sides and len(rows) == 1:
        pick = rows[0]
    if pick is None:
        mid = _unique_id(conn, "mechanisms", slug(name))
        raw.insert(conn, "mechanisms", {"id": mid, "name": name, "key": core, "parties": wanted,
                                        "acronyms": json.dumps(_lexicon_acronyms(name)), "created_at": now()}, returning=None)
        _alias(conn, cache, later, "mechanisms", mid, name)
        later.append(lambda: cache.mechanisms.__setitem__(key, mid))
        return mid
    mid = str(pick[0])
    if sides and not mechanism_parts(pick[1])[1]:
        raw.execute(conn, "UPDATE mechanisms SET name = :n WHERE id = :i", {"n": name, "i": mid}).close()  # the fuller name wins
    _alias(conn, cache, later, "mechanisms", mid, name)
    later.append(lambda: cache.mechanisms.__setitem__(key, mid))
    return mid


def resolve_person(conn: Connection, participant: dict[str, Any], published: str | None) -> str | None:
    name = participant["name"]
    key = person_key(name)
    if not key:
        return None
    cache, later = _cache(conn)
    country = participant.get("country")
    pid = cache.people.get((name, country))
    if pid is None:
        pid = _find_or_add_person(conn, name, key, country)
        later.append(lambda: cache.people.__setitem__((name, country), pid))
    _alias(conn, cache, later, "people", pid, name)
    title = participant.get("title")
    if title:
        _title(conn, cache, later, pid, title, participant.get("org"), published)
    return pid


def _find_or_add_person(conn: Connection, name: str, key: str, country: str | None) -> str:
    rows = raw.rows(conn, _PEOPLE_BY_KEY, {"k": key})
    if not rows and " " not in key:
        # A surname alone ("Raimondo") is the one known person of that name and side.
        rows = [r for r in raw.rows(conn, _PEOPLE_BY_WORD, {"w": f"% {key} %"}) if not country or r[2] in (None, country)]
        if len(rows) != 1:
            rows = []
    pick = next((r for r in rows if country and r[2] == country), rows[0] if rows else None)
    if pick is None:
        pid = _unique_id(conn, "people", slug(name))
        raw.insert(conn, "people", {"id": pid, "name": name, "key": key, "country": country, "created_at": now()}, returning=None)
        return pid
    pid = str(pick[0])
    if len(name) > len(pick[1]) and person_key(pick[1]) == key:
        raw.execute(conn, "UPDATE people SET name = :n WHERE id = :i", {"n": name, "i": pid}).close()
    if country and not pick[2]:
        raw.execute(conn, "UPDATE people SET country = :c WHERE id = :i", {"c": country, "i": pid}).close()
    return pid


def _title(conn: Connection, cache: Cache, later: Later, pid: str, title: str, org: str | None,
           published: str | None) -> None:
    """Keep the title with the first and last dates a document used it."""
    known = cache.titles.get((pid, title))
    if known is None:
        found = raw.rows(conn, _TITLE, {"i": pid, "t": title})
        if not found:
            raw.insert(conn, "person_titles", {"person_id": pid, "title": title, "org": org, "first_seen": published,
                                               "last_seen": published}, returning=None)
            later.append(lambda: cache.titles.__setitem__((pid, title), (published, published)))
            return
        known = (found[0][0], found[0][1])
    dates = known
    if published:
        dates = (min(x for x in (known[0], published) if x), max(x for x in (known[1], published) if x))
        if dates != known:
            raw.execute(conn, "UPDATE person_titles SET first_seen = :f, last_seen = :l WHERE person_id = :i AND title = :t",
                        {"f": dates[0], "l": dates[1], "i": pid, "t": title}).close()
    later.append(lambda: cache.titles.__setitem__((pid, title), dates))


def resolve_org(conn: Connection, name: str) -> str:
    cache, later = _cache(conn)
    if name in cache.orgs:
        return cache.orgs[name]
    row = raw.scalar(conn, _ORG, {"n": name})
    if row:
        oid = str(row)
    else:
        oid = _unique_id(conn, "organizations", slug(name))
        entry = lexicons.get().organizations.get(name, {})
        raw.insert(conn, "organizations", {"id": oid, "name": name, "country": entry.get("country")}, returning=None)
    later.append(lambda: cache.orgs.__setitem__(name, oid))
    return oid
