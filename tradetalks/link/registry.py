"""The registry: mechanisms, people and organizations, each with a stable id (a slug of
its name), resolved across documents.

A mechanism is known by its name after the countries that lead it ("Commercial Issues
Working Group" is the stored "U.S.-China Commercial Issues Working Group" when the sides
agree), a person by their name's words in any order ("Kung Ming-hsin" = "Ming-hsin Kung"),
with every variant and title kept, dated by the documents that used them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Table, func, literal, select
from sqlalchemy.engine import Connection

from tradetalks import lexicons
from tradetalks.link.names import fold, mechanism_parts, person_key, slug
from tradetalks.store.schema import (
    mechanism_aliases,
    mechanisms,
    organizations,
    people,
    person_aliases,
    person_titles,
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _unique_id(conn: Connection, table: Table, base: str) -> str:
    taken = set(conn.execute(select(table.c.id).where(table.c.id.like(base + "%"))).scalars())
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


def resolve_mechanism(conn: Connection, name: str, parties: list[str]) -> str:
    core, sides = mechanism_parts(name)
    wanted = " ".join(sides) if sides else " ".join(sorted(parties))
    rows = conn.execute(select(mechanisms).where(mechanisms.c.key == core)).mappings().all()
    pick = next((r for r in rows if r["parties"] == wanted), None)
    if pick is None and not sides and len(rows) == 1:
        pick = rows[0]
    if pick is None:
        mid = _unique_id(conn, mechanisms, slug(name))
        conn.execute(mechanisms.insert().values(
            id=mid, name=name, key=core, parties=wanted, acronyms=json.dumps(_lexicon_acronyms(name)), created_at=now()))
        conn.execute(mechanism_aliases.insert().values(mechanism_id=mid, alias=name))
        return mid
    mid = pick["id"]
    if sides and not mechanism_parts(pick["name"])[1]:
        conn.execute(mechanisms.update().where(mechanisms.c.id == mid).values(name=name))  # the fuller name wins
    known = conn.execute(select(func.count()).select_from(mechanism_aliases).where(
        mechanism_aliases.c.mechanism_id == mid, mechanism_aliases.c.alias == name)).scalar()
    if not known:
        conn.execute(mechanism_aliases.insert().values(mechanism_id=mid, alias=name))
    return mid


def resolve_person(conn: Connection, participant: dict, published: str | None) -> str | None:
    name = participant["name"]
    key = person_key(name)
    if not key:
        return None
    country = participant.get("country")
    rows = conn.execute(select(people).where(people.c.key == key)).mappings().all()
    if not rows and " " not in key:
        # A surname alone ("Raimondo") is the one known person of that name and side.
        padded = literal(" ") + people.c.key + literal(" ")
        rows = conn.execute(select(people).where(padded.like(f"% {key} %"))).mappings().all()
        rows = [r for r in rows if not country or r["country"] in (None, country)]
        if len(rows) != 1:
            rows = []
    pick = next((r for r in rows if country and r["country"] == country), rows[0] if rows else None)
    if pick is None:
        pid = _unique_id(conn, people, slug(name))
        conn.execute(people.insert().values(id=pid, name=name, key=key, country=country, created_at=now()))
    else:
        pid = pick["id"]
        if len(name) > len(pick["name"]) and person_key(pick["name"]) == key:
            conn.execute(people.update().where(people.c.id == pid).values(name=name))
        if country and not pick["country"]:
            conn.execute(people.update().where(people.c.id == pid).values(country=country))
    have = conn.execute(select(func.count()).select_from(person_aliases).where(
        person_aliases.c.person_id == pid, person_aliases.c.alias == name)).scalar()
    if not have:
        conn.execute(person_aliases.insert().values(person_id=pid, alias=name))
    title = participant.get("title")
    if title:
        row = conn.execute(select(person_titles).where(
            person_titles.c.person_id == pid, person_titles.c.title == title)).mappings().first()
        if row is None:
            conn.execute(person_titles.insert().values(
                person_id=pid, title=title, org=participant.get("org"), first_seen=published, last_seen=published))
        elif published:
            first = min(x for x in (row["first_seen"], published) if x)
            last = max(x for x in (row["last_seen"], published) if x)
            if (first, last) != (row["first_seen"], row["last_seen"]):
                conn.execute(person_titles.update().where(
                    person_titles.c.person_id == pid, person_titles.c.title == title).values(first_seen=first, last_seen=last))
    return pid


def resolve_org(conn: Connection, name: str) -> str:
    row = conn.execute(select(organizations.c.id).where(organizations.c.name == name)).scalar()
    if row:
        return str(row)
    oid = _unique_id(conn, organizations, slug(name))
    entry = lexicons.get().organizations.get(name, {})
    conn.execute(organizations.insert().values(id=oid, name=name, country=entry.get("country")))
    return oid
