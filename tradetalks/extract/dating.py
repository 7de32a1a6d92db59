"""Which event word of a sentence each of its dates belongs to, and which clause of the
sentence each mention is in: a date goes to the nearest event word of its clause, but not
across a relative clause, into a quotation, to a verb that only attributes what the sentence
reports, nor from a period's start ("since 2016") to anything but a launch."""

from __future__ import annotations

import re
from bisect import bisect_left

from tradetalks.extract.dates import DateMention
from tradetalks.extract.drafts import Trigger


def _may_date(d: DateMention, t: Trigger, text: str, reports: bool, since: int | None, noun_dated: bool) -> bool:
    """Whether date d may date trigger t (see assign_dates); the cheap tests first."""
    if not text:
        return True
    if since is not None and t.etype != "launch" and t.start >= since:
        return False
    if noun_dated and not t.start <= d.start - 4 <= t.end + 4:
        return False
    if text.startswith(("’s", "'s"), d.end) and not (0 <= t.start - d.end <= 80 and _POSSESSED.fullmatch(text, d.end, t.start)):
        return False  # "Friday’s Joint Statement follows a call ... last week": the statement's day
    speech = t.etype in ("statement", "reaction")
    if speech and d.start > t.end and not _SAID_WHEN.fullmatch(text, t.end, d.start):
        return False
    if speech and _quoted_apart(text, d.start, t.start):
        return False
    if d.end <= t.start and text.startswith("to ", t.start) and _DIRECTED.search(text, max(d.end, t.start - 80), t.start):
        return False  # "In February, leaders directed officials | to begin negotiations": the directive's date
    if d.start > t.end and (_RELATIVE_CLAUSE.search(text, t.end, d.start) or _COMMENT_CLAUSE.search(text, t.end, d.start)
                            or _reduced_relative(text, t.end, d.start)):
        return False
    if d.end <= t.start and _NEW_CLAUSE.search(text, max(d.end, t.start - _CLAUSE_REACH), t.start):
        return False  # "The FTA went into effect in December 2015, and the first round ... began in 2018"
    return not _attribution(d, t, reports, text)


# A date that follows an event noun dates that noun ("Harris' visit in June", "a call on
# August 9"), not another event of the sentence.
_NOUN_DATED = re.compile(r"\b(?:visit|trip|call|meeting|summit|talks|conference|statement)\s+(?:(?:in|on|of)\s+)?$", re.I)


# What a possessive date names: the event word itself or a name ending in it ("today’s North
# American Foreign Ministers’ Meeting").
_POSSESSED = re.compile(r"[’']s(?:\s+(?:the\s+)?[A-Z][\w’'.&-]*)*\s+")


# A date in a legal text's name dates the text, no event.
_NAMES_A_TEXT = re.compile(r"\b(?:Order|Proclamation|Act|Notice)(?:\s+No\.)?(?:\s+\d+)?\s+of\s+$")


# A relative clause after the event word tells of something else ("the agreement, which
# followed talks in May"), unless it says when the event itself takes place ("the Dialogue,
# which will be held in Washington on September 9").
_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|that|who)\b(?!\s+(?:will|is to|was|were)\s+(?:be\s+)?(?:held|convened|take place|took place))[^,;]*$")


# A directive whose object is to hold the event: the date before it is the directive's.
_DIRECTED = re.compile(r"\b(?:directed|instructed|asked|ordered|tasked|mandated|urged|called on)\s+(?:[\w’'-]+\s+){0,4}$")


# A comment or a reason after the event word tells of something else ("highlighted the need
# to finalise the agreement, noting that exports fell in October").
_COMMENT_CLAUSE = re.compile(r",\s+(?:noting|saying|adding|arguing|citing|warning|pointing out|given that|because|whereas|while)\b[^;]*$")


# A participle after the event word tells of something else ("the Dialogue announced by
# President Biden and Chancellor Merkel in the July 15 Washington Declaration").
_REDUCED_RELATIVE = re.compile(r"\b(?:announced|launched|established|created|set up|agreed|signed|adopted)\s+(?:by|in|at|on)\b[^,;]*$")
# ... unless it is the event's own passive ("the negotiating mandate was agreed in August 2022").
_AUXILIARY = re.compile(r"\b(?:was|were|been|is|are|be)\s+$")


def _reduced_relative(text: str, start: int, end: int) -> bool:
    if text.find("ed ", start, end) < 0 and text.find("set up", start, end) < 0:
        return False  # (every participle it looks for ends so: a cheap test first, for each date and event word)
    m = _REDUCED_RELATIVE.search(text, start, end)
    return m is not None and not _AUXILIARY.search(text, max(start, m.start() - 6), m.start())


def _since(text: str, d: DateMention) -> int | None:
    """From where on a date starting a period dates no event but a launch: all of its sentence
    ("the first Dialogue since 2016"), or what follows a sentence's opening "Since ..." phrase
    ("Since the restart of negotiations in January this year, | the fourth and fifth rounds
    ... took place"); None when the date starts no period."""
    if not text:
        return None
    if text.startswith("since", d.start):
        return 0
    if _SINCE_PHRASE.search(text, max(0, d.start - 120), d.start):
        comma = text.find(",", d.end, d.end + 200)
        return comma if comma >= 0 else None
    return None


