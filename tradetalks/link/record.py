"""Writing one extraction into the record: the document, its near-duplicate check, and
each of its events linked to the stored event it reports or added as a new one, with the
record's fields reconciled from all its sources. Everything here runs inside the caller's
transaction: one document, one transaction."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection

from tradetalks import __version__
from tradetalks.link import dedupe, merge, registry
from tradetalks.models import Extraction
from tradetalks.store.schema import (
    doc_bands,
    documents,
    event_orgs,
    event_parties,
    event_people,
    event_sources,
    event_text,
    event_topics,
    events,
    people,
)

MAX_SENTENCES = 24
MAX_SENTENCE_CHARS = 400


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Saved:
    status: str              # added | updated | unchanged | duplicate
    document_id: int
    events: int = 0          # events this document reports
    new_events: int = 0      # of which new records
    duplicate_of: int | None = None
    similarity: float | None = None


def find_existing(conn: Connection, raw: str, source: str, url: str | None) -> tuple[str, int | None]:
    """('unchanged', id) when this exact input is stored, ('changed', id) when the same
    source is stored with other content, ('new', None) otherwise."""
    doc_id = conn.execute(select(documents.c.id).where(documents.c.content_hash == sha256(raw))).scalar()
    if doc_id is not None:
        return "unchanged", int(doc_id)
    where = documents.c.url == url if url else documents.c.source == source
    doc_id = conn.execute(select(documents.c.id).where(where).order_by(documents.c.id)).scalar()
    return ("changed", int(doc_id)) if doc_id is not None else ("new", None)


def _near_duplicate(conn: Connection, text_hash: str, sig: bytes | None, exclude: int | None) -> tuple[int, float] | None:
    same = conn.execute(select(documents.c.id).where(
        documents.c.text_hash == text_hash, documents.c.duplicate_of.is_(None),
        documents.c.id != (exclude or -1)).order_by(documents.c.id)).scalar()
    if same is not None:
        return int(same), 1.0
    if sig is None:
        return None
    ids = conn.execute(select(doc_bands.c.document_id).distinct().where(
        doc_bands.c.band.in_(dedupe.bands(sig)), doc_bands.c.document_id != (exclude or -1))).scalars().all()
    best: tuple[int, float] | None = None
    for doc_id, other in conn.execute(select(documents.c.id, documents.c.minhash).where(
            documents.c.id.in_(ids), documents.c.duplicate_of.is_(None))):
        s = dedupe.similarity(sig, other) if other else 0.0
        if s >= dedupe.THRESHOLD and (best is None or s > best[1]):
            best = (int(doc_id), s)
    return best


def save_document(conn: Connection, raw: str, ex: Extraction, *, url: str | None = None,
                  replace: int | None = None) -> Saved:
    """Store a document and link its events; `replace` is the id of the stored version of
    the same source (a page that changed, or a document being reprocessed)."""
    doc = ex.document
    stamp = registry.now()
    text_hash = sha256(doc.text)
    sig = dedupe.signature(doc.text)
    dup = _near_duplicate(conn, text_hash, sig, replace)
    values: dict[str, Any] = dict(
        source=doc.source, url=url, content_hash=sha256(raw), text_hash=text_hash, raw=raw, text=doc.text,
        title=doc.title, published=doc.published, publisher=doc.publisher, kind=doc.kind,
        dateline_place=doc.dateline.place if doc.dateline else None,
        dateline_country=doc.dateline.country if doc.dateline else None,
        extraction=json.dumps(ex.to_dict(), ensure_ascii=False), extractor=__version__, minhash=sig,
        duplicate_of=dup[0] if dup else None, similarity=f"{dup[1]:.2f}" if dup else None, updated_at=stamp,
    )
    if replace is None:
        doc_id = int(conn.execute(documents.insert().values(ingested_at=stamp, **values)).inserted_primary_key[0])
    else:
        doc_id = replace
        conn.execute(documents.update().where(documents.c.id == doc_id).values(**values))
        conn.execute(delete(doc_bands).where(doc_bands.c.document_id == doc_id))
    if dup is not None:
        # The same story again: linked to the first copy, not stored as new facts.
        unlink_document(conn, doc_id)
        return Saved("duplicate", doc_id, duplicate_of=dup[0], similarity=dup[1])
    if sig is not None:
        conn.execute(doc_bands.insert(), [{"document_id": doc_id, "band": b} for b in dedupe.bands(sig)])
    previous = {sid: (eid, json.loads(data)) for sid, eid, data in conn.execute(select(
        event_sources.c.id, event_sources.c.event_id, event_sources.c.data).where(event_sources.c.document_id == doc_id))}
    old = set(previous)
    if old:  # a new version: its old reports go, the new ones are linked afresh
        conn.execute(event_sources.update().where(event_sources.c.id.in_(old)).values(position=-event_sources.c.id))
    n_new, touched = link_events(conn, doc_id, ex, [v for v in previous.values()])
    touched |= unlink_document(conn, doc_id, only=old)
    for event_id in touched:
        refresh_event(conn, event_id)
    return Saved("updated" if replace is not None else "added", doc_id, len(ex.events), n_new)


def unlink_document(conn: Connection, doc_id: int, only: set[int] | None = None) -> set[int]:
    """Remove a document's reports from the events (all, or the source rows in `only`);
    events left without a source are deleted. Returns the events still to refresh."""
    where = event_sources.c.document_id == doc_id
    if only is not None:
        if not only:
            return set()
        where = event_sources.c.id.in_(only)
    affected = set(conn.execute(select(event_sources.c.event_id).where(where)).scalars())
    conn.execute(delete(event_sources).where(where))
    left = set(conn.execute(select(event_sources.c.event_id).distinct().where(
        event_sources.c.event_id.in_(affected))).scalars()) if affected else set()
    gone = affected - left
    if gone:
        conn.execute(delete(events).where(events.c.id.in_(gone)))
    if only is None:
        for event_id in left:
            refresh_event(conn, event_id)
    return left


def _sentences(text: str, evidence: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for ev in evidence:
        s = supporting_sentence(text, ev["start"], ev["end"])
        if s and s not in out:
            out.append(s)
        if len(out) >= MAX_SENTENCES:
            break
    return out


# A sentence ends at . ! ? before a capital, but not after an initial or "U.S." ("led by
# U.S. Under Secretary ...") or a title's abbreviation.
_BOUNDARY = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bMrs\.)(?<!\bSen\.)(?<!\bRep\.)"
                       r"(?<!\bGov\.)(?<!\bAmb\.)(?<!\bNo\.)(?<!\bSt\.)\s+(?=[\"“A-Z0-9])|\n")


def supporting_sentence(text: str, start: int, end: int) -> str:
    """The sentence around a span of the text (capped in length)."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    left = text.rfind("\n", 0, start) + 1
    for m in _BOUNDARY.finditer(text, max(left, start - MAX_SENTENCE_CHARS), start):
        left = m.end()
    right_m = _BOUNDARY.search(text, end)
    right = right_m.start() if right_m else len(text)
    sentence = text[left:right].strip()
    return sentence[:MAX_SENTENCE_CHARS] if len(sentence) > MAX_SENTENCE_CHARS else sentence


