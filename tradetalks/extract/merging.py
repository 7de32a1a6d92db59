"""Events that are the same: one event reported by several sentences becomes one draft."""

from __future__ import annotations

import re

from tradetalks.extract.dates import DateMention
from tradetalks.extract.drafts import Draft, Found, Trigger
from tradetalks.link.names import mechanism_parts
from tradetalks.models import MEETING_FAMILY

_BODY = re.compile(r"\b(?:Forum|Dialogue|Council|Committee|Commission|Consultations?|Partnership|Summit)\b")


def compatible_type(a: str, b: str) -> bool:
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
    if a.status != b.status or not compatible_type(a.type, b.type):
        return False
    if a.type == "agreement" and a.trigger.sent == b.trigger.sent and a.trigger is not b.trigger and a.sents == b.sents == {a.trigger.sent}:
        return False  # one sentence, two events: told apart when the sentence was read
    if _date_conflict(a, b):
        return False
    if a.type in MEETING_FAMILY and a.status == "held" and a.trigger.previous != b.trigger.previous:
        return False  # "The last round of negotiations was held in 2013": not today's meeting
    if a.type in MEETING_FAMILY and _leads(a) and _leads(b) and not _leads(a) & _leads(b) and not _refers_back(a, b):
        return False  # led by other people: another meeting (but "... chaired the meeting for Mexico" is this one)
    if len(a.parties) >= 2 and len(b.parties) >= 2 and len(set(a.parties) & set(b.parties)) < 2:
        return False  # between other sides: another event
    if a.mechanism and b.mechanism and not _one_name(a.mechanism.name, b.mechanism.name) and not b.mech_inherited and not a.mech_inherited:
        return False
    if a.type in ("statement", "reaction"):
        return a.speaker is not None and (a.speaker == b.speaker or _one_voice(a, b) or _one_voice(b, a))
    if a.type == "agreement" and a.trigger.commits != b.trigger.commits:
        return False  # an agreement to hold talks is not the deal the talks may reach
    if a.type == "agreement" and _long_before(a, b):
        return False  # "building on the framework agreement signed in 2004": another, older one
    if a.type == "agreement" and not (a.mechanism and b.mechanism) and not (b.trigger.anaphor or a.trigger.anaphor):
        # Two agreements in one text are one only when nothing tells them apart.
        dates_agree = b.date is None or _same_date(a, b)
        return dates_agree and (set(a.parties) == set(b.parties) or not a.parties or not b.parties)
    if a.place and b.place and a.place[1] and b.place[1] and a.place[1] != b.place[1] and a.date and b.date:
        return False
    if a.mechanism and b.mechanism:
        return True
    if bool(a.mechanism) != bool(b.mechanism) and not (a.trigger.anaphor or b.trigger.anaphor):
        return False
    same_day = bool(a.date and b.date and a.date.resolved and len(a.date.value[0] or "") == 10 and a.date.value == b.date.value)
    has_own = (bool(b.date and b.date.resolved) and not same_day) or bool(b.place and a.place and b.place[0] != a.place[0] and not same_day)
    return not has_own or b.trigger.anaphor


_NEAR_SENTENCES = 3  # an undated official's words this close to the government's are its own


def _one_voice(a: Draft, b: Draft) -> bool:
    """A government or a ministry speaking and one of its officials saying it on the same day,
    or next to it undated ("India on Thursday said ...", "... spokesperson Randhir Jaiswal
    said"; "the Ministry of Commerce said Thursday", "MOC spokesperson Gao Feng said")."""
    person = b.people.get(b.speaker or "")
    if person is None or a.speaker is None:
        return False
    government = a.speaker in a.parties and len(a.speaker) == 3 and person[0].country == a.speaker
    if not (government or person[0].org == a.speaker):
        return False
    if b.date and b.date.resolved and a.date and a.date.resolved:
        return a.date.value == b.date.value
    return abs(b.trigger.sent - a.trigger.sent) <= _NEAR_SENTENCES


def _one_name(a: str, b: str) -> bool:
    """Two names of one mechanism: "U.S.-EU Energy Council", "United States – European
    Union Energy Council" (the same sides before the same name)."""
    return a == b or mechanism_parts(a) == mechanism_parts(b)


def _same_date(a: Draft, b: Draft) -> bool:
    """Two agreements given one date: to the day, or one target ("to conclude the FTA by
    2025", said in the headline, the caption and the lead)."""
    if not (a.date and a.date.resolved and b.date and b.date.resolved and a.date.value == b.date.value):
        return False
    return a.status == "planned" or len(a.date.value[0] or "") == 10


