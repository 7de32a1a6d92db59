"""One sentence, its events: which of its triggers are events of their own, and the date,
place, mechanism, round, sides, people, topics and outcomes each of them takes from the
clause that reports it."""

from __future__ import annotations

import re

from tradetalks import lexicons
from tradetalks.extract import matchers
from tradetalks.extract.actors import CountryMention
from tradetalks.extract.dates import DateMention
from tradetalks.extract.dating import assign_dates, nearest
from tradetalks.extract.drafts import PRIORITY, Draft, Found, Trigger, ordinal_value
from tradetalks.extract.mechanisms import MechMention
from tradetalks.extract.status import trigger_status
from tradetalks.extract.triggers import PRONOUN_SUBJECT, country_reacting, org_speaks, saying, speaker_in
from tradetalks.models import MEETING_FAMILY
from tradetalks.regex import regex


def sentence_events(f: Found, triggers: list[Trigger]) -> list[Draft]:
    by_sent: dict[int, list[Trigger]] = {}
    for t in triggers:
        by_sent.setdefault(t.sent, []).append(t)
    drafts: list[Draft] = []
    for si, ts in sorted(by_sent.items()):
        sent = f.sentences[si]
        dates = f.within("dates", sent)
        ts = _candidates(f, sent, dates, ts)
        if not ts:
            continue
        chosen, date_owner, round_words = _choose(f, ts, dates)
        for t in chosen:
            if t.etype == "statement" and any(c.etype == "reaction" for c in chosen):
                continue
            mydates = [d for d, owner in date_owner.items() if owner is t]
            d = Draft(type="negotiation_round" if id(t) in round_words else t.etype, status="held", trigger=t, sents={si})
            d.date = min(mydates, key=lambda x: abs(x.start - t.start)) if mydates else None
            d.status = trigger_status(t, f, d.date)
            if d.type == "agreement" and _UNDONE_AFTER.match(f.text, t.end, sent[1]):
                d.status = "planned"  # "signing a deal has proved elusive": still to come
            if d.status == "planned" and d.date and d.date.kind in ("weekday",) and not d.date.resolved:
                d.date = None
            fill_from_sentence(f, d, sent, chosen)
            drafts.append(d)
            if d.type in MEETING_FAMILY and d.date and d.status == "held" and _SINCE.search(f.text, max(sent[0], d.date.start - 8), d.date.start):
                drafts.extend(_series_start(f, d, sent, chosen))
    return drafts


# "Since May 2012, 11 rounds of talks have been held": the date is when the talks began.
_SINCE = re.compile(r"\b[Ss]ince\s+$")


def _series_start(f: Found, d: Draft, sent: tuple[int, int], chosen: list[Trigger]) -> list[Draft]:
    """The rounds held since a date are not of that date: the date is their launch's, an
    event of its own unless the sentence reports one ("when the negotiations started")."""
    since, d.date = d.date, None
    if since is None or any(t.etype == "launch" for t in chosen):
        return []
    launch = Draft(type="launch", status="held", trigger=Trigger("launch", since.start, since.end, d.trigger.sent), sents=set(d.sents))
    launch.date = since
    launch.parties = dict(d.parties)
    return [launch]