def _anchor(ev: dict[str, Any], published: str | None) -> str | None:
    return ev.get("start") or published


def _candidates(conn: Connection, ev: dict[str, Any], mech_id: str | None, published: str | None) -> list[merge.Candidate]:
    family = sorted(merge.MEETINGS) if ev["type"] in merge.MEETINGS else [ev["type"]]
    parties = " ".join(sorted(ev.get("parties") or []))
    sides = events.c.parties == parties
    if mech_id:
        sides = sides | (events.c.mechanism_id == mech_id)
    q = select(events).where(events.c.type.in_(family), sides)
    anchor = _anchor(ev, published)
    if anchor:
        y = int(anchor[:4])
        q = q.where(events.c.sort_date >= f"{y - 2}", events.c.sort_date <= f"{y + 2}-12-31")
    rows = conn.execute(q.order_by(events.c.sort_date.desc()).limit(200)).mappings().all()
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    keys: dict[int, set[str]] = {}
    for eid, key in conn.execute(select(event_people.c.event_id, people.c.key).join(
            people, people.c.id == event_people.c.person_id).where(
            event_people.c.event_id.in_(ids), event_people.c.role != "mentioned")):
        keys.setdefault(eid, set()).add(key)
    dates: dict[int, list[str]] = {}
    for eid, pub in conn.execute(select(event_sources.c.event_id, event_sources.c.published).where(
            event_sources.c.event_id.in_(ids))):
        if pub:
            dates.setdefault(eid, []).append(pub)
    return [merge.Candidate(
        id=r["id"], type=r["type"], status=r["status"], mechanism_id=r["mechanism_id"], round=r["round"],
        start=r["start"], end=r["end"], place=r["place"], parties=r["parties"], sort_date=r["sort_date"],
        people=keys.get(r["id"], set()), published=dates.get(r["id"], [])) for r in rows]


_SAME_REPORT = ("type", "status", "mechanism", "round", "start", "end", "parties")


def _same_report(ev: dict[str, Any], previous: list[tuple[int, dict[str, Any]]], taken: set[int]) -> int | None:
    """The record that the earlier version of this document reported this event in."""
    return next((eid for eid, old in previous if eid not in taken and all(old.get(k) == ev.get(k) for k in _SAME_REPORT)), None)


