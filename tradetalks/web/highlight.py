"""Text cut into segments for highlighting: each segment carries the labels of the spans
that cover it, so that overlapping spans (a date inside a sentence inside another
field's evidence) render as flat, balanced marks. Templates escape each segment's text;
nothing here produces HTML."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from tradetalks.store.fts import HIT_CLOSE, HIT_OPEN

Span = tuple[int, int, str, int | None]  # start, end, label (a field, or "sentence"), event id


MAX_EVENTS = 10  # events named on one segment; past them, only their number


@dataclass(frozen=True)
class Segment:
    text: str
    labels: tuple[str, ...] = ()        # fields whose evidence covers it, sorted
    events: tuple[int, ...] = ()        # the events that evidence belongs to (when at most MAX_EVENTS)
    sentence: bool = False              # inside a supporting sentence
    n_events: int = 0                   # how many events that evidence belongs to

    @property
    def marked(self) -> bool:
        return bool(self.labels)


def segments(text: str, spans: Iterable[Span], limit: int | None = None) -> list[Segment]:
    """`text` (its first `limit` characters) cut at every span boundary. One sweep over
    the boundaries in order, keeping count of the spans open: time grows with the
    number of spans (n log n), not with spans times boundaries."""
    if limit is not None:
        text = text[:limit]
    opening: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    closing: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    for a, b, label, ev in spans:
        a, b = max(0, a), min(len(text), b)
        if a < b:
            opening[a].append((label, ev))
            closing[b].append((label, ev))
    cuts = sorted({0, len(text), *opening, *closing})
    labels: Counter[str] = Counter()
    events: Counter[int] = Counter()
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        for label, ev in closing.get(a, ()):
            _count(labels, events, label, ev, -1)
        for label, ev in opening.get(a, ()):
            _count(labels, events, label, ev, 1)
        named = tuple(sorted(events)) if len(events) <= MAX_EVENTS else ()
        shown = tuple(sorted(k for k in labels if k != "sentence"))
        out.append(Segment(text[a:b], shown, named if shown else (), "sentence" in labels,
                           len(events) if shown else 0))
    return out


def _count(labels: Counter[str], events: Counter[int], label: str, ev: int | None, step: int) -> None:
    labels[label] += step
    if not labels[label]:
        del labels[label]
    if label != "sentence" and ev is not None:
        events[ev] += step
        if not events[ev]:
            del events[ev]


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
