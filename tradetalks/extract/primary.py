"""The headline (primary) event of a document, what the other events inherit from it, and
what the sentences about it add to it."""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from tradetalks import lexicons
from tradetalks.extract import matchers
from tradetalks.extract.attach import add_cues, is_third_country_phrase, ref_role
from tradetalks.extract.dates import DateMention
from tradetalks.extract.drafts import ANAPHOR, ORDINAL, REFERS, TALKS_WORDS, Draft, Found, fold, ordinal_value, title_round
from tradetalks.extract.headline import title_type
from tradetalks.extract.mechanisms import MechMention
from tradetalks.extract.merging import absorb, compatible_type, same_event
from tradetalks.extract.triggers import group_reacting
from tradetalks.models import MEETING_FAMILY
from tradetalks.regex import regex


def choose_primary(f: Found, drafts: list[Draft]) -> Draft:
    title = (f.title or "").lower()

    planned_title = bool(title and matchers.get().planned.search(title))  # "India, US Postpone Trade Deal Meet"
    about = title_type(title)
    numbered = title_round(f.title)

    def score(d: Draft) -> float:
        sc = 0.0
        if d.status == ("planned" if planned_title else "held"):
            sc += 4
        sc += {"negotiation_round": 3, "meeting": 3, "agreement": 2.5, "visit": 2, "statement": 1.5, "launch": 1, "reaction": 0}[d.type]
        if d.mechanism and title and core(d.mechanism.name) and core(d.mechanism.name) in fold(title):
            sc += 3
        if about and compatible_type(about, d.type):
            sc += 1.5
        sc -= 0.15 * min(d.trigger.sent, 20)
        if d.type in MEETING_FAMILY and d.trigger.anaphor and not d.date:
            sc -= 1
        if d.place and d.place[0] and title and fold(d.place[0]) in fold(title):
            sc += 2  # the headline names its place ("... Trade Meeting in Stockholm")
        if d.round and d.round[0] == numbered:
            sc += 3  # the headline numbers its round ("Korea and GCC hold 6th round of talks")
        if _PREAMBLE.match(f.text, f.sentences[d.trigger.sent][0]):
            sc -= 3  # "Recalling the Joint Statement ... in Geneva on May 12": what came before
        return sc

    best = max(drafts, key=score)
    best.primary = True
    _round_of_title(f, best)
    return best


# A preamble's clause: what a statement recalls, not what it reports.
_PREAMBLE = re.compile(r"\s*(?:[-•*]\s*)?(?:Recalling|Recogni[sz]ing|Noting|Reflecting on|Building (?:up)?on)\b")


def _round_of_title(f: Found, primary: Draft) -> None:
    """A round the headline numbers ("EFTA and India hold eighth round of FTA negotiations")
    is the primary meeting's, when its body does not number it, and the headline is in the text."""
    if primary.round or primary.type not in MEETING_FAMILY or not f.title:
        return
    m = ORDINAL.search(f.title)
    at = f.text.find(f.title)
    if m and at >= 0 and not (primary.mechanism and primary.mechanism.name not in f.title and core(primary.mechanism.name) not in fold(f.title)):
        value = ordinal_value(m.group(1))
        if value:
            primary.round = (value, at + m.start(), at + m.end())




def core(name: str) -> str:
    words = fold(name).split()
    while words and (matchers.lookup_country(words[0].upper() if len(words[0]) <= 3 else words[0].capitalize()) or words[0] in ("u", "s", "us", "united", "states", "north", "american", "america")):
        words = words[1:]
    return " ".join(words)


