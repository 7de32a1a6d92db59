"""Outcomes: what a meeting produced (consensus, signed texts, deals, commitments,
cooperation), with the phrase that says so."""

from __future__ import annotations

from tradetalks.extract import matchers


def find_outcomes(text: str) -> list[tuple[int, int, str]]:
    out = []
    for kind, rx in matchers.get().outcomes:
        for m in rx.finditer(text):
            out.append((m.start(), m.end(), kind))
    out.sort()
    return out
