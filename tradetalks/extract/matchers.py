"""Compiled patterns built from the lexicons, once per process (built again after a
lexicon is extended: every cache here built from the lexicons is registered with
``lexicons.on_change``)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from tradetalks import lexicons
from tradetalks.models import EVENT_TYPES
from tradetalks.regex import regex


def alternation(phrases: list[str], not_after: str = "") -> str:
    """A regex alternation of literal phrases, with flexible white space and either
    apostrophe, that matches the longest phrase it can.

    The phrases share one trie ("United (?:States|Kingdom)"), so the engine compares each
    character of the text once instead of once per phrase. At most one branch of a node
    can match (branches start with different characters), and a node tries its longer
    branches before it ends, so the longest phrase wins as in a longest-first list.

    `not_after` is a character class the match must not follow ("[\\w-]"). It is checked
    after the first character, so that every branch starts with a literal and the engine
    can skip ahead to the positions where one of those characters is."""
    found = branches(phrases, not_after)
    return found[0] if len(found) == 1 else "(?:" + "|".join(found) + ")"


def branches(phrases: list[str], not_after: str = "") -> list[str]:
    """The top-level branches of `alternation`, each starting with a literal: to join with
    other branches of the same kind in one alternation."""
    trie: dict = {}
    for phrase in set(phrases):
        node = trie
        for ch in phrase.replace("’", "'"):
            node = node.setdefault(ch, {})
        node[""] = {}
    return _branches(trie, f"(?<!{not_after}.)" if not_after else "")


def _atom(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if ch in "'’":
        return "['’]"
    return re.escape(ch)


def _branches(node: dict, guard: str = "") -> list[str]:
    out = []
    for ch, child in node.items():
        if ch:
            run = _atom(ch) + guard
            while len(child) == 1 and "" not in child:  # a chain without branches
                (ch, child), = child.items()
                run += _atom(ch)
            out.append(run + _render(child) if child else run)
    return out


def _render(node: dict) -> str:
    found = _branches(node)
    if not found:
        return ""
    if "" in node:
        return "(?:" + "|".join(found) + ")?"
    return found[0] if len(found) == 1 else "(?:" + "|".join(found) + ")"


@dataclass
class Compiled:
    countries: re.Pattern[str]
    country_of: dict[str, tuple[str, str]]  # surface (folded) -> (code, role)
    orgs: re.Pattern[str]
    org_of: dict[str, str]
    topics: list[tuple[str, re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None]]
    topics_any: re.Pattern[str]
    topics_index: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]]
    outcomes: list[tuple[str, re.Pattern[str]]]
    outcomes_any: re.Pattern[str]
    triggers: dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]
    planned: re.Pattern[str]
    held: re.Pattern[str]
    launch_objects: re.Pattern[str]
    under_way: re.Pattern[str]
    lead_by: re.Pattern[str]  # case-insensitive, on the text as written
    member_of: re.Pattern[str]
    reaction_groups: re.Pattern[str]
    conditional: re.Pattern[str]  # a condition word that opens the clause before an event word
    headline_types: list[tuple[str, re.Pattern[str]]]  # matched on the folded title
    headline_reports: list[tuple[str, re.Pattern[str]]]


_FOLD = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_FOLD.update({c: c + 32 for c in range(0xC0, 0xDF) if c != 0xD7})


@lru_cache(maxsize=8)
def fold_case(text: str) -> str:
    """Lower-case letters without changing the length of the text (offsets stay valid).
    Cue patterns are matched on this, without re.IGNORECASE, which is several times faster."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_FOLD)


def _lower_pattern(p: str) -> str:
    p = regex(r"(?<!\\)\((?!\?)").sub("(?:", p)  # no capturing groups: group names carry the codes
    return regex(r"\\.|[A-Z]").sub(lambda m: m.group(0) if m.group(0).startswith("\\") else m.group(0).lower(), p)


