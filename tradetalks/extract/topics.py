"""Topics: cue phrases of the taxonomy's codes, with their spans."""

from __future__ import annotations

from tradetalks.extract import matchers


def find_topics(text: str) -> list[tuple[int, int, str]]:
    out = []
    for code, rx, not_rx in matchers.get().topics:
        blocked = [(m.start(), m.end()) for m in not_rx.finditer(text)] if not_rx else []
        for m in rx.finditer(text):
            if any(s <= m.start() < e for s, e in blocked):
                continue
            out.append((m.start(), m.end(), code))
    out.sort()
    return out