def inherit(f: Found, drafts: list[Draft], primary: Draft) -> None:
    _sides_of_leads(primary)  # the sides the others inherit are its own, not every country it mentions
    doc_parties = _doc_parties(f, primary)
    for d in drafts:
        if d is primary:
            continue
        # A meeting of the headline mechanism with nothing of its own is the headline event;
        # one led by other people ("commitments by President Biden and President Fernandez
        # at the Summit of the Americas") is another meeting.
        if d.status == primary.status and d.type in MEETING_FAMILY and primary.type in MEETING_FAMILY and not (d.date and d.date.resolved) and not d.mechanism and not (d.place and d.place[0]) and not _own_leads(d, primary):
            d.absorbed = True
            absorb(primary, d)
            continue
        if d.type == "visit" and primary.type in MEETING_FAMILY | {"launch"} and ANAPHOR.search(f.text[f.sentences[d.trigger.sent][0]:f.sentences[d.trigger.sent][1]]):
            d.absorbed = True
            absorb(primary, d)
            continue
        if d.type in MEETING_FAMILY and primary.type == "visit" and d.status == primary.status and not d.mechanism and not d.date:
            d.absorbed = True
            absorb(primary, d)
            continue
        if d.mechanism is None and primary.mechanism is not None and d.type in (MEETING_FAMILY | {"launch"}):
            same_sides = not d.parties or set(d.parties) <= set(primary.parties) | set(primary.mechanism.parties)
            if same_sides:
                d.mechanism = primary.mechanism
                d.mech_inherited = True
        if len([c for c in d.parties if c]) < 2 and d.type not in ("reaction",):
            for code, span in (primary.parties if d.type != "statement" else doc_parties).items():
                d.parties.setdefault(code, span)
            if len(d.parties) < 2:
                for code, span in doc_parties.items():
                    d.parties.setdefault(code, span)
    if len(primary.parties) < 2:
        for code, span in doc_parties.items():
            primary.parties.setdefault(code, span)
    _rounds_of_negotiations(f, drafts)
    for d in drafts:
        _sides_of_leads(d)


def no_sides_for_multilateral(f: Found, drafts: list[Draft]) -> None:
    """A meeting of a multilateral body has no sides (gold convention 12)."""
    orgs = lexicons.get().organizations
    names = [n for entry in orgs.values() if entry.get("kind") == "multilateral" for n in entry.get("names", [])]
    for d in drafts:
        if d.type in MEETING_FAMILY and _multilateral(f, d, orgs, names) or d.type not in ("statement", "reaction", "visit") and _bloc_side(f, d, orgs):
            d.parties = {}


def _bloc_side(f: Found, d: Draft, orgs: dict[str, dict[str, Any]]) -> bool:
    """A bloc is one of the sides ("ASEAN and Canada are aiming to conclude ...", "Korea-GCC FTA
    negotiations"): a side with no ISO3 code, so the event has no sides (gold convention 12)."""
    sent = f.sentences[d.trigger.sent]
    blocs = [o for o in f.within("orgs", sent) if orgs.get(o.name, {}).get("kind") == "multilateral"]
    if not blocs:
        return False
    countries = [c for c in f.within("countries", sent) if c.role in ("names", "adjectives", "government")]
    return any(_JOINED.fullmatch(f.text, a.end, b.start) for o in blocs for c in countries
               for a, b in ((o, c), (c, o)) if a.end <= b.start)


# Two sides joined: "ASEAN and Canada", "Korea-GCC", "the GCC and Britain".
_JOINED = re.compile(r"\s*(?:and|[-–—/])\s*(?:the\s+)?")


def _multilateral(f: Found, d: Draft, orgs: dict[str, dict[str, Any]], names: list[str]) -> bool:
    """A meeting of a multilateral body: named by it ("WTO Ministerial Conference") or its
    event word qualified by it ("the ASEAN summit", "Cairns Group Ministerial Meeting")."""
    if d.mechanism and any(regex(rf"\b{re.escape(n)}\b").search(d.mechanism.name) for n in names):
        return True
    s, _ = f.sentences[d.trigger.sent]
    return any(orgs.get(o.name, {}).get("kind") == "multilateral" and (
        _QUALIFIES.fullmatch(f.text, o.end, d.trigger.start) or _BODY_DOES.fullmatch(f.text, o.end, d.trigger.start))
        for o in f.within("orgs", (s, d.trigger.start)))


# Between a body and the event it holds: "The World Trade Organisation (WTO) is to hold".
_BODY_DOES = re.compile(r"\)?(?:\s*\([A-Z]{2,8}\))?\s+(?:(?:is|are|will|would|has|have|had|was|were|to|set|due|also|again)\s+)*"
                        r"(?:(?:hold|held|holds|holding|convene[sd]?|host(?:s|ed)?|open(?:s|ed)?|launch(?:es|ed)?)\s+)?")