def cue_pattern(cues: list[str], prefix: str = "", suffix: str = "") -> re.Pattern[str]:
    """One case-folded pattern for cue regexes written case-insensitively.

    Cues are grouped by the letter they start with ("m(?:et\\b|eetings?\\b|...)"), so at
    each position the engine tries only the cues that can start there. When every cue
    starts with a plain letter or digit, every branch of the pattern starts with a literal
    and the engine skips ahead to the positions where one of them is; otherwise the
    pattern starts with a look-ahead for those letters. `prefix` is "" or "\\b"."""
    lowered = [_lower_pattern(c) for c in cues if not c.startswith("(?-i:")]
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    for c in lowered:
        heads = _heads(f"(?:{c})")
        if heads is None:
            others.append(f"(?:{c})")
            continue
        for head, rest in heads:
            if head.endswith("\\d"):  # a digit: one group for each
                for digit in "0123456789":
                    groups.setdefault(head[:-2] + digit, []).append(rest)
            else:
                groups.setdefault(head, []).append(rest)
    firsts = {h[-1] for h in groups}
    if others or prefix == "\\b" and len(firsts) > 12:
        # Cues that start almost anywhere: a word boundary first rejects most positions
        # faster than the literals could.
        start = "[" + re.escape("".join(sorted(firsts))) + "]" if not others else "[a-z0-9à-þ]"
        branches = [("(?<!\\w)" + h[2:] if h.startswith("\\b") else h) + f"(?:{'|'.join(r)})" for h, r in groups.items()]
        return re.compile(rf"(?={start}){prefix}(?:{'|'.join(branches + others)}){suffix}")
    branches = []
    for head, rests in groups.items():
        bounded = head.startswith("\\b") or prefix == "\\b"
        lead = head[-1] + ("(?<!\\w.)" if bounded else "")
        branches.append(lead if rests == [""] else lead + "(?:" + "|".join(rests) + ")")
    return re.compile(rf"(?:{'|'.join(branches)}){suffix}")


def _heads(p: str) -> list[tuple[str, str]] | None:
    """The pattern `p` as alternatives (head, rest): head a literal first character,
    "\\b" before it if the pattern has one, and rest the pattern after it. None when
    the first character is not plain to see."""
    bound = ""
    if p.startswith("\\b"):
        bound, p = "\\b", p[2:]
    if p[:1].isalnum() and p[1:2] not in ("?", "*", "+", "{"):
        return [(bound + p[0], p[1:])]
    if p.startswith("\\d") and p[2:3] not in ("?", "*", "+", "{"):
        return [(bound + "\\d", p[2:])]
    if not p.startswith("(?:"):
        return None
    split = _top_alternatives(p)
    if split is None:
        return None
    parts, rest = split
    out: list[tuple[str, str]] = []
    for part in parts:
        heads = _heads(part + rest)
        if heads is None:
            return None
        out.extend((h if h.startswith("\\b") else bound + h, r) for h, r in heads)
    return out