def _candidates(f: Found, sent: tuple[int, int], dates: list[DateMention], ts: list[Trigger]) -> list[Trigger]:
    """A sentence's triggers that may be events, the likeliest first."""
    ts = sorted(ts, key=lambda t: (t.aside, PRIORITY[t.etype], not t.strong, t.start))
    # Talks that an agreement concluded ("concluded talks for a free trade deal") are its object;
    # talks agreed on ("agreed to begin talks") are talks to come, and the agreement an event of its own.
    agreements = [t for t in ts if t.etype == "agreement" and not t.commits]
    ts = [t for t in ts if not (t.etype in MEETING_FAMILY and any(a.start <= t.start < a.end for a in agreements))]
    # A round that was kicked off or launched is held: its start is no launch ("kicked off
    # their second round of talks", "The first round of talks was launched in mid-May").
    rounds = [t for t in ts if t.etype in MEETING_FAMILY and _ROUND_WORD.search(f.low, t.start, min(sent[1], t.end + 10))]
    ts = [t for t in ts if not (t.etype == "launch" and any(
        0 <= r.start - t.end < 30 and _OBJECT_GAP.fullmatch(f.text, t.end, r.start)
        or 0 <= t.start - r.end < 50 and _SUBJECT_GAP.fullmatch(f.text, r.end, t.start) for r in rounds))]
    # Agreements reached or signed at a meeting are its outcomes, not events.
    if any(t.etype in MEETING_FAMILY for t in ts) and any(t.etype == "agreement" for t in ts):
        dated = set(map(id, assign_dates(dates, ts, "").values()))
        ts = [t for t in ts if t.etype != "agreement" or id(t) in dated or t.commits]
    # A visit that only frames a meeting with a person ("arrived ..., meeting with X").
    if any(t.etype == "visit" and not t.aside for t in ts):
        ts = [t for t in ts if not (t.etype == "meeting" and regex(r"meet(?:ing|s)? with|met with|met\b", re.I).match(f.text[t.start:t.start + 20])
                                    and not f.within("mechanisms", sent))]
        ts.sort(key=lambda t: (t.etype != "visit", t.start))
    return ts


_ROUND_WORD = re.compile(r"\bround\b")
# Between a verb of starting and the round it starts, or the round and its verb.
_OBJECT_GAP = re.compile(r"\s+(?:(?:the|their|its|a|an)\s+)?")
_SUBJECT_GAP = re.compile(r"(?:\s+(?:of|the|[\w-]+)){0,5}?\s+(?:(?:was|were|has been|had been|is|are)\s+)?(?:officially\s+)?")


# A visit named as the circumstance of something else: "during the Secretary's visit".
_CIRCUMSTANCE = re.compile(r"\b(?:during|on|at|after|before|ahead of|following|amid|since)\s+(?:\S+\s+){0,4}$", re.I)


# A sentence reports a few events at most; a text made of event words does not make each
# an event (and the work per sentence stays bounded).
MAX_EVENTS = 6


def _choose(f: Found, ts: list[Trigger], dates: list[DateMention]) -> tuple[list[Trigger], dict[DateMention, Trigger], set[int]]:
    """The triggers of one sentence that are events of their own, which of them each date
    belongs to, and the meetings that are negotiation rounds."""
    top = ts[0]
    chosen = [top]
    round_words: set[int] = set()
    date_owner = assign_dates(dates, [t for t in ts if t is top or not (t.etype == "visit" and t.aside)], f.text)
    status_top = trigger_status(top, f, next((dm for dm, owner in date_owner.items() if owner is top), None))
    for t in ts[1:]:
        if t.etype == top.etype and t.anaphor:
            # "The sixth ministerial meeting ... took place on 4 and 5 April": one event, one date.
            if not any(owner is top for owner in date_owner.values()):
                date_owner.update({dm: top for dm, owner in date_owner.items() if owner is t})
            continue
        if t.etype == "visit" and t.aside and _CIRCUMSTANCE.search(f.text, max(0, t.start - 50), t.start):
            continue  # "during the Secretary's visit to China": where, not what
        if t.etype == "negotiation_round" and top.etype == "meeting" and t.start <= top.end + 1 and top.start <= t.end:
            # "First round of negotiations": one phrase, a negotiating round, with one date.
            round_words.add(id(top))
            date_owner.update({dm: top for dm, owner in date_owner.items() if owner is t})
            continue
        own_date = any(owner is t for owner in date_owner.values())
        status_t = trigger_status(t, f, None)
        if (t.etype in MEETING_FAMILY and top.etype in MEETING_FAMILY and status_t == status_top and _near(top, t)
                and not any(owner is top for owner in date_owner.values()) and not t.aside and not top.aside):
            # "held the third round of STIP negotiations on May 2": one event, one date.
            for dm, owner in list(date_owner.items()):
                if owner is t:
                    date_owner[dm] = top
            if t.etype == "negotiation_round":
                round_words.add(id(top))
            continue
        other_kind = status_t != status_top and t.etype not in ("statement", "reaction")
        # "signed an agreement with Oman in December and concluded talks for a deal with New Zealand"
        another_agreement = t.etype == top.etype == "agreement" and not any(c.start <= t.start < c.end + 25 for c in chosen)
        if own_date or other_kind or another_agreement or (t.etype == "reaction" and top.etype != "reaction"):
            if all(abs(t.start - c.start) > 3 for c in chosen):
                chosen.append(t)
                if len(chosen) == MAX_EVENTS:
                    break
    return chosen, date_owner, round_words


