"""Mechanisms: dialogues, initiatives, partnerships, working groups and task forces, named
in full, by acronym ("EPPD") or by short form ("the Partnership"), all resolved to one
canonical name."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from tradetalks import lexicons
from tradetalks.extract import actors, matchers
from tradetalks.regex import regex

HEADS = (r"Working\s+Group|Task\s+Force|Dialogue|Partnership|Initiative|Forum|Consultations?|"
         r"Committee|Commission|Council|Framework|Conference|Mechanism|Talks|Negotiations")
_MONTHS = r"(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b)"
_CAP = rf"(?:{_MONTHS}[A-Z0-9][\w’'-]*|of|and(?!\s+(?:the|a|an)\b)|&|in|the)"
_COUNTRY_JOIN = r"(?:\s?[-–—]\s?|\s[-–—]\s)"


@dataclass
class MechMention:
    start: int
    end: int
    name: str  # canonical
    head: str
    parties: list[str] = field(default_factory=list)
    known: bool = False
    short: bool = False  # "the Partnership": resolved, not named


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, dict]]:
    lex = lexicons.get()
    known: dict[str, dict] = {}
    for entry in lex.mechanisms:
        for n in [entry["name"], *(entry.get("aliases") or []), *(entry.get("acronyms") or [])]:
            known[" ".join(n.split())] = entry
    country_words = [k for k, v in matchers.get().country_of.items() if v[1] in ("names", "adjectives") and v[0]]
    # At most ten parties ("U.S.-Japan-Korea ..."): a longer run of country names is not
    # tried again at each of its words.
    prefix = r"(?:(?:Trilateral\s+|Bilateral\s+)?(?:" + matchers.alternation(country_words) + r")" + _COUNTRY_JOIN + r"){1,10}" \
        r"(?:" + matchers.alternation(country_words) + r")?\s*"
    shape = re.compile(
        rf"(?=[A-Z0-9])(?<![\w-])(?P<prefix>{prefix})?(?P<body>(?:(?:[A-Z][\w’'-]*|High-Level|\d+\w*-Century|(?:and|&)(?=\s+[A-Z]))\s+){{0,6}}"
        rf"(?P<head>{HEADS})(?!(?!s\b)[\w-])(?:\s+(?:on|for|of)\s+(?:the\s+)?(?:{_MONTHS}[A-Z0-9][\w’'-]*)(?:\s+{_CAP}){{0,10}})?)"
    )
    known_rx = re.compile(r"(?=[A-Z0-9])(?<![\w-])(?:" + matchers.alternation(list(known)) + r")(?![\w-])") if known else re.compile(r"(?!x)x")
    return shape, known_rx, known


@lru_cache(maxsize=4096)
def head_of(name: str) -> str:
    """The head noun of a name: "Dialogue" in "... Partnership Dialogue", "Task Force" in
    "Task Force on the Promotion of ..."."""
    core = _HEAD_SPLIT.split(name, maxsplit=1)[0]
    heads = _HEAD_WORD.findall(core)
    return " ".join(heads[-1].split()) if heads else ""


_HEAD_WORD = re.compile(HEADS)
_HEAD_SPLIT = re.compile(r"\s+(?:on|for|of)\s+")
# How far a name reaches before its head (a country prefix and six words) and after it
# ("on the Promotion of ..." and ten words).
_REACH_BEFORE, _REACH_AFTER = 400, 400
_TRAILING = re.compile(r"(?:\s+(?:of|and|&|in|the|on|for|[A-Z]{2,}s?))+$")
_BAD_START = {"The", "A", "An", "This", "That", "Its", "Their", "Our", "During", "Under", "At", "In",
              "On", "And", "Both", "New", "Second", "Third", "First", "Fourth", "Fifth", "Sixth",
              "Seventh", "Eighth", "Ninth", "Tenth", "Inaugural", "Next", "Latest",
              "Readout", "Statement", "Launch", "Meeting", "Round", "Rounds", "Meetings"}
_NOT_MECH = re.compile(r"^(?:High-Level|Ministerial|Senior|Economic|Trade|Policy|Bilateral|Trilateral|"
                       r"Annual|Strategic|Leaders['’]?|Joint|Technical|Expert|Working)?\s*(?:%s)$" % HEADS)


def _stem(name: str) -> list[str]:
    return [_stem_word(w) for w in _WORD.findall(name.lower())]


_WORD = re.compile(r"[a-z0-9]+")


def _stem_word(w: str) -> str:
    """Without a final "s", then without the "n" of a final "an" ("American" -> "America")."""
    if w.endswith("s"):
        w = w[:-1]
    return w[:-1] if w.endswith("an") else w


def find_mechanisms(text: str, title: str | None = None, org_ends: list[int] | None = None) -> list[MechMention]:
    """Mechanisms named in `text`; a name the title spells slightly differently ("North
    America Semiconductor Conference" / "North American ...") takes the title's spelling.
    Spellings of one name in the text are the first one's. A name shaped like a mechanism that continues an organization's name ("Political Bureau
    of the Communist Party of China Central Committee", where the organization ends at
    `org_ends`) is part of that name, not a mechanism."""
    found = _find(text)
    if org_ends:
        ends = set(org_ends)
        found = [m for m in found if m.known or not any(
            regex(r"\s+of\s+(?:the\s+)?$").match(text, e, m.start) for e in range(max(0, m.start - 12), m.start) if e in ends)]
    if title:
        for tm in _find(title):
            for m in found:
                if not m.known and m.name != tm.name and _stem(m.name) == _stem(tm.name):
                    m.name = tm.name
    # One mechanism under two spellings in one text ("Mineral Security Partnership" /
    # "Minerals Security Partnership") is one name, the first.
    first: dict[tuple[str, ...], str] = {}
    for m in found:
        if not m.known:
            m.name = first.setdefault(tuple(_stem(m.name)), m.name)
    return found


def _find(text: str) -> list[MechMention]:
    shape, known_rx, known = _patterns()
    out: list[MechMention] = []
    for m in known_rx.finditer(text):
        surface = " ".join(m.group(0).split())
        entry = known[surface]
        out.append(MechMention(m.start(), m.end(), entry["name"], head_of(entry["name"]),
                               list(entry.get("parties") or []), known=True,
                               short=surface in (entry.get("acronyms") or [])))
    acronyms: dict[str, MechMention] = {}
    taken = matchers.Spans([(o.start, o.end) for o in out])
    for m in matchers.around(shape, _HEAD_WORD, text, _REACH_BEFORE, _REACH_AFTER):
        if taken.overlaps(m.start(), m.end()):
            # A known name inside a longer match: keep the known one.
            continue
        mention = _shaped(text, m, known)
        if mention is None:
            continue
        out.append(mention)
        taken.add(mention.start, mention.end)
        acr = regex(r"\s*\(([A-Z][A-Z&-]{1,9})\)").match(text[mention.end:mention.end + 14])
        if acr:
            acronyms[acr.group(1)] = mention
    if acronyms:
        out.extend(_acronym_uses(text, out, acronyms))
    out.sort(key=lambda o: o.start)
    out.extend(_short_forms(text, out))
    out.sort(key=lambda o: o.start)
    return out


def _shaped(text: str, m: re.Match[str], known: dict[str, dict]) -> MechMention | None:  # type: ignore[type-arg]
    """The mechanism a match of the shape of a name is, or None (an organization, a bare
    head, talks without parties)."""
    body = _body(m.group("body"))
    if matchers.lookup_org(body) or _BASED.search(m.group("body")):
        return None  # an organization ("State Council", "the Washington-based Atlantic Council"), not a mechanism
    prefix = (m.group("prefix") or "").strip()
    if _inside_a_longer_name(text, m.start() if prefix else m.start("body") + m.group("body").find(body)):
        return None  # "... Ministers-Hong Kong, China Consultations": "China" is part of "Hong Kong, China"
    name = f"{prefix}{'' if not prefix or prefix.endswith(('-', '–')) else ' '}{body}".strip() if prefix else body
    if prefix and ("-" in name or "–" in name or "—" in name):
        name = regex(r"\s*([-–—])\s*").sub(_dash, name)
    name = " ".join(name.split())
    if not prefix and (_NOT_MECH.match(body) or len(body.split()) < 2):
        return None
    if not prefix and (body.split()[-1] in ("Talks", "Negotiations") or body.split()[0] in ("Talks", "Negotiations", "Discussions")):
        return None  # talks themselves, not a mechanism ("Negotiations for the Singapore-UK digital trade agreement")
    start = m.start() if prefix else m.start("body") + m.group("body").find(body)
    end = _end(text, start, name)
    parties = _prefix_parties(prefix)
    canon_entry = known.get(body) if not prefix else None
    return MechMention(start, end, canon_entry["name"] if canon_entry else name,
                       head_of(canon_entry["name"] if canon_entry else name), parties or list((canon_entry or {}).get("parties") or []),
                       known=bool(canon_entry))


def _inside_a_longer_name(text: str, at: int) -> bool:
    """Whether `at` is inside a country's name of two parts ("Hong Kong, China", which a
    hyphen may join to the word before: "Ministers-Hong Kong, China Consultations")."""
    return any(text.endswith(head, 0, at) for head in actors.two_part_heads())


# A body introduced by where it sits is an institution (a think tank, a firm).
_BASED = re.compile(r"\w-based\s")


def _body(body: str) -> str:
    """The words of a name after its prefix of countries, without a leading article or
    ordinal, trailing connectors and a place ("in Honolulu")."""
    words = body.split()
    lead = 0
    while lead < len(words) - 1 and (words[lead] in _BAD_START or regex(r"\d+(?:st|nd|rd|th)").fullmatch(words[lead])):
        lead += 1
    words = words[lead:]
    if "The" in words[1:]:
        # "EPA The Commission": two names run together; the mechanism is the last one.
        words = words[len(words) - words[::-1].index("The"):]
    body = " ".join(words)
    body = _trim_places(_TRAILING.sub("", body))
    return _TRAILING.sub("", body)


def _acronym_uses(text: str, named: list[MechMention], acronyms: dict[str, MechMention]) -> list[MechMention]:
    """Later uses of the acronyms defined after names ("... Partnership (EPPD)")."""
    out: list[MechMention] = []
    spans = matchers.Spans([(o.start, o.end) for o in named])
    for m in _ACRONYM.finditer(text):
        if m.group(0) not in acronyms or spans.holds(m.start()):
            continue
        src = acronyms[m.group(0)]
        if m.start() > src.end:
            out.append(MechMention(m.start(), m.end(), src.name, src.head, src.parties, src.known, short=True))
    return out


# A word that may be an acronym: the ones a document defines are looked up in a dict.
_ACRONYM = re.compile(r"[A-Z](?<![\w-].)[\w&-]*(?<![-])(?![\w-])")


def _dash(m: re.Match[str]) -> str:
    return m.group(1)  # as the template r"\1", without parsing it at each call


_IN_PLACE = re.compile(r"\s+in\s+(?:the\s+)?([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)")


def _trim_places(body: str) -> str:
    """Cut "in Honolulu" and what follows off a name: at the first "in" before a place,
    whatever "in"s come before it ("Task Force on Investment in Energy in Japan")."""
    for m in _IN_PLACE.finditer(body):
        if matchers.lookup_country(m.group(1)) or matchers.lookup_country(m.group(1).split()[0]):
            return body[:m.start()]
    return body


def _end(text: str, start: int, name: str) -> int:
    """End offset of a name that may have been normalised (white space, dashes)."""
    if text.startswith(name, start) and name.isprintable() and not name.endswith(" "):
        return start + len(name)  # spelled as in the text: where the walk below ends
    pos, i = start, 0
    compact = name.replace(" ", "")
    while pos < len(text) and i < len(compact):
        ch = text[pos]
        if ch.isspace():
            pos += 1
            continue
        if ch == compact[i] or ch in "-–—" and compact[i] in "-–—":
            i += 1
        pos += 1
    return pos


def _prefix_parties(prefix: str) -> list[str]:
    return list(_parties_of(prefix))


@lru_cache(maxsize=4096)
def _parties_of(prefix: str) -> tuple[str, ...]:
    codes: list[str] = []
    for part in regex(r"\s*[-–—]\s*|\s+and\s+").split(prefix):
        part = regex(r"^(?:Trilateral|Bilateral)\s+").sub("", part.strip())
        hit = matchers.lookup_country(part) if part else None
        if hit and hit[0] and hit[0] not in codes:
            codes.append(hit[0])
    return tuple(sorted(codes))


lexicons.on_change(_patterns.cache_clear)
lexicons.on_change(_parties_of.cache_clear)


_SHORT = re.compile(r"[Tt](?<!\w.)(?i:he\s+(?:(?:high-level|latest|bilateral|trilateral)\s+)?(%s)\b(?!\s+(?:on|for|of)\s+[a-z]))" % HEADS)
# A bare capitalised head inside a sentence: "the next round of Partnership meetings".
_BARE = re.compile(r"(?=[A-Z])(?<=[a-z,] )(%s)(?=\s+[a-z])" % HEADS)


def _short_forms(text: str, named: list[MechMention]) -> list[MechMention]:
    """ "the Partnership", "the Working Group", "the high-level forum": the latest named
    mechanism with that head, or the first one named after it."""
    out: list[MechMention] = []
    if not named:
        return out
    spans = matchers.Spans([(o.start, o.end) for o in named])
    # The mechanisms named in full, by head, in the order of `named` (by start).
    by_head: dict[str, list[int]] = {}
    for i, o in enumerate(named):
        if not o.short:
            by_head.setdefault(o.head.lower(), []).append(i)
    starts = {h: [named[i].start for i in idx] for h, idx in by_head.items()}

    def last_before(head: str, at: int) -> int | None:
        """The last of `named` with that head that ends by `at`."""
        idx = by_head.get(head, [])
        j = bisect.bisect_left(starts.get(head, []), at)  # those after start after `at`
        while j > 0:
            j -= 1
            if named[idx[j]].end <= at:
                return idx[j]
        return None

    def first_after(head: str, at: int) -> int | None:
        idx = by_head.get(head, [])
        j = bisect.bisect_right(starts.get(head, []), at)
        return idx[j] if j < len(idx) else None

    for finder in (_SHORT, _BARE):
        found = matchers.Spans([(o.start, o.end) for o in out])  # the short forms found so far
        for m in finder.finditer(text):
            if spans.holds(m.start(1)) or found.holds(m.start(1)):
                continue
            head = " ".join(m.group(1).split()).lower()
            before = last_before(head, m.start())
            after = first_after(head, m.end())
            if head in ("dialogue", "forum") and before is None and after is None:
                # "the high-level forum" after the EPPD: any dialogue-like mechanism.
                hits = [i for i in (last_before("dialogue", m.start()), last_before("forum", m.start())) if i is not None]
                before = max(hits) if hits else None
            src_i = before if before is not None else after
            if src_i is None:
                continue
            src = named[src_i]
            out.append(MechMention(m.start(1), m.end(1), src.name, src.head, src.parties, src.known, short=True))
            found.add(m.start(1), m.end(1))
    return out
