"""The registry: mechanisms, people and organizations, each with a stable id (a slug of
its name), resolved across documents.

A mechanism is known by its name after the countries that lead it ("Commercial Issues
Working Group" is the stored "U.S.-China Commercial Issues Working Group" when the sides
agree), a person by their name's words in any order ("Kung Ming-hsin" = "Ming-hsin Kung"),
with every variant and title kept, dated by the documents that used them.

Look-ups are cached per database connection, and what a transaction learns enters the
cache only once it has committed (Store.transaction runs its `after_commit` list), so a
rolled-back document never leaves a cached id behind. Only answers that no later document
can change are cached: a name's own key, a mechanism of its sides. A mechanism's name
without sides is whoever is the one mechanism of that name *now*, which a later document
can make two; it is looked up each time. A surname alone ("Biden") is a person of its own
(see _find_or_add_person). Ids do not depend on which spelling came first: a person's is
their name's words without honorifics or initials (names.person_slug).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection

from tradetalks import lexicons
from tradetalks.link.names import fold, mechanism_parts, person_key, person_slug, slug
from tradetalks.store import registry as store
from tradetalks.store.commits import REGISTRY_CACHE


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
    cache = conn.info.setdefault(REGISTRY_CACHE, Cache())
    later = conn.info.setdefault("tradetalks_txn", {}).setdefault("after_commit", [])
    return cache, later


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3` ... the first not taken."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _unique_id(conn: Connection, table: str, base: str) -> str:
    return unique_id(base, store.ids_taken(conn, table, base))


def _lexicon_acronyms(name: str) -> list[str]:
    for entry in lexicons.get().mechanisms:
        if fold(entry.get("name", "")) == fold(name):
            return list(entry.get("acronyms") or [])
    return []


def _alias(conn: Connection, cache: Cache, later: Later, table: str, owner: str, alias: str) -> None:
    if (owner, alias) in cache.aliases:
        return
    if not store.has_alias(conn, table, owner, alias):
        store.add_alias(conn, table, owner, alias)
    later.append(lambda: cache.aliases.add((owner, alias)))


def pick_mechanism(rows: list[tuple[str, str, str]], wanted: str, sided: bool) -> tuple[str, str, str] | None:
    """Of the stored mechanisms of a name (rows id, name, parties), the one a mention is:
    the one of its sides; a name without sides, the one mechanism of that name."""
    pick = next((r for r in rows if r[2] == wanted), None)
    if pick is None and not sided and len(rows) == 1:
        pick = rows[0]
    return pick


def resolve_mechanism(conn: Connection, name: str, parties: list[str]) -> str:
    cache, later = _cache(conn)
    core, sides = mechanism_parts(name)
    wanted = " ".join(sides) if sides else " ".join(sorted(parties))
    key = (name, core, wanted)
    if key in cache.mechanisms:
        return cache.mechanisms[key]
    rows = store.mechanisms_with_key(conn, core)
    pick = pick_mechanism(rows, wanted, bool(sides))
    lasting = pick is None or pick[2] == wanted  # not "the one mechanism of that name", which may become two
    if pick is None:
        mid = _unique_id(conn, "mechanisms", slug(name))
        store.add_mechanism(conn, {"id": mid, "name": name, "key": core, "parties": wanted,
                                   "acronyms": json.dumps(_lexicon_acronyms(name)), "created_at": now()})
        _alias(conn, cache, later, "mechanisms", mid, name)
        later.append(lambda: cache.mechanisms.__setitem__(key, mid))
        return mid
    mid = str(pick[0])
    if sides and not mechanism_parts(pick[1])[1]:  # the fuller name wins, and gives the id
        mid = _repoint_mechanism(conn, cache, later, mid, name)
    _alias(conn, cache, later, "mechanisms", mid, name)
    if lasting:
        later.append(lambda: cache.mechanisms.__setitem__(key, mid))
    return mid


def _repoint_mechanism(conn: Connection, cache: Cache, later: Later, old: str, name: str) -> str:
    """A mechanism first named without its sides ("Trade and Technology Council") takes
    the id of its full name once that is seen, so that its id does not depend on which
    came first. Its reports' JSON, this transaction's look-ups (`repointed`) and the cache
    follow."""
    new = _unique_id(conn, "mechanisms", slug(name))
    if new == old:
        store.rename_mechanism(conn, old, name)
        return old
    rows = store.repoint_mechanism(conn, old, new, name)
    store.set_reports_data(conn, [(sid, json.dumps(dict(json.loads(data), mechanism_id=new), ensure_ascii=False))
                                  for sid, data in rows])
    conn.info.setdefault("tradetalks_txn", {}).setdefault("repointed", {})[old] = new

    def forget() -> None:
        for k, v in list(cache.mechanisms.items()):
            if v == old:
                cache.mechanisms[k] = new
    later.append(forget)
    return new


def current_mechanism(conn: Connection, mechanism_id: str | None) -> str | None:
    """A mechanism's id after what this transaction re-pointed (see _repoint_mechanism)."""
    moved: dict[str, str] = conn.info.get("tradetalks_txn", {}).get("repointed", {})
    while mechanism_id in moved:
        mechanism_id = moved[mechanism_id]
    return mechanism_id


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