# Between a body's name and the event word it qualifies: capitalised words at most.
_QUALIFIES = re.compile(r"(?:['’]s)?(?:\s+[A-Z][\w’'-]*){0,3}\s+")


def _rounds_of_negotiations(f: Found, drafts: list[Draft]) -> None:
    """In a document about negotiations on a text, a round of talks between the same sides
    is a round of those negotiations ("The next round of talks is scheduled for later this
    month", after "accelerate the FTA negotiation")."""
    talks = [d for d in drafts if d.type == "negotiation_round"]
    for d in drafts:
        if d.type == "meeting" and not d.mechanism and regex(r"\brounds?\b", re.I).search(f.text, d.trigger.start, d.trigger.end) and any(
                set(d.parties) <= set(n.parties) for n in talks if n is not d):
            d.type = "negotiation_round"


def _own_leads(d: Draft, primary: Draft) -> bool:
    """A draft led by people none of whom leads the headline event."""
    leads = {k for k, (_, r, _) in d.people.items() if r == "lead"}
    return bool(leads) and not d.trigger.anaphor and not leads & {k for k, (_, r, _) in primary.people.items() if r == "lead"}


def _sides_of_leads(d: Draft) -> None:
    """A meeting's sides are those its name gives ("U.S.-EU Trade and Technology Council") and
    those of the people who lead it, when these make two sides or more; other countries named
    in its sentences ("to address the impacts of Russia's war against Ukraine") are what was
    talked about."""
    if d.type not in MEETING_FAMILY | {"launch"}:
        return
    named = list(d.mechanism.parties) if d.mechanism and len(d.mechanism.parties) >= 2 else []
    keep = set(named) | {p.country for p, r, _ in d.people.values() if r == "lead" and p.country}
    if len(keep) < 2:
        return
    d.parties = {c: span for c, span in d.parties.items() if c in keep}
    for c in named:
        d.parties.setdefault(c, (d.mechanism.start, d.mechanism.end))  # type: ignore[union-attr]


def _doc_parties(f: Found, primary: Draft) -> dict[str, tuple[int, int]]:
    """The sides of the document: those of the first sentence naming two or more countries,
    among the first eight that are more than a fragment ("1.", "[matter omitted]")."""
    real = (sent for sent in f.sentences if f.text.count(" ", *sent) >= 2)
    for s, e in islice(real, 8):
        found: dict[str, tuple[int, int]] = {}
        for c in f.countries:
            if s <= c.start < e and c.role in ("names", "government", "adjectives") and not is_third_country_phrase(f.text, c):
                found.setdefault(c.code, (c.start, c.end))
        if len(found) >= 2:
            return found
    return dict(primary.parties)


def third_parties(f: Found, drafts: list[Draft], primary: Draft) -> None:
    """Reactions are a third party's; statements by the sides stay statements only when
    no meeting is reported."""
    sides = set(primary.parties)
    for d in drafts:
        if d.type == "reaction" and d is not primary:
            country = _speaker_country(f, d)
            if not country and group_reacting(f, d.trigger, f.sentences[d.trigger.sent]):
                d.parties, d.people = {}, {}  # the group has no side of its own
                continue
            if not country or country in sides:
                d.absorbed = True
                continue
            d.parties = {country: d.parties.get(country, (d.trigger.start, d.trigger.end))}
            d.people = {k: v for k, v in d.people.items() if v[0].country == country}
        elif d.type == "statement" and d is not primary:
            country = _speaker_country(f, d)
            sent = f.text[f.sentences[d.trigger.sent][0]:f.sentences[d.trigger.sent][1]]
            reports_meeting = bool(ANAPHOR.search(sent) or _DURING_ITS.search(sent)) or (
                (f.kind in ("readout", "joint_statement") or _RECORD_TITLE.search(f.title or "")) and primary.type in MEETING_FAMILY)
            # About the talks: any sentence of it, once merged ("Gao said the two sides have not held talks").
            about_talks = any(TALKS_WORDS.search(f.text, *f.sentences[si]) for si in d.sents)
            if reports_meeting or not about_talks or d.speaker is None:
                d.absorbed = True
                continue
            if country and country not in sides and sides:
                react = next((r for r in drafts if r.type == "reaction" and r.speaker == d.speaker and not r.absorbed), None)
                if react:
                    d.absorbed = True
                    continue
            d.people = {k: v for k, v in d.people.items() if k == d.speaker or v[1] == "lead" and v[0].country in (country,)}
    # Statements: one per speaker.
    seen: dict[str, Draft] = {}
    for d in sorted(drafts, key=lambda x: x.pos):
        if d.absorbed or d.type != "statement" or not d.speaker:
            continue
        if d.speaker in seen and d is not primary:
            d.absorbed = True
            absorb(seen[d.speaker], d)
        else:
            seen[d.speaker] = d


