"""What the event stages share: the recognizers' findings for one document (`Found`), the
event words found in it (`Trigger`) and the events being assembled (`Draft`), and the
patterns several stages read."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from tradetalks.extract import matchers
from tradetalks.extract.actors import CountryMention, OrgMention
from tradetalks.extract.dates import DateMention
from tradetalks.extract.mechanisms import MechMention
from tradetalks.extract.people import Person
from tradetalks.models import Place
from tradetalks.regex import regex

PRIORITY = {"negotiation_round": 0, "meeting": 0, "agreement": 1, "launch": 2, "visit": 3,
            "reaction": 4, "statement": 5}
ORDINALS = {"first": 1, "inaugural": 1, "initial": 1, "second": 2, "third": 3, "fourth": 4,
            "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
            "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15}
ORDINAL = re.compile(
    r"\b(first|inaugural|initial|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|\d{1,2}(?:st|nd|rd|th))\s+(?:(?:in-person|virtual|formal|official|"
    r"annual|ministerial|[a-z]+-ministerial|high-level|[a-z]+-level|plenary|full|negotiating|bilateral|trilateral)\s+)?"
    r"(?=(?:round|meeting|session|dialogue|plenary|ministerial|conference|consultation|forum|summit|edition)s?\b|(?-i:[A-Z]))",
    re.I,
)


def ordinal_value(word: str) -> int | None:
    """The number an ordinal of ORDINAL's first group says ("eighth": 8, "14th": 14)."""
    word = word.lower()
    return ORDINALS.get(word) or (int(word[:-2]) if word[:1].isdigit() else None)


def title_round(title: str | None) -> int | None:
    """The round number a headline gives ("Korea and GCC hold 6th round of talks")."""
    m = ORDINAL.search(title or "")
    return ordinal_value(m.group(1)) if m else None


# Where an ordinal word starts, on the case-folded text: every branch starts with a
# literal, so that the engine skips ahead to them; ORDINAL then decides at each.
ORDINAL_START = re.compile("|".join(
    matchers.branches(list(ORDINALS), r"\w") + [f"{d}(?<!\\w.)\\d?(?:st|nd|rd|th)" for d in "0123456789"]))
ANAPHOR = re.compile(r"\b(?:th(?:e|is|at)|during the|at the)\s+(?:(?:four|three|two|five|one)-day\s+|latest\s+|high-level\s+|bilateral\s+)?"
                      r"(?:negotiating\s+)?(?:round|meeting|talks|dialogue|session|negotiations|conference|consultations?|discussions)\b", re.I)
REFERS = re.compile(r"\b(?:led|delegations?|co-?chair\w*|head(?:ed|s)? (?:the|a)|counterparts?|both sides|the two sides|"
                     r"the (?:round|meeting|talks|dialogue|session|conference|discussions|consultation)|officials|discussed|"
                     r"exchanged|raised|addressed|covered|agreed|reached|identif\w+|pledged|committed|underscored|highlighted|"
                     r"reaffirmed|emphasi[sz]ed|encouraged|urged|welcomed|noted|briefed|sought|expressed|decided|"
                     r"the (?:protocol|agreement|deal|accord|pact|FTA|treaty|framework|memorandum))\b", re.I)
TALKS_WORDS = re.compile(r"trade|talks|negotiat|deal|agreement|tariff|framework|econom|dialogue|invest|export|import", re.I)
PAST_VERB = re.compile(r"^(?:signed|reached|concluded|finished|sealed|struck|agreed|launched|established|began|started|"
                        r"kicked off|founded|met|convened|co-?chaired|held|visited|travell?ed|arrived|toured|was created|set up)", re.I)
MODAL_BEFORE = re.compile(r"(?:\bwill|\bwould|\bshall|\bto|\bplans? to|\bexpected to|\bagreed to|\bagreeing to|\bcommitted to|"
                           r"\bintends? to|\bdecided to|\bset to|\bready to)\s+(?:\w+\s+){0,2}$", re.I)


@dataclass
class Trigger:
    etype: str
    start: int
    end: int
    sent: int
    strong: bool = True
    anaphor: bool = False
    aside: bool = False  # "at the Leaders' Summit", "following the ... meeting": circumstance
    status: str | None = None  # computed once, without a date
    previous: bool = False  # "the last round", "the previous meeting": the one before
    commits: bool = False  # "agreed to begin talks": an agreement to hold talks, not a deal


