"""One real-world event from many reports: when a document's event is the same as a
record already stored, and how a record's fields are reconciled from all its sources.

Both are plain functions over the contract's event dicts, so they are tested alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from tradetalks.link.names import fold, person_key
from tradetalks.models import MEETING_FAMILY

# Places are folded at every comparison of a report with a record: the few names, once.
_fold_place = lru_cache(maxsize=4096)(fold)

MEETINGS = MEETING_FAMILY  # the meeting family matches within itself
# Acts the sides announce together (an agreement reached, a mechanism launched): reported
# the same day in other time zones, and seldom twice between the same sides in one week.
ANNOUNCED = {"agreement", "launch"}
ROLE_RANK = {"lead": 3, "member": 2, "mentioned": 1}
MIN_SCORE = 3.0


@dataclass(slots=True)
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


HELD_WITHIN = 7  # days before its report that a held meeting reported without a date took place


def stated(event: dict[str, Any]) -> dict[str, Any]:
    """An event as its report states it: without the date, round or place that its
    evidence takes from other sentences (`borrowed`, see link.prepared), which may be
    another meeting's."""
    away = set(event.get("borrowed") or ())
    if not away:
        return event
    out = dict(event)
    if "date" in away:
        out["start"] = out["end"] = None
    if "round" in away:
        out["round"] = None
    if "location" in away:
        out["location"] = None
    return out


def window(start: str | None, end: str | None, status: str, published: list[str]) -> tuple[str | None, str | None]:
    """When an event took place: its dates; a held event without them, within the
    HELD_WITHIN days before its (first) report to its last."""
    if start or status != "held" or not published:
        return start, end
    try:
        first = (date.fromisoformat(min(published)[:10]) - timedelta(days=HELD_WITHIN)).isoformat()
    except ValueError:
        return None, None
    return first, max(published)[:10]


def _as_planned(start: str | None, end: str | None, planned: bool) -> tuple[str | None, str | None]:
    """A planned event's dates as a held report of it is compared with them: announced
    days move, so only the month counts."""
    if not planned:
        return start, end
    return (start[:7] if start else None), (end[:7] if end else None)


def _dates(event: dict[str, Any], c: Candidate) -> tuple[tuple[str | None, str | None], tuple[str | None, str | None]]:
    """The report's and the record's dates as they are compared (see _as_planned)."""
    mixed = event.get("status") != c.status
    return (_as_planned(event.get("start"), event.get("end"), mixed and event.get("status") == "planned"),
            _as_planned(c.start, c.end, mixed and c.status == "planned"))


def _place_of(event: dict[str, Any]) -> str | None:
    place = (event.get("location") or {}).get("place")
    return _fold_place(place) if place else None


def next_day(a_start: str | None, a_end: str | None, b_start: str | None, b_end: str | None) -> bool:
    """Whether two exact dates are a day apart (an announcement dated where each report
    was written: the same joint statement is Friday in Washington, Saturday in Delhi)."""
    if not (a_start and b_start and _precision(a_start) == 3 and _precision(b_start) == 3):
        return False
    try:
        first, last = sorted([(a_start, a_end or a_start), (b_start, b_end or b_start)])
        return (date.fromisoformat(last[0]) - date.fromisoformat(first[1][:10])).days == 1
    except ValueError:
        return False


def conflicts(event: dict[str, Any], mechanism_id: str | None, c: Candidate, place: str | None = None) -> bool:
    """Whether a report states something its candidate record cannot be: another type
    family, mechanism, round, date (day or month; an announcement may be dated a day
    apart, see next_day) or place. `place`: the report's place folded, when worked out
    already (Probe)."""
    if event["type"] != c.type and not (event["type"] in MEETINGS and c.type in MEETINGS):
        return True
    if mechanism_id and c.mechanism_id and mechanism_id != c.mechanism_id:
        return True
    if event.get("round") and c.round and event["round"] != c.round:
        return True
    mine, theirs = _dates(event, c)
    if dates_agree(*mine, *theirs) is False and not (event["type"] in ANNOUNCED and next_day(*mine, *theirs)):
        return True
    place, other = place or _place_of(event), _fold_place(c.place or "")
    return bool(place and other and place not in other and other not in place)