def _top_alternatives(p: str) -> tuple[list[str], str] | None:
    """For "(?:a|b)rest": (["a", "b"], "rest"); None when the group repeats or is optional."""
    depth, start, parts, i, in_class = 0, 3, [], 0, False
    while i < len(p):
        ch = p[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                parts.append(p[start:i])
                rest = p[i + 1:]
                return None if rest[:1] in ("?", "*", "+", "{") else (parts, rest)
        elif ch == "|" and depth == 1:
            parts.append(p[start:i])
            start = i + 1
        i += 1
    return None


def cased_cues(cues: list[str]) -> list[str]:
    return [c for c in cues if c.startswith("(?-i:")]


def _key(s: str) -> str:
    return " ".join(s.replace("’", "'").split())


@lru_cache(maxsize=1)
def get() -> Compiled:
    lex = lexicons.get()
    country_of: dict[str, tuple[str, str]] = {}
    for phrase in lex.not_countries:
        country_of[_key(phrase)] = ("", "region")
    for code, entry in lex.countries.items():
        for role in ("names", "adjectives", "government", "places"):
            for name in entry.get(role) or []:
                country_of.setdefault(_key(name), (code, role))
    countries = re.compile(r"(?:" + alternation(list(country_of), r"[\w.-]") + r")(?![\w-]|\.\w)")
    org_of: dict[str, str] = {}
    for canon, entry in lex.organizations.items():
        for name in entry.get("names") or []:
            org_of.setdefault(_key(name), canon)
        org_of.setdefault(_key(canon), canon)
    orgs = re.compile(r"(?:t(?<![\w-].)he\s+(?:" + alternation(list(org_of)) + r")|" + alternation(list(org_of), r"[\w-]") + r")(?![\w-])")
    topics = []
    for code, entry in lex.topics.items():
        cues = entry.get("cues", [])
        nots = entry.get("not")
        cased = cased_cues(cues)
        topics.append((code, cue_pattern(cues, r"\b", r"(?![\w-])"),
                       cue_pattern(nots) if nots else None,
                       re.compile("|".join(cased)) if cased else None))
    # Every cue starts at a word's start ("ink" is no cue inside "think").
    outcomes = [(kind, cue_pattern(cues, r"\b")) for kind, cues in lex.outcomes.items()]
    # One pass finds where any cue is; the per-code patterns then say which codes.
    all_topic_cues = [c for e in lex.topics.values() for c in e.get("cues", [])]
    topics_any = cue_pattern(all_topic_cues, r"\b", r"(?![\w-])")
    outcomes_any = cue_pattern([c for cues in lex.outcomes.values() for c in cues], r"\b")
    trig = lex.triggers
    triggers = {}
    for etype in EVENT_TYPES:
        entry = trig.get(etype) or {}
        strong, weak = entry.get("strong") or [], entry.get("weak") or []
        triggers[etype] = (cue_pattern(strong, r"\b") if strong else None,
                           cue_pattern(weak, r"\b", r"\b") if weak else None)
    return Compiled(
        countries=countries, country_of=country_of, orgs=orgs, org_of=org_of, topics=topics,
        topics_any=topics_any, topics_index={c: (rx, n) for c, rx, n, _ in topics}, outcomes=outcomes, outcomes_any=outcomes_any, triggers=triggers,
        planned=cue_pattern(trig["planned"], r"\b"),
        held=cue_pattern(trig["held"], r"\b"),
        launch_objects=cue_pattern([trig["launch_objects"]], r"\b"),
        under_way=cue_pattern(trig["under_way"], r"\b"),
        lead_by=re.compile(r"\b(?:" + "|".join(trig["lead_cues"]) + r")\b", re.I),
        member_of=re.compile(r"\b(?:" + "|".join(trig["member_cues"]) + r")\b", re.I),
        reaction_groups=cue_pattern(trig["reaction_groups"], r"\b", r"\b"),
        conditional=re.compile(r"\b(?:" + "|".join(_lower_pattern(c) for c in trig["conditional"]) + r")\b[^,;.]*$"),
        headline_types=[(etype, cue_pattern(cues)) for etype, cues in lex.headlines["types"].items()],
        headline_reports=[(etype, cue_pattern(cues)) for etype, cues in lex.headlines["reports"].items()],
    )


lexicons.on_change(get.cache_clear)


def around(pattern: re.Pattern[str], anchor: re.Pattern[str], text: str, before: int, after: int):  # type: ignore[no-untyped-def]
    """The matches of `pattern` in `text`, looked for only within `before` characters
    before and `after` characters after each match of `anchor`: a name recognised by its
    shape ("... Working Group", "... Ministry") is found near its head word, and the
    head words are quick to find."""
    windows: list[list[int]] = []
    for h in anchor.finditer(text):
        a, b = max(0, h.start() - before), min(len(text), h.end() + after)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = b
        else:
            windows.append([a, b])
    for a, b in windows:
        yield from pattern.finditer(text, a, b)


def lookup_country(surface: str) -> tuple[str, str] | None:
    return get().country_of.get(_key(surface))


def lookup_org(surface: str) -> str | None:
    s = _key(surface)
    if s.lower().startswith("the "):
        s = s[4:]
    return get().org_of.get(s)


class Spans:
    """Spans (start, end) asked whether they hold a position or overlap a span, by
    bisection instead of a look at each. Spans added later are kept apart from those
    given at first, and should come in order of start (mentions found left to right); one
    added out of order costs a re-sort of those added."""

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self._given = _Sorted(sorted(spans or []))
        self._added = _Sorted([])

    def add(self, start: int, end: int) -> None:
        self._added.add(start, end)

    def holds(self, at: int) -> bool:
        """Whether some span has start <= at < end."""
        return self._given.holds(at) or self._added.holds(at)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span holds `start` or starts in [start, end)."""
        return self._given.overlaps(start, end) or self._added.overlaps(start, end)


class _Sorted:
    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._spans = spans
        self._index()

    def _index(self) -> None:
        self._starts = [s for s, _ in self._spans]
        self._reach: list[int] = []  # the furthest end of the spans up to each one
        for _, e in self._spans:
            self._reach.append(max(e, self._reach[-1]) if self._reach else e)

    def add(self, start: int, end: int) -> None:
        self._spans.append((start, end))
        if self._starts and start < self._starts[-1]:
            self._spans.sort()
            self._index()
            return
        self._starts.append(start)
        self._reach.append(max(end, self._reach[-1]) if self._reach else end)

    def holds(self, at: int) -> bool:
        i = bisect.bisect_right(self._starts, at)
        return i > 0 and self._reach[i - 1] > at

    def overlaps(self, start: int, end: int) -> bool:
        return self.holds(start) or bisect.bisect_left(self._starts, start) < bisect.bisect_left(self._starts, end)
