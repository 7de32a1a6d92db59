"""A document made ready to store, where its extraction ran (in a worker process): the
hashes and near-duplicate signature of its text, the keys of its events, its extraction
as JSON, and its events with the sentences that support them. Nothing here needs the
database, so that the one writer only writes."""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from tradetalks.extract.sentences import sentences
from tradetalks.link import dedupe
from tradetalks.models import Extraction

MAX_SENTENCES = 24
MAX_SENTENCE_CHARS = 400


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Prepared:
    """What storing a document needs that does not need the database."""

    extraction: Extraction
    text_hash: str
    signature: bytes | None
    bands: list[int]  # of the signature, for the look-up of near-duplicates
    facts: str
    extraction_json: str
    events: list[dict[str, Any]]  # the contract events as dicts, with their supporting sentences


def facts(ex: Extraction) -> str:
    """The keys of a document's events, to tell templated texts apart (dedupe.same_story)."""
    return json.dumps(sorted({f"{e.type}|{e.status}|{e.start}|{e.round}" for e in ex.events}))


def prepare(ex: Extraction) -> Prepared:
    split = Sentences(ex.document.text)
    evs = []
    for event in ex.events:
        ev = event.model_dump(mode="json")
        ev["sentences"] = supporting_sentences(ev.get("evidence") or [], split)
        ev["borrowed"] = borrowed(ev.get("evidence") or [], split)
        evs.append(ev)
    data = ex.to_dict()
    data["document"].pop("text")  # stored once, in documents.text
    sig = dedupe.signature(ex.document.text)
    return Prepared(ex, sha256(ex.document.text), sig, dedupe.bands(sig) if sig is not None else [], facts(ex),
                    json.dumps(data, ensure_ascii=False), evs)


def supporting_sentences(evidence: list[dict[str, Any]], split: Sentences) -> list[str]:
    """The sentences holding an event's evidence, each once, MAX_SENTENCES at most."""
    out: list[str] = []
    for ev in evidence:
        s = split.around(ev["start"], ev["end"])
        if s and s not in out:
            out.append(s)
        if len(out) >= MAX_SENTENCES:
            break
    return out


OWN_FIELDS = {"start": "date", "end": "date", "round": "round", "location": "location"}
NEAR = 1  # sentences either side of the one that reports the event


def borrowed(evidence: list[dict[str, Any]], split: Sentences) -> list[str]:
    """The fields of an event (date, round, location) that its report does not state:
    their evidence lies more than NEAR sentences from the sentence that reports the event
    (its type's evidence), so they may be another meeting's ("building on the December
    2022 meeting in Washington"). Linking and the record leave them aside."""
    where: dict[str, list[int]] = {e["field"]: [] for e in evidence}
    for e in evidence:
        where[e["field"]].append(split.index(e["start"]))
    if not where.get("type"):
        return []
    anchor = where["type"][0]
    far = {OWN_FIELDS[f] for f, at in where.items() if f in OWN_FIELDS and all(abs(i - anchor) > NEAR for i in at)}
    return sorted(far)


class Sentences:
    """The sentences of a text as extraction splits them (extract/sentences.py, the one
    splitter), found once, for the spans of many pieces of evidence."""

    def __init__(self, text: str) -> None:
        self.text = text
        spans = sentences(text) or [(0, len(text))]
        self.starts = [a for a, _ in spans]  # where each sentence begins
        self.stops = [b for _, b in spans]   # where each one ends

    def index(self, at: int) -> int:
        """The number of the sentence holding the character at `at` (or the last before it)."""
        return max(0, bisect_right(self.starts, at) - 1)

    def around(self, start: int, end: int) -> str:
        """The sentence (or sentences) holding a span, capped in length."""
        n = len(self.text)
        start, end = max(0, min(start, n)), max(0, min(end, n))
        i = self.index(start)
        j = min(len(self.stops) - 1, bisect_left(self.stops, end))
        return self.text[self.starts[i]:max(self.stops[j], self.starts[i])].strip()[:MAX_SENTENCE_CHARS]
