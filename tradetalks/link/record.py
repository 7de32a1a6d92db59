"""Writing one extraction into the record: the document, its near-duplicate check, and
each of its events linked to the stored event it reports or added as a new one, with the
record's fields reconciled from all its sources. Everything here runs inside the caller's
transaction: one document, one transaction."""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Connection

from tradetalks import __version__
from tradetalks.errors import NotFound
from tradetalks.link import dedupe, merge, registry
from tradetalks.link.names import person_key
from tradetalks.models import Extraction
from tradetalks.store import raw as sql
from tradetalks.store.schema import (
    doc_bands,
    documents,
    event_sources,
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


# The statements of the hot path: see tradetalks.store.raw.
_EXISTING = {column: f"SELECT id, content_hash FROM documents WHERE content_hash = :h OR {column} = :k ORDER BY id"
             for column in ("url", "source")}
# Candidates share at least two bands with the text. A band that boilerplate puts in
# many templated releases is read only so far (the first BAND_ROWS documents that have it):
# a true copy shares many other bands too, and the look-up stays bounded as the record grows.
BAND_ROWS = 64
_BAND_DOCS = " UNION ALL ".join(
    f"SELECT document_id FROM (SELECT document_id FROM doc_bands WHERE band = :b{i} LIMIT {BAND_ROWS}) AS s{i}"
    for i in range(dedupe.PERMUTATIONS // dedupe.ROWS))
# Documents that may be copies of a text: those with the very same text, and those
# sharing at least two bands of its signature; stored copies themselves are left out.
# PostgreSQL looks the bands up as one array (a statement planned in a fraction of the
# time of twenty subqueries).
_SAME_TEXT = "SELECT id AS document_id FROM documents WHERE text_hash = :h"
_BANDED = {"sqlite": _BAND_DOCS,
           "postgresql": "SELECT b.document_id FROM unnest(CAST(:bands AS bigint[])) AS q(band) CROSS JOIN LATERAL "
                         f"(SELECT document_id FROM doc_bands WHERE band = q.band LIMIT {BAND_ROWS}) AS b"}
_SIMILAR = {(dialect, banded): "SELECT d.id, d.minhash, d.facts, d.text_hash FROM (" + _SAME_TEXT + (
    f" UNION SELECT document_id FROM ({_BANDED[dialect]}) AS s GROUP BY document_id HAVING count(*) >= 2" if banded else "")
    + ") AS c JOIN documents d ON d.id = c.document_id WHERE d.duplicate_of IS NULL ORDER BY d.id"
    for dialect in _BANDED for banded in (False, True)}
_PREVIOUS = "SELECT id, event_id, data FROM event_sources WHERE document_id = :d"
_SOURCES_OF = "SELECT event_id, data, published FROM event_sources WHERE event_id IN :ids ORDER BY event_id, published, id"


def _existing(found: list[tuple], content_hash: str) -> tuple[str, int | None]:
    """Of the stored documents with this input or this source: ('unchanged', id) when this
    exact input is stored, ('changed', id) when the same source is stored with other
    content, ('new', None) otherwise."""
    same = next((doc_id for doc_id, h in found if h == content_hash), None)
    if same is not None:
        return "unchanged", int(same)
    return ("changed", int(found[0][0])) if found else ("new", None)


def _facts(ex: Extraction) -> str:
    return json.dumps(sorted({f"{e.type}|{e.status}|{e.start}|{e.round}" for e in ex.events}))


def _same_story(facts: str, other: str | None, similarity: float) -> bool:
    """Near-identical words are one story only when the events agree: two readouts made
    from one template, of different rounds or dates, are two stories."""
    a, b = set(json.loads(facts)), set(json.loads(other or "[]"))
    if a == b:
        return True
    overlap = len(a & b) / max(1, len(a | b))
    return similarity >= 0.9 and overlap >= 0.5


def _similar(conn: Connection, text_hash: str, bands: list[int]) -> Any:
    """Sends the look-up of the stored documents that may be copies of a text."""
    params: dict[str, Any] = {"h": text_hash}
    dialect = "postgresql" if conn.dialect.name == "postgresql" else "sqlite"
    if dialect == "postgresql":
        params["bands"] = bands
    else:
        params.update({f"b{i}": b for i, b in enumerate(bands)})
    return sql.execute(conn, _SIMILAR[dialect, bool(bands)], params)


def _near_duplicate(found: list[tuple], text_hash: str, sig: bytes | None, facts: str) -> tuple[int, float] | None:
    """The stored story this text is a copy of, with the similarity, among those found."""
    for doc_id, _, other, h in found:
        if h == text_hash and _same_story(facts, other, 1.0):
            return int(doc_id), 1.0
    if sig is None:
        return None
    hits = [r for r in found if r[1]]
    best: tuple[int, float] | None = None
    for (doc_id, _, other_facts, _), s in zip(hits, dedupe.similarities(sig, [bytes(r[1]) for r in hits]), strict=True):
        if s >= dedupe.THRESHOLD and (best is None or s > best[1]) and _same_story(facts, other_facts, s):
            best = (int(doc_id), s)
    return best


def _add(conn: Connection, table: str, values: dict[str, Any], drawn: list[int] | None) -> int:
    """Insert a row and return its id: one drawn beforehand (PostgreSQL) or the one the
    insert gave (SQLite)."""
    if drawn:
        new_id = int(drawn.pop(0))
        sql.insert(conn, table, {"id": new_id, **values}, returning=None)
        return new_id
    return int(sql.insert(conn, table, values))


def _drawn(cur: Any) -> list[int] | None:
    return [r[0] for r in sql.fetch(cur)] if cur is not None else None


@dataclass
class Prepared:
    """What storing a document needs that does not need the database: computed where the
    extraction ran (in a worker process), so that the one writer only writes."""

    extraction: Extraction
    text_hash: str
    signature: bytes | None
    bands: list[int]  # of the signature, for the look-up of near-duplicates
    facts: str
    extraction_json: str
    events: list[dict[str, Any]]  # the contract events as dicts, with their supporting sentences


def prepare(ex: Extraction) -> Prepared:
    split = Sentences(ex.document.text)
    evs = []
    for event in ex.events:
        ev = event.model_dump(mode="json")
        ev["sentences"] = _sentences(split.text, ev.get("evidence") or [], split)
        evs.append(ev)
    data = ex.to_dict()
    data["document"].pop("text")  # stored once, in documents.text
    sig = dedupe.signature(ex.document.text)
    return Prepared(ex, sha256(ex.document.text), sig, dedupe.bands(sig) if sig is not None else [], _facts(ex),
                    json.dumps(data, ensure_ascii=False), evs)


def extraction_of(conn: Connection, doc_id: int) -> dict[str, Any]:
    """A stored document's extraction, as the contract's JSON (its text put back)."""
    found = sql.rows(conn, "SELECT extraction, text FROM documents WHERE id = :i", {"i": doc_id})
    if not found:
        raise NotFound(f"no document {doc_id}; list documents with: tradetalks search --documents WORDS")
    data = json.loads(found[0][0])
    data["document"]["text"] = found[0][1]
    return data


def save_document(conn: Connection, raw: str, ex: Extraction | Prepared, *, url: str | None = None,
                  source: str | None = None, replace: int | None = None) -> Saved:
    """Store a document and link its events. `replace` is the id of the stored version of
    the same source (a page that changed, or a document being reprocessed); without it,
    the record is searched for this very input (then nothing is written: 'unchanged') and
    for an earlier version from the same URL or source (then it is replaced: 'updated')."""
    ready = ex if isinstance(ex, Prepared) else prepare(ex)
    doc = ready.extraction.document
    stamp = registry.now()
    text_hash, sig, facts, content_hash = ready.text_hash, ready.signature, ready.facts, sha256(raw)
    # Sent together, read in one round trip: what is stored of this input, its possible
    # copies, and an id for it.
    existing = None if replace is not None else sql.execute(
        conn, _EXISTING["url" if url else "source"], {"h": content_hash, "k": url or source or doc.source})
    similar = _similar(conn, text_hash, ready.bands)
    drawn = sql.new_ids(conn, "documents", 1) if replace is None else None
    if existing is not None:
        state, replace = _existing(sql.fetch(existing), content_hash)
        if state == "unchanged":
            for unread in (similar, drawn):
                if unread is not None:
                    unread.close()
            return Saved("unchanged", int(replace or 0))
    ids = _drawn(drawn)
    dup = _near_duplicate([r for r in sql.fetch(similar) if r[0] != replace], text_hash, sig, facts)
    values: dict[str, Any] = dict(
        source=doc.source, url=url, content_hash=content_hash, text_hash=text_hash, raw=raw, text=doc.text,
        title=doc.title, published=doc.published, publisher=doc.publisher, kind=doc.kind,
        dateline_place=doc.dateline.place if doc.dateline else None,
        dateline_country=doc.dateline.country if doc.dateline else None,
        extraction=ready.extraction_json, extractor=__version__, minhash=sig, facts=facts,
        duplicate_of=dup[0] if dup else None, similarity=f"{dup[1]:.2f}" if dup else None, updated_at=stamp,
    )
    if replace is None:
        doc_id = _add(conn, "documents", {"ingested_at": stamp, **values}, ids)
    else:
        doc_id = replace
        conn.execute(documents.update().where(documents.c.id == doc_id).values(**values))
        conn.execute(delete(doc_bands).where(doc_bands.c.document_id == doc_id))
    if dup is not None:
        # The same story again: linked to the first copy, not stored as new facts.
        unlink_document(conn, doc_id)
        return Saved("duplicate", doc_id, duplicate_of=dup[0], similarity=dup[1])
    sql.insert_many(conn, "doc_bands", [{"document_id": doc_id, "band": b} for b in ready.bands])
    previous = {sid: (eid, json.loads(data)) for sid, eid, data in sql.rows(conn, _PREVIOUS, {"d": doc_id})} if replace else {}
    old = set(previous)
    if old:  # a new version: its old reports go, the new ones are linked afresh
        conn.execute(event_sources.update().where(event_sources.c.id.in_(old)).values(position=-event_sources.c.id))
    n_new, touched, fresh = link_events(conn, doc_id, ready, list(previous.values()))
    touched |= unlink_document(conn, doc_id, only=old)
    refresh_events(conn, touched, fresh)
    return Saved("updated" if replace is not None else "added", doc_id, len(ready.events), n_new)


def unlink_document(conn: Connection, doc_id: int, only: set[int] | None = None) -> set[int]:
    """Remove a document's reports from the events (all, or the source rows in `only`);
    events left without a source are deleted. Returns the events still to refresh."""
    if only is None:
        affected = {r[0] for r in sql.rows(conn, "SELECT event_id FROM event_sources WHERE document_id = :d", {"d": doc_id})}
        sql.execute(conn, "DELETE FROM event_sources WHERE document_id = :d", {"d": doc_id}).close()
    elif only:
        affected = {r[0] for r in sql.rows(conn, "SELECT event_id FROM event_sources WHERE id IN :ids", {"ids": list(only)})}
        sql.execute(conn, "DELETE FROM event_sources WHERE id IN :ids", {"ids": list(only)}).close()
    else:
        return set()
    left = {r[0] for r in sql.rows(conn, "SELECT DISTINCT event_id FROM event_sources WHERE event_id IN :ids",
                                   {"ids": list(affected)})} if affected else set()
    gone = affected - left
    if gone:
        sql.execute(conn, "DELETE FROM events WHERE id IN :ids", {"ids": list(gone)}).close()
    if only is None:
        refresh_events(conn, left)
    return left


def _sentences(text: str, evidence: list[dict[str, Any]], split: Sentences | None = None) -> list[str]:
    split = split or Sentences(text)
    out: list[str] = []
    for ev in evidence:
        s = split.around(ev["start"], ev["end"])
        if s and s not in out:
            out.append(s)
        if len(out) >= MAX_SENTENCES:
            break
    return out


# A sentence ends at . ! ? before a capital, but not after an initial or "U.S." ("led by
# U.S. Under Secretary ...") or a title's abbreviation; a line break ends one too.
_BOUNDARY = re.compile(r"(?<=[.!?])(?<!\b[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bMrs\.)(?<!\bSen\.)(?<!\bRep\.)"
                       r"(?<!\bGov\.)(?<!\bAmb\.)(?<!\bNo\.)(?<!\bSt\.)\s+(?=[\"“A-Z0-9])|\n")


class Sentences:
    """The sentences of a text, found once, for the spans of many pieces of evidence."""

    def __init__(self, text: str) -> None:
        self.text = text
        found = list(_BOUNDARY.finditer(text))
        self.starts = [0] + [m.end() for m in found]      # where each sentence begins
        self.stops = [m.start() for m in found] + [len(text)]  # where each one ends

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where the sentence (or sentences) holding a span begins and ends in the text."""
        n = len(self.text)
        start, end = max(0, min(start, n)), max(0, min(end, n))
        i = max(0, bisect_right(self.starts, start) - 1)
        j = min(len(self.stops) - 1, bisect_left(self.stops, end))
        return self.starts[i], max(self.stops[j], self.starts[i])

    def around(self, start: int, end: int) -> str:
        """The sentence (or sentences) holding a span, capped in length."""
        first, last = self.span(start, end)
        return self.text[first:last].strip()[:MAX_SENTENCE_CHARS]


def supporting_sentence(text: str, start: int, end: int) -> str:
    """The sentence around a span of the text (capped in length)."""
    return Sentences(text).around(start, end)


def _anchor(ev: dict[str, Any], published: str | None) -> str | None:
    return ev.get("start") or published


@lru_cache(maxsize=32)
def _candidates_sql(by_mech: bool, dated: bool, by_round: bool, by_day: bool) -> str:
    """The stored events that may be a document's event. Besides its type family, its
    mechanism (or sides) and a three-year window, what `merge.score` rules out anyway: a
    different round, or another day when both give the day."""
    where = ["type IN :family",
             "(mechanism_id = :mech OR (mechanism_id IS NULL AND parties = :parties))" if by_mech else "parties = :parties"]
    if dated:
        where.append("sort_date >= :lo AND sort_date <= :hi")
    if by_round:
        where.append('("round" IS NULL OR "round" = :round)')
    if by_day:
        where.append('(start IS NULL OR length(start) < 10 OR (start <= :day_end AND coalesce("end", start) >= :day_start))')
    return ('SELECT id, type, status, mechanism_id, "round", start, "end", place, parties, sort_date, people_keys, '
            "first_report, last_report FROM events WHERE " + " AND ".join(where) + " ORDER BY sort_date DESC LIMIT 200")


def _send_candidates(conn: Connection, ev: dict[str, Any], published: str | None) -> Any:
    """Sends the look-up of the stored events that may be this one: of its type family and
    its mechanism (or of no mechanism and its sides), from the year before its date (or its
    report's) to the year after. A document's look-ups are sent together and read in one
    round trip; each is one of a few statements, which the server plans once and reuses."""
    mech_id = ev.get("mechanism_id")
    family = sorted(merge.MEETINGS) if ev["type"] in merge.MEETINGS else [ev["type"]]
    params: dict[str, Any] = {"family": family, "parties": " ".join(sorted(ev.get("parties") or []))}
    if mech_id:
        params["mech"] = mech_id
    anchor = _anchor(ev, published)
    if anchor:
        y = int(anchor[:4])
        params.update(lo=f"{y - 1}", hi=f"{y + 1}-12-31")
    if ev.get("round"):
        params["round"] = ev["round"]
    start = ev.get("start")
    by_day = bool(start and len(start) == 10)
    if by_day:
        params.update(day_start=start, day_end=ev.get("end") or start)
    return sql.execute(conn, _candidates_sql(bool(mech_id), bool(anchor), bool(ev.get("round")), by_day), params)


def _candidates(found: list[tuple]) -> list[merge.Candidate]:
    return [merge.Candidate(id=r[0], type=r[1], status=r[2], mechanism_id=r[3], round=r[4], start=r[5], end=r[6], place=r[7],
                            parties=r[8], sort_date=r[9], people=set(r[10].split("|")) - {""} if r[10] else set(),
                            published=[d for d in (r[11], r[12]) if d])
            for r in found]


_SAME_REPORT = ("type", "status", "mechanism", "round", "start", "end", "parties")


def _same_report(ev: dict[str, Any], previous: list[tuple[int, dict[str, Any]]], taken: set[int]) -> int | None:
    """The record that the earlier version of this document reported this event in."""
    return next((eid for eid, old in previous if eid not in taken and all(old.get(k) == ev.get(k) for k in _SAME_REPORT)), None)


def link_events(conn: Connection, doc_id: int, ready: Prepared, previous: list[tuple[int, dict[str, Any]]] | None = None,
                ) -> tuple[int, set[int], dict[int, list[tuple[dict[str, Any], str | None]]]]:
    """Attach each event of a document to its record, creating records for new events.
    `previous` holds (record id, event) of the document's earlier version, whose records
    an unchanged event keeps. Returns the number of new records, every record touched, and
    the sources of the new records (this document's events: nothing to read back)."""
    published = ready.extraction.document.published
    evs = []
    for prepared in ready.events:
        ev = dict(prepared, participants=[dict(p) for p in prepared.get("participants") or []])
        ev["mechanism_id"] = registry.resolve_mechanism(conn, ev["mechanism"], ev.get("parties") or []) if ev.get("mechanism") else None
        for p in ev["participants"]:
            p["person_id"] = registry.resolve_person(conn, p, published)
        evs.append(ev)
    if not evs:
        return 0, set(), {}
    drawn = sql.new_ids(conn, "events", len(evs))
    sent = [_send_candidates(conn, ev, published) for ev in evs]  # all sent, then read in one round trip
    candidates = [_candidates(sql.fetch(cur)) for cur in sent]
    ids = _drawn(drawn)
    taken: set[int] = set()
    fresh: dict[int, list[tuple[dict[str, Any], str | None]]] = {}
    rows = []
    for position, ev in enumerate(evs):
        mech_id = ev["mechanism_id"]
        kept = _same_report(ev, previous or [], taken)
        match = None if kept is not None else merge.best_match(ev, mech_id, published, candidates[position], taken)
        if kept is not None:
            event_id = kept
        elif match is None:
            stamp = registry.now()
            event_id = _add(conn, "events", dict(
                type=ev["type"], status=ev["status"], mechanism_id=mech_id, mechanism=ev.get("mechanism"),
                round=ev.get("round"), start=ev.get("start"), end=ev.get("end"),
                parties=" ".join(sorted(ev.get("parties") or [])), sort_date=_anchor(ev, published) or "",
                data="{}", n_sources=0, people_keys="", created_at=stamp, updated_at=stamp), ids)
            fresh[event_id] = [(ev, published)]
        else:
            event_id = match.id
        taken.add(event_id)
        rows.append({"event_id": event_id, "document_id": doc_id, "position": position, "published": published,
                     "data": json.dumps(ev, ensure_ascii=False)})
    sql.insert_many(conn, "event_sources", rows)
    return len(fresh), taken, fresh


_UPDATE_EVENT = ('UPDATE events SET type = :type, status = :status, mechanism_id = :mechanism_id, mechanism = :mechanism, '
                 '"round" = :round, start = :start, "end" = :end, place = :place, country = :country, parties = :parties, '
                 "sort_date = :sort_date, data = :data, n_sources = :n_sources, people_keys = :people_keys, "
                 "first_report = :first_report, last_report = :last_report, updated_at = :updated_at WHERE id = :eid")
_SIDE_TABLES = ("event_parties", "event_topics", "event_people", "event_orgs", "event_text")


def refresh_events(conn: Connection, event_ids: set[int],
                   new: dict[int, list[tuple[dict[str, Any], str | None]]] | None = None) -> None:
    """Recompute records from all their sources, with their search text and side tables
    (a record left without sources is deleted). `new` gives the sources of the records
    created in this transaction: they are not read back, and have no side rows to clear."""
    if not event_ids:
        return
    ids = sorted(event_ids)
    new = {i: v for i, v in (new or {}).items() if i in event_ids}
    versions = {i: list(v) for i, v in new.items()}
    unread = [i for i in ids if i not in versions]
    for eid, data, published in sql.rows(conn, _SOURCES_OF, {"ids": unread}) if unread else []:
        versions.setdefault(eid, []).append((json.loads(data), published))
    gone = [i for i in ids if i not in versions]
    if gone:
        sql.execute(conn, "DELETE FROM events WHERE id IN :ids", {"ids": gone}).close()
    live = [i for i in ids if i in versions]
    if not live:
        return
    stale = [i for i in live if i not in new]
    for table in _SIDE_TABLES if stale else ():
        sql.execute(conn, f"DELETE FROM {table} WHERE event_id IN :ids", {"ids": stale}).close()
    stamp = registry.now()
    updates: list[dict[str, Any]] = []
    side: dict[str, list[dict[str, Any]]] = {t: [] for t in _SIDE_TABLES}
    for eid in live:
        vs = versions[eid]
        rec = merge.reconcile(vs)
        mech_ids = [v.get("mechanism_id") for v, _ in vs if v.get("mechanism_id")]
        reports = sorted(p for _, p in vs if p)
        first_pub = reports[0] if reports else None
        loc = rec.get("location") or {}
        keys = sorted({person_key(p["name"]) for p in rec["participants"] if p.get("role") != "mentioned"} - {""})
        updates.append({
            "eid": eid, "type": rec["type"], "status": rec["status"],
            "mechanism_id": max(set(mech_ids), key=mech_ids.count) if mech_ids else None,
            "mechanism": rec["mechanism"], "round": rec["round"], "start": rec["start"], "end": rec["end"],
            "place": loc.get("place"), "country": loc.get("country"), "parties": " ".join(rec["parties"]),
            "sort_date": _sort_date(rec, first_pub), "data": json.dumps(rec, ensure_ascii=False), "n_sources": len(vs),
            "people_keys": "|".join(keys), "first_report": first_pub, "last_report": reports[-1] if reports else None,
            "updated_at": stamp})
        side["event_parties"] += [{"event_id": eid, "country": c} for c in rec["parties"]]
        side["event_topics"] += [{"event_id": eid, "topic": t} for t in rec["topics"]]
        seen: set[str] = set()
        for p in rec["participants"]:
            if p.get("person_id") and p["person_id"] not in seen:
                seen.add(p["person_id"])
                side["event_people"].append({"event_id": eid, "person_id": p["person_id"], "role": p.get("role") or "mentioned",
                                             "title": p.get("title"), "org": p.get("org"), "country": p.get("country")})
        side["event_orgs"] += [{"event_id": eid, "org_id": registry.resolve_org(conn, o)} for o in rec["organizations"]]
        side["event_text"].append({"event_id": eid, "body": _search_body(rec, vs)})
    sql.many(conn, _UPDATE_EVENT, updates)
    for table in _SIDE_TABLES:
        sql.insert_many(conn, table, side[table])


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