# What a side's official said in the course of the event the text reports ("During his visit,
# National Security Advisor Sullivan stressed ...") is that event's, not a statement of its own.
_DURING_ITS = re.compile(r"\b(?:[Dd]uring|[Oo]n the sidelines of)\s+(?:his|her|their|the)\s+(?:[\w-]+\s+)?(?:visit|trip|call)\b")


# The record of a meeting ("Record of Officials' Meeting", "Record of Garland's Talks in
# Wellington"): what its participants say is the meeting, not statements of their own.
_RECORD_TITLE = re.compile(r"\b(?:Record|Minutes|Summary) of\b", re.I)


def _speaker_country(f: Found, d: Draft) -> str | None:
    if d.speaker and d.speaker in d.people:
        return d.people[d.speaker][0].country
    org = next((o for o in f.orgs if o.name == d.speaker), None)
    if org is None and d.speaker in lexicons.get().countries:
        return d.speaker  # a government speaking for itself
    return org.country if org else None


def enrich_primary(f: Found, drafts: list[Draft], primary: Draft) -> None:
    """The primary event collects the topics, outcomes, organizations and people of the
    sentences about it, its place, and its participants' organizations."""
    owned = {d.trigger.sent: d for d in drafts if d is not primary}
    _read_about(f, primary, owned)
    if primary.place is None:
        primary.place = _place_said(f, primary, owned)
    if primary.type in MEETING_FAMILY:
        _attendance(f, primary)
    for p, _role, span in primary.people.values():
        if p.org:
            primary.orgs.setdefault(p.org, span)
    if primary.place is None:
        primary.place = _dateline_place(f, primary)
    if primary.type == "agreement" and not (primary.date and primary.date.resolved):
        primary.date = _issued_on(f) or _record_date(f, primary) or primary.date
    if primary.place and primary.place[0] and not (primary.date and primary.date.resolved):
        primary.date = _date_at(f, primary.place[0], primary.status) or primary.date
    _visited_places(drafts)
    _mechanism_sides(drafts, primary)


def _date_at(f: Found, place: str, status: str) -> DateMention | None:
    """The date the text gives its event's place elsewhere ("their meetings in London on June 9
    and 10, 2025, and in Stockholm on July 28 and 29, 2025"), when it gives one only."""
    at = re.compile(rf"\bin\s+{re.escape(place)}(?:,\s+[A-Z][\w.]+)?\s+(?:on|from)\s+$")
    found = {d.value: d for d in f.dates if d.resolved and at.search(f.text, max(0, d.start - 60), d.start)}
    if len(found) != 1:
        return None
    d = next(iter(found.values()))
    past = bool(f.published and (d.value[0] or "") <= f.published)
    return d if past == (status == "held") or not f.published else None


def _read_about(f: Found, primary: Draft, owned: dict[int, Draft]) -> None:
    gov = f.kind in ("readout", "joint_statement", "press_release", "fact_sheet")
    prev_about = False
    about_sents: set[int] = set()
    for si, sent in enumerate(f.sentences):
        if si in primary.sents:
            continue
        other = owned.get(si)
        text = f.text[sent[0]:sent[1]]
        if other is not None and not same_event(primary, other):
            if other.status == "planned" and primary.status == "held" and other.type in MEETING_FAMILY | {"launch"}:
                # What the sides agreed to do next was agreed at this meeting.
                add_cues(f, primary, sent, [primary.trigger], outcomes_only=True, kinds={"commitment"})
                for s0, e0, code in f.within("topics", sent):
                    primary.topics.setdefault(code, (s0, e0))
            continue
        if f.title and text.strip() == f.title.strip():
            # The headline may say what came of it ("... seal trade deal").
            add_cues(f, primary, sent, [primary.trigger], outcomes_only=True, kinds={"deal", "signed"})
            continue
        about = gov or REFERS.search(text) or text.lstrip().startswith("- ") or (prev_about and primary.type == "agreement")
        prev_about = bool(about) and si - 1 in primary.sents | about_sents
        if not about:
            continue
        about_sents.add(si)
        if primary.type not in ("statement", "reaction"):
            add_cues(f, primary, sent, [primary.trigger])
        _referred(f, primary, sent, text)


