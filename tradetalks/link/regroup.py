"""Which reports are one event, decided the same way whatever order they arrived in.

The grouping is defined over reports in their canonical order (fields.order_key: by
publication date, then by what they say): each report joins the best fitting group formed
by the reports before it (merge.best_match), or starts one. A document's reports are placed
against the records they may be of (its candidates): when every one of those was reported
before the document (the usual case), the stored records are that grouping already and
the reports are only placed; otherwise (a document older than what is stored arrives, or
one of the same day) the reports of those records are grouped again from scratch, with the
document's, in canonical order. Plain functions over data; link.events reads and writes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from tradetalks.link import merge
from tradetalks.link.fields import columns, order_key
from tradetalks.store.events import Wanted


@dataclass
class Report:
    """One report of an event, as grouping sees it."""

    data: dict[str, Any]
    published: str | None
    document: int
    record: int | None = None   # the record it is attached to now (a hint for the record's id)
    sid: int | None = None      # its row, when stored
    position: int = -1          # its place in its document's extraction
    text: str = ""              # its JSON, as stored
    key: tuple[str, int, str] = ("", 0, "")

    def __post_init__(self) -> None:
        self.text = self.text or json.dumps(self.data, ensure_ascii=False)
        self.key = order_key(self.data, self.published, self.text)


@dataclass
class Group:
    """Reports that are one event: a stored record kept as it is (`fixed`), with the
    reports placed in it, or a group formed here."""

    fixed: merge.Candidate | None = None
    members: list[Report] = field(default_factory=list)
    view: merge.Candidate | None = None  # candidate_of(its index, members), while they are unchanged
    # What its view can hold (a record's type, mechanism and sides are one of its reports'):
    types: set[str] = field(default_factory=set)
    mechanisms: set[str] = field(default_factory=set)
    sides: set[str] = field(default_factory=set)

    def add(self, r: Report) -> None:
        self.members.append(r)
        self.view = None
        self.types.add(r.data["type"])
        if r.data.get("mechanism_id"):
            self.mechanisms.add(r.data["mechanism_id"])
        self.sides.add(" ".join(sorted(r.data.get("parties") or [])))

    def may_fit(self, w: Wanted) -> bool:
        """Whether its view may fit `w` (fits), from its reports alone: False only where
        fits(w, view) is False."""
        if not self.types.intersection(w.types):
            return False
        if w.mechanism_id and (w.mechanism_id in self.mechanisms or not self.mechanisms):
            return w.mechanism_id in self.mechanisms or w.parties in self.sides
        return not w.mechanism_id and w.parties in self.sides


def fits(w: Wanted, c: merge.Candidate) -> bool:
    """Whether a record is one the store's look-up of candidates (store.events.
    send_candidates) would give for `w`: the same filter, over data."""
    if c.type not in w.types:
        return False
    if w.mechanism_id:
        if not (c.mechanism_id == w.mechanism_id or (c.mechanism_id is None and c.parties == w.parties)):
            return False
    elif c.parties != w.parties:
        return False
    if w.since and c.sort_date and not (w.since <= c.sort_date <= (w.until or "")):
        return False
    if w.round and c.round is not None and c.round != w.round:
        return False
    if w.days and c.start and len(c.start) >= 10:
        return c.start <= w.days[1] and (c.end or c.start) >= w.days[0]
    return True


def candidate_of(gid: int, reports: list[Report]) -> merge.Candidate:
    """A group of reports as the matcher sees a stored record of them."""
    ordered = sorted(reports, key=lambda r: r.key)
    said = tuple((r.text, r.published) for r in ordered)  # what the view is made of: the same reports, the same view
    view = _VIEWS.get(said)
    if view is None:
        versions = [(r.data, r.published) for r in ordered]
        row = columns(merge.reconcile(versions), versions)
        view = merge.Candidate(id=-1, type=row["type"], status=row["status"], mechanism_id=row["mechanism_id"],
                               round=row["round"], start=row["start"], end=row["end"], place=row["place"],
                               parties=row["parties"], sort_date=row["sort_date"],
                               people=set(row["people_keys"].split("|")) - {""},
                               published=[d for d in (row["first_report"], row["last_report"]) if d])
        if len(_VIEWS) >= MAX_VIEWS:
            _VIEWS.clear()
        _VIEWS[said] = view
    return replace(view, id=gid, people=set(view.people), published=list(view.published))


# The views of groups worked out lately, by the reports (JSON, date) they are made of: a
# document arriving out of order regroups reports that the documents before it grouped the
# same way (each report's JSON says all a view is made of).
_VIEWS: dict[tuple[tuple[str, str | None], ...], merge.Candidate] = {}
MAX_VIEWS = 20_000


def _fixed_order(c: merge.Candidate) -> tuple[Any, ...]:
    """Stored records in an order of what they are, not of their ids."""
    return (min(c.published) if c.published else "~", c.sort_date, c.start or "", c.type, c.status,
            c.mechanism_id or "", c.round or 0, c.place or "", c.parties)


def place(reports: list[Report], fixed: list[merge.Candidate], wanted: Any) -> list[Group]:
    """Group `reports` in canonical order, each joining the best fitting group so far: the
    stored records `fixed` (their other reports not moved) or groups formed here.
    `wanted(report)` gives the store.events.Wanted of a report (the records it may be of).
    A group's view as a record is worked out when a report of another document needs it."""
    groups = [Group(fixed=c) for c in sorted(fixed, key=_fixed_order)]
    cands: list[merge.Candidate | None] = [replace(g.fixed, id=i)
                                           for i, g in enumerate(groups) if g.fixed]
    by_doc: dict[int, set[int]] = {}
    ordered = sorted(reports, key=lambda r: r.key)
    rounds = {d: merge.held_rounds([r.data for r in ordered if r.document == d]) for d in {r.document for r in ordered}}
    for r in ordered:
        w, mech, taken = wanted(r), r.data.get("mechanism_id"), by_doc.setdefault(r.document, set())
        for gid, c in enumerate(cands):
            if c is None and gid not in taken and groups[gid].may_fit(w):
                cands[gid] = groups[gid].view = candidate_of(gid, groups[gid].members)
        pool = [c for gid, c in enumerate(cands) if c is not None and gid not in taken and fits(w, c)]
        match = merge.best_match(r.data, mech, r.published, pool, taken, rounds[r.document].get(mech or ""))
        gid = len(groups) if match is None else match.id
        if match is None:
            groups.append(Group())
            cands.append(None)
        groups[gid].add(r)
        if groups[gid].fixed is None:
            cands[gid] = None  # its view changed: worked out again when needed
        taken.add(gid)
    return groups


