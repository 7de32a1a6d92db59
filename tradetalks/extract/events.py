"""Assemble events from what the recognizers found.

A sentence that reports an event carries a trigger ("held ... negotiating round", "was
launched", "visited", "slammed"); the event takes the date, place, mechanism, round,
countries and people nearest its trigger. Events that are the same (a headline round
and "the four-day negotiating round" later) are merged; events without a mechanism take
the document's when they belong to it; the headline (primary) event collects the topics,
outcomes, organizations and delegation leads of the sentences about it.
"""

from __future__ import annotations

from typing import cast

from tradetalks.extract.attach import sentence_events
from tradetalks.extract.confidence import confidence
from tradetalks.extract.drafts import Draft, Found
from tradetalks.extract.headline import headline_event
from tradetalks.extract.merging import merge
from tradetalks.extract.primary import choose_primary, enrich_primary, inherit, no_sides_for_multilateral, third_parties
from tradetalks.extract.triggers import find_triggers
from tradetalks.models import Event, EventType, Evidence, Outcome, OutcomeType, Participant, Place, Role, Status


def build(f: Found) -> list[Event]:
    triggers = find_triggers(f)
    drafts = sentence_events(f, triggers)
    drafts = merge(f, drafts)
    head = headline_event(f, drafts)
    if head is not None:
        drafts.append(head)
    if not drafts:
        return []
    primary = choose_primary(f, drafts) if head is None else head
    primary.primary = True
    inherit(f, drafts, primary)
    third_parties(f, drafts, primary)
    drafts = [d for d in drafts if not d.absorbed]
    enrich_primary(f, drafts, primary)
    drafts = merge(f, drafts)
    no_sides_for_multilateral(f, drafts)
    drafts.sort(key=lambda d: (not d.primary, d.pos))
    return [_to_event(f, d) for d in drafts]


def _to_event(f: Found, d: Draft) -> Event:
    ev: list[Evidence] = []

    def add(fieldname: str, span: tuple[int, int]) -> None:
        s, e = span
        if 0 <= s < e <= len(f.text):
            ev.append(Evidence.model_construct(field=fieldname, start=s, end=e))

    add("type", (d.trigger.start, d.trigger.end))
    add("status", (d.trigger.start, d.trigger.end))
    mechanism = d.mechanism.name if d.mechanism else None
    if d.mechanism:
        add("mechanism", (d.mechanism.start, d.mechanism.end))
    rnd = None
    if d.round:
        rnd = d.round[0]
        add("round", (d.round[1], d.round[2]))
    start = end = None
    if d.date and d.date.resolved:
        start, end = d.date.value
        add("start", (d.date.start, d.date.end))
        add("end", (d.date.start, d.date.end))
    location = None
    if d.place:
        place, country, ps, pe = d.place
        location = Place(place=place, country=country)
        add("location", (ps, pe))
    parties = sorted(c for c in d.parties if c)
    for c in parties:
        add("parties", d.parties[c])
    participants = []
    for p, role, span in d.people.values():
        if role == "mentioned" and not d.primary:
            continue
        participants.append(Participant(name=p.name, title=p.title, org=p.org, country=p.country, role=cast(Role, role)))
        add("participants", span)
    orgs = list(d.orgs)
    for o in orgs:
        add("organizations", d.orgs[o])
    topics = sorted(d.topics)
    for t in topics:
        add("topics", d.topics[t])
    outcomes = []
    for kind, span in d.outcomes.items():
        outcomes.append(Outcome(type=cast(OutcomeType, kind), text=f.text[span[0]:span[1]]))
        add("outcomes", span)
    return Event(
        type=cast(EventType, d.type), status=cast(Status, d.status), mechanism=mechanism, round=rnd, start=start, end=end,
        location=location, parties=parties, participants=participants, organizations=orgs,
        topics=topics, outcomes=outcomes, evidence=ev, confidence=confidence(f, d),
    )