def pick_person(rows: list[tuple[str, str, str | None]], country: str | None,
                by_word: bool = False) -> tuple[str, str, str | None] | None:
    """Of the stored people with a name's key (rows id, name, country), the one a mention
    is: the one of its side, else the first. `by_word`: the rows are those with the key
    (a surname alone) as one word of their name; then only the one person of that name
    and side is."""
    if by_word:
        rows = [r for r in rows if not country or r[2] in (None, country)]
        if len(rows) != 1:
            rows = []
    return next((r for r in rows if country and r[2] == country), rows[0] if rows else None)


def _find_or_add_person(conn: Connection, name: str, key: str, country: str | None) -> str:
    """The id of the person a name is (added when new): the one of that name's key (and
    side). A surname alone is a person of its own, never whoever is the one person of that
    name known so far, which depends on what was ingested before (merge.reconcile folds it
    into the full name when one record has both)."""
    pick = pick_person(store.people_with_key(conn, key), country)
    if pick is None:
        pid = _unique_id(conn, "people", person_slug(name))
        store.add_person(conn, {"id": pid, "name": name, "key": key, "country": country, "created_at": now()})
        return pid
    pid = str(pick[0])
    if better_name(name, pick[1]):
        store.rename_person(conn, pid, name)
    if country and not pick[2]:
        store.set_person_country(conn, pid, country)
    return pid


def better_name(name: str, than: str) -> bool:
    """Whether a spelling of a person's name is the one to show: the longest, then (of
    one length: 'Andrés López' and 'Andres Lopez') the one with accents, whatever came first."""
    return (len(name), name) > (len(than), than)


def title_dates(known: tuple[str | None, str | None], published: str | None) -> tuple[str | None, str | None]:
    """A title's first and last dates seen, after a document of `published` used it."""
    if not published:
        return known
    return (min(x for x in (known[0], published) if x), max(x for x in (known[1], published) if x))


def _title(conn: Connection, cache: Cache, later: Later, pid: str, title: str, org: str | None,
           published: str | None) -> None:
    """Keep the title with the first and last dates a document used it."""
    known = cache.titles.get((pid, title))
    if known is None:
        known = store.title_dates(conn, pid, title)
        if known is None:
            store.add_title(conn, pid, title, org, published)
            later.append(lambda: cache.titles.__setitem__((pid, title), (published, published)))
            return
    dates = title_dates(known, published)
    if dates != known:
        store.set_title_dates(conn, pid, title, dates[0], dates[1])
    later.append(lambda: cache.titles.__setitem__((pid, title), dates))


def resolve_org(conn: Connection, name: str) -> str:
    cache, later = _cache(conn)
    if name in cache.orgs:
        return cache.orgs[name]
    found = store.organization_id(conn, name)
    if found is not None:
        oid = found
    else:
        oid = _unique_id(conn, "organizations", slug(name))
        store.add_organization(conn, oid, name, lexicons.get().organizations.get(name, {}).get("country"))
    later.append(lambda: cache.orgs.__setitem__(name, oid))
    return oid