def record_ids(groups: list[Group]) -> list[int | None]:
    """The stored record each group keeps (None: a new record): a fixed one's own; else the
    one most of its reports are attached to now, unless an earlier group took it."""
    used: set[int] = {g.fixed.id for g in groups if g.fixed}
    out: list[int | None] = []
    for g in groups:
        if g.fixed is not None:
            out.append(g.fixed.id)
            continue
        counts = Counter(r.record for r in g.members if r.record is not None)
        pick = next((rid for rid, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if rid not in used), None)
        if pick is not None:
            used.add(pick)
        out.append(pick)
    return out


def _fits_any(event: dict[str, Any], published: str | None, pool: list[merge.Candidate]) -> list[merge.Candidate]:
    """The records of `pool` a report may be of (merge.score, a plan of the next meeting,
    a launch recalled)."""
    mech = event.get("mechanism_id")
    p = merge.probe(event, mech, published)
    out = [c for c in pool if merge.fit(p, c) is not None]
    return out + [c for c in (merge.next_meeting(event, mech, published, pool), merge.last_launch(event, mech, published, pool))
                  if c is not None]


def as_report(c: merge.Candidate) -> dict[str, Any]:
    """A stored record as a report of it would read (to ask whether its reports may join
    another group)."""
    return {"type": c.type, "status": c.status, "mechanism_id": c.mechanism_id, "round": c.round, "start": c.start,
            "end": c.end, "location": {"place": c.place} if c.place else None, "parties": c.parties.split(),
            "participants": [{"name": k, "role": "lead"} for k in sorted(c.people)]}


def _pulled(a: merge.Candidate, b: merge.Candidate) -> bool:
    """Whether a report of record `a` may be of `b` by a rule that is not symmetric: a
    plan of the next meeting and that meeting, a launch recalled and the latest launch."""
    if a.type not in merge.MEETINGS and a.type != "launch" or not a.mechanism_id or a.mechanism_id != b.mechanism_id:
        return False
    return _may_pull(b)(a) and _pulls(a, b)