def _status_order_wrong(event: dict[str, Any], published: str | None, c: Candidate) -> bool:
    """A planned event that happens: the held report must not come before the plan."""
    if event.get("status") == c.status or not published or not c.published:
        return False
    held_first = event.get("status") == "held" and published < min(c.published)
    planned_late = event.get("status") == "planned" and published > max(c.published) and c.status == "held"
    # Nor is a plan announced after the meeting took place.
    planned_after = (event.get("status") == "planned" and c.status == "held" and _before(c.end or c.start, published)) or (
        event.get("status") == "held" and c.status == "planned" and _before(event.get("end") or event.get("start"), min(c.published)))
    return bool(held_first or planned_late or planned_after)


def _before(day: str | None, published: str) -> bool:
    """Whether a date (of any precision) is over before a publication date."""
    return bool(day) and str(day) < published[:len(str(day))]


@dataclass(frozen=True, eq=False)
class Probe:
    """A report as it is compared with records (score): what it states, worked out once
    for all the records it is compared with."""

    event: dict[str, Any]           # as stated (see stated)
    mechanism_id: str | None
    published: str | None
    parties: str                    # its sides, sorted and space-separated
    place: str | None               # folded
    keys: frozenset[str]            # person keys of its leads and members


def probe(event: dict[str, Any], mechanism_id: str | None, published: str | None) -> Probe:
    """A report (its event, its mechanism's registry id, its document's date) as score
    compares it."""
    event = stated(event)
    return Probe(event, mechanism_id, published, " ".join(sorted(event.get("parties") or [])), _place_of(event),
                 frozenset(person_key(p["name"]) for p in event.get("participants") or [] if p.get("role") != "mentioned"))


def score(event: dict[str, Any], mechanism_id: str | None, published: str | None, c: Candidate) -> float | None:
    """How well a document's event fits a stored record; None when they cannot be one:
    when anything they state conflicts, or nothing but their mechanism or sides joins them."""
    return fit(probe(event, mechanism_id, published), c)


def fit(p: Probe, c: Candidate) -> float | None:
    """score, of a report worked out beforehand."""
    event, mechanism_id, published, parties = p.event, p.mechanism_id, p.published, p.parties
    same_mech = bool(mechanism_id and mechanism_id == c.mechanism_id)
    if not same_mech and (parties != c.parties or " " not in parties):
        return None  # without a mechanism in common, the (two or more) sides must be the same
    if conflicts(event, mechanism_id, c, p.place) or _status_order_wrong(event, published, c):
        return None
    mine, theirs = _dates(event, c)
    agree = dates_agree(*mine, *theirs)
    near = None
    announced = event["type"] in ANNOUNCED and event["type"] == c.type and event.get("status") == c.status == "held"
    if event["type"] in MEETINGS or announced:
        near = dates_agree(*window(*mine, event.get("status", ""), [published] if published else []),
                           *window(*theirs, c.status, c.published))
        if near is False and announced and next_day(*mine, *theirs):
            near = True
    if near is False and event["type"] in MEETINGS:
        return None  # a meeting held that week is not one held in another
    same_place = bool(p.place and c.place and p.place == _fold_place(c.place))
    same_round = bool(event.get("round") and event["round"] == c.round)
    keys = p.keys
    s: float = (2 if same_mech else 0) + (1 if parties and parties == c.parties else 0) + (3 if same_round else 0)
    if agree:  # the finer the dates both give, the more their agreeing counts
        fine = min(_precision(mine[0]), _precision(theirs[0]))
        s += 3 if fine == 3 and mine[0] == theirs[0] else {1: 0.5, 2: 1.5, 3: 2}.get(fine, 0.5)
    s += (1 if same_place else 0) + min(3, len(keys & c.people)) + (0.5 if event["type"] == c.type else 0)
    # What joins them besides their mechanism or sides: a date, round, place or people in
    # common, or (of one mechanism) a held meeting reported in the week of its date. A
    # report dated by nothing at all (no date, no document date) needs a round or people.
    dated = bool(event.get("start") or published)
    shared = same_round or bool(keys & c.people) or (dated and (agree or same_place or ((same_mech or announced) and near)))
    if not shared:
        if not same_mech or agree is not None or not published or not c.published:
            return None
        if _days(published, min(c.published)) > 45:
            return None  # counted from the first report, so that a chain of "next rounds" stays apart
        if event["type"] in MEETINGS and event.get("status") != c.status:
            return None
    return s if s >= MIN_SCORE or shared else None


