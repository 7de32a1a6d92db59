"""Event words: find the sentences that report an event and the word that says which kind
("held ... negotiating round", "was launched", "visited", "slammed")."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from tradetalks import lexicons
from tradetalks.extract import matchers, titles
from tradetalks.extract.actors import OrgMention
from tradetalks.extract.drafts import ANAPHOR, PAST_VERB, Found, Trigger, fold
from tradetalks.extract.mechanisms import MechMention
from tradetalks.extract.people import Person
from tradetalks.models import MEETING_FAMILY
from tradetalks.regex import regex


def find_triggers(f: Found) -> list[Trigger]:
    comp = matchers.get()
    starts = [s for s, _ in f.sentences]
    skip_first = bool(f.sentences and f.title and fold(f.text[f.sentences[0][0]:f.sentences[0][1]]) == fold(f.title))
    mech_spans = matchers.Spans([(m.start, m.end) for m in f.mechanisms])
    by_sent: dict[int, list[Trigger]] = {}
    # A question reports nothing ("How do you rate the chances of concluding an FTA?").
    questions = {si for si, (s, e) in enumerate(f.sentences) if f.text[s:e].rstrip(" \"'’”)").endswith("?")}
    for etype, (strong, weak) in comp.triggers.items():
        for rx, is_strong in ((strong, True), (weak, False)):
            if rx is None:
                continue
            for m in rx.finditer(f.low):
                ts, te = m.span()
                si = bisect_right(starts, ts) - 1
                if si < 0 or ts >= f.sentences[si][1] or (si == 0 and skip_first) or si in questions:
                    continue  # outside sentences, the headline (it names, the body reports), or a question
                s, e = f.sentences[si]
                if etype != "launch" and mech_spans.holds(ts):
                    continue  # "Dialogue" inside a mechanism's name is not a trigger
                if _NEGATED.search(f.low, max(s, ts - 25), ts):
                    continue  # "we have no meetings to announce"
                t = Trigger(etype, ts, te, si, is_strong)
                t.commits = etype == "agreement" and f.low.startswith("agreed to", ts)
                t.aside = etype == "visit" and not PAST_VERB.match(m.group(0)) and not _VERB_BEFORE.search(f.low, max(s, ts - 30), ts)
                by_sent.setdefault(si, []).append(t)
    out: list[Trigger] = []
    for si, (s, e) in enumerate(f.sentences):
        if si == 0 and skip_first:
            continue
        mechs_here = f.within("mechanisms", (s, e))
        sent = f.text[s:e]
        here = [_describe(f, t, s) for t in _bounded(by_sent.get(si, [])) if _keep(t, f, (s, e), sent, mechs_here)]
        for m in mechs_here:
            signed = _SIGNED_AFTER.match(f.text, m.end, min(e, m.end + 40))
            if signed and not any(t.etype == "agreement" and t.start <= signed.end() and m.start <= t.end for t in here):
                here.append(Trigger("agreement", m.start, signed.end(), si, True))  # "after CEPA was signed"
            if _named_meeting(f, m, s) and not any(t.start <= m.start < t.end + 40 and t.etype in MEETING_FAMILY for t in here):
                here.append(Trigger("meeting", m.start, m.end, si, True))
        out.extend(here)
    return out


# A sentence of the corpus has at most 7 event words; a text made of them ("talks talks
# talks ...") is read for the first few, strong ones first, so each sentence costs a bounded work.
MAX_CANDIDATES = 16


def _bounded(ts: list[Trigger]) -> list[Trigger]:
    if len(ts) <= MAX_CANDIDATES:
        return ts
    keep = {id(t) for t in sorted(ts, key=lambda t: (not t.strong, t.start))[:MAX_CANDIDATES]}
    return [t for t in ts if id(t) in keep]


def _describe(f: Found, t: Trigger, s: int) -> Trigger:
    """How a kept event word stands in its sentence: referring back to an event named before
    ("the meeting", "It was co-chaired"), naming the one before ("the last round"), or the
    circumstance of another ("at the Leaders' Summit")."""
    ts, te = t.start, t.end
    meeting = t.etype in MEETING_FAMILY
    t.anaphor = bool(ANAPHOR.match(f.text, max(s, ts - 25), te)) or bool(PRONOUN_SUBJECT.search(f.text, max(s, ts - 20), ts)) or bool(
        _THIS_WAS.search(f.text, max(s, ts - 30), ts)) or bool(
        meeting and _DETERMINED.search(f.low, max(s, ts - 30), ts) and not _held_near(f.text, s, ts))
    t.previous = meeting and bool(_PREVIOUS.match(f.low, ts) or _PREVIOUS_BEFORE.search(f.low, max(s, ts - 20), ts))
    if meeting:
        t.aside = bool(_ASIDE.search(f.text[max(s, ts - 60):ts]))
    return t


# A mechanism's name followed by the passive of concluding: "CEPA was signed", "the Agreement
# (NAFTA) was signed in 1965".
_SIGNED_AFTER = re.compile(r"(?:\s*\([^()]{2,12}\))?\s+(?:was|were|has been|had been)\s+(?:signed|concluded|inked|sealed|finali[sz]ed)\b")

# "tomorrow's U.S.-Mexico High-Level Economic Dialogue", "last week's Strategic Dialogue"
_DATED_BY = re.compile(r"\b(?:today|tomorrow|yesterday|(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:this|next|last) "
                       r"(?:week|month|year))['’]s\s+(?:the\s+)?$", re.I)


_GOING_TO = re.compile(r"\b(?:for|at|to|attend\w*|during|ahead of)\s+(?:the\s+)?(?:\w+\s+)?$")
_DATE_NEXT = re.compile(r"(?:\s*\([^()]{2,12}\))?\s+(?:on|in|from)\s+")


def _named_meeting(f: Found, m: MechMention, s: int) -> bool:
    """A mechanism named as a meeting: a conference or dialogue that is or was held ("organized
    the first North America Semiconductor Conference in Washington", "will convene the first
    HLED", "the HLED, which will be held in Washington", "the Ministerial Consultations that
    took place August 6"), or any mechanism dated by a
    possessive ("tomorrow's High-Level Economic Dialogue")."""
    if _DATED_BY.search(f.text[max(s, m.start - 20):m.start]):
        return True
    if regex(r"Conference|Dialogue|Forum|Consultations?|Summit").search(m.head) and _DATE_NEXT.match(f.text, m.end, m.end + 20) and any(
            m.end < d.start <= m.end + 20 for d in f.within("dates", (m.end, m.end + 20))) and _GOING_TO.search(f.text, max(s, m.start - 30), m.start):
        return True  # "will travel to Brasilia for the U.S.-Brazil High-Level Dialogue on April 25"
    return bool(regex(r"Conference|Dialogue|Forum|Consultations?|Summit").search(m.head) and (
        regex(r"\b(?:hold|held|organi[sz]e[ds]?|host(?:s|ed)?|convene[ds]?|co-?chair(?:s|ed)?|attend(?:s|ed)?|open(?:s|ed)?)\b(?:\s+\S+){0,3}\s*$").search(f.text[max(s, m.start - 50):m.start])
        or regex(r"(?:\s*\([^()]{2,12}\))?,?\s+(?:which|that|to be)\s+(?:will\s+be\s+|was\s+|were\s+)?(?:held|convened|took\s+place)\b").match(f.text, m.end, m.end + 40)
        or _ORDINAL_BEFORE.search(f.text[max(s, m.start - 25):m.start])
        or _ORDINAL_NAME_BEFORE.search(f.text[max(s, m.start - 90):m.start])))


_ORDINAL_BEFORE = re.compile(r"\b(?:first|inaugural|initial|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                             r"eleventh|twelfth|\d{1,2}(?:st|nd|rd|th))\s+$", re.I)
# "will visit Washington", "plans to visit": visit as a verb, an event of its own.
_VERB_BEFORE = re.compile(r"\b(?:will|would|shall|to|also|then|later)\s+(?:\w+\s+)?$")
# "The last round of negotiations was held in 2013", "the previous meeting": the one before.
_PREVIOUS = re.compile(r"(?:last|previous|preceding)\b")
_PREVIOUS_BEFORE = re.compile(r"\b(?:last|previous|preceding)\s+(?:[\w-]+\s+)?$")
# An ordinal heading the name the mechanism ends: "the 2nd ASEAN Economic Ministers-Hong Kong,
# China Consultations".
_ORDINAL_NAME_BEFORE = re.compile(r"\b(?:first|inaugural|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th))"
                                  r"(?:\s+[A-Z][\w&.’'-]*,?){1,8}\s+$")
# "It was co-chaired by ...", "This was the first round of talks ...": the event of the sentence before.
PRONOUN_SUBJECT = re.compile(r"\b(?:It|it|They|they)\s+(?:was|were|is|will\s+be)\s+$")
_THIS_WAS = re.compile(r"\b(?:This|this)\s+(?:was|is)\s+the\s+(?:[\w-]+\s+)?$")
# Negated, or an attempt that failed ("tried and failed to reach a significant trade deal"), or a
# power or a readiness to act rather than an act ("my constitutional authority to negotiate",
# "they are willing to negotiate").
_NEGATED = re.compile(r"\b(?:(?:no|not|never|without|nor|any|fail(?:ed|s)?\s+to|unable\s+to)\s+(?:\w+\s+){0,2}"
                      r"|(?:authority|power|right|willing|ready)\s+(?:to\s+)?)$")
_DETERMINED = re.compile(r"\b(?:th(?:is|e|at))\s+(?:\S+\s+){0,2}$")
_ASIDE = re.compile(r"\b(?:at|during|following|after|before|ahead of|on the sidelines of|on the margins of)\s+(?:the|a|an|this|last)\s+(?:[\w’'.,-]+\s+){0,6}$", re.I)


def _held_near(text: str, s: int, ts: int) -> bool:
    return bool(regex(r"\b(?:held|convened|hosted|organized|co-?chaired)\b").search(text[max(s, ts - 60):ts]))


def _keep(t: Trigger, f: Found, sent: tuple[int, int], sent_text: str, mechs_here: list[MechMention]) -> bool:
    s, e = sent
    low = sent_text.lower()
    if t.etype == "launch":
        return _keep_launch(t, f, sent, mechs_here)
    if t.etype == "visit" and t.aside:
        # "visit" as a noun makes an event only with a destination ("visit to the ROK").
        return bool(regex(r"(?:\s+by\s+[^.;,]{3,80}?)?\s+to\s+(?:the\s+)?[A-Z]").match(f.text, t.end, min(sent[1], t.end + 100)))
    if t.etype in ("statement", "reaction"):
        return _keep_voice(t, f, sent, mechs_here)
    if regex(r"\s*(?:conference|briefing|release)").match(f.text[t.end:t.end + 12]) and regex(r"(?:press|news|media)\s*$", re.I).search(f.text[max(s, t.start - 8):t.start]):
        return False
    if regex(r"(?:press|news|media)\s+$", re.I).search(f.text[max(s, t.start - 8):t.start]):
        return False  # a press conference is not a meeting
    if not t.strong:
        support = (
            matchers.get().held.search(f.low[max(s, t.start - 50):t.start]) is not None
            or bool(f.within("dates", (t.end, t.end + 30)))
            or bool(regex(r"\b(?:in|at)\s+[A-Z]").search(f.text[t.end:min(e, t.end + 25)]))
            or bool(mechs_here) or bool(f.ordinals(sent))
            or matchers.get().under_way.search(f.low, t.end, min(e, t.end + 80)) is not None
        )
        if t.etype == "negotiation_round" and not regex(r"\b(?:held|conducted|hold|resume\w*|pursu\w+|continu\w+|round)\b").search(low):
            return False
        return support
    if t.etype == "meeting" and _internal().search(f.low, max(s, t.start - 16), t.start):
        return False  # "told a cabinet meeting on Tuesday": one government's own meeting
    if t.etype == "meeting" and _own_people().match(f.low, t.end, min(e, t.end + 60)):
        return False  # "will meet with his top trade advisers"
    if t.etype == "meeting" and f.low.startswith(("speak", "spoke"), t.start) and not _SPOKEN_TO.match(f.text, t.end):
        return False  # a call with someone named ("will speak to US Trade Representative Jamieson Greer"), not "spoke to reporters"
    if t.etype == "meeting" and any(o.media and o.start == t.end for o in f.within("orgs", sent)):
        return False  # "spoke to Reuters": an interview
    if t.etype == "meeting" and f.text[t.start:t.end].lower().startswith("meeting") and regex(r"\s+(?:with|of)\s+(?:the\s+)?(?:press|media|reporters)").match(f.text[t.end:t.end + 20]):
        return False
    return True


def _keep_launch(t: Trigger, f: Found, sent: tuple[int, int], mechs_here: list[MechMention]) -> bool:
    """A launch word that starts a body: its object or subject is one ("establishing a
    technical working group", "the forum was established"), not jobs or rules."""
    s, e = sent
    word = f.text[t.start:t.end].lower()
    if regex(r"(?:well-|long-)").match(f.text[max(s, t.start - 5):t.start]):
        return False
    if not (mechs_here or matchers.get().launch_objects.search(f.low[max(s, t.start - 70):min(e, t.end + 70)])):
        return False
    if word.startswith("began") or word.startswith("started"):
        return bool(matchers.get().launch_objects.search(f.low[max(s, t.start - 70):t.start]) or mechs_here)
    if word.startswith("creat"):
        # Only a body is created as a launch ("create a technical working group"), not
        # "create jobs", "create initiatives" or "create a trade negotiating framework".
        return bool(_BODY_CREATED.match(f.text, t.end, min(e, t.end + 90)) or any(0 <= m.start - t.end < 30 for m in mechs_here))
    if word.startswith(("establish", "set up", "founded")):
        # What is established is its object ("establishing a technical working group") or,
        # in the passive, its subject ("the forum was established"), not any word nearby
        # ("rules of origin will be established", "Establishing Procedures").
        if _UNDER.match(f.low, t.end):
            return False  # "all workstreams established under the TTC": how a body is organised, no launch
        after, before = _established()
        return bool(after.match(f.low, t.end, min(e, t.end + 70)) or before.search(f.low, max(s, t.start - 70), t.start)
                    or any(0 <= m.start - t.end < 50 for m in mechs_here))
    return True


def _keep_voice(t: Trigger, f: Found, sent: tuple[int, int], mechs_here: list[MechMention]) -> bool:
    """A verb of saying or of reacting with a voice of its own: a person, a government, a
    body or a group as its subject (a mechanism "announced by" leaders is its launch)."""
    s, e = sent
    if t.etype == "reaction" and (group_reacting(f, t, sent) or country_reacting(f, t, sent) is not None):
        return True
    if t.etype == "statement" and _announces_mechanism(f, t, mechs_here):
        t.etype = "launch"  # "the U.S.-Germany Economic Dialogue announced by President Biden ... in the July 15 Declaration"
        return True
    near = (max(s, t.start - 200), min(e, t.end + 120))  # where speaker_in looks (bounded work per trigger)
    if any(speaker_in(p, sent, t, f.text, spans) for p, spans in f.people_in(near)):
        return True
    # A ministry that speaks ("the Ministry of Commerce said"), not one a commentator works
    # for ("Trade expert Mei Xinyu of the Ministry of Commerce said").
    if t.etype == "statement" and saying(f, t) and country_reacting(f, t, sent) is not None:
        return True  # "India on Thursday said": a government speaking
    pundit = titles.vocab()[5]
    if any(org_speaks(f, o, t, sent)
           and not (_OF_BEFORE.search(f.text, max(s, o.start - 60), o.start) and pundit.search(f.text, max(s, o.start - 60), o.start))
           for o in f.within("orgs", sent)):
        return True
    if t.etype == "statement" and saying(f, t) and _group_says(f, t, sent):
        t.etype = "reaction"  # "business groups said", "a public policy study group said": a third party's voice
        return True
    return False


_SPOKEN_TO = re.compile(r"\s*(?:the\s+)?[A-Z]")
_BODY_CREATED = re.compile(r"\s+(?:an?|the|their)\s+(?:[\w-]+\s+){0,4}(?:working group|task force|committee|council|commission|"
                           r"forum|dialogue|mechanism|partnership)s?\b", re.I)


@lru_cache(maxsize=4)
def _established_patterns(objects: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    return (re.compile(rf"\s+(?:(?!(?:for|of|on|to|in|with|by|from)\s)[\w.’'()-]+\s+){{0,6}}?(?:{objects})s?\b"),
            re.compile(rf"\b(?:{objects})s?\b[^.;,]{{0,40}}\b(?:was|were|has been|have been|had been|is|are|(?:\w+\s+)?be)\s+$"))


_UNDER = re.compile(r"\s+under\s")


def _announces_mechanism(f: Found, t: Trigger, mechs_here: list[MechMention]) -> bool:
    """A mechanism's name followed by "announced by/in/on": the mechanism's launch."""
    return f.low.startswith("announced", t.start) and _ANNOUNCED_WHEN.match(f.low, t.end) is not None and any(
        m.end <= t.start and _MECH_THEN.fullmatch(f.text, m.end, t.start) for m in mechs_here)


_ANNOUNCED_WHEN = re.compile(r"\s+(?:by|in|on|at|during)\b")
_MECH_THEN = re.compile(r"(?:\s*\([^()]{1,12}\))?,?\s+(?:first\s+|originally\s+|jointly\s+)?")


def _established() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return _established_patterns(lexicons.get().triggers["launch_objects"].lower())


@lru_cache(maxsize=4)
def _internal_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    return matchers.cue_pattern(list(cues), r"\b", r"\s+$")


def _internal() -> re.Pattern[str]:
    return _internal_pattern(tuple(lexicons.get().triggers.get("internal_meetings") or ["(?!x)x"]))


@lru_cache(maxsize=4)
def _own_people_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\s*(?:with\s+)?(?:the\s+)?(?:" + "|".join(cues) + r")\b")


def _own_people() -> re.Pattern[str]:
    return _own_people_pattern(tuple(lexicons.get().triggers.get("internal_partners") or ["(?!x)x"]))


def speaker_in(p: Person, sent: tuple[int, int], t: Trigger, text: str, spans: list[tuple[int, int]] | None = None) -> bool:
    if p.commentator:
        return False
    for ps, pe in p.spans if spans is None else spans:
        if sent[0] <= ps < sent[1]:
            if regex(r"['’]s\b").match(text[pe:pe + 3]):
                continue  # "a spokesman for Tai's office": not the speaker
            if ps < t.start and t.start - pe < 160 and not _QUOTE_MARK.search(text, pe, t.start):
                return True  # not one named inside the quotation ("“... to what Trump did,” Dhar told AFP")
            if ps > t.end and (ps - t.end < 12 or _TITLE_BETWEEN.fullmatch(text, t.end, ps)) and regex(r"\s*(?:[,.;]|$|\s+(?:of|who)\b)").match(text[pe:pe + 8]):
                return True  # "..., said Wang, ...", "said European Commission president, Ursula von der Leyen, ..."
    return False


def saying(f: Found, t: Trigger) -> bool:
    """Whether the event word is a verb of saying (triggers.yaml `saying`)."""
    return _saying_pattern(tuple(lexicons.get().triggers["saying"])).match(f.low, t.start) is not None


@lru_cache(maxsize=4)
def _saying_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?:" + "|".join(cues) + r")\b")


_OF_BEFORE = re.compile(r"\b(?:of|at|from|with)\s+(?:the\s+)?$")


_QUOTE_MARK = re.compile(r'["“”]')
# A clause of its own between a body and a verb ("... a White House factsheet, but New Delhi says").
_NEW_CLAUSE = re.compile(r";|,\s+(?:but|while|whereas|and)\s")


# Between a verb of saying and the name after it: the speaker's title ("said European
# Commission president, ").
_TITLE_BETWEEN = re.compile(r"\s+(?:the\s+)?[A-Z][\w.’'-]*(?:,?\s+(?:[A-Za-z][\w.’'-]*))" + "{0,6},?\\s+")


def in_title(f: Found, pos: int) -> bool:
    return f.in_title(pos)


def org_speaks(f: Found, o: OrgMention, t: Trigger, sent: tuple[int, int]) -> bool:
    """A government body before a verb of saying may be its subject, unless it is part of a
    person's title or named inside the quotation ("“... the EU Commission has failed,” said ...")."""
    return bool(o.country and not o.media and sent[0] <= o.start < t.start and not in_title(f, o.start)
                and not _QUOTE_MARK.search(f.text, o.end, t.start) and not _NEW_CLAUSE.search(f.text, o.end, t.start))


def country_reacting(f: Found, t: Trigger, sent: tuple[int, int]) -> str | None:
    """A government as the subject of a reaction verb or a verb of saying ("The E.C. complained
    the accord breached GATT rules", "Japan on Monday protested", "India on Thursday said"):
    the country's code."""
    for c in f.within("countries", sent):
        if c.role in ("names", "government") and c.end <= t.start and _SUBJECT_GAP.fullmatch(f.text, c.end, t.start) \
                and not _IN_A_NAME.search(f.text, max(sent[0], c.start - 30), c.start):
            return c.code
    return None


# A country's name ending another name: "the Seafood Exporters Association of India said".
_IN_A_NAME = re.compile(r"(?:\bof\s+(?:the\s+)?|\b(?!(?:The|And|But|Meanwhile|However)\b)[A-Z][\w.’'-]*\s+)$")
# Between a subject and its verb: nothing, a day, or an adverb ("China on Monday strongly").
_SUBJECT_GAP = re.compile(r"\s+(?:(?:on|last|this)\s+\w+\s+)?(?:\w+ly\s+)?(?:also\s+)?(?:has\s+|have\s+)?")


def _group_says(f: Found, t: Trigger, sent: tuple[int, int]) -> bool:
    """A group as the subject of a verb of saying, a few words of its name at most before it
    ("business groups said", "the think tank Global Trade Research Initiative said"), not one
    named inside a quotation or a clause of its own ("farmers may have concerns,” said")."""
    return any(_SUBJECT_WORDS.fullmatch(f.text, g.end(), t.start)
               for g in matchers.get().reaction_groups.finditer(f.low, max(sent[0], t.start - 60), t.start))


_SUBJECT_WORDS = re.compile(r"(?:\s+[\w.’'-]+){0,4}\s+")


def group_reacting(f: Found, t: Trigger, sent: tuple[int, int]) -> bool:
    """A third party named as a group is the subject of a reaction ("opposition parties have
    largely criticized the deal") or its agent ("has been criticised by India's opposition")."""
    groups = matchers.get().reaction_groups
    before = groups.search(f.low, max(sent[0], t.start - 60), t.start)
    after = regex(r"\s+by\s+(?:\S+\s+){0,3}$")
    return before is not None or any(
        after.match(f.low, t.end, g.start()) for g in groups.finditer(f.low, t.end, min(sent[1], t.end + 50)))