def _pulls(a: merge.Candidate, b: merge.Candidate) -> bool:
    """_pulled's comparison of dates, for records of one mechanism that _may_pull."""
    ev, pub = as_report(a), min(a.published) if a.published else None
    return merge.next_meeting(ev, a.mechanism_id, pub, [b]) is not None or merge.last_launch(ev, a.mechanism_id, pub, [b]) is not None


def _may_pull(b: merge.Candidate) -> Callable[[merge.Candidate], bool]:
    """What merge.next_meeting and merge.last_launch need of a record `a` (as a report) and
    `b` before they compare dates, as a test of `a`: a plan without date or round and a
    meeting held (either way round), or two launches held, `a`'s undated. Exact: where the
    test is False, _pulled is."""
    if b.type in merge.MEETINGS:
        if b.status == "held":
            return _undated_plan
        return _meeting_not_planned if b.status == "planned" and not b.start and not b.round else _never
    return _undated_launch if b.type == "launch" and b.status == "held" else _never


def _undated_plan(a: merge.Candidate) -> bool:
    return a.type in merge.MEETINGS and a.status == "planned" and not a.start and not a.round


def _meeting_not_planned(a: merge.Candidate) -> bool:
    return a.type in merge.MEETINGS and a.status != "planned"


def _undated_launch(a: merge.Candidate) -> bool:
    return a.type == "launch" and a.status == "held" and not a.start


def _never(_: merge.Candidate) -> bool:
    return False


def _related(a: merge.Candidate, b: merge.Candidate, probe: merge.Probe) -> bool:
    """Whether a report of one record may be of the other, either way, given that they are
    _joined (_fits_any's next_meeting and last_launch for `a` are _pulled(a, b); only its
    score is left). `probe`: `a` as a report (_as_probe)."""
    return _pulled(a, b) or _pulled(b, a) or merge.fit(probe, b) is not None


def _as_probe(c: merge.Candidate) -> merge.Probe:
    return merge.probe(as_report(c), c.mechanism_id, min(c.published) if c.published else None)


def _joined(a: merge.Candidate, b: merge.Candidate) -> bool:
    """What merge.score, next_meeting and last_launch all need of two records: one
    mechanism, or the same two or more sides."""
    if a.mechanism_id and a.mechanism_id == b.mechanism_id:
        return True
    sides = a.parties.split()
    return len(sides) >= 2 and set(sides) == set(b.parties.split())


def compatible(reports: list[Report], cands: list[merge.Candidate], wanted: Any) -> list[merge.Candidate]:
    """The records whose grouping these reports can change: those any of them may be of,
    and those whose reports may be of a group of one of them (by the rules that are not
    symmetric; merge.score nearly is)."""
    out: dict[int, merge.Candidate] = {}
    for r in reports:
        w = wanted(r)
        for c in _fits_any(r.data, r.published, [c for c in cands if fits(w, c)]):
            out[c.id] = c
        mech = r.data.get("mechanism_id")
        if r.data["type"] not in merge.MEETINGS and r.data["type"] != "launch" or not mech:
            continue
        same = [c for c in cands if c.id not in out and c.mechanism_id == mech]  # what _pulled needs first
        if same:
            alone = candidate_of(-1, [r])
            may = _may_pull(alone)  # which of them may pull it, by their fields alone
            out.update((c.id, c) for c in same if may(c) and _pulls(c, alone))
    return list(out.values())


def related_to(records: list[merge.Candidate], cands: list[merge.Candidate]) -> list[merge.Candidate]:
    """Of `cands`, the records a report of one of `records` may be of, or the reverse."""
    out = []
    for c in cands:
        joined = [g for g in records if _joined(c, g)]  # the cheap test first: every rule of _related needs it
        if not joined:
            continue
        probe = _as_probe(c)
        if any(_related(c, g, probe) for g in joined):
            out.append(c)
    return out


def reaching(groups: list[Group], cands: list[merge.Candidate]) -> list[merge.Candidate]:
    """Of `cands`, the records related to a group as it now stands (a group's dates and
    reports span more than any one of its reports did)."""
    return related_to([g.view or candidate_of(i, g.members) for i, g in enumerate(groups) if g.members], cands)


def reported_before(published: str | None, cands: list[merge.Candidate]) -> bool:
    """Whether every record was reported before this date (then the stored grouping
    stands and a document of that date only adds to it)."""
    return published is not None and all(c.published and max(c.published) < published for c in cands)
