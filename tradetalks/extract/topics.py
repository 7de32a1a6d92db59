"""Topics: cue phrases of the taxonomy's codes, with their spans."""

from __future__ import annotations

from functools import lru_cache

from tradetalks import lexicons
from tradetalks.extract import matchers
from tradetalks.extract.actors import OrgMention
from tradetalks.extract.names import Person


def find_topics(text: str) -> list[tuple[int, int, str]]:
    comp = matchers.get()
    low = matchers.fold_case(text)
    out = set()
    blocked: dict[str, matchers.Spans] = {}
    for hit in comp.topics_any.finditer(low):
        # The cue found may hold cues of several codes ("clean energy"); which ones
        # depends only on the words around it, so it is remembered.
        lo, hi = max(0, hit.start() - 1), min(len(low), hit.end() + 30)
        for code, rel_start, rel_end in _codes(low[lo:hi], hit.start() - lo, hit.end() - lo):
            start, end = lo + rel_start, lo + rel_end
            not_rx = comp.topics_index[code][1]
            if not_rx is not None:
                if code not in blocked:
                    blocked[code] = matchers.Spans([(b.start(), b.end()) for b in not_rx.finditer(low)])
                if blocked[code].holds(start):
                    continue
            out.add((start, end, code))
    for code, _, _, cased in comp.topics:
        if cased is not None:  # cues that only count in capitals ("AI")
            out.update((m.start(), m.end(), code) for m in cased.finditer(text))
    return sorted(out)


@lru_cache(maxsize=20_000)
def _codes(window: str, hit_start: int, hit_end: int) -> tuple[tuple[str, int, int], ...]:
    found = []
    for code, rx, _, _ in matchers.get().topics:
        m = rx.search(window, 0 if hit_start == 0 else 1)
        while m is not None and m.end() <= hit_start:
            m = rx.search(window, m.start() + 1)
        if m is not None and m.start() < hit_end:
            found.append((code, m.start(), m.end()))
    return tuple(found)


lexicons.on_change(_codes.cache_clear)


def outside_names(cues: list[tuple[int, int, str]], orgs: list[OrgMention], persons: list[Person]) -> list[tuple[int, int, str]]:
    """The topic cues that are not inside a name (an organization's, a person's title): a
    topic word in "Department of Agriculture" or "Deputy National Security Advisor" is not
    a topic."""
    in_names = matchers.Spans([(o.start, o.end) for o in orgs] + [span for p in persons for span in p.title_spans])
    return [t for t in cues if not in_names.holds(t[0])]
