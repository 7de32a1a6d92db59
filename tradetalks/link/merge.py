"""One real-world event from many reports: when a document's event is the same as a
record already stored, and how a record's fields are reconciled from all its sources.

Both are plain functions over the contract's event dicts, so they are tested alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tradetalks.link.names import person_key

MEETINGS = {"meeting", "negotiation_round"}
ROLE_RANK = {"lead": 3, "member": 2, "mentioned": 1}
MIN_SCORE = 3.0


@dataclass
class Candidate:
    """A stored event record, as the matcher sees it."""

    id: int
    type: str
    status: str
    mechanism_id: str | None
    round: int | None
    start: str | None
    end: str | None
    place: str | None
    parties: str
    sort_date: str
    people: set[str] = field(default_factory=set)      # person keys of its leads and members
    published: list[str] = field(default_factory=list)  # publication dates of its sources (first and last)


def _precision(d: str | None) -> int:
    return 0 if not d else {4: 1, 7: 2, 10: 3}.get(len(d), 0)


def dates_agree(a_start: str | None, a_end: str | None, b_start: str | None, b_end: str | None) -> bool | None:
    """True when two date spans can be the same event ('2024-04' and '2024-04-04'), False
    when they cannot, None when either is missing."""
    if not a_start or not b_start:
        return None
    a_end, b_end = a_end or a_start, b_end or b_start
    # Compare at the precision both give: the spans must overlap.
    n = min(_precision(a_start), _precision(b_start))
    width = {1: 4, 2: 7, 3: 10}[n] if n else 4
    return a_start[:width] <= b_end[:width] and b_start[:width] <= a_end[:width]


def score(event: dict[str, Any], mechanism_id: str | None, published: str | None, c: Candidate) -> float | None:
    """How well a document's event fits a stored record; None when they cannot be one."""
    if event["type"] != c.type and not (event["type"] in MEETINGS and c.type in MEETINGS):
        return None
    parties = " ".join(sorted(event.get("parties") or []))
    if mechanism_id and c.mechanism_id and mechanism_id != c.mechanism_id:
        return None
    if event.get("round") and c.round and event["round"] != c.round:
        return None
    agree = dates_agree(event.get("start"), event.get("end"), c.start, c.end)
    if agree is False:
        return None
    same_mech = bool(mechanism_id and mechanism_id == c.mechanism_id)
    if not same_mech and (parties != c.parties or " " not in parties):
        return None  # without a mechanism in common, the (two or more) sides must be the same
    if event.get("status") != c.status:
        # A planned event that happens: the held report must not come before the plan.
        held_first = event.get("status") == "held" and published and c.published and published < min(c.published)
        planned_late = event.get("status") == "planned" and published and c.published and published > max(c.published) \
            and c.status == "held"
        if held_first or planned_late:
            return None
    s = 0.0
    if same_mech:
        s += 2
    if parties and parties == c.parties:
        s += 1
    if event.get("round") and event["round"] == c.round:
        s += 3
    if agree:
        s += 3 if _precision(event.get("start")) == 3 and event.get("start") == c.start else 1.5
    place = (event.get("location") or {}).get("place")
    if place and c.place and place.lower() == c.place.lower():
        s += 1
    keys = {person_key(p["name"]) for p in event.get("participants") or [] if p.get("role") != "mentioned"}
    s += min(3, len(keys & c.people))
    if event["type"] == c.type:
        s += 0.5
    # Without a date, round, place or people in common, only a report close in time of the
    # same mechanism ("the next round, at a date to be set") is the same event.
    shared = agree or (event.get("round") and event["round"] == c.round) or (keys & c.people) or (
        place and c.place and place.lower() == c.place.lower())
    if not shared:
        if not same_mech or agree is not None or not published or not c.published:
            return None
        if _days(published, min(c.published)) > 45:
            return None  # counted from the first report, so that a chain of "next rounds" stays apart
        if event["type"] in MEETINGS and event.get("status") != c.status:
            return None
    return s if s >= MIN_SCORE or shared else None


def _days(a: str, b: str) -> int:
    from datetime import date
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except ValueError:
        return 10_000


def best_match(event: dict[str, Any], mechanism_id: str | None, published: str | None,
               candidates: list[Candidate], taken: set[int]) -> Candidate | None:
    scored = [(s, c) for c in candidates if c.id not in taken
              for s in [score(event, mechanism_id, published, c)] if s is not None]
    if not scored:
        return None
    return max(scored, key=lambda x: (x[0], -abs(len(x[1].published))))[1]


def _most(values: list[Any]) -> Any:
    """The most frequent value, ties to the first seen."""
    values = [v for v in values if v not in (None, "", [])]
    if not values:
        return None
    counts = Counter(map(repr, values))
    best = max(counts.values())
    return next(v for v in values if counts[repr(v)] == best)


def reconcile(sources: list[tuple[dict[str, Any], str | None]]) -> dict[str, Any]:
    """The record of one event from every source's version of it, given as (event dict,
    published date), oldest report first. An exact date beats a month, a source that names
    the round fills it for all, and a planned event becomes held once a report says so."""
    events = [e for e, _ in sources]
    held = [e for e in events if e.get("status") == "held"]
    pool = held or events
    types = Counter(e["type"] for e in events)
    top = max(types.values())
    etype = "negotiation_round" if types.get("negotiation_round") == top else next(t for t in types if types[t] == top)
    dated = [e for e in pool if e.get("start")]
    start = end = None
    if dated:
        best = max(_precision(e["start"]) for e in dated)
        exact = [e for e in dated if _precision(e["start"]) == best]
        start = _most([e["start"] for e in exact])
        end = _most([e.get("end") for e in exact if e["start"] == start]) or start
    located = [e["location"] for e in pool if e.get("location") and (e["location"].get("place") or e["location"].get("country"))]
    with_place = [loc for loc in located if loc.get("place")]
    location = _most(with_place or located)
    people: dict[str, dict[str, Any]] = {}
    for e in events:
        for p in e.get("participants") or []:
            key = p.get("person_id") or person_key(p["name"])
            have = people.get(key)
            if have is None:
                people[key] = dict(p)
                continue
            if ROLE_RANK.get(p.get("role", ""), 0) > ROLE_RANK.get(have.get("role", ""), 0):
                have["role"] = p["role"]
            for k in ("title", "org", "country"):
                if not have.get(k) and p.get(k):
                    have[k] = p[k]
            if len(p["name"]) > len(have["name"]):
                have["name"] = p["name"]
    outcomes: list[dict[str, Any]] = []
    for e in events:
        for o in e.get("outcomes") or []:
            if not any(o["type"] == x["type"] and o["text"].lower() == x["text"].lower() for x in outcomes):
                outcomes.append({"type": o["type"], "text": o["text"]})
    return {
        "type": etype,
        "status": "held" if held else "planned",
        "mechanism": _most([e.get("mechanism") for e in events]),
        "round": _most([e.get("round") for e in events]),
        "start": start,
        "end": end,
        "location": location,
        "parties": _most([sorted(e.get("parties") or []) for e in pool]) or [],
        "participants": sorted(people.values(), key=lambda p: (-ROLE_RANK.get(p.get("role", ""), 0), p["name"])),
        "organizations": sorted({o for e in events for o in e.get("organizations") or []}),
        "topics": sorted({t for e in events for t in e.get("topics") or []}),
        "outcomes": outcomes,
    }