_SINCE_PHRASE = re.compile(r"(?:^|[.!?]\s+|\n)\s*Since\s+(?:the|its|their|our|this|that)\s+[^,;.]*$")
# A coordinated clause with a subject of its own that the event word is in (within a few words).
_NEW_CLAUSE = re.compile(r"[,;]\s+(?:and|but|while|whereas)\s+(?:the|a|an|its|their|this|that)\s+(?:[\w’'-]+\s+){0,8}$")
_CLAUSE_REACH = 250  # the most _NEW_CLAUSE can span before the event word: a conjunction and eight words
_SAID_ON = re.compile(r"\s*(?:on\s+|in\s+)?$")
# Between a verb of saying and the date of the saying: a short phrase, not the start of what
# was said ("said in a hearing with lawmakers Monday", not "says a pact should be finalised
# by the end of March").
_SAID_WHEN = re.compile(r"(?:(?!\b(?:that|will|would|should|could|can|may|must|is|are|was|were|has|have|had|be)\b)[^.;:“\"]){0,50}", re.I)


def _attribution(d: DateMention, t: Trigger, reports: bool, text: str) -> bool:
    """A reporting verb that only attributes the sentence ("... in Washington on March 10,
    USTR said"), when the sentence `reports` another event: the date is the reported
    event's, unless it dates the saying ("said on Monday")."""
    return (t.etype in ("statement", "reaction") and reports
            and not (d.start >= t.end and _SAID_ON.match(text, t.end, d.start)))


def _quoted_apart(text: str, a: int, b: int) -> bool:
    """One of two positions of a sentence is inside a quotation and the other outside it: a
    closing or opening quotation mark lies between them."""
    lo, hi = min(a, b), max(a, b)
    return hi - lo < 2000 and _QUOTE.search(text, lo, hi) is not None


_QUOTE = re.compile(r'["“”]')
# A date is weighed against the event words nearest it only (a sentence may hold hundreds).
_NEAR = 3


def assign_dates(dates: list[DateMention], ts: list[Trigger], text: str = "") -> dict[DateMention, Trigger]:
    """Each date goes to the nearest event word, but not across a relative clause that
    dates something else ("talks on the FTA, which took effect in 2008, from April 25"),
    nor to a verb that only attributes what the sentence reports, nor from inside a quotation
    to the verb of saying outside it ("... was issued on February 7," the spokesperson said).
    "Since 2016" starts a period ("the first Dialogue since 2016"): it dates only a launch."""
    out: dict = {}
    if not ts:
        return out
    order = sorted(ts, key=lambda t: t.start)
    starts = [t.start for t in order]
    reports = any(o.etype not in ("statement", "reaction") for o in ts)
    cuts = _cuts(order, text) if text and len(order) > 1 else []
    for d in dates:
        if text and _NAMES_A_TEXT.search(text, max(0, d.start - 40), d.start):
            continue  # "Executive Order 14346 of September 5, 2025", "the Trade Expansion Act of 1962"
        i = bisect_left(starts, d.start)
        since = _since(text, d)
        noun_dated = bool(text) and _NOUN_DATED.search(text, max(0, d.start - 30), d.start) is not None
        options = [t for t in order[max(0, i - _NEAR):i + _NEAR] if _may_date(d, t, text, reports, since, noun_dated)]
        if not options:
            continue
        if cuts and len(options) > 1 and d.start >= options[0].start:
            options = [o for o in options if _clause_of(cuts, o.start) == _clause_of(cuts, d.start)] or options
        best = min(options, key=lambda t: (abs(d.start - t.start) if d.start > t.start else abs(t.start - d.end) * 1.5))
        out[d] = best
    return out


# Where a coordinated clause starts: "signed an agreement with Oman in December | and
# concluded talks with New Zealand", "a call between X and Y last week, | in which the leaders
# reached a framework".
_COORDINATED = re.compile(r"(?:[;,]\s*|\s)(?:and|but|while|whereas|then)\s+(?:\w+\s+)?$|;\s*$"
                          r"|,\s*(?:in|during|at)\s+which\s+(?:[\w’'-]+\s+){0,3}$")


def nearest(items, t: Trigger, chosen: list[Trigger], key=lambda x: x.start, text: str = ""):  # type: ignore[no-untyped-def]
    """Items of a sentence that belong to trigger t rather than to another chosen trigger:
    those of its clause when a coordinator separates the triggers' clauses (and the subject
    before them, which they share), else the nearest trigger's."""
    if len(chosen) == 1:
        return list(items)
    outer = next((o for o in chosen if o is not t and o.start <= t.start and t.end <= o.end), None)
    if outer is not None:
        t = outer  # talks inside an agreement to hold them ("agreed to begin talks") share its items
    chosen = [c for c in chosen if not any(o is not c and o.start <= c.start and c.end <= o.end for o in chosen)]
    order = sorted(chosen, key=lambda c: c.start)
    cuts = _cuts(order, text) if text else []
    out = []
    for it in items:
        pos = key(it)
        if cuts and pos < order[0].start:
            out.append(it)  # the subject of coordinated verbs is each one's
            continue
        clause = [c for c in order if _clause_of(cuts, c.start) == _clause_of(cuts, pos)] or order
        owner = min(clause, key=lambda c: abs(pos - c.start) if pos >= c.start else (c.start - pos) * 0.9)
        if owner is t:
            out.append(it)
    return out


def _cuts(ts: list[Trigger], text: str) -> list[int]:
    """Where the clauses of coordinated event words start."""
    order = sorted(ts, key=lambda c: c.start)
    return [c.start for a, c in zip(order, order[1:], strict=False)
            if a.end <= c.start and _COORDINATED.search(text, a.end, c.start)]


def _clause_of(cuts: list[int], pos: int) -> int:
    return sum(1 for c in cuts if c <= pos)
