"""Compiled patterns built from the lexicons, once per process (``reset`` after a lexicon
is extended)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tradetalks import lexicons


def alternation(phrases: list[str]) -> str:
    """A regex alternation of literal phrases, longest first, with flexible white space
    and either apostrophe."""
    out = []
    for p in sorted(set(phrases), key=len, reverse=True):
        esc = re.escape(p).replace(r"\ ", r"\s+").replace("’", "['’]").replace("'", "['’]")
        out.append(esc)
    return "|".join(out)


@dataclass
class Compiled:
    countries: re.Pattern[str]
    country_of: dict[str, tuple[str, str]]  # surface (folded) -> (code, role)
    orgs: re.Pattern[str]
    org_of: dict[str, str]
    topics: list[tuple[str, re.Pattern[str], re.Pattern[str] | None]]
    outcomes: list[tuple[str, re.Pattern[str]]]
    triggers: dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]]
    planned: re.Pattern[str]
    held: re.Pattern[str]
    launch_objects: re.Pattern[str]


def _key(s: str) -> str:
    return " ".join(s.replace("’", "'").split())


@lru_cache(maxsize=1)
def get() -> Compiled:
    lex = lexicons.get()
    country_of: dict[str, tuple[str, str]] = {}
    for region in lex.regions:
        country_of[_key(region)] = ("", "region")
    for code, entry in lex.countries.items():
        for role in ("names", "adjectives", "government", "places"):
            for name in entry.get(role) or []:
                country_of.setdefault(_key(name), (code, role))
    countries = re.compile(r"(?<![\w.-])(?:" + alternation(list(country_of)) + r")(?![\w-]|\.\w)")
    org_of: dict[str, str] = {}
    for canon, entry in lex.organizations.items():
        for name in entry.get("names") or []:
            org_of.setdefault(_key(name), canon)
        org_of.setdefault(_key(canon), canon)
    orgs = re.compile(r"(?<![\w-])(?:the\s+)?(?:" + alternation(list(org_of)) + r")(?![\w-])")
    topics = []
    for code, entry in lex.topics.items():
        cues = "|".join(f"(?:{c})" for c in entry.get("cues", []))
        nots = entry.get("not")
        topics.append((code, re.compile(rf"\b(?:{cues})(?![\w-])", re.I),
                       re.compile("|".join(nots), re.I) if nots else None))
    outcomes = [(kind, re.compile("|".join(f"(?:{c})" for c in cues), re.I))
                for kind, cues in lex.outcomes.items()]
    trig = lex.triggers
    triggers = {}
    for etype in ("negotiation_round", "meeting", "agreement", "launch", "visit", "statement", "reaction"):
        entry = trig.get(etype) or {}
        strong = "|".join(f"(?:{c})" for c in entry.get("strong") or [])
        weak = "|".join(f"(?:{c})" for c in entry.get("weak") or [])
        triggers[etype] = (re.compile(rf"(?:{strong})", re.I) if strong else None,
                           re.compile(rf"\b(?:{weak})\b", re.I) if weak else None)
    return Compiled(
        countries=countries, country_of=country_of, orgs=orgs, org_of=org_of, topics=topics,
        outcomes=outcomes, triggers=triggers,
        planned=re.compile("|".join(f"(?:{c})" for c in trig["planned"]), re.I),
        held=re.compile("|".join(f"(?:{c})" for c in trig["held"]), re.I),
        launch_objects=re.compile(rf"\b(?:{trig['launch_objects']})", re.I),
    )


def reset() -> None:
    get.cache_clear()
    from tradetalks.extract import mechanisms, people

    mechanisms.reset()
    people.reset()


def lookup_country(surface: str) -> tuple[str, str] | None:
    return get().country_of.get(_key(surface))


def lookup_org(surface: str) -> str | None:
    s = _key(surface)
    if s.lower().startswith("the "):
        s = s[4:]
    return get().org_of.get(s)