def _near(a: Trigger, b: Trigger) -> bool:
    """Two event words close enough to name one event ("held the third round of STIP
    negotiations"), not a summit and the talks a later clause of the sentence tells of."""
    gap = b.start - a.end if b.start >= a.end else a.start - b.end
    return gap <= _ONE_PHRASE


_ONE_PHRASE = 60


# Who began a mechanism, named after the event word ("the Dialogue announced by President Biden").
_ORIGIN_BY = re.compile(r"\b(?:announced|launched|established|created|set up|founded)\s+by\s+(?:\S+\s+){0,8}$")


def fill_from_sentence(f: Found, d: Draft, sent: tuple[int, int], chosen: list[Trigger]) -> None:
    """The facts of the clause that reports draft d's event."""
    t = d.trigger
    sent = _as_phrase(f, sent, t) or sent
    s, e = sent
    d.mechanism = _mechanism(f, d, sent, chosen) or d.mechanism
    if d.type in MEETING_FAMILY:
        d.round = _round(f, d, sent) or d.round
    # Place: "in Taipei, Taiwan", "in New York", "visit to Tokyo", "in China later this year".
    d.place = _place(f, sent, t, chosen)
    if d.place and d.type in ("statement", "reaction") and not 0 <= d.place[2] - t.end < 40:
        d.place = None  # "said X, a professor at the Humboldt University in Berlin": not where it was said
    _sides(f, d, sent, chosen)
    # People: the officials named in the sentence.
    people_here = [(p, *spans[0]) for p, spans in f.people_in(sent) if not p.commentator]
    for p, ps, pe in nearest(people_here, t, chosen, key=lambda x: x[1], text=f.text):
        # One named in another's title ("Röller, Chief Economic Advisor of Chancellor Merkel") is mentioned.
        role = "mentioned" if f.in_title(ps) else _role(f.text, s, ps, pe, t)
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
        d.speaker = _speaker(f, d, sent)
    add_cues(f, d, sent, chosen)
    _trigger_outcomes(f, d)


def _as_phrase(f: Found, sent: tuple[int, int], t: Trigger) -> tuple[int, int] | None:
    """The phrase of an event recalled as another's reference ("As reconfirmed in the June
    15, 2021 EU-U.S. Summit Statement, the Council is ...", "..., as agreed at the Special
    Leaders' Meeting of ASEAN"): its facts are the phrase's, not the sentence's."""
    before = _AS_DONE.search(f.text, max(sent[0], t.start - 120), t.start)
    if before is None:
        return None
    comma = _CLAUSE_END.search(f.text, t.end, sent[1])
    return before.start(), comma.start() if comma else sent[1]


_AS_DONE = re.compile(r"\b[Aa]s (?:agreed|outlined|(?:re)?confirmed|enunciated) (?:in|at) (?:[^,;]|,(?= \d{4}\b))*$")
_CLAUSE_END = re.compile(r",(?! \d{4}\b)|;")


