"""Held or planned: the status of an event from the verb that reports it and its modality."""

from __future__ import annotations

from tradetalks.extract import matchers
from tradetalks.extract.dates import DateMention
from tradetalks.extract.drafts import MODAL_BEFORE, PAST_VERB, Found, Trigger
from tradetalks.extract.mechanisms import HEADS
from tradetalks.models import MEETING_FAMILY
from tradetalks.regex import regex


def trigger_status(t: Trigger, f: Found, date: DateMention | None) -> str:
    if date is None:
        if t.status is None:
            t.status = _status_of(t, f, None)
        return t.status
    return _status_of(t, f, date)


# An agreement's verb in its base or present form ("to conclude", "hope to sign") or a
# passive with "be" ("need to be concluded") reports one to come, not one made.
_TO_COME = regex(r"(?:sign|reach|seal|strike|clinch|ink|finali[sz]e|conclude|complete|agree|release|unveil|announce)s?\b")
_AIMING_AT = regex(r"\b(?:to|towards?|for|at|of)\s+$")
_BE_DONE = regex(r"\b(?:is|are|be|being)\s+(?:signed|reached|struck|concluded|sealed|inked|clinched|finali[sz]ed)\b")


# A name's last word (a mechanism's head) just before a participle: "... Partnership announced".
_AFTER_A_NAME = regex(rf"\b(?:{HEADS})(?:\s*\([^()]{{1,12}}\))?,?\s+$")


# A line that opens with its date ("- July 2018: First round", "24 January – Mr Johnson signs").
_LINE_DATE = regex(r"[\s*•·-]*")
_LINE_DATE_END = regex(r"\s*(?::|[-–—]\s)")


def _before_publication(date: DateMention, f: Found) -> bool:
    return bool(date.resolved and f.published and (date.value[1] or date.value[0] or "") < f.published)


# The verb of the noun phrase an event word heads, a few words on: "round of talks between
# the two sides will take place", "rounds ... are scheduled to begin".
_WILL_TAKE_PLACE = regex(
    r"[^,.;:]{0,80}?\b(?:will|shall|(?:is|are) (?:expected|scheduled|set|due) to|(?:is|are) to)\s+"
    r"(?:be\s+held|take\s+place|be\s+convened|begin|start|resume|be\s+launched|kick\s+off|be\s+hosted)\b")


def _status_of(t: Trigger, f: Found, date: DateMention | None) -> str:
    text = f.text
    s, _ = f.sentences[t.sent]
    word = text[t.start:t.end]
    before = text[max(s, t.start - 60):t.start]
    if t.etype in ("statement", "reaction"):
        return "held"
    if matchers.get().conditional.search(f.low, max(s, t.start - 80), t.start):
        return "planned"  # "once that agreement is signed", "if the talks succeed"
    if date is not None and _LINE_DATE.fullmatch(text, s, date.start) and _LINE_DATE_END.match(text, date.end) and _before_publication(date, f):
        return "held"  # a timeline's past line, in the present of narration ("November 2018: Mrs May strikes a deal")
    if t.etype == "agreement" and (_TO_COME.match(f.low, t.start, t.end) or _BE_DONE.search(f.low, t.start, t.end) or (
            regex(r"\w+ing\b").match(f.low, t.start, t.end) and _AIMING_AT.search(f.low, max(s, t.start - 12), t.start))):
        return "planned"  # "aiming to conclude the negotiations", "the agreement is signed"
    inner = regex(r"\b(?:signed|reached|concluded|sealed|struck)\b").search(word)
    if inner and inner.start() > 0:
        return "planned" if MODAL_BEFORE.search(text[max(s, t.start - 40):t.start + inner.start()]) else "held"
    if regex(r"\w+ed$").match(word) and _AFTER_A_NAME.search(text, max(s, t.start - 40), t.start):
        return "held"  # a participle after a name ("the Partnership announced on June 14"): done
    if PAST_VERB.match(word):
        clause = regex(r"[.;:]").split(text[max(s, t.start - 100):t.start])[-1]
        agreed = regex(r"\b(?:agreed|agreeing|agree|decided|pledged|committed|plans?|planning|will|would|expected|aims?|seeks?|hopes?) to\b").search(clause)
        return "planned" if MODAL_BEFORE.search(before) or agreed else "held"
    comp = matchers.get()
    before = regex(r"[.;:!?]\s").split(f.low[max(s, t.start - 120):t.start])[-1] + word.lower()
    planned = [m for m in comp.planned.finditer(before)]
    after = text[t.end:min(f.sentences[t.sent][1], t.end + 40)]
    if regex(r"(?:\s+(?:meetings?|rounds?|talks|sessions?))?\s+(?:will|would|is expected|are expected|is scheduled|is set|(?:is |are )?to (?:be held|take place|be convened))").match(after):
        return "planned"
    if t.etype in MEETING_FAMILY and _WILL_TAKE_PLACE.match(text, t.end, f.sentences[t.sent][1]):
        return "planned"  # "the last round of negotiations between them will be held on Thursday"
    if regex(r"\s+(?:was|were|has been|had been)\s+(?:held|convened|launched|concluded)").match(after):
        return "held"
    if planned:  # the last cue decides ("agreed to hold ... and held")
        held = [m for m in comp.held.finditer(before)]
        if not held or planned[-1].end() > held[-1].end():
            return "planned"
    if date is not None and date.resolved and f.published and (date.value[0] or "") > f.published:
        return "planned"
    if date is not None and _TO_COME_DATE.match(f.low, date.start):
        return "planned"  # "the G20 Summit in New Delhi later this week": within the publication's month, still to come
    return "held"


# A relative date that lies ahead of the publication whatever its precision.
_TO_COME_DATE = regex(r"(?:later this|next|tomorrow|in the coming|early next|late next)\b")