def _referred(f: Found, primary: Draft, sent: tuple[int, int], text: str) -> None:
    """Organizations and people of a sentence that refers to the event's sides: "led the
    delegation", "also included", "their counterparts"."""
    comp = matchers.get()
    refers = comp.lead_by.search(text) or comp.member_of.search(text) or regex(
        r"\bdelegations?\b|\bco-?chair|\bled the\b|\bcounterparts\b", re.I).search(text) or ANAPHOR.search(text)
    if not refers:
        return
    for o in f.within("orgs", sent):
        if not o.media:
            primary.orgs.setdefault(o.name, (o.start, o.end))
    for p, spans in f.people_in(sent):
        if p.commentator:
            continue
        ps, pe = spans[0]
        role = ref_role(f.text, sent, ps, pe)
        if p.country and primary.parties and p.country not in primary.parties:
            continue
        if p.key not in primary.people or (role == "lead" and primary.people[p.key][1] != "lead"):
            primary.people[p.key] = (p, role, (ps, pe))


def _place_said(f: Found, primary: Draft, owned: dict[int, Draft]):  # type: ignore[no-untyped-def]
    """Where, when the headline sentence does not say: "signed in Cairo", "who is visiting
    the United States" in the sentences about the event."""
    for si, sent in enumerate(f.sentences):
        if si in owned and si not in primary.sents:
            continue
        for c in f.within("countries", sent):
            if c.role != "adjectives" and regex(r"\b(?:(?:signed|held|took place|met|convened|hosted)\s+(?:\w+\s+)?(?:in|at)|visiting)\s+(?:the\s+)?$").search(f.text[max(sent[0], c.start - 30):c.start]):
                place = c.text if c.role in ("places", "government") else None
                return (place, c.code, c.start, c.end)
    return None


# "The joint statement, released Friday, ...", "a joint statement issued by India and the US
# on February 6": the day a deal was issued as a joint statement (gold convention 6).
_ISSUED = re.compile(r"\bjoint statement,?\s+(?:was\s+|were\s+|has been\s+)?(?:released|issued)\b", re.I)


def _issued_on(f: Found) -> DateMention | None:
    """The date a document's joint statement was issued, when a sentence gives it."""
    for m in _ISSUED.finditer(f.text):
        near = [d for d in f.within("dates", (m.end(), min(len(f.text), m.end() + 50))) if d.resolved and len(d.value[0] or "") == 10]
        if near:
            return near[0]
    return None


def _record_date(f: Found, primary: Draft) -> DateMention | None:
    """A government's joint statement that reports its agreement as reached, with no date:
    the agreement is of the statement's day (as a headline-only one is, headline.py)."""
    if primary.status != "held" or f.kind != "joint_statement" or not f.home or not f.published:
        return None
    s, e = f.sentences[primary.trigger.sent]
    return DateMention(s, e, (f.published, f.published), "published", f.published)


_RECORD = re.compile(r"(?i)\brecord of\b|\bminutes of\b|:\s*(?:[\w-]+\s+){1,2}(?:plenary\s+)?meeting$")


def _dateline_place(f: Found, primary: Draft):  # type: ignore[no-untyped-def]
    """The dateline, for a meeting held where the publisher is not based."""
    if not (f.dateline and f.dateline.country and primary.type in MEETING_FAMILY and primary.status == "held"):
        return None
    home = f.home or next((p.country for p, r, _ in primary.people.values() if p.country and r == "lead"), None)
    record = f.kind == "readout" and bool(_RECORD.search(f.title or ""))  # "Record of Officials' Meeting", "...: First Meeting"
    if (record or home and home != f.dateline.country) and f.kind in ("readout", "press_release", "joint_statement"):
        idx = f.low.find((f.dateline.place or "").lower())  # "CANBERRA" on a line of its own
        if idx >= 0:
            return (f.dateline.place, f.dateline.country, idx, idx + len(f.dateline.place or ""))
    return None


