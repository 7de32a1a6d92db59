"""Outcomes: what a meeting produced (consensus, signed texts, deals, commitments,
cooperation), with the phrase that says so."""

from __future__ import annotations

from tradetalks.extract import matchers


def find_outcomes(text: str) -> list[tuple[int, int, str]]:
    comp = matchers.get()
    low = matchers.fold_case(text)
    out = set()
    for hit in comp.outcomes_any.finditer(low):
        lo, hi = hit.start(), min(len(low), hit.end() + 60)
        for kind, rx in comp.outcomes:
            m = rx.search(low, lo, hi)
            if m is not None and m.start() < hit.end():
                out.add((m.start(), m.end(), kind))
    return sorted(out)