def _mechanism(f: Found, d: Draft, sent: tuple[int, int], chosen: list[Trigger]) -> MechMention | None:
    """The mechanism nearest the trigger, preferring one just after it ("of the X")."""
    t = d.trigger
    mechs = nearest(f.within("mechanisms", sent), t, chosen, text=f.text)
    if t.aside and any(not c.aside for c in chosen):
        mechs = [m for m in mechs if 0 <= m.start - t.end < 40]
    if t.etype in MEETING_FAMILY and PRONOUN_SUBJECT.search(f.text, max(sent[0], t.start - 20), t.start):
        # "It was co-chaired by ..., hosted by the Presidency of the Council of the EU": the
        # meeting referred back to keeps its own mechanism.
        return None
    if mechs and d.type not in ("statement", "reaction", "visit") and not (d.type == "agreement" and all(not m.known for m in mechs)):
        return min(mechs, key=lambda m: (0 if 0 <= m.start - t.end < 60 else 1, abs(m.start - t.start)))
    if t.etype in MEETING_FAMILY:
        # "talks under the aegis of the U.S.-Germany Economic Dialogue announced by ...": the
        # mechanism the talks are held under is theirs, whatever else its name begins.
        return next((m for m in f.within("mechanisms", sent) if _UNDER_AEGIS.fullmatch(f.text, t.end, m.start)), None)
    return None


_UNDER_AEGIS = re.compile(r"(?:\s+of\s+(?:talks|negotiations|discussions|consultations))?\s+(?:under|within)\s+(?:the\s+)?(?:aegis|auspices|framework|umbrella)\s+of\s+(?:the\s+)?")


def _round(f: Found, d: Draft, sent: tuple[int, int]) -> tuple[int, int, int] | None:
    """An ordinal next to the trigger or the mechanism ("the fifth round", "the 8th U.S.-UAE EPD"),
    or a first meeting told as such ("the Council met for the first time in Pittsburgh")."""
    t = d.trigger
    first = _FIRST_TIME.match(f.text, t.end, sent[1]) if f.low.startswith("met", t.start) else None
    if first and d.status == "held":
        return (1, first.start(1), first.end(1))
    for m in f.ordinals(sent):
        near_trigger = -40 < m.start() - t.start < 40 or 0 <= t.start - m.end() < 30
        near_mech = d.mechanism is not None and 0 <= d.mechanism.start - m.end() < 12
        follows = f.text[m.end():m.end() + 20]
        if (near_trigger or near_mech) and (_ROUND_NOUN.match(follows) or near_mech):
            value = ordinal_value(m.group(1))
            if value:
                noun = regex(r"\s*\w+").match(follows)
                return (value, m.start(), m.end() + len(noun.group(0)) if noun else m.end())
    return None


_FIRST_TIME = re.compile(r"\s+(for the first time)\b(?!\s+(?:in|since)\s+(?:\d|a |the |over |more ))")
_ROUND_NOUN = re.compile(r"(?:round|meeting|session|dialogue|plenary|ministerial|conference|consultation|forum|summit|edition)", re.I)


def _sides(f: Found, d: Draft, sent: tuple[int, int], chosen: list[Trigger]) -> None:
    """The countries of the clause that are sides: not a country's things ("U.S. firms"),
    nor a venue when others are named, nor, for a visit, countries outside its phrase."""
    t = d.trigger
    visit_reach = t.end + 25
    venues: dict[str, tuple[int, int]] = {}
    for c in nearest(f.within("countries", sent), t, chosen, text=f.text):
        if c.role not in ("names", "adjectives", "government") or is_third_country_phrase(f.text, c):
            continue
        if d.type != "visit" and _VENUE.search(f.text, max(sent[0], c.start - 12), c.start):
            venues.setdefault(c.code, (c.start, c.end))  # "in the Republic of Korea": where; who, only if no one else is
            continue
        if d.type == "visit" and not (t.start - 5 <= c.start <= visit_reach):
            continue  # a visit's sides are the visitors and the visited
        if d.type == "visit" and c.start > t.end:
            visit_reach = c.end + 12  # "traveled to the UAE, Saudi Arabia, and Qatar"
        d.parties.setdefault(c.code, (c.start, c.end))
    if d.mechanism:
        for code in d.mechanism.parties:
            d.parties.setdefault(code, (d.mechanism.start, d.mechanism.end))
    if len(d.parties) < 2:
        for code, span in venues.items():
            d.parties.setdefault(code, span)


