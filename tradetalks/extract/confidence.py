"""How sure the extractor is of an event, from how it was found.

An event reported by a sentence with an explicit trigger, its own date and its own
mechanism is surer than one put together from a weak cue ("talks") and facts inherited
from elsewhere in the text. The weights below were set by reading which kinds of event
the dev set's answers confirm, and kept conservative after reading outputs on documents
without answers: a headline event with its own date stays under 0.8 unless its sentence
also names its place and its mechanism (or one of them, with a second sentence reporting it).
`benchmarks/quality.py` prints the calibration table: events given 0.8 or more must be
right at least 9 times in 10."""

from __future__ import annotations

from tradetalks.extract.drafts import Draft, Found
from tradetalks.models import MEETING_FAMILY

BASE = 0.4
WEIGHTS = {
    "primary": 0.2,           # the document's headline event
    "headline_only": -0.15,   # reported by the headline, no sentence of the body
    "weak_cue": -0.15,        # "talks", "discussions": an event only with support
    "own_date": 0.1,          # a date in the sentence that reports it
    "own_mechanism": 0.05,    # a mechanism named in that sentence, not inherited
    "corroborated": 0.05,     # more than one sentence reports it
    "own_place": 0.05,        # a place in the sentence that reports it
    "one_side": -0.1,         # fewer than two sides for a meeting or agreement
    "speech": -0.1,           # a statement or reaction: whose words, and are they news?
    "planned": -0.05,
    "spoken": -0.1,           # a transcript or speech: events told in passing, in the first person
}


def features(f: Found, d: Draft) -> dict[str, bool]:
    s, e = f.sentences[d.trigger.sent]
    return {
        "primary": d.primary,
        "headline_only": d.headline,
        "weak_cue": not d.trigger.strong,
        "own_date": bool(d.date and d.date.resolved and s <= d.date.start < e),
        "own_mechanism": bool(d.mechanism and not d.mech_inherited and s <= d.mechanism.start < e),
        "corroborated": len(d.sents) > 1,
        "own_place": bool(d.place and s <= d.place[2] < e),
        "one_side": d.type in MEETING_FAMILY | {"agreement"} and len(d.parties) < 2,
        "speech": d.type in ("statement", "reaction"),
        "planned": d.status == "planned",
        "spoken": f.kind == "speech",
    }


def confidence(f: Found, d: Draft) -> float:
    score = BASE + sum(WEIGHTS[k] for k, on in features(f, d).items() if on)
    return round(min(1.0, max(0.05, score)), 2)
