"""What the headline says: the kind of event a document is about, and the event a headline
reports by itself ("Joint US-EU Statement on Trade in Steel and Aluminum", "U.S.-UK Reach
Historic Trade Deal") when no sentence of the body reports one of its kind."""

from __future__ import annotations

from tradetalks.extract import matchers
from tradetalks.extract.attach import fill_from_sentence
from tradetalks.extract.dates import DateMention
from tradetalks.extract.drafts import Draft, Found, Trigger, fold, title_round
from tradetalks.extract.merging import compatible_type, recalled
from tradetalks.models import MEETING_FAMILY

# Kinds of document that are the record of their headline's event, issued on its day (so is
# a document headed by a numbered meeting that no sentence reports: its minutes).
RECORDS = ("joint_statement", "fact_sheet", "readout")


def title_type(title: str | None) -> str | None:
    """The kind of event a headline is about ("... Reach Trade Deal": agreement)."""
    low = matchers.fold_case(title or "")
    return next((etype for etype, rx in matchers.get().headline_types if rx.search(low)), None)


def headline_event(f: Found, drafts: list[Draft]) -> Draft | None:
    """The event the headline reports, when the body reports none of its kind and status.
    A joint statement issued after a meeting is that meeting's outcome, not an event of its
    own, so a held meeting in the body leaves it out."""
    low = matchers.fold_case(f.title or "")
    etype = next((t for t, rx in matchers.get().headline_reports if rx.search(low)), None)
    if etype is None or not f.sentences:
        return None
    status = "planned" if matchers.get().planned.search(low) else "held"
    numbered = title_round(f.title) if etype in MEETING_FAMILY else None
    if numbered is not None:
        # "Trade Negotiations: First Meeting": the record of that meeting, whatever earlier
        # meetings its body recalls, unless a sentence reports a meeting of that number.
        if any(d.type in MEETING_FAMILY and d.round and d.round[0] == numbered for d in drafts):
            return None
    elif any(compatible_type(d.type, etype) and d.status == status and not recalled(d, f.published) for d in drafts):
        return None
    if etype == "agreement" and any(d.type in MEETING_FAMILY and d.status == "held" for d in drafts):
        return None
    si = _anchor(f)
    sent = f.sentences[si]
    t = Trigger(etype, sent[0], sent[1], si)
    d = Draft(type=etype, status=status, trigger=t, sents={si}, headline=True)
    fill_from_sentence(f, d, sent, [t])
    if numbered is not None:
        d.round = (numbered, sent[0], sent[1])
    if etype == "agreement" and f.kind == "joint_statement":
        d.outcomes.setdefault("signed", (sent[0], sent[1]))  # a text issued jointly
    if d.date is None and status == "held" and f.published and (f.kind in RECORDS or numbered is not None):
        d.date = DateMention(sent[0], sent[1], (f.published, f.published), "published", f.published)
    return d


def _anchor(f: Found) -> int:
    """The headline's sentence when the text repeats it, else the first sentence of more
    than a few words (the lede)."""
    title = fold(f.title or "")
    for si, (s, e) in enumerate(f.sentences[:3]):
        if fold(f.text[s:e]) == title:
            return si
    return next((si for si, (s, e) in enumerate(f.sentences[:8]) if f.text.count(" ", s, e) >= 5), 0)