# A country's name inside another name: "the Australia Group", "the Paris Club", "the
# American Enterprise Institute", "China Daily" (not a mechanism's: "U.S.-India Joint
# Working Group" names its sides).
_IN_NAME = re.compile(r"\s+Group\b|(?:\s+[A-Z][a-z]+){0,2}\s+(?:Club|Institute|Foundation|University|Chamber|Association|"
                      r"Society|Times|Post|Herald|Daily|News|Airlines?|Motors?|Corporation|Company)\b")


# An agreement's own verb (triggers.yaml) says what came of it: a text signed, or a deal reached.
_SIGNED = re.compile(r"\b(?:sign\w*|ink\w*|releas\w*)\b")
_TO_TALK = re.compile(r"\b(?:talks|negotiations)$")
_DEAL = re.compile(r"\b(?:reach\w*|conclu\w*|str(?:uck|ik\w+)|seal\w*|clinch\w*|agreed|finali[sz]\w*|complet\w*)\b")


def _trigger_outcomes(f: Found, d: Draft) -> None:
    if d.type != "agreement" or d.status != "held":
        return
    word = f.low[d.trigger.start:d.trigger.end]
    span = (d.trigger.start, d.trigger.end)
    if _not_done(f, f.sentences[d.trigger.sent], *span):
        return
    if _SIGNED.search(word):
        d.outcomes.setdefault("signed", span)
    if _DEAL.search(word) and not _TO_TALK.search(word):
        d.outcomes.setdefault("deal", span)  # "agreed to begin talks" is a commitment, no deal


def is_third_country_phrase(text: str, c: CountryMention) -> bool:
    """A country named only as what is talked about ("U.S. companies") or inside another
    name ("the Australia Group"): not a side."""
    if c.role in ("names", "adjectives") and _IN_NAME.match(text, c.end, c.end + 40):
        return True
    after = text[c.end:c.end + 30]
    return bool(_WHAT_IS_TALKED_ABOUT.match(after)) and c.role in ("adjectives", "names")


# "U.S. companies", "Japanese goods", "cheap Russian crude": a country's things, not the country.
_WHAT_IS_TALKED_ABOUT = re.compile(
    r"\s+(?:companies|firms|businesses|workers|exports?|imports?|goods|products|markets?|investors?|consumers|economy|"
    r"economies|dollars?|currency|treasur(?:y|ies)|bonds|stocks|shares|listed|crude|oil|gas|steel|cars|autos|vehicles)\b")


def _role(text: str, s: int, ps: int, pe: int, t: Trigger) -> str:
    before = text[s:ps]
    if regex(r"['’]s\b").search(text[pe:pe + 2]):
        # "the Secretary's delegation" leads; "Tai's visit to Tokyo" leads what was done on the
        # trip, but "Biden's upcoming travel" named in a meeting's readout does not lead the meeting.
        trip = r"(?!x)x" if t.etype in MEETING_FAMILY else r"visit|trip|travel"
        return "lead" if regex(rf"['’]s\s+(?:\w+\s+)?(?:delegation|{trip})").match(text[pe:pe + 25]) else "mentioned"
    if matchers.get().lead_by.search(before):
        return "lead"
    if matchers.get().member_of.search(before):
        return "member"
    if t.etype not in ("statement", "reaction") and _QUOTED_AS.search(text, max(s, ps - 40), ps) and _AS_SAYING.search(text, pe, pe + 120):
        return "mentioned"  # "The report quoted Ambassador Franz Jessen, head of the EU Delegation, as saying": a source
    if ps > t.end:
        # After the event word: a lead only as its agent or counterpart ("established by",
        # "meeting with", "talks with", "hosted by"), else someone it concerns.
        between = text[t.start:ps]
        if t.etype == "visit" and regex(r"\b(?:his|her|their)\s+(?:\w+\s+){0,2}$").search(text, max(s, t.start - 30), t.start) and "," in between and len(between) < 120:
            return "lead"  # "During his first visit to the ROK, Chinese President Xi Jinping pledged"
        if t.etype != "launch" and _ORIGIN_BY.search(between):
            return "mentioned"  # "the Dialogue announced by President Biden": who began the mechanism
        if regex(r"\b(?:by|with|between)\b(?:\s+(?:\S+\s+){0,14})?$").search(between) and ";" not in between:
            return "lead"
        if len(between) < 40 and not regex(r"\b(?:to|about|on|against|for)\s+(?:\S+\s+){0,4}$").search(between):
            return "lead"
        if t.etype == "agreement" and _ANNOUNCES.match(text, pe) and ";" not in between:
            return "lead"  # "... agreed to begin talks, EU Trade Commissioner Peter Mandelson has announced"
        return "mentioned"
    return "lead"