def _visited_places(drafts: list[Draft]) -> None:
    """The location of a visit: the side that is visited."""
    for d in drafts:
        if d.type == "visit" and (d.place is None or d.place[1] is None):
            visitors = {p.country for p, r, _ in d.people.values() if p.country and regex(r"Senator|Secretary|Representative|Advis|Deputy|Director|Minister").search(p.title or "")}
            hosts = [c for c in d.parties if c not in visitors]
            if visitors and len(hosts) == 1:
                span = d.parties[hosts[0]]
                d.place = (None, hosts[0], span[0], span[1])


def _mechanism_sides(drafts: list[Draft], primary: Draft) -> None:
    """A mechanism given only in parts takes its sides' names ("the Commercial Issues
    Working Group" held by the United States and the PRC)."""
    for d in drafts:
        m = d.mechanism
        if m and not m.known and not m.parties and len(d.parties) == 2 and "USA" in d.parties and d.mechanism is primary.mechanism:
            other = next(c for c in d.parties if c != "USA")
            short = lexicons.get().countries.get(other, {}).get("short")
            if short:
                d.mechanism = MechMention(m.start, m.end, f"U.S.-{short} {m.name}", m.head, sorted(d.parties), False, m.short)
                if m is primary.mechanism:
                    primary.mechanism = d.mechanism


# The attendance block of a meeting's record: "PRESENT:" and a name a paragraph, or "PRESENT
# FOR JAPAN FOR AUSTRALIA Mr Nobuhiko Ushiba (Leader) Dr W.A. Westerman (Leader) ...".
_ATTENDANCE = re.compile(r"(?m)^[ \t]*(?:PRESENT|Present|IN ATTENDANCE|In attendance|PARTICIPANTS|Participants|ATTENDEES|Attendees)\b[^\n]*")
_NAMED_LINE = re.compile(r"[ \t]*(?:Mr|Mrs|Ms|Miss|Dr|Sir|Professor|Prof|H\.E\.)\b\.?")
_CHAIR = re.compile(r"[^,\n]{0,30}?(?:\(Leader\)|,\s*(?:Chairman|Chair|Chairperson|Head of (?:the )?Delegation|Leader))")


def _country_on_line(f: Found, start: int, end: int) -> str | None:
    """The country of the organization or the country named after a listed person's name."""
    for o in f.within("orgs", (start, end)):
        if o.country:
            return o.country
    return next((c.code for c in f.within("countries", (start, end)) if c.role in ("names", "adjectives", "government")), None)


def _attendance(f: Found, primary: Draft) -> None:
    """Everyone listed as present at the meeting a record is about: members, or leads when
    named as chairman or leader."""
    m = _ATTENDANCE.search(f.text)
    if m is None:
        return
    end = m.end()
    for para in regex(r"\n\s*\n").finditer(f.text, m.end()):
        if not _NAMED_LINE.match(f.text, para.end()):
            break
        nxt = f.text.find("\n", para.end())
        end = len(f.text) if nxt < 0 else nxt
    for p in f.people:
        span = next(((s0, e0) for s0, e0 in p.spans if m.start() <= s0 < end), None)
        if span is None or p.commentator:
            continue
        role = "lead" if _CHAIR.match(f.text, span[1]) else "member"
        if p.key not in primary.people or (role == "lead" and primary.people[p.key][1] != "lead"):
            primary.people[p.key] = (p, role, span)
        line_end = f.text.find("\n", span[1])
        side = p.country or _country_on_line(f, span[1], end if line_end < 0 else min(line_end, end))
        if side:  # "Mr Atsushi Uyama, Counsellor, Japanese Embassy.": a Japanese side
            primary.parties.setdefault(side, span)
    for o in f.orgs:
        if m.start() <= o.start < end and not o.media:
            primary.orgs.setdefault(o.name, (o.start, o.end))
