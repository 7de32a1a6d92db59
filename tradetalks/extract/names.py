"""Person names: which tokens can be part of a name, a name or a list of names ("A B
(D-Ill.), C D and E F"), a name cleaned and checked, and the people found so far, looked
up by name."""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from tradetalks import lexicons
from tradetalks.extract import matchers
from tradetalks.extract.titles import PORTFOLIO
from tradetalks.regex import regex

NOT_NAME = set("""The A An This That These Those It Its Their Our His Her He She They We I You
In On At By For From With After Before During Under Over About As Both Each All Some Any No
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
July August September October November December Today Yesterday Tomorrow Also But And Or If
When While Although However Meanwhile Mr Mrs Ms Dr MP Sir Madam Officials Delegation Delegations
Administration Government Minister Secretary President Senator Representative Ambassador
Chinese American Japanese Korean Taiwanese Indian European British Sens Sen Rep Reps Meeting
Meetings Ministers Governments Nations Group Law Embassy Financial Forestry Immigration Communication
Communications Vice Dialogue Emirates Federation Market Credit Transformation Mission Public Internal
Comprehensive Thanks Moderator Q A Pillar Section Article Annex Part Chapter Press Office Spokesperson
Statement Joint Readout Fact Sheet Remarks Transcript Participants Arab Manufacturers
Consultation Consultations Talks Negotiations Forum Council Committee Commission Partnership Initiative
Framework Conference Mechanism Summit""".split())
PARTICLES = {"von", "van", "der", "de", "da", "del", "bin", "al", "la", "le", "du", "dos", "di"}

# Capitals and small letters of Latin-1 and Latin Extended-A ("Maroš Šefčovič", "Brzeziński").
UPPER = "A-ZÀ-ÖØ-Þ" + "".join(c for c in map(chr, range(0x100, 0x180)) if c.isupper())
LOWER = "a-zà-ÿ" + "".join(c for c in map(chr, range(0x100, 0x180)) if c.islower())
_NAME_TOKEN = re.compile(rf"^(?:[{UPPER}][{LOWER}'’]+(?:-[A-Za-z{LOWER[3:]}]+)*|[{UPPER}]\.(?:[A-Z]\.)?|[A-Z][a-z]*[A-Z][a-z]+|O['’][A-Z][a-z]+)$")
_PARTY_STATE = re.compile(r"^\((?:D|R|I)-[A-Z][\w. ]*\)$")


@dataclass
class Person:
    name: str
    title: str | None = None
    org: str | None = None
    country: str | None = None
    commentator: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)  # every mention
    title_spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.name.lower()


def name_list(tokens: list[tuple[str, int, int]], k: int, single: bool = True) -> list[tuple[int, int, int, int]]:
    """Names starting at token k: one, or a list ("A B (D-Ill.), C D and E F"), each as
    (start, end, end of what a title reads after it, the token after it)."""
    out = []
    while k < len(tokens):
        start_k = k
        parts: list[tuple[str, int, int]] = []
        while k < len(tokens) and len(parts) < 6 and (
            name_word(tokens, k)
            or parts and tokens[k][0] in PARTICLES and _particles_then_name(tokens, k)
        ):
            if parts and tokens[k][1] - parts[-1][2] != 1:
                break  # a name's parts are one space apart ("Raimondo. Thanks" is two things)
            parts.append(tokens[k])
            k += 1
            if parts[-1][0].endswith(("'", "’", "'s", "’s")):
                break  # "Trump's Oct. visit": the possessive ends the name
        if not parts:
            break
        # "Joseph R. Biden, Jr."
        if k + 1 < len(tokens) and tokens[k][0] == "," and tokens[k + 1][0] in ("Jr.", "Sr.", "Jr", "Sr"):
            parts.append(tokens[k + 1])
            k += 2
        if k < len(tokens) and tokens[k][0] in ("MP",):
            k += 1
        after = parts[-1][2]
        if k < len(tokens) and _PARTY_STATE.match(tokens[k][0]):
            k += 1
        out.append((parts[0][1], parts[-1][2], after, k))
        if single:
            break
        # A list continues with "," or "and" then another name.
        if k < len(tokens) and tokens[k][0] in (",", "and"):
            nxt = k + 1
            if tokens[k][0] == "," and nxt < len(tokens) and tokens[nxt][0] == "and":
                nxt += 1
            if nxt < len(tokens) and name_word(tokens, nxt):
                # Only when the next names are followed by nothing title-like.
                k = nxt
                if start_k == k:
                    break
                continue
        break
    return out


# Surnames that are also English words of NOT_NAME: a name only right before a given name
# ("Vice Premier He Lifeng"), the pronoun otherwise.
SURNAME_WORDS = {"He"}


