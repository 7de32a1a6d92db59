"""Text cut into segments for highlighting: each segment carries the labels of the spans
that cover it, so that overlapping spans (a date inside a sentence inside another
field's evidence) render as flat, balanced marks. Templates escape each segment's text;
nothing here produces HTML."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tradetalks.store.fts import HIT_CLOSE, HIT_OPEN

Span = tuple[int, int, str, int | None]  # start, end, label (a field, or "sentence"), event id


@dataclass(frozen=True)
class Segment:
    text: str
    labels: tuple[str, ...] = ()        # fields whose evidence covers it, sorted
    events: tuple[int, ...] = ()        # the events that evidence belongs to
    sentence: bool = False              # inside a supporting sentence

    @property
    def marked(self) -> bool:
        return bool(self.labels)


def segments(text: str, spans: Iterable[Span], limit: int | None = None) -> list[Segment]:
    """`text` (its first `limit` characters) cut at every span boundary."""
    if limit is not None:
        text = text[:limit]
    spans = [(max(0, a), min(len(text), b), label, ev) for a, b, label, ev in spans if a < b and a < len(text)]
    cuts = sorted({0, len(text), *(a for a, *_ in spans), *(b for _, b, *_ in spans)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [(label, ev) for s, e, label, ev in spans if s <= a and b <= e]
        labels = tuple(sorted({label for label, _ in covering if label != "sentence"}))
        events = tuple(sorted({ev for label, ev in covering if label != "sentence" and ev is not None}))
        out.append(Segment(text[a:b], labels, events, any(label == "sentence" for label, _ in covering)))
    return out


def snippet(value: str) -> list[Segment]:
    """A search snippet (matched words between the index's markers) as segments; a marker
    without its partner is dropped, so marks always balance."""
    out: list[Segment] = []
    for i, part in enumerate(value.split(HIT_OPEN)):
        if i == 0:
            out.append(Segment(part.replace(HIT_CLOSE, "")))
            continue
        hit, _, rest = part.partition(HIT_CLOSE)
        out.append(Segment(hit, ("hit",)))
        out.append(Segment(rest.replace(HIT_CLOSE, "")))
    return [s for s in out if s.text]