def _days(a: str, b: str) -> int:
    """Days between two dates, a month or year counted from its first day."""
    try:
        return abs((date.fromisoformat(_first_day(a)) - date.fromisoformat(_first_day(b))).days)
    except ValueError:
        return 10_000


def _first_day(d: str) -> str:
    return (d[:10] + "-01-01"[len(d[:10]) - 4:]) if len(d[:10]) in (4, 7) else d[:10]


def best_match(event: dict[str, Any], mechanism_id: str | None, published: str | None,
               candidates: list[Candidate], taken: set[int], held_round: int | None = None) -> Candidate | None:
    """The record a report is of, or None. `held_round`: the round of its mechanism that
    its document reports held, if any (see next_meeting)."""
    p = probe(event, mechanism_id, published)
    scored = [(s, c) for c in candidates if c.id not in taken for s in [fit(p, c)] if s is not None]
    if not scored:
        free = [c for c in candidates if c.id not in taken]
        return next_meeting(event, mechanism_id, published, free, held_round) or last_launch(event, mechanism_id, published, free)
    # Of records that fit as well, the one reported first (then the older id): the same
    # choice whatever else the candidates' query returned.
    return min(scored, key=lambda x: (-x[0], min(x[1].published) if x[1].published else "9999", x[1].id))[1]


NEXT_WITHIN = 365  # days from a plan of "the next meeting" to the meeting


def _of_mechanism(cands: list[Candidate], mechanism_id: str, status: str) -> list[Candidate]:
    return [c for c in cands if c.mechanism_id == mechanism_id and c.status == status and c.type in MEETINGS]


def held_rounds(events: list[dict[str, Any]]) -> dict[str, int]:
    """The latest round of each mechanism that a document reports held."""
    out: dict[str, int] = {}
    for ev in map(stated, events):
        if ev.get("status") == "held" and ev.get("round") and ev.get("mechanism_id") and ev["type"] in MEETINGS:
            out[ev["mechanism_id"]] = max(out.get(ev["mechanism_id"], 0), int(ev["round"]))
    return out


def next_meeting(event: dict[str, Any], mechanism_id: str | None, published: str | None,
                 candidates: list[Candidate], held_round: int | None = None) -> Candidate | None:
    """A plan of a mechanism's next meeting, without date or round ("looking to the next
    ministerial"), is the first meeting of it held after the plan was announced, within
    NEXT_WITHIN days (when its document reports round n held, one of round n+1 or of no
    round); and a meeting held is the latest such plan before it, when no other meeting of
    the mechanism was held in between."""
    event = stated(event)
    if event["type"] not in MEETINGS or not mechanism_id or not published:
        return None
    if event.get("status") == "planned":
        if event.get("start") or event.get("round"):
            return None
        held = [c for c in _of_mechanism(candidates, mechanism_id, "held")
                if c.sort_date > published and _days(published, c.sort_date) <= NEXT_WITHIN
                and (held_round is None or c.round in (None, held_round + 1)) and not conflicts(event, mechanism_id, c)]
        return min(held, key=lambda c: (c.sort_date, c.id)) if held else None
    day = event.get("start") or published
    plans = [c for c in _of_mechanism(candidates, mechanism_id, "planned")
             if not c.start and not c.round and c.published and min(c.published) < day
             and _days(min(c.published), day) <= NEXT_WITHIN and not conflicts(event, mechanism_id, c)]
    held = _of_mechanism(candidates, mechanism_id, "held")
    for plan in sorted(plans, key=lambda c: (min(c.published), c.id), reverse=True):
        if not any(min(plan.published) < c.sort_date < day for c in held):
            return plan
    return None