def same_event(a: Draft, b: Draft) -> bool:
    """Whether two drafts report one event, whichever of them is read first."""
    return _same(a, b) or _same(b, a)


def _refers_back(a: Draft, d: Draft) -> bool:
    """d names meeting a by reference ("the meeting"), with no date of its own, in one of the
    two sentences after a's."""
    return d.trigger.anaphor and not d.trigger.aside and not (d.date and d.date.resolved) and 0 < d.trigger.sent - a.trigger.sent <= 2


def _leads(d: Draft) -> set[str]:
    return {k for k, (_, role, _) in d.people.items() if role == "lead"}


def _long_before(a: Draft, b: Draft) -> bool:
    """One of two events is dated in an earlier year than its document, the other has no
    date: a background reference, not the news."""
    for x, y in ((a, b), (b, a)):
        if x.date and x.date.resolved and x.date.published and not (y.date and y.date.resolved):
            if int(x.date.published[:4]) - int((x.date.value[0] or "0")[:4]) >= 1:
                return True
    return False


def recalled(d: Draft, published: str | None) -> bool:
    """An event dated half a year or more before its document: recalled, not the news
    ("the TICFA, signed in 2013", in a statement of 2026)."""
    if not (published and d.date and d.date.resolved and d.date.value[0]):
        return False
    start = d.date.value[0]
    months = int(published[:4]) * 12 + int(published[5:7]) - int(start[:4]) * 12 - int(start[5:7] or 12 if len(start) > 4 else 12)
    return months >= 6


# Each event is compared with at most this many earlier events of its kind and status, so
# that a text of thousands of bullet lines is merged in linear time.
WINDOW = 32


def merge(f: Found, drafts: list[Draft]) -> list[Draft]:
    drafts = sorted(drafts, key=lambda d: d.pos)
    out: list[Draft] = []
    kinds: dict[tuple[str, str], list[Draft]] = {}
    for d in drafts:
        key = (d.status, "meeting" if d.type in MEETING_FAMILY else d.type)
        near = kinds.setdefault(key, [])
        recent = near[-WINDOW:]
        target = next((o for o in recent if _same(o, d)), None)
        if target is None:
            # A later event that names what an earlier, vaguer one lacked is still the same.
            target = next((o for o in recent if _same(d, o)), None)
        if target is None:
            out.append(d)
            near.append(d)
            continue
        absorb(target, d)
    return out


def absorb(target: Draft, d: Draft) -> None:
    if target.type == "meeting" and d.type == "negotiation_round" and not (target.mechanism and _BODY.search(target.mechanism.name)):
        # A round of negotiations told as a meeting is that round; a forum's or a council's
        # meeting stays a meeting whatever negotiations it speaks of (gold convention 2).
        target.type = "negotiation_round"
        target.trigger = Trigger(d.trigger.etype, target.trigger.start, target.trigger.end, target.trigger.sent)
    target.sents |= d.sents
    if target.mechanism is None or (target.mech_inherited and d.mechanism and not d.mech_inherited):
        target.mechanism, target.mech_inherited = d.mechanism, d.mech_inherited
    if target.round is None:
        target.round = d.round
    if target.date is None or (not target.date.resolved and d.date and d.date.resolved):
        target.date = d.date or target.date
    elif d.date and d.date.resolved and more_precise(d.date, target.date):
        target.date = d.date
    if target.place is None or (target.place[0] is None and d.place and d.place[0]):
        target.place = d.place or target.place
    for code, span in d.parties.items():
        target.parties.setdefault(code, span)
    for key, person in d.people.items():
        if key not in target.people or (person[1] == "lead" and target.people[key][1] != "lead"):
            target.people[key] = person
    for attr in ("orgs", "topics", "outcomes"):
        for k, v in getattr(d, attr).items():
            getattr(target, attr).setdefault(k, v)
    target.speaker = target.speaker or d.speaker


def more_precise(a: DateMention, b: DateMention) -> bool:
    """A finer date within the other ("2024-04-04" in "April"), or a stated span of days
    that holds a relative day ("January 14-17, 2023" over "on Tuesday")."""
    (sa, ea), (sb, eb) = a.value, b.value
    sa, sb = sa or "", sb or ""
    if len(sa) > len(sb) and sa.startswith(sb):
        return True
    ea, eb = ea or sa, eb or sb
    return len(sa) == len(sb) == 10 and b.kind.startswith(("weekday", "relative")) and sa <= sb and eb <= ea and (sa, ea) != (sb, eb)
