"""Later mentions of the people a text has named: by surname or given name alone
("Blinken", "Lago", "Wang"), or by role ("the president said ...")."""

from __future__ import annotations

import bisect
import re

from tradetalks.extract.names import UPPER, Person
from tradetalks.regex import regex


def resolve_mentions(text: str, people: list[Person]) -> None:
    """Add later mentions by surname or given name alone ("Blinken", "Lago", "Wang")."""
    index: dict[str, list[Person]] = {}
    words_of: list[list[str]] = []
    for p in people:
        words_of.append([])
        for tok in regex(rf"[{UPPER}][\w'’-]+").findall(p.name):
            if tok not in ("Jr", "Sr") and len(tok) > 2:
                index.setdefault(tok, []).append(p)
                words_of[-1].append(tok)
    _resolve_role_mentions(text, people)
    if not index:
        return
    # The words are read in order, once: the spans named so far are swept along with
    # them, keeping for each name word the person of that word mentioned last (the first
    # of them in `people` on a tie).
    named = _Intervals([span for p in people for span in p.spans])
    position = {id(p): i for i, p in enumerate(people)}
    starts = sorted((s, -i) for i, p in enumerate(people) for s, _ in p.spans)
    latest: dict[str, tuple[int, int]] = {}  # word -> (start, -index of the person)
    k = 0

    def seen(start: int, neg: int) -> None:
        at = (start, neg)
        for w in words_of[-neg]:
            if latest.get(w, _NEVER) < at:
                latest[w] = at

    prefixes: dict[str, str | None] = {}
    named_starts, named_ends = named.starts, named.ends  # named.holds, inlined
    n_starts = len(starts)
    for m in _CAPITALISED.finditer(text):
        token = m.group(0)
        word = prefixes[token] if token in prefixes else prefixes.setdefault(token, _known_prefix(token, index))
        if word is None:
            continue
        at = m.start()
        i = bisect.bisect_right(named_starts, at) - 1
        if i >= 0 and at < named_ends[i]:
            continue
        while k < n_starts and starts[k][0] < at:
            seen(*starts[k])
            k += 1
        last = latest.get(word)
        best = people[-last[1]] if last is not None else index[word][0]
        best.spans.append((at, at + len(word)))
        seen(at, last[1] if last is not None else -position[id(best)])


_NEVER = (-1, 0)  # before any mention


class _Intervals:
    """Whether a position falls inside any of a fixed set of spans, by bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if e <= s:
                continue
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def holds(self, at: int) -> bool:
        i = bisect.bisect_right(self.starts, at) - 1
        return i >= 0 and at < self.ends[i]


# A capitalised word, with what may follow it inside a token ("Blinken's", "Ing-wen").
_CAPITALISED = re.compile(rf"[{UPPER}](?<![\w-].)[\w'’-]*")


def _known_prefix(token: str, index: dict) -> str | None:  # type: ignore[type-arg]
    """The longest name word of `index` that `token` starts with and that ends where a
    word can end ("Blinken" in "Blinken's"; not "Wang" in "Wang-Ming")."""
    ends = [len(token)] + [i for i in range(len(token) - 1, 0, -1) if token[i] in "'’"]
    return next((token[:i] for i in ends if token[:i] in index), None)


_ROLE_MENTION = re.compile(r"\b[Tt]he\s+(president|secretary|minister|premier|chancellor|ambassador|senator|prime minister|vice[- ]premier|trade representative)\b(?!['’]s\s+(?:office|department|ministry))(?!\s+of\b)")


def _resolve_role_mentions(text: str, people: list[Person]) -> None:
    """ "The president said ..." -> the last person named with that title before."""
    matches = list(_ROLE_MENTION.finditer(text))
    if not matches:
        return
    roles = {m.group(1).lower().replace("-", " ") for m in matches}
    # For each role, the people holding it; the spans are swept in order along with the
    # mentions, keeping for each role its person mentioned last (the first in `people`
    # on a tie).
    roles_of: list[list[str]] = []
    for p in people:
        title = p.title.lower().replace("-", " ") if p.title and not p.commentator else None
        roles_of.append([r for r in roles if title is not None and r in title])
    starts = sorted((s, -i) for i, p in enumerate(people) if roles_of[i] for s, _ in p.spans)
    latest: dict[str, tuple[int, int]] = {}
    k = 0

    def seen(start: int, neg: int) -> None:
        for r in roles_of[-neg]:
            if latest.get(r, (-1, 0)) < (start, neg):
                latest[r] = (start, neg)

    for m in matches:
        role = m.group(1).lower().replace("-", " ")
        while k < len(starts) and starts[k][0] < m.start():
            seen(*starts[k])
            k += 1
        last = latest.get(role)
        if last is not None:
            people[-last[1]].spans.append((m.start(1), m.end(1)))
            seen(m.start(1), last[1])

