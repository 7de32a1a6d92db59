"""Actors: countries (names, adjectives, capitals standing for governments, places) and
organizations (agencies, ministries, proxies), with their spans."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from tradetalks import lexicons
from tradetalks.extract import matchers
from tradetalks.regex import regex


@dataclass
class CountryMention:
    start: int
    end: int
    code: str
    role: str  # names | adjectives | government | places
    text: str


@dataclass
class OrgMention:
    start: int
    end: int
    name: str
    country: str | None
    media: bool = False


def find_countries(text: str) -> list[CountryMention]:
    comp = matchers.get()
    out: list[CountryMention] = []
    hits: dict[str, tuple[str, str] | None] = {}  # surface -> lookup_country's answer
    append = out.append
    for m in comp.countries.finditer(text):
        surface = m[0]
        hit = hits[surface] if surface in hits else hits.setdefault(surface, matchers.lookup_country(surface))
        if not hit or not hit[0]:
            continue  # a region
        start, end = m.span()
        if surface in ("US", "U.S.") and text[end:end + 1] == "$":
            continue
        whole = _second_part(text, start, surface)
        if whole is not None:  # "Ministers-Hong Kong, China": Hong Kong, whatever the hyphen before it
            start, surface, hit = start - len(whole) + len(surface), whole, matchers.lookup_country(whole) or hit
        append(CountryMention(start, end, hit[0], hit[1], surface))
    return out


def _second_part(text: str, start: int, surface: str) -> str | None:
    """The whole name when a match is the second part of a country's name of two ("China" of
    "Hong Kong, China"), whose first part the match before it could not take."""
    for head in two_part_heads():
        if text.endswith(head, 0, start) and (head + surface) in _two_part_names():
            return head + surface
    return None


@lru_cache(maxsize=1)
def _two_part_names() -> frozenset[str]:
    return frozenset(name for name in matchers.get().country_of if ", " in name)


@lru_cache(maxsize=1)
def two_part_heads() -> tuple[str, ...]:
    """The first parts of the countries' names of two parts, with their comma ("Hong Kong, ")."""
    return tuple(sorted({name.rsplit(", ", 1)[0] + ", " for name in _two_part_names()}))


lexicons.on_change(_two_part_names.cache_clear)
lexicons.on_change(two_part_heads.cache_clear)


_GENERIC_HEADS = (r"Association|University|Institute|Academy|Chamber of Commerce|Council|Agency|Administration|"
                  r"Commission|Corporation|Center|Centre|Foundation|Federation|Secretariat|Bureau|Ministry|Department")
_GENERIC_ORG = re.compile(
    rf"(?=[A-Zt])\b(?:the\s+)?((?:[A-Z][\w&'’.-]*\s+){{0,5}}(?:{_GENERIC_HEADS})\b(?:\s+(?:of|for)\s+(?:the\s+)?"
    r"[A-Z][\w'’-]*(?:\s+(?:and\s+)?[A-Z][\w'’-]*){0,5})?)"
)
_GENERIC_HEAD = re.compile(_GENERIC_HEADS)
_GENERIC_STOP = {"The", "This", "That", "A", "An", "Its", "Their", "Our"}


def find_orgs(text: str) -> list[OrgMention]:
    comp = matchers.get()
    lex = lexicons.get()
    out: list[OrgMention] = []
    canons: dict[str, str | None] = {}  # surface -> lookup_org's answer
    for m in comp.orgs.finditer(text):
        surface = m.group(0)
        canon = canons[surface] if surface in canons else canons.setdefault(surface, matchers.lookup_org(surface))
        if not canon:
            continue
        if canon == "Department of the Treasury" and surface.strip() == "Treasury" and not _near_org_context(text, m.start()):
            continue
        if canon == "European Commission" and surface.strip().lower() in ("commission", "the commission"):
            continue
        entry = lex.organizations.get(canon, {})
        out.append(OrgMention(m.start(), m.end(), canon, entry.get("country"), entry.get("kind") == "media"))
    # Organizations not in the lexicon, recognised from their shape.
    taken = matchers.Spans([(o.start, o.end) for o in out])
    for m in matchers.around(_GENERIC_ORG, _GENERIC_HEAD, text, 300, 300):
        # "Mexico. Mexico’s Ministry of Economy": a sentence's end is no part of a name.
        name = regex(r"(?<=[a-z]{3})\.\s+").split(regex(r"['’]s\b").split(m.group(1))[0])[-1].strip()
        words = name.split()
        while words and words[0] in _GENERIC_STOP:
            words = words[1:]
        name = " ".join(words)
        if len(words) < 2 or taken.overlaps(m.start(1), m.end(1)):
            continue
        if matchers.lookup_org(name):
            continue
        start = m.start(1) + m.group(1).find(name)
        # "Ministry of Commerce (MOC)": the acronym says which one.
        acr = regex(r"\s*\(([A-Z][A-Za-z]{1,8})\)").match(text[start + len(name):start + len(name) + 12])
        known = matchers.lookup_org(acr.group(1)) if acr else None
        if known:
            entry = lex.organizations.get(known, {})
            out.append(OrgMention(start, start + len(name), known, entry.get("country")))
            taken.add(start, start + len(name))
            continue
        out.append(OrgMention(start, start + len(name), name, None))
        taken.add(start, start + len(name))
    out.sort(key=lambda o: o.start)
    return out


def _near_org_context(text: str, at: int) -> bool:
    before = text[max(0, at - 25):at]
    return bool(regex(r"(?:the|U\.S\.|US)\s+$").search(before))


def trim_orgs(orgs: list[OrgMention], names: list[tuple[int, int]]) -> None:
    """Cut a person's name off the end of an organization recognised from its shape
    ("Bureau of South and Central Asian Affairs Dean Thompson"): at the first name inside
    it that leaves two words or more."""
    known = set(lexicons.get().organizations)
    starts = sorted({s for s, _ in names})
    for o in orgs:
        if o.name in known:
            continue
        i = bisect.bisect_right(starts, o.start)
        while i < len(starts) and starts[i] < o.end:
            cut = o.name[: starts[i] - o.start].rstrip()
            if len(cut.split()) >= 2:
                o.name, o.end = cut, o.start + len(cut)
                break
            i += 1


def is_ministry(name: str) -> bool:
    return bool(regex(r"(?:Ministry|Department|Bureau|Office|Commission|Council|Agency)\b").match(name))


def assign_home(orgs: list[OrgMention], home: str | None) -> None:
    """A ministry named without its country is the home country's of the document (its
    publisher's, else its dateline's): "the Ministry of Commerce" in a Xinhua wire or a
    MOFCOM release is China's, "Department of Trade" in a record headed CANBERRA Australia's."""
    if not home:
        return
    for o in orgs:
        if o.country is None and not o.media and is_ministry(o.name):
            o.country = home