_QUOTED_AS = re.compile(r"\bquot(?:ed|es|ing)\s+(?:\S+\s+)?$")
_AS_SAYING = re.compile(r"\bas\s+saying\b")


# The one who announces an agreement, at the end of the sentence that reports it, leads it (gold convention 8).
_ANNOUNCES = re.compile(r"\s+(?:has\s+|have\s+)?(?:announced|said|says)\b")


def ref_role(text: str, sent: tuple[int, int], ps: int, pe: int) -> str:
    """The role of a person named in a sentence about the headline event (not the one
    that reports it): "X led the delegation", "was led by X and Y", "also included X", "X
    and Y were joined by" (the hosts of the ones who joined them)."""
    s, e = sent
    if regex(r"['’]s\b").search(text[pe:pe + 2]):
        return "mentioned"
    before = text[s:ps]
    led = list(matchers.get().lead_by.finditer(before))
    if led and ";" not in before[led[-1].end():]:
        return "lead"
    if matchers.get().member_of.search(before):
        return "member"
    after = text[pe:e]
    if regex(r"(?:\s*\([^)]*\))?(?:(?:,\s+(?!(?:who|whose|whom|which|where|the|a|an)\b)(?:[^.;]|(?<=[A-Z])\.){0,160}?,?\s+and\s+|,?\s+and\s+)(?:[^.;]|(?<=[A-Z])\.){0,160}?)?,?\s+(?:led|headed|co-?chaired|chaired|convened|(?:was|were)\s+joined\s+by)\b").match(after):
        return "lead"
    return "mentioned"


def _speaker(f: Found, d: Draft, sent: tuple[int, int]) -> str | None:
    t = d.trigger
    for p, spans in f.people_in((max(sent[0], t.start - 200), min(sent[1], t.end + 120))):  # where speaker_in looks
        if speaker_in(p, sent, d.trigger, f.text, spans):
            return p.key
    # A government named just before the verb is its subject, before any body further back.
    country = country_reacting(f, t, sent) if d.type == "reaction" or saying(f, t) else None
    return country or next((o.name for o in f.within("orgs", sent) if org_speaks(f, o, t, sent)), None)


def in_title(f: Found, pos: int) -> bool:
    return f.in_title(pos)