def name_word(tokens, k: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether token k can be part of a name."""
    word = tokens[k][0]
    if not name_shaped(word):
        return False
    if word not in NOT_NAME:
        return True
    return (word in SURNAME_WORDS and k + 1 < len(tokens) and tokens[k + 1][1] - tokens[k][2] == 1
            and bool(_NAME_TOKEN.match(tokens[k + 1][0])) and tokens[k + 1][0] not in NOT_NAME)


@lru_cache(maxsize=50_000)
def name_shaped(word: str) -> bool:
    return _NAME_TOKEN.match(word) is not None


def _particles_then_name(tokens, k: int) -> bool:
    """ "von der Leyen": particles followed by a capitalised name."""
    while k < len(tokens) and tokens[k][0] in PARTICLES:
        k += 1
    return k < len(tokens) and bool(_NAME_TOKEN.match(tokens[k][0]))


@lru_cache(maxsize=20_000)
def clean_name(name: str) -> str:
    name = regex(r"['’]s?$").sub("", name.strip())
    name = regex(r"\s+(?:MP|PhD)$").sub("", name)
    name = regex(r"^(?:Hon\.?|Shri|Smt\.?|HE|H\.E\.|Dr\.?|Mr\.?|Ms\.?|Mrs\.?|Sir)\s+").sub("", name)
    return " ".join(name.split()).strip(" ,")


@lru_cache(maxsize=20_000)
def valid_name(name: str) -> bool:
    words = name.replace(",", " ").split()
    if not words or all(w in NOT_NAME for w in words):
        return False
    if any(matchers.lookup_country(w) for w in words if w not in ("Jordan", "Georgia", "Chad")) and len(words) <= 2:
        return False
    if any(w in PORTFOLIO for w in words) or matchers.lookup_country(name):
        return False
    if regex(r"[;:]|[a-z]{2}\.\s").search(name) or regex(r"^[IWY]['’]").match(name):
        return False
    return not (len(words) == 1 and len(words[0]) <= 2)


lexicons.on_change(name_shaped.cache_clear)
lexicons.on_change(clean_name.cache_clear)
lexicons.on_change(valid_name.cache_clear)


_NAME_WORDS = re.compile(r"[\w'-]+")


class Known:
    """The people found so far, looked up by name as `_match_existing` did over all of them,
    but through indexes: by the key each was created with, by each word of their name and
    by the set of those words."""

    # How many people sharing a word are compared with a name: more only in crafted texts.
    MAX_CANDIDATES = 200

    def __init__(self) -> None:
        self.by_key: dict[str, Person] = {}
        self.order: list[Person] = []
        self.words: list[frozenset[str]] = []  # of each person (by index), without jr/sr
        self.by_word: dict[str, list[int]] = {}  # sorted indexes
        self.by_words: dict[frozenset[str], list[int]] = {}  # sorted indexes
        self.index: dict[int, int] = {}  # id(person) -> index
        self.renamed = 0

    def new(self, name: str) -> Person:
        person = Person(name=name)
        self.by_key[name.lower()] = person
        self.index[id(person)] = len(self.order)
        self.order.append(person)
        self.words.append(frozenset())
        self._register(len(self.order) - 1)
        return person

    def rename(self, person: Person, name: str) -> None:
        idx = self.index[id(person)]
        old = self.words[idx]
        for w in old:
            self.by_word[w].remove(idx)
        self.by_words[old].remove(idx)
        person.name = name
        self.renamed += 1
        self._register(idx)

    def _register(self, idx: int) -> None:
        words = frozenset(_NAME_WORDS.findall(self.order[idx].key)) - {"jr", "sr"}
        self.words[idx] = words
        for w in words:
            bisect.insort(self.by_word.setdefault(w, []), idx)
        bisect.insort(self.by_words.setdefault(words, []), idx)

    def match(self, name: str) -> Person | None:
        low = name.lower()
        if low in self.by_key:
            return self.by_key[low]
        found = _NAME_WORDS.findall(low)
        toks = set(found) - {"jr", "sr"}
        if len(toks) == 1:
            # The latest person whose name has the word (jr/sr included).
            (tok,) = toks
            best = self.by_word.get(tok)
            return self.order[best[-1]] if best else None
        if len(toks) < 2:
            return None
        # The first person whose name (of two words or more) holds all these words, or
        # whose words are all among these.
        best_idx = None
        lists = [self.by_word.get(t, []) for t in toks]
        rarest = min(lists, key=len)
        for idx in rarest[:self.MAX_CANDIDATES]:
            if toks <= self.words[idx]:
                best_idx = idx
                break
        if len(toks) <= 8:
            words = sorted(toks)
            for size in range(2, len(words) + 1):
                for subset in itertools.combinations(words, size):
                    hit = self.by_words.get(frozenset(subset))
                    if hit and (best_idx is None or hit[0] < best_idx):
                        best_idx = hit[0]
        else:
            for idx in sorted({i for lst in lists for i in lst[:self.MAX_CANDIDATES]}):
                if len(self.words[idx]) >= 2 and self.words[idx] <= toks:
                    best_idx = idx if best_idx is None else min(best_idx, idx)
                    break
        return self.order[best_idx] if best_idx is not None else None


def compact(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def without_accents(text: str) -> str:
    """The text with its letters' accents taken off ("Šefčovič" -> "Sefcovic", "López" -> "Lopez")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