@dataclass
class Draft:
    type: str
    status: str
    trigger: Trigger
    sents: set[int] = field(default_factory=set)
    mechanism: MechMention | None = None
    mech_inherited: bool = False
    round: tuple[int, int, int] | None = None  # value, start, end
    date: DateMention | None = None
    place: tuple[str | None, str | None, int, int] | None = None
    parties: dict[str, tuple[int, int]] = field(default_factory=dict)
    people: dict[str, tuple[Person, str, tuple[int, int]]] = field(default_factory=dict)
    orgs: dict[str, tuple[int, int]] = field(default_factory=dict)
    topics: dict[str, tuple[int, int]] = field(default_factory=dict)
    outcomes: dict[str, tuple[int, int]] = field(default_factory=dict)
    speaker: str | None = None
    primary: bool = False
    absorbed: bool = False
    headline: bool = False  # reported by the headline alone

    @property
    def pos(self) -> int:
        return self.trigger.start


@dataclass
class Found:
    text: str
    sentences: list[tuple[int, int]]
    title: str | None
    published: str | None
    kind: str
    dateline: Place | None
    home: str | None
    dates: list[DateMention]
    countries: list[CountryMention]
    orgs: list[OrgMention]
    people: list[Person]
    mechanisms: list[MechMention]
    topics: list[tuple[int, int, str]]
    outcomes: list[tuple[int, int, str]]
    low: str = ""  # the text case-folded, same offsets: cue patterns match on it

    def __post_init__(self) -> None:
        if not self.low:
            self.low = matchers.fold_case(self.text)
        self._index: dict[str, tuple[list, list[int]]] = {}
        for name in ("dates", "countries", "orgs", "mechanisms", "topics", "outcomes"):
            items = sorted(getattr(self, name), key=start_of)
            self._index[name] = (items, [start_of(x) for x in items])
        self._ordinals: list[re.Match[str]] | None = None  # found on first use
        self._person_rows: list[tuple[int, int, int, int]] | None = None  # (start, person, nth span, end)
        self._person_starts: list[int] = []
        self._title_spans: matchers.Spans | None = None
        self._ordinal_starts: list[int] = []

    def ordinals(self, sent: tuple[int, int]) -> list[re.Match[str]]:
        """Round ordinals ("third round", "inaugural meeting") inside a sentence."""
        if self._ordinals is None:
            self._ordinals = []
            end = 0
            for start in ORDINAL_START.finditer(self.low):
                m = ORDINAL.match(self.text, start.start()) if start.start() >= end else None
                if m:
                    self._ordinals.append(m)
                    end = m.end()
            self._ordinal_starts = [m.start() for m in self._ordinals]
        found = self._ordinals[bisect_left(self._ordinal_starts, sent[0]):bisect_left(self._ordinal_starts, sent[1])]
        return [m for m in found if m.end() <= sent[1]]

    def people_in(self, sent: tuple[int, int]) -> list[tuple[Person, list[tuple[int, int]]]]:
        """The people with a mention starting inside a sentence, in the order of `people`,
        each with those mentions in the order of its spans."""
        if self._person_rows is None:
            self._person_rows = sorted((ps, i, j, pe) for i, p in enumerate(self.people) for j, (ps, pe) in enumerate(p.spans))
            self._person_starts = [r[0] for r in self._person_rows]
        lo, hi = bisect_left(self._person_starts, sent[0]), bisect_left(self._person_starts, sent[1])
        by: dict[int, list[tuple[int, int, int]]] = {}
        for ps, i, j, pe in self._person_rows[lo:hi]:
            by.setdefault(i, []).append((j, ps, pe))
        return [(self.people[i], [(ps, pe) for _, ps, pe in sorted(by[i])]) for i in sorted(by)]

    def in_title(self, pos: int) -> bool:
        """Whether a position is inside a person's title."""
        if self._title_spans is None:
            self._title_spans = matchers.Spans([span for p in self.people for span in p.title_spans])
        return self._title_spans.holds(pos)

    def within(self, name: str, sent: tuple[int, int]) -> list:
        """The items of one recognizer that start inside a sentence."""
        items, starts = self._index[name]
        return items[bisect_left(starts, sent[0]):bisect_left(starts, sent[1])]


def start_of(item) -> int:  # type: ignore[no-untyped-def]
    return item[0] if isinstance(item, tuple) else item.start

def fold(s: str) -> str:
    return regex(r"[^a-z0-9]+").sub(" ", s.lower()).strip()