def link_events(conn: Connection, doc_id: int, ex: Extraction,
                previous: list[tuple[int, dict[str, Any]]] | None = None) -> tuple[int, set[int]]:
    """Attach each event of a document to its record, creating records for new events.
    `previous` holds (record id, event) of the document's earlier version, whose records
    an unchanged event keeps. Returns the number of new records and every record touched."""
    published = ex.document.published
    text = ex.document.text
    taken: set[int] = set()
    new = 0
    rows = []
    for position, event in enumerate(ex.events):
        ev = event.model_dump(mode="json")
        mech_id = registry.resolve_mechanism(conn, ev["mechanism"], ev.get("parties") or []) if ev.get("mechanism") else None
        for p in ev.get("participants") or []:
            p["person_id"] = registry.resolve_person(conn, p, published)
        ev["mechanism_id"] = mech_id
        ev["sentences"] = _sentences(text, ev.get("evidence") or [])
        kept = _same_report(ev, previous or [], taken)
        match = None if kept is not None else merge.best_match(ev, mech_id, published, _candidates(conn, ev, mech_id, published), taken)
        if kept is not None:
            event_id = kept
        elif match is None:
            stamp = registry.now()
            event_id = int(conn.execute(events.insert().values(
                type=ev["type"], status=ev["status"], mechanism_id=mech_id, mechanism=ev.get("mechanism"),
                round=ev.get("round"), start=ev.get("start"), end=ev.get("end"),
                parties=" ".join(sorted(ev.get("parties") or [])), sort_date=_anchor(ev, published) or "",
                data="{}", n_sources=0, created_at=stamp, updated_at=stamp)).inserted_primary_key[0])
            new += 1
        else:
            event_id = match.id
        taken.add(event_id)
        rows.append({"event_id": event_id, "document_id": doc_id, "position": position, "published": published,
                     "data": json.dumps(ev, ensure_ascii=False)})
    if rows:
        conn.execute(event_sources.insert(), rows)
    return new, taken


def refresh_event(conn: Connection, event_id: int) -> None:
    """Recompute a record from all its sources, with its search text and side tables."""
    src = conn.execute(select(event_sources.c.data, event_sources.c.published).where(
        event_sources.c.event_id == event_id).order_by(event_sources.c.published, event_sources.c.id)).all()
    if not src:
        conn.execute(delete(events).where(events.c.id == event_id))
        return
    versions = [(json.loads(d), p) for d, p in src]
    rec = merge.reconcile(versions)
    mech_ids = [v.get("mechanism_id") for v, _ in versions if v.get("mechanism_id")]
    mech_id = max(set(mech_ids), key=mech_ids.count) if mech_ids else None
    first_pub = min((p for _, p in versions if p), default=None)
    sort_date = _sort_date(rec, first_pub)
    loc = rec.get("location") or {}
    conn.execute(events.update().where(events.c.id == event_id).values(
        type=rec["type"], status=rec["status"], mechanism_id=mech_id, mechanism=rec["mechanism"], round=rec["round"],
        start=rec["start"], end=rec["end"], place=loc.get("place"), country=loc.get("country"),
        parties=" ".join(rec["parties"]), sort_date=sort_date, data=json.dumps(rec, ensure_ascii=False),
        n_sources=len(versions), updated_at=registry.now()))
    for table in (event_parties, event_topics, event_people, event_orgs, event_text):
        conn.execute(delete(table).where(table.c.event_id == event_id))
    if rec["parties"]:
        conn.execute(event_parties.insert(), [{"event_id": event_id, "country": c} for c in rec["parties"]])
    if rec["topics"]:
        conn.execute(event_topics.insert(), [{"event_id": event_id, "topic": t} for t in rec["topics"]])
    persons = [p for p in rec["participants"] if p.get("person_id")]
    seen: set[str] = set()
    rows = []
    for p in persons:
        if p["person_id"] not in seen:
            seen.add(p["person_id"])
            rows.append({"event_id": event_id, "person_id": p["person_id"], "role": p.get("role") or "mentioned",
                         "title": p.get("title"), "org": p.get("org"), "country": p.get("country")})
    if rows:
        conn.execute(event_people.insert(), rows)
    if rec["organizations"]:
        conn.execute(event_orgs.insert(), [{"event_id": event_id, "org_id": registry.resolve_org(conn, o)}
                                           for o in rec["organizations"]])
    conn.execute(event_text.insert().values(event_id=event_id, body=_search_body(rec, versions)))


def _sort_date(rec: dict[str, Any], first_pub: str | None) -> str:
    """Where an event sits in a timeline: at its date; an undated event at its first
    report; a planned one just after the report that announced it, also when its date is
    only the month or year of that report ("later this year")."""
    start = rec["start"]
    if start and (len(start) == 10 or rec["status"] != "planned" or not first_pub or first_pub[:len(start)] != start):
        return str(start)
    if not first_pub:
        return start or ""
    if rec["status"] != "planned":
        return first_pub
    try:
        return (date.fromisoformat(first_pub) + timedelta(days=1)).isoformat()
    except ValueError:
        return first_pub


def _search_body(rec: dict[str, Any], versions: list[tuple[dict[str, Any], str | None]]) -> str:
    loc = rec.get("location") or {}
    parts = [rec["type"].replace("_", " "), rec.get("mechanism") or "", loc.get("place") or ""]
    parts += [" ".join(x for x in (p["name"], p.get("title"), p.get("org")) if x) for p in rec["participants"]]
    parts += rec["organizations"] + [t.replace("_", " ") for t in rec["topics"]] + [o["text"] for o in rec["outcomes"]]
    seen: set[str] = set()
    for v, _ in versions:
        for s in v.get("sentences") or []:
            if s not in seen:
                seen.add(s)
                parts.append(s)
    return "\n".join(p for p in parts if p)


def count(conn: Connection, table) -> int:  # type: ignore[no-untyped-def]
    return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