def last_launch(event: dict[str, Any], mechanism_id: str | None, published: str | None,
                candidates: list[Candidate]) -> Candidate | None:
    """A mechanism's launch recalled without a date of its own ("since relaunching the
    HLED a year ago") is its latest launch held before the report (a relaunch, not the
    first founding)."""
    event = stated(event)
    if event["type"] != "launch" or event.get("status") != "held" or event.get("start") or not mechanism_id or not published:
        return None
    held = [c for c in candidates if c.type == "launch" and c.status == "held" and c.mechanism_id == mechanism_id
            and c.sort_date and c.sort_date < published and not conflicts(event, mechanism_id, c)]
    return max(held, key=lambda c: (c.sort_date, -c.id)) if held else None


def _most(values: list[Any]) -> Any:
    """The most frequent value, ties to the first seen."""
    values = [v for v in values if v not in (None, "", [])]
    if len(values) <= 1:
        return values[0] if values else None
    # Counted by their repr (lists and places are not hashable); names and dates as they are.
    keys = values if all(type(v) is str for v in values) else list(map(repr, values))
    counts = Counter(keys)
    best = max(counts.values())
    return next(v for v, k in zip(values, keys, strict=True) if counts[k] == best)


def _merge_person(have: dict[str, Any], p: dict[str, Any]) -> None:
    if ROLE_RANK.get(p.get("role", ""), 0) > ROLE_RANK.get(have.get("role", ""), 0):
        have["role"] = p["role"]
    for k in ("title", "org", "country"):
        if not have.get(k) and p.get(k):
            have[k] = p[k]
    if len(p["name"]) > len(have["name"]):
        have["name"] = p["name"]


def participants(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A record's people from its reports, each once (by registry id). A surname alone
    ('Biden', a person of its own in the registry) is the one person of the record whose
    name has that word and who is of no other side, when there is one."""
    people: dict[str, dict[str, Any]] = {}
    for e in events:
        for p in e.get("participants") or []:
            key = p.get("person_id") or person_key(p["name"])
            if key in people:
                _merge_person(people[key], p)
            else:
                people[key] = dict(p)
    for key, p in list(people.items()):
        word = person_key(p["name"])
        if not word or " " in word:
            continue
        full = [k for k, q in people.items() if k != key and word in person_key(q["name"]).split()
                and (not p.get("country") or not q.get("country") or p["country"] == q["country"])]
        if len(full) == 1:
            _merge_person(people[full[0]], dict(p, name=people[full[0]]["name"]))
            del people[key]
    return people


def reconcile(sources: list[tuple[dict[str, Any], str | None]]) -> dict[str, Any]:
    """The record of one event from every source's version of it, given as (event dict,
    published date), oldest report first. An exact date beats a month, a source that names
    the round fills it for all, and a planned event becomes held once a report says so."""
    events = [stated(e) for e, _ in sources]
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
    people = participants(events)
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
        "location": dict(location) if location else location,  # the reports are shared (fields.report_data)
        "parties": _most([sorted(e.get("parties") or []) for e in pool]) or [],
        "participants": sorted(people.values(), key=lambda p: (-ROLE_RANK.get(p.get("role", ""), 0), p["name"])),
        "organizations": sorted({o for e in events for o in e.get("organizations") or []}),
        "topics": sorted({t for e in events for t in e.get("topics") or []}),
        "outcomes": outcomes,
    }
