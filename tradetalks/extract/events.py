"""Assemble events from what the recognizers found.

A sentence that reports an event carries a trigger ("held ... negotiating round", "was
launched", "visited", "slammed"); the event takes the date, place, mechanism, round,
countries and people nearest its trigger. Events that are the same (a headline round
and "the four-day negotiating round" later) are merged; events without a mechanism take
the document's when they belong to it; the headline (primary) event collects the topics,
outcomes, organizations and delegation leads of the sentences about it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import islice

from tradetalks import lexicons
from tradetalks.extract import matchers
from tradetalks.extract.actors import CountryMention, OrgMention
from tradetalks.extract.dates import DateMention
from tradetalks.extract.mechanisms import MechMention
from tradetalks.extract.people import Person
from tradetalks.models import Event, Evidence, Outcome, Participant, Place
from tradetalks.regex import regex

PRIORITY = {"negotiation_round": 0, "meeting": 0, "agreement": 1, "launch": 2, "visit": 3,
            "reaction": 4, "statement": 5}
MEETING_FAMILY = {"meeting", "negotiation_round"}
ORDINALS = {"first": 1, "inaugural": 1, "initial": 1, "second": 2, "third": 3, "fourth": 4,
            "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
            "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15}
_ORDINAL = re.compile(
    r"\b(first|inaugural|initial|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|\d{1,2}(?:st|nd|rd|th))\s+(?:(?:in-person|virtual|formal|official|"
    r"annual|ministerial|high-level|plenary|full|negotiating|bilateral|trilateral)\s+)?"
    r"(?=(?:round|meeting|session|dialogue|plenary|ministerial|conference|consultation|forum|summit|edition)s?\b|(?-i:[A-Z]))",
    re.I,
)
# Where an ordinal word starts, on the case-folded text: every branch starts with a
# literal, so that the engine skips ahead to them; _ORDINAL then decides at each.
_ORDINAL_START = re.compile("|".join(
    matchers.branches(list(ORDINALS), r"\w") + [f"{d}(?<!\\w.)\\d?(?:st|nd|rd|th)" for d in "0123456789"]))
_ANAPHOR = re.compile(r"\b(?:th(?:e|is|at)|during the|at the)\s+(?:(?:four|three|two|five|one)-day\s+|latest\s+|high-level\s+|bilateral\s+)?"
                      r"(?:negotiating\s+)?(?:round|meeting|talks|dialogue|session|negotiations|conference|consultations?|discussions)\b", re.I)
_REFERS = re.compile(r"\b(?:led|delegations?|co-?chair\w*|head(?:ed|s)? (?:the|a)|counterparts?|both sides|the two sides|"
                     r"the (?:round|meeting|talks|dialogue|session|conference|discussions|consultation)|officials|discussed|"
                     r"exchanged|raised|addressed|covered|agreed|reached|identif\w+|pledged|committed|underscored|highlighted|"
                     r"reaffirmed|emphasi[sz]ed|encouraged|urged|welcomed|noted|briefed|sought|expressed|decided|"
                     r"the (?:protocol|agreement|deal|accord|pact|FTA|treaty|framework|memorandum))\b", re.I)
_LED_BY = re.compile(r"\b(?:led|headed|chaired|co-?chaired)\s+by\b", re.I)
_MEMBER = re.compile(r"\b(?:also included|included|accompanied by|joined by|members? of the delegation|together with)\b", re.I)
_SPEECH = re.compile(r"\b(?:said|says|told|stated|announced|declared|slammed|criticized|welcomed|called)\b", re.I)
_TALKS_WORDS = re.compile(r"trade|talks|negotiat|deal|agreement|tariff|framework|econom|dialogue|invest|export|import", re.I)
_PAST_VERB = re.compile(r"^(?:signed|reached|concluded|finished|sealed|struck|agreed|launched|established|began|started|"
                        r"kicked off|founded|met|convened|co-?chaired|held|visited|travell?ed|arrived|toured|was created|set up)", re.I)
_MODAL_BEFORE = re.compile(r"(?:\bwill|\bwould|\bshall|\bto|\bplans? to|\bexpected to|\bagreed to|\bagreeing to|\bcommitted to|"
                           r"\bintends? to|\bdecided to|\bset to|\bready to)\s+(?:\w+\s+){0,2}$", re.I)


@dataclass
class Trigger:
    etype: str
    start: int
    end: int
    sent: int
    strong: bool = True
    anaphor: bool = False
    aside: bool = False  # "at the Leaders' Summit", "following the ... meeting": circumstance
    status: str | None = None  # computed once, without a date


@dataclass
class Draft:
    type: str
    status: str
    trigger: Trigger
    sents: set[int] = field(default_factory=set)
    mechanism: MechMention | None = None
    mech_inherited: bool = False
    round: tuple[int, int, int] | None = None  # value, start, end
    date: DateMention | None = None
    place: tuple[str | None, str | None, int, int] | None = None
    parties: dict[str, tuple[int, int]] = field(default_factory=dict)
    people: dict[str, tuple[Person, str, tuple[int, int]]] = field(default_factory=dict)
    orgs: dict[str, tuple[int, int]] = field(default_factory=dict)
    topics: dict[str, tuple[int, int]] = field(default_factory=dict)
    outcomes: dict[str, tuple[int, int]] = field(default_factory=dict)
    speaker: str | None = None
    primary: bool = False
    absorbed: bool = False

    @property
    def pos(self) -> int:
        return self.trigger.start


@dataclass
class Found:
    text: str
    sentences: list[tuple[int, int]]
    title: str | None
    published: str | None
    kind: str
    dateline: Place | None
    home: str | None
    dates: list[DateMention]
    countries: list[CountryMention]
    orgs: list[OrgMention]
    people: list[Person]
    mechanisms: list[MechMention]
    topics: list[tuple[int, int, str]]
    outcomes: list[tuple[int, int, str]]
    low: str = ""  # the text case-folded, same offsets: cue patterns match on it

    def __post_init__(self) -> None:
        if not self.low:
            self.low = matchers.fold_case(self.text)
        self._index: dict[str, tuple[list, list[int]]] = {}
        for name in ("dates", "countries", "orgs", "mechanisms", "topics", "outcomes"):
            items = sorted(getattr(self, name), key=_start)
            self._index[name] = (items, [_start(x) for x in items])
        self._ordinals: list[re.Match[str]] | None = None  # found on first use
        self._ordinal_starts: list[int] = []

    def ordinals(self, sent: tuple[int, int]) -> list[re.Match[str]]:
        """Round ordinals ("third round", "inaugural meeting") inside a sentence."""
        if self._ordinals is None:
            self._ordinals = []
            end = 0
            for start in _ORDINAL_START.finditer(self.low):
                m = _ORDINAL.match(self.text, start.start()) if start.start() >= end else None
                if m:
                    self._ordinals.append(m)
                    end = m.end()
            self._ordinal_starts = [m.start() for m in self._ordinals]
        found = self._ordinals[bisect_left(self._ordinal_starts, sent[0]):bisect_left(self._ordinal_starts, sent[1])]
        return [m for m in found if m.end() <= sent[1]]

    def within(self, name: str, sent: tuple[int, int]) -> list:
        """The items of one recognizer that start inside a sentence."""
        items, starts = self._index[name]
        return items[bisect_left(starts, sent[0]):bisect_left(starts, sent[1])]


def _start(item) -> int:  # type: ignore[no-untyped-def]
    return item[0] if isinstance(item, tuple) else item.start


def _in(spans_start: int, sent: tuple[int, int]) -> bool:
    return sent[0] <= spans_start < sent[1]


def find_triggers(f: Found) -> list[Trigger]:
    comp = matchers.get()
    starts = [s for s, _ in f.sentences]
    skip_first = bool(f.sentences and f.title and _fold(f.text[f.sentences[0][0]:f.sentences[0][1]]) == _fold(f.title))
    mech_spans = [(m.start, m.end) for m in f.mechanisms]
    by_sent: dict[int, list[Trigger]] = {}
    for etype, (strong, weak) in comp.triggers.items():
        for rx, is_strong in ((strong, True), (weak, False)):
            if rx is None:
                continue
            for m in rx.finditer(f.low):
                ts, te = m.span()
                si = bisect_right(starts, ts) - 1
                if si < 0 or ts >= f.sentences[si][1] or (si == 0 and skip_first):
                    continue  # outside sentences, or the headline (it names, the body reports)
                s, e = f.sentences[si]
                if etype != "launch" and any(a <= ts < b for a, b in mech_spans):
                    continue  # "Dialogue" inside a mechanism's name is not a trigger
                if _NEGATED.search(f.low, max(s, ts - 25), ts):
                    continue  # "we have no meetings to announce"
                t = Trigger(etype, ts, te, si, is_strong)
                t.anaphor = bool(_ANAPHOR.match(f.text, max(s, ts - 25), te)) or bool(
                    etype in MEETING_FAMILY and _DETERMINED.search(f.low, max(s, ts - 30), ts) and not _held_near(f.text, s, ts))
                t.aside = (etype in MEETING_FAMILY and bool(_ASIDE.search(f.text[max(s, ts - 60):ts]))) or (
                    etype == "visit" and not _PAST_VERB.match(m.group(0)))
                by_sent.setdefault(si, []).append(t)
    out: list[Trigger] = []
    for si, (s, e) in enumerate(f.sentences):
        if si == 0 and skip_first:
            continue
        mechs_here = [m for m in f.mechanisms if s <= m.start < e]
        sent = f.text[s:e]
        for t in by_sent.get(si, []):
            if _keep(t, f, (s, e), sent, mechs_here):
                out.append(t)
        # A named conference or dialogue that was held: "organized the first North America
        # Semiconductor Conference in Washington, D.C. on May 18-19".
        for m in mechs_here:
            if regex(r"Conference|Dialogue|Forum|Consultations?|Summit").search(m.head) and (
                regex(r"\b(?:held|organi[sz]ed|hosted|convened|co-?chaired|attended|opened)\b(?:\s+\S+){0,3}\s*$").search(f.text[max(s, m.start - 50):m.start])
                or _ORDINAL_BEFORE.search(f.text[max(s, m.start - 25):m.start])
            ) and not any(t.start <= m.start < t.end + 40 and t.sent == si and t.etype in MEETING_FAMILY for t in out):
                out.append(Trigger("meeting", m.start, m.end, si, True))
    return out


_ORDINAL_BEFORE = re.compile(r"\b(?:first|inaugural|initial|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                             r"eleventh|twelfth|\d{1,2}(?:st|nd|rd|th))\s+$", re.I)
_NEGATED = re.compile(r"\b(?:no|not|never|without|nor)\s+(?:\w+\s+){0,2}$")
_DETERMINED = re.compile(r"\b(?:th(?:is|e|at))\s+(?:\S+\s+){0,2}$")
_ASIDE = re.compile(r"\b(?:at|during|following|after|before|ahead of|on the sidelines of|on the margins of)\s+(?:the|a|an|this|last)\s+(?:[\w’'.,-]+\s+){0,6}$", re.I)


def _held_near(text: str, s: int, ts: int) -> bool:
    return bool(regex(r"\b(?:held|convened|hosted|organized|co-?chaired)\b").search(text[max(s, ts - 60):ts]))


def _keep(t: Trigger, f: Found, sent: tuple[int, int], sent_text: str, mechs_here: list[MechMention]) -> bool:
    s, e = sent
    low = sent_text.lower()
    if t.etype == "launch":
        word = f.text[t.start:t.end].lower()
        if regex(r"(?:well-|long-)").match(f.text[max(s, t.start - 5):t.start]):
            return False
        if not (mechs_here or matchers.get().launch_objects.search(f.low[max(s, t.start - 70):min(e, t.end + 70)])):
            return False
        if word.startswith("began") or word.startswith("started"):
            return bool(matchers.get().launch_objects.search(f.low[max(s, t.start - 70):t.start]) or mechs_here)
        return True
    if t.etype == "visit" and t.aside:
        # "visit" as a noun makes an event only with a destination ("visit to the ROK").
        return bool(regex(r"\s+to\s+(?:the\s+)?[A-Z]").match(f.text[t.end:t.end + 12]))
    if t.etype in ("statement", "reaction"):
        return any(_speaker_in(p, sent, t, f.text) for p in f.people) or any(
            o.country and not o.media and s <= o.start < t.start and not _in_title(f, o.start) for o in f.orgs)
    if regex(r"\s*(?:conference|briefing|release)").match(f.text[t.end:t.end + 12]) and regex(r"(?:press|news|media)\s*$", re.I).search(f.text[max(s, t.start - 8):t.start]):
        return False
    if regex(r"(?:press|news|media)\s+$", re.I).search(f.text[max(s, t.start - 8):t.start]):
        return False  # a press conference is not a meeting
    if not t.strong:
        support = (
            matchers.get().held.search(f.low[max(s, t.start - 50):t.start]) is not None
            or any(0 <= d.start - t.end < 30 for d in f.dates)
            or bool(regex(r"\b(?:in|at)\s+[A-Z]").search(f.text[t.end:min(e, t.end + 25)]))
            or bool(mechs_here) or bool(f.ordinals(sent))
        )
        if t.etype == "negotiation_round" and not regex(r"\b(?:held|conducted|hold|resume\w*|round)\b").search(low):
            return False
        return support
    if t.etype == "meeting" and f.text[t.start:t.end].lower().startswith("meeting") and regex(r"\s+(?:with|of)\s+(?:the\s+)?(?:press|media|reporters)").match(f.text[t.end:t.end + 20]):
        return False
    return True


def _speaker_in(p: Person, sent: tuple[int, int], t: Trigger, text: str) -> bool:
    if p.commentator:
        return False
    for ps, pe in p.spans:
        if sent[0] <= ps < sent[1]:
            if regex(r"['’]s\b").match(text[pe:pe + 3]):
                continue  # "a spokesman for Tai's office": not the speaker
            if ps < t.start and t.start - pe < 160:
                return True
            if ps > t.end and ps - t.end < 12 and regex(r"\s*(?:[,.;]|$|\s+(?:of|who)\b)").match(text[pe:pe + 8]):
                return True  # "..., said Wang, ..."
    return False


def _status(t: Trigger, f: Found, date: DateMention | None) -> str:
    if date is None:
        if t.status is None:
            t.status = _status_of(t, f, None)
        return t.status
    return _status_of(t, f, date)


def _status_of(t: Trigger, f: Found, date: DateMention | None) -> str:
    text = f.text
    s, _ = f.sentences[t.sent]
    word = text[t.start:t.end]
    before = text[max(s, t.start - 60):t.start]
    if t.etype in ("statement", "reaction"):
        return "held"
    inner = regex(r"\b(?:signed|reached|concluded|sealed|struck)\b").search(word)
    if inner and inner.start() > 0:
        return "planned" if _MODAL_BEFORE.search(text[max(s, t.start - 40):t.start + inner.start()]) else "held"
    if _PAST_VERB.match(word):
        clause = regex(r"[.;:]").split(text[max(s, t.start - 100):t.start])[-1]
        agreed = regex(r"\b(?:agreed|agreeing|agree|decided|pledged|committed|plans?|planning|will|would|expected|aims?|seeks?|hopes?) to\b").search(clause)
        return "planned" if _MODAL_BEFORE.search(before) or agreed else "held"
    comp = matchers.get()
    before = regex(r"[.;:!?]\s").split(f.low[max(s, t.start - 120):t.start])[-1] + word.lower()
    planned = [m for m in comp.planned.finditer(before)]
    after = text[t.end:min(f.sentences[t.sent][1], t.end + 40)]
    if regex(r"\s+(?:will|would|is expected|are expected|is scheduled|is set)").match(after):
        return "planned"
    if regex(r"\s+(?:was|were|has been|had been)\s+(?:held|convened|launched|concluded)").match(after):
        return "held"
    if planned:  # the last cue decides ("agreed to hold ... and held")
        held = [m for m in comp.held.finditer(before)]
        if not held or planned[-1].end() > held[-1].end():
            return "planned"
    if date is not None and date.resolved and f.published and (date.value[0] or "") > f.published:
        return "planned"
    return "held"


def build(f: Found) -> list[Event]:
    triggers = find_triggers(f)
    drafts = _sentence_events(f, triggers)
    drafts = _merge(f, drafts)
    if not drafts:
        return []
    primary = _choose_primary(f, drafts)
    _inherit(f, drafts, primary)
    _third_parties(f, drafts, primary)
    drafts = [d for d in drafts if not d.absorbed]
    _enrich_primary(f, drafts, primary)
    drafts = _merge(f, drafts)
    drafts.sort(key=lambda d: (not d.primary, d.pos))
    return [_to_event(f, d) for d in drafts]


# -- one sentence, its events ------------------------------------------------------------------

def _sentence_events(f: Found, triggers: list[Trigger]) -> list[Draft]:
    by_sent: dict[int, list[Trigger]] = {}
    for t in triggers:
        by_sent.setdefault(t.sent, []).append(t)
    drafts: list[Draft] = []
    for si, ts in sorted(by_sent.items()):
        sent = f.sentences[si]
        dates = f.within("dates", sent)
        ts.sort(key=lambda t: (t.aside, PRIORITY[t.etype], not t.strong, t.start))
        # Agreements reached or signed at a meeting are its outcomes, not events.
        if any(t.etype in MEETING_FAMILY for t in ts):
            ts = [t for t in ts if t.etype != "agreement" or _own_date(t, dates, ts)]
        # A visit that only frames a meeting with a person ("arrived ..., meeting with X").
        visit_verbs = [t for t in ts if t.etype == "visit" and _PAST_VERB.match(f.text[t.start:t.end])]
        if visit_verbs:
            ts = [t for t in ts if not (t.etype == "meeting" and regex(r"meet(?:ing|s)? with|met with|met\b", re.I).match(f.text[t.start:t.start + 20])
                                        and not f.within("mechanisms", sent))]
            ts.sort(key=lambda t: (t.etype != "visit", t.start))
        if not ts:
            continue
        top = ts[0]
        chosen = [top]
        round_words: set[int] = set()
        date_owner = _assign_dates(dates, [t for t in ts if t is top or not (t.etype == "visit" and not _PAST_VERB.match(f.text[t.start:t.end]))], f.text)
        for t in ts[1:]:
            if t.etype == top.etype and t.anaphor:
                continue
            if t.etype == "visit" and not _PAST_VERB.match(f.text[t.start:t.end]):
                continue  # "during the Secretary's visit to China": where, not what
            own_date = any(owner is t for owner in date_owner.values())
            status_t = _status(t, f, None)
            status_top = _status(top, f, None)
            if (t.etype in MEETING_FAMILY and top.etype in MEETING_FAMILY and status_t == status_top
                    and not any(owner is top for owner in date_owner.values()) and not t.aside and not top.aside):
                # "held the third round of STIP negotiations on May 2": one event, one date.
                for dm, owner in list(date_owner.items()):
                    if owner is t:
                        date_owner[dm] = top
                if t.etype == "negotiation_round":
                    round_words.add(id(top))
                continue
            if own_date or (status_t != status_top and t.etype not in ("statement", "reaction", "visit")) or (
                t.etype == "reaction" and top.etype != "reaction"
            ):
                if all(abs(t.start - c.start) > 3 for c in chosen):
                    chosen.append(t)
        for t in chosen:
            if t.etype == "statement" and any(c.etype == "reaction" for c in chosen):
                continue
            mydates = [d for d, owner in date_owner.items() if owner is t]
            d = Draft(type="negotiation_round" if id(t) in round_words else t.etype, status="held", trigger=t, sents={si})
            d.date = min(mydates, key=lambda x: abs(x.start - t.start)) if mydates else None
            d.status = _status(t, f, d.date)
            if d.status == "planned" and d.date and d.date.kind in ("weekday",) and not d.date.resolved:
                d.date = None
            _fill_from_sentence(f, d, sent, chosen)
            drafts.append(d)
    return drafts


def _own_date(t: Trigger, dates: list[DateMention], ts: list[Trigger]) -> bool:
    owners = _assign_dates(dates, ts, "")
    return any(o is t for o in owners.values())


_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|that|who)\b[^,;]*$")


_SAID_ON = re.compile(r"\s*(?:on\s+|in\s+)?$")


def _attribution(d: DateMention, t: Trigger, ts: list[Trigger], text: str) -> bool:
    """A reporting verb that only attributes the sentence ("... in Washington on March 10,
    USTR said"): the date is the reported event's, unless it dates the saying ("said on
    Monday")."""
    return (t.etype in ("statement", "reaction") and any(o.etype not in ("statement", "reaction") for o in ts)
            and not (d.start >= t.end and _SAID_ON.match(text[t.end:d.start])))


def _assign_dates(dates: list[DateMention], ts: list[Trigger], text: str = "") -> dict[DateMention, Trigger]:
    """Each date goes to the nearest event word, but not across a relative clause that
    dates something else ("talks on the FTA, which took effect in 2008, from April 25"),
    nor to a verb that only attributes what the sentence reports."""
    out: dict = {}
    for d in dates:
        options = [t for t in ts if not (text and d.start > t.end and _RELATIVE_CLAUSE.search(text[t.end:d.start]))
                   and not (text and _attribution(d, t, ts, text))]
        if not options:
            continue
        best = min(options, key=lambda t: (abs(d.start - t.start) if d.start > t.start else abs(t.start - d.end) * 1.5))
        out[d] = best
    return out


def _nearest(items, t: Trigger, chosen: list[Trigger], key=lambda x: x.start):
    """Items of a sentence that belong to trigger t rather than to another chosen trigger."""
    if len(chosen) == 1:
        return list(items)
    out = []
    for it in items:
        pos = key(it)
        owner = min(chosen, key=lambda c: abs(pos - c.start) if pos >= c.start else (c.start - pos) * 0.9)
        if owner is t:
            out.append(it)
    return out


def _fill_from_sentence(f: Found, d: Draft, sent: tuple[int, int], chosen: list[Trigger]) -> None:
    t = d.trigger
    s, e = sent
    # Mechanism: the one nearest the trigger, preferring one just after it ("of the X").
    mechs = f.within("mechanisms", sent)
    mechs = _nearest(mechs, t, chosen)
    if t.aside and any(not c.aside for c in chosen):
        mechs = [m for m in mechs if 0 <= m.start - t.end < 40]
    if mechs and d.type not in ("statement", "reaction", "visit") and not (d.type == "agreement" and all(not m.known for m in mechs)):
        d.mechanism = min(mechs, key=lambda m: (0 if 0 <= m.start - t.end < 60 else 1, abs(m.start - t.start)))
    # Round: an ordinal next to the trigger or the mechanism.
    if d.type in MEETING_FAMILY:
        for m in f.ordinals(sent):
            near_trigger = -40 < m.start() - t.start < 40 or 0 <= t.start - m.end() < 30
            near_mech = d.mechanism is not None and 0 <= d.mechanism.start - m.end() < 12
            follows = f.text[m.end():m.end() + 20]
            if (near_trigger or near_mech) and (regex(r"(?:round|meeting|session|dialogue|plenary|ministerial|conference|consultation|forum|summit|edition)", re.I).match(follows) or near_mech):
                word = m.group(1).lower()
                value = ORDINALS.get(word) or (int(regex(r"\d+").match(word).group(0)) if word[0].isdigit() else None)
                if value:
                    d.round = (value, m.start(), m.end() + len(regex(r"\s*\w+").match(follows).group(0)) if regex(r"\s*\w+").match(follows) else m.end())
                    break
    # Place: "in Taipei, Taiwan", "in New York", "visit to Tokyo", "in China later this year".
    d.place = _place(f, sent, t, chosen)
    # Countries in the sentence.
    visit_reach = t.end + 25
    for c in _nearest(f.within("countries", sent), t, chosen):
        if c.role in ("names", "adjectives", "government"):
            if _is_third_country_phrase(f.text, c):
                continue
            if d.type == "visit" and not (t.start - 5 <= c.start <= visit_reach):
                continue  # a visit's sides are the visitors and the visited
            if d.type == "visit" and c.start > t.end:
                visit_reach = c.end + 12  # "traveled to the UAE, Saudi Arabia, and Qatar"
            d.parties.setdefault(c.code, (c.start, c.end))
    if d.mechanism:
        for code in d.mechanism.parties:
            d.parties.setdefault(code, (d.mechanism.start, d.mechanism.end))
    # People: the officials named in the sentence.
    people_here = []
    for p in f.people:
        if p.commentator:
            continue
        for ps, pe in p.spans:
            if s <= ps < e:
                people_here.append((p, ps, pe))
                break
    for p, ps, pe in _nearest(people_here, t, chosen, key=lambda x: x[1]):
        role = _role(f.text, s, ps, pe, t)
        d.people[p.key] = (p, role, (ps, pe))
        if p.country and role != "mentioned":
            d.parties.setdefault(p.country, (ps, pe))
    # Organizations.
    for o in f.within("orgs", sent):
        if not o.media:
            d.orgs.setdefault(o.name, (o.start, o.end))
            if o.country and d.type not in ("reaction", "statement"):
                d.parties.setdefault(o.country, (o.start, o.end))
    if d.type in ("statement", "reaction"):
        spk = _speaker(f, d, sent)
        d.speaker = spk
    _add_cues(f, d, sent, chosen)


def _is_third_country_phrase(text: str, c: CountryMention) -> bool:
    after = text[c.end:c.end + 30]
    return bool(regex(r"\s+(?:companies|firms|businesses|workers|exports?|imports?|goods|products|markets?|investors?|consumers|economy|economies|dollars?|currency|treasur(?:y|ies)|bonds|stocks|shares|listed)\b").match(after)) and c.role in ("adjectives", "names") and c.text in ("U.S.", "US", "American", "Chinese")


def _role(text: str, s: int, ps: int, pe: int, t: Trigger) -> str:
    before = text[s:ps]
    if regex(r"['’]s\b").search(text[pe:pe + 2]):
        return "lead" if regex(r"['’]s\s+(?:\w+\s+)?(?:visit|trip|delegation|travel)").match(text[pe:pe + 25]) else "mentioned"
    if _LED_BY.search(before):
        return "lead"
    if _MEMBER.search(before):
        return "member"
    if ps > t.end:
        # After the event word: a lead only as its agent or counterpart ("established by",
        # "meeting with", "talks with", "hosted by"), else someone it concerns.
        between = text[t.start:ps]
        if regex(r"\b(?:by|with|between)\b(?:\s+(?:\S+\s+){0,14})?$").search(between) and ";" not in between:
            return "lead"
        if len(between) < 40 and not regex(r"\b(?:to|about|on|against|for)\s+(?:\S+\s+){0,4}$").search(between):
            return "lead"
        return "mentioned"
    return "lead"


def _ref_role(text: str, sent: tuple[int, int], ps: int, pe: int) -> str:
    """The role of a person named in a sentence about the headline event (not the one
    that reports it): "X led the delegation", "was led by X and Y", "also included X"."""
    s, e = sent
    if regex(r"['’]s\b").search(text[pe:pe + 2]):
        return "mentioned"
    before = text[s:ps]
    led = list(_LED_BY.finditer(before))
    if led and ";" not in before[led[-1].end():]:
        return "lead"
    if _MEMBER.search(before):
        return "member"
    after = text[pe:e]
    if regex(r"(?:\s*\([^)]*\))?(?:,?\s+(?:and|,)\s+[^.;]{0,160}?)?\s+(?:led|headed|co-?chaired|chaired|convened)\b").match(after):
        return "lead"
    return "mentioned"


def _speaker(f: Found, d: Draft, sent: tuple[int, int]) -> str | None:
    for p in f.people:
        if _speaker_in(p, sent, d.trigger, f.text):
            return p.key
    for o in f.orgs:
        if o.country and not o.media and sent[0] <= o.start < d.trigger.start and not _in_title(f, o.start):
            return o.name
    return None


def _in_title(f: Found, pos: int) -> bool:
    return any(s <= pos < e for p in f.people for s, e in p.title_spans)


def _place(f: Found, sent: tuple[int, int], t: Trigger, chosen: list[Trigger]):
    s, e = sent
    lex = lexicons.get()
    best = None
    for c in f.within("countries", sent):
        before = f.text[max(s, c.start - 18):c.start]
        prep = regex(r"\b(?:in|at|visiting|arrived on|(?:leaves?|left|depart\w*|head(?:s|ed)?|bound) for)\s+(?:the\s+)?$").search(before) or regex(r"(?:visit|trip|travell?ed|travel|mission|delegation)\w*\s+to\s+(?:the\s+)?$").search(f.text[max(s, c.start - 30):c.start])
        summit = c.role == "places" and regex(r"\s+(?:Summit|Meeting|Conference|Round|Ministerial)\b").match(f.text[c.end:c.end + 14])
        if not (prep or summit):
            continue
        if c.role == "adjectives":
            continue
        if c.role in ("names", "government") and regex(r"\s+(?:[a-z]+\s+)?(?:companies|firms|markets?|sectors?|industr\w+|manufacturing|goods|economy|regions?)\b").match(f.text[c.end:c.end + 30]):
            continue
        owner = _nearest([c], t, chosen)
        if not owner:
            continue
        if c.role == "places":
            place = c.text
            code = c.code
            # "in Taipei, Taiwan": the country that follows confirms the city.
            cand = (place, code, c.start, c.end)
        elif c.role == "government" and c.text in lex.countries.get(c.code, {}).get("places", []):
            cand = (c.text, c.code, c.start, c.end)
        else:
            cand = (None, c.code, c.start, c.end)
        dist = abs(c.start - t.start)
        if best is None or dist < best[0] or (best[1][0] is None and cand[0] is not None and dist < best[0] + 40):
            best = (dist, cand)
    return best[1] if best else None


def _add_cues(f: Found, d: Draft, sent: tuple[int, int], chosen: list[Trigger], outcomes_only: bool = False, kinds: set[str] | None = None) -> None:
    if not outcomes_only:
        for s0, e0, code in f.within("topics", sent):
            d.topics.setdefault(code, (s0, e0))
    if d.type in ("statement", "reaction", "launch", "visit") and not d.primary and not outcomes_only:
        return
    for s0, e0, kind in f.within("outcomes", sent):
        if kinds is None or kind in kinds:
            d.outcomes.setdefault(kind, (s0, e0))


# -- merging, inheritance, the primary event -------------------------------------------------

def _compatible_type(a: str, b: str) -> bool:
    return a == b or (a in MEETING_FAMILY and b in MEETING_FAMILY)


def _date_conflict(a: Draft, b: Draft) -> bool:
    """Two dates that cannot be one event's: their spans do not overlap at the precision
    both give ("on Tuesday", the 17th, fits "January 14-17")."""
    if not (a.date and a.date.resolved and b.date and b.date.resolved):
        return False
    (sa, ea), (sb, eb) = a.date.value, b.date.value
    if not sa or not sb:
        return False
    n = min(len(sa), len(sb))
    return not (sa[:n] <= (eb or sb)[:n] and sb[:n] <= (ea or sa)[:n])


def _same(a: Draft, b: Draft) -> bool:
    if a.status != b.status or not _compatible_type(a.type, b.type):
        return False
    if a.type == "agreement" and a.trigger.sent == b.trigger.sent and a.trigger is not b.trigger and a.sents == b.sents == {a.trigger.sent}:
        return False  # one sentence, two events: told apart when the sentence was read
    if _date_conflict(a, b):
        return False
    if a.mechanism and b.mechanism and a.mechanism.name != b.mechanism.name and not b.mech_inherited and not a.mech_inherited:
        return False
    if a.type in ("statement", "reaction"):
        return a.speaker is not None and a.speaker == b.speaker
    if a.type == "agreement" and _long_before(a, b):
        return False  # "building on the framework agreement signed in 2004": another, older one
    if a.type == "agreement" and not (a.mechanism and b.mechanism) and not (b.trigger.anaphor or a.trigger.anaphor):
        # Two agreements in one text are one only when nothing tells them apart.
        return not (a.date and b.date) and (set(a.parties) == set(b.parties) or not a.parties or not b.parties) and b.date is None
    if a.place and b.place and a.place[1] and b.place[1] and a.place[1] != b.place[1] and a.date and b.date:
        return False
    if a.mechanism and b.mechanism:
        return True
    if bool(a.mechanism) != bool(b.mechanism) and not (a.trigger.anaphor or b.trigger.anaphor):
        return False
    has_own = bool(b.date and b.date.resolved) or bool(b.place and a.place and b.place[0] != a.place[0])
    return not has_own or b.trigger.anaphor


def _long_before(a: Draft, b: Draft) -> bool:
    """One of two events is dated in an earlier year than its document, the other has no
    date: a background reference, not the news."""
    for x, y in ((a, b), (b, a)):
        if x.date and x.date.resolved and x.date.published and not (y.date and y.date.resolved):
            if int(x.date.published[:4]) - int((x.date.value[0] or "0")[:4]) >= 1:
                return True
    return False


def _merge(f: Found, drafts: list[Draft]) -> list[Draft]:
    drafts = sorted(drafts, key=lambda d: d.pos)
    out: list[Draft] = []
    for d in drafts:
        target = next((o for o in out if _same(o, d)), None)
        if target is None:
            # A later event that names what an earlier, vaguer one lacked is still the same.
            target = next((o for o in out if _same(d, o)), None)
        if target is None:
            out.append(d)
            continue
        _absorb(target, d)
    return out


def _absorb(target: Draft, d: Draft) -> None:
    if target.type == "meeting" and d.type == "negotiation_round":
        target.type = "negotiation_round"
        target.trigger = Trigger(d.trigger.etype, target.trigger.start, target.trigger.end, target.trigger.sent)
    target.sents |= d.sents
    if target.mechanism is None or (target.mech_inherited and d.mechanism and not d.mech_inherited):
        target.mechanism, target.mech_inherited = d.mechanism, d.mech_inherited
    if target.round is None:
        target.round = d.round
    if target.date is None or (not target.date.resolved and d.date and d.date.resolved):
        target.date = d.date or target.date
    elif d.date and d.date.resolved and _more_precise(d.date, target.date):
        target.date = d.date
    if target.place is None or (target.place[0] is None and d.place and d.place[0]):
        target.place = d.place or target.place
    for k, v in d.parties.items():
        target.parties.setdefault(k, v)
    for k, v in d.people.items():
        if k not in target.people or (v[1] == "lead" and target.people[k][1] != "lead"):
            target.people[k] = v
    for attr in ("orgs", "topics", "outcomes"):
        for k, v in getattr(d, attr).items():
            getattr(target, attr).setdefault(k, v)
    target.speaker = target.speaker or d.speaker


def _more_precise(a: DateMention, b: DateMention) -> bool:
    """A finer date within the other ("2024-04-04" in "April"), or a stated span of days
    that holds a relative day ("January 14-17, 2023" over "on Tuesday")."""
    (sa, ea), (sb, eb) = a.value, b.value
    sa, sb = sa or "", sb or ""
    if len(sa) > len(sb) and sa.startswith(sb):
        return True
    ea, eb = ea or sa, eb or sb
    return len(sa) == len(sb) == 10 and b.kind.startswith(("weekday", "relative")) and sa <= sb and eb <= ea and (sa, ea) != (sb, eb)


_TITLE_TYPES = [("statement", r"\b(?:says|said|tells|told|urges|warns|vows|insists|claims)\b"), ("negotiation_round", r"negotiat"), ("meeting", r"meeting|round|dialogue|talks|consultation|summit|conference|forum"),
                ("visit", r"\b(?:trip|visit|travel)"), ("agreement", r"deal|agreement|pact|signs?|seal"), ("launch", r"launch")]


def _choose_primary(f: Found, drafts: list[Draft]) -> Draft:
    title = (f.title or "").lower()

    planned_title = bool(title and matchers.get().planned.search(title))  # "India, US Postpone Trade Deal Meet"

    def score(d: Draft) -> float:
        sc = 0.0
        if d.status == ("planned" if planned_title else "held"):
            sc += 4
        sc += {"negotiation_round": 3, "meeting": 3, "agreement": 2.5, "visit": 2, "statement": 1.5, "launch": 1, "reaction": 0}[d.type]
        if d.mechanism and title and _core(d.mechanism.name) and _core(d.mechanism.name) in _fold(title):
            sc += 3
        for etype, rx in _TITLE_TYPES:
            if re.search(rx, title) and _compatible_type(etype, d.type):
                sc += 1.5
                break
        sc -= 0.15 * min(d.trigger.sent, 20)
        if d.type in MEETING_FAMILY and d.trigger.anaphor and not d.date:
            sc -= 1
        return sc

    best = max(drafts, key=score)
    best.primary = True
    return best


def _fold(s: str) -> str:
    return regex(r"[^a-z0-9]+").sub(" ", s.lower()).strip()


def _core(name: str) -> str:
    words = _fold(name).split()
    while words and (matchers.lookup_country(words[0].upper() if len(words[0]) <= 3 else words[0].capitalize()) or words[0] in ("u", "s", "us", "united", "states", "north", "american", "america")):
        words = words[1:]
    return " ".join(words)


def _inherit(f: Found, drafts: list[Draft], primary: Draft) -> None:
    doc_parties = _doc_parties(f, primary)
    for d in drafts:
        if d is primary:
            continue
        # A meeting of the headline mechanism with nothing of its own is the headline event.
        if d.status == primary.status and d.type in MEETING_FAMILY and primary.type in MEETING_FAMILY and not (d.date and d.date.resolved) and not d.mechanism and not (d.place and d.place[0]) and d.type != "agreement":
            d.absorbed = True
            _absorb(primary, d)
            continue
        if d.type == "visit" and primary.type in MEETING_FAMILY | {"launch"} and _ANAPHOR.search(f.text[f.sentences[d.trigger.sent][0]:f.sentences[d.trigger.sent][1]]):
            d.absorbed = True
            _absorb(primary, d)
            continue
        if d.type in MEETING_FAMILY and primary.type == "visit" and not d.mechanism and not d.date:
            d.absorbed = True
            _absorb(primary, d)
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
    # A mechanism whose name gives its sides ("U.S.-EU Trade and Technology Council") has
    # those sides, and those of the people who lead for it; other countries named in the
    # sentence are what was talked about.
    for d in drafts:
        if d.mechanism and len(d.mechanism.parties) >= 2 and d.type in MEETING_FAMILY | {"launch"}:
            keep = set(d.mechanism.parties) | {p.country for p, r, _ in d.people.values() if r == "lead" and p.country}
            d.parties = {c: span for c, span in d.parties.items() if c in keep}
            for c in d.mechanism.parties:
                d.parties.setdefault(c, (d.mechanism.start, d.mechanism.end))


def _doc_parties(f: Found, primary: Draft) -> dict[str, tuple[int, int]]:
    """The sides of the document: those of the first sentence naming two or more countries,
    among the first eight that are more than a fragment ("1.", "[matter omitted]")."""
    real = (sent for sent in f.sentences if f.text.count(" ", *sent) >= 2)
    for s, e in islice(real, 8):
        found: dict[str, tuple[int, int]] = {}
        for c in f.countries:
            if s <= c.start < e and c.role in ("names", "government", "adjectives") and not _is_third_country_phrase(f.text, c):
                found.setdefault(c.code, (c.start, c.end))
        if len(found) >= 2:
            return found
    return dict(primary.parties)


def _third_parties(f: Found, drafts: list[Draft], primary: Draft) -> None:
    """Reactions are a third party's; statements by the sides stay statements only when
    no meeting is reported."""
    sides = set(primary.parties)
    for d in drafts:
        if d.type == "reaction" and d is not primary:
            country = _speaker_country(f, d)
            if not country or country in sides:
                d.absorbed = True
                continue
            d.parties = {country: d.parties.get(country, (d.trigger.start, d.trigger.end))}
            d.people = {k: v for k, v in d.people.items() if v[0].country == country}
        elif d.type == "statement" and d is not primary:
            country = _speaker_country(f, d)
            sent = f.text[f.sentences[d.trigger.sent][0]:f.sentences[d.trigger.sent][1]]
            reports_meeting = bool(_ANAPHOR.search(sent)) or (
                f.kind in ("readout", "joint_statement") and primary.type in MEETING_FAMILY)
            if reports_meeting or not _TALKS_WORDS.search(sent) or d.speaker is None:
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
            _absorb(seen[d.speaker], d)
        else:
            seen[d.speaker] = d


def _speaker_country(f: Found, d: Draft) -> str | None:
    if d.speaker and d.speaker in d.people:
        return d.people[d.speaker][0].country
    org = next((o for o in f.orgs if o.name == d.speaker), None)
    return org.country if org else None


def _enrich_primary(f: Found, drafts: list[Draft], primary: Draft) -> None:
    owned = {d.trigger.sent: d for d in drafts if d is not primary}
    gov = f.kind in ("readout", "joint_statement", "press_release", "fact_sheet")
    prev_about = False
    about_sents: set[int] = set()
    for si, sent in enumerate(f.sentences):
        if si in primary.sents:
            continue
        other = owned.get(si)
        text = f.text[sent[0]:sent[1]]
        if other is not None:
            if other.status == "planned" and primary.status == "held" and other.type in MEETING_FAMILY | {"launch"}:
                # What the sides agreed to do next was agreed at this meeting.
                _add_cues(f, primary, sent, [primary.trigger], outcomes_only=True, kinds={"commitment"})
                for s0, e0, code in f.within("topics", sent):
                    primary.topics.setdefault(code, (s0, e0))
            continue
        if f.title and text.strip() == f.title.strip():
            # The headline may say what came of it ("... seal trade deal").
            _add_cues(f, primary, sent, [primary.trigger], outcomes_only=True, kinds={"deal", "signed"})
            continue
        about = gov or _REFERS.search(text) or text.lstrip().startswith("- ") or (prev_about and primary.type == "agreement")
        prev_about = bool(about) and si - 1 in primary.sents | about_sents
        if not about:
            continue
        about_sents.add(si)
        if primary.type not in ("statement", "reaction"):
            _add_cues(f, primary, sent, [primary.trigger])
        refers = _LED_BY.search(text) or regex(r"\bdelegations?\b|\bco-?chair|\bled the\b|\bcounterparts\b", re.I).search(text) or (
            _ANAPHOR.search(text))
        for o in f.within("orgs", sent):
            if not o.media and (refers or primary.type not in ("statement",)) and (refers or o.country in primary.parties):
                if refers:
                    primary.orgs.setdefault(o.name, (o.start, o.end))
        if refers:
            for p in f.people:
                if p.commentator:
                    continue
                for ps, pe in p.spans:
                    if sent[0] <= ps < sent[1]:
                        role = _ref_role(f.text, sent, ps, pe)
                        if p.country and primary.parties and p.country not in primary.parties:
                            break
                        if p.key not in primary.people or (role == "lead" and primary.people[p.key][1] != "lead"):
                            primary.people[p.key] = (p, role, (ps, pe))
                        break
    # Where, when the headline sentence does not say: "signed in Cairo", "who is visiting
    # the United States" in the sentences about the event.
    if primary.place is None:
        for si, sent in enumerate(f.sentences):
            if si in owned and si not in primary.sents:
                continue
            for c in f.within("countries", sent):
                if c.role != "adjectives" and regex(r"\b(?:signed|held|took place|met|convened|visiting|hosted)\s+(?:\w+\s+)?(?:in|at|by)?\s*(?:the\s+)?$").search(f.text[max(sent[0], c.start - 30):c.start]):
                    place = c.text if c.role in ("places", "government") else None
                    primary.place = (place, c.code, c.start, c.end)
                    break
            if primary.place:
                break
    # Organizations of the participants.
    for p, _role, span in primary.people.values():
        if p.org:
            primary.orgs.setdefault(p.org, span)
    # Location: the dateline, when the publisher is based elsewhere.
    if primary.place is None and f.dateline and f.dateline.country and primary.type in MEETING_FAMILY and primary.status == "held":
        home = f.home or next((p.country for p, r, _ in primary.people.values() if p.country and r == "lead"), None)
        if home and home != f.dateline.country and f.kind in ("readout", "press_release", "joint_statement"):
            idx = f.text.find(f.dateline.place or "")
            if idx >= 0:
                primary.place = (f.dateline.place, f.dateline.country, idx, idx + len(f.dateline.place or ""))
    # The location for a visit: the side that is visited.
    for d in drafts:
        if d.type == "visit" and (d.place is None or d.place[1] is None):
            visitors = {p.country for p, r, _ in d.people.values() if p.country and regex(r"Senator|Secretary|Representative|Advis|Deputy|Director|Minister").search(p.title or "")}
            hosts = [c for c in d.parties if c not in visitors]
            if visitors and len(hosts) == 1:
                span = d.parties[hosts[0]]
                d.place = (None, hosts[0], span[0], span[1])
    # A mechanism given only in parts takes its sides' names ("the Commercial Issues
    # Working Group" held by the United States and the PRC).
    for d in drafts:
        m = d.mechanism
        if m and not m.known and not m.parties and len(d.parties) == 2 and "USA" in d.parties and d.mechanism is primary.mechanism:
            other = next(c for c in d.parties if c != "USA")
            short = lexicons.get().countries.get(other, {}).get("short")
            if short:
                d.mechanism = MechMention(m.start, m.end, f"U.S.-{short} {m.name}", m.head, sorted(d.parties), False, m.short)
                if m is primary.mechanism:
                    primary.mechanism = d.mechanism


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
        participants.append(Participant(name=p.name, title=p.title, org=p.org, country=p.country, role=role))
        add("participants", span)
    orgs = list(d.orgs)
    for o in orgs:
        add("organizations", d.orgs[o])
    topics = sorted(d.topics)
    for t in topics:
        add("topics", d.topics[t])
    outcomes = []
    for kind, span in d.outcomes.items():
        outcomes.append(Outcome(type=kind, text=f.text[span[0]:span[1]]))
        add("outcomes", span)
    return Event(
        type=d.type, status=d.status, mechanism=mechanism, round=rnd, start=start, end=end,
        location=location, parties=parties, participants=participants, organizations=orgs,
        topics=topics, outcomes=outcomes, evidence=ev,
    )