def _place(f: Found, sent: tuple[int, int], t: Trigger, chosen: list[Trigger]):
    s, e = sent
    lex = lexicons.get()
    best = None
    for c in f.within("countries", sent):
        before = f.text[max(s, c.start - 18):c.start]
        city = _CITY_BEFORE.search(f.text, max(s, c.start - 40), c.start) if c.role == "names" else None
        if city and c.start > t.start - 200:
            # "took place in Leuven, Belgium": a city the lexicon does not know, and its country.
            cand = (city.group(1), c.code, city.start(1), c.end)
            dist = abs(c.start - t.start)
            if best is None or dist < best[0]:
                best = (dist, cand)
            continue
        prep = regex(r"\b(?:in|at|outside|near|visiting|arrived on|(?:leaves?|left|depart\w*|head(?:s|ed)?|bound) for)\s+(?:the\s+)?$").search(before) or regex(r"(?:visit|trip|travell?ed|travel|mission|delegation)\w*\s+to\s+(?:the\s+)?$|\bvisit(?:ed|s|ing)?\s+(?:the\s+)?$").search(f.text[max(s, c.start - 30):c.start])
        summit = c.role == "places" and regex(r"\s+(?:Summit|Meeting|Conference|Round|Ministerial)\b").match(f.text[c.end:c.end + 14])
        # A timeline's line: "- July 2018: First round of negotiations, Brussels".
        listed = c.start > t.end and f.text.startswith("- ", s) and regex(r",\s*$").search(f.text, max(s, c.start - 3), c.start) and not f.text[c.end:e].strip(" .;")
        if not (prep or summit or listed):
            continue
        if c.role == "adjectives":
            continue
        if c.role in ("names", "government") and regex(r"\s+(?:[a-z]+\s+)?(?:companies|firms|markets?|sectors?|industr\w+|manufacturing|goods|economy|regions?)\b").match(f.text[c.end:c.end + 30]):
            continue
        owner = nearest([c], t, chosen, text=f.text)
        if not owner:
            continue
        if c.role == "places":
            place = c.text
            code = c.code
            # "in Taipei, Taiwan": the country that follows confirms the city.
            cand = (place, code, c.start, c.end)
        elif c.role in ("government", "names") and c.text in lex.countries.get(c.code, {}).get("places", []):
            cand = (c.text, c.code, c.start, c.end)
        elif c.role == "government" and _city_of(c.text):
            cand = (c.text, _city_of(c.text), c.start, c.end)  # "Brussels": the EU's seat, in Belgium
        else:
            cand = (None, c.code, c.start, c.end)
        dist = abs(c.start - t.start)
        if best is None or dist < best[0] or (best[1][0] is None and cand[0] is not None and dist < best[0] + 40):
            best = (dist, cand)
    return best[1] if best else None


_CITY_BEFORE = re.compile(r"\b(?:in|at)\s+([A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)?),\s+$")


_VENUE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$")


def _city_of(name: str) -> str | None:
    """The country a city lies in, when the lexicon lists it as one of a country's places."""
    return next((code for code, entry in lexicons.get().countries.items() if name in entry.get("places", [])), None)


def add_cues(f: Found, d: Draft, sent: tuple[int, int], chosen: list[Trigger], outcomes_only: bool = False, kinds: set[str] | None = None) -> None:
    if not outcomes_only:
        for s0, e0, code in f.within("topics", sent):
            d.topics.setdefault(code, (s0, e0))
    if d.type in ("statement", "reaction", "launch", "visit") and not d.primary and not outcomes_only:
        return
    for s0, e0, kind in f.within("outcomes", sent):
        if (kinds is None or kind in kinds) and not (kind in ("signed", "deal") and _not_done(f, sent, s0, e0)) and not (
                kind == "signed" and d.type in MEETING_FAMILY and "statement" in f.low[s0:e0]):
            # (A meeting's joint statement is no text it signed: gold convention 6.)
            d.outcomes.setdefault(kind, (s0, e0))


# A signing or a deal that has not happened: negated, wished for or conditional ("actually
# signing a deal has proved elusive", "their intent to move forward with a Memorandum of
# Understanding", "when formally inked, the agreement would be ...").
_UNDONE_BEFORE = re.compile(r"\b(?:not|no|never|without|yet to|failed to|intent(?:ion)? to|hopes? to|aims? to|ahead of|"
                            r"once|if|when formally|would|could|should|will)\b[^.;:]{0,40}$", re.I)
_UNDONE_AFTER = re.compile(r"[^.;:,]{0,60}?\b(?:proved elusive|remains? elusive|is unlikely|was unlikely|has yet to)\b", re.I)


def _not_done(f: Found, sent: tuple[int, int], s0: int, e0: int) -> bool:
    return bool(_UNDONE_BEFORE.search(f.text, max(sent[0], s0 - 50), s0) or _UNDONE_AFTER.match(f.text, e0, sent[1]))
