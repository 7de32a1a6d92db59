"""People: officials with their titles ("PRC Vice Minister of Commerce Wang Shouwen",
"Wang Chao-Ming, vice-chairman of ...", "Sens. Tammy Duckworth (D-Ill.), Dan Sullivan
(R-Alaska) and Chris Coons"), their side and organization, and later mentions by surname
("Blinken", "Under Secretary Lago") resolved to the same person."""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from tradetalks import lexicons
from tradetalks.extract import matchers
from tradetalks.extract.actors import CountryMention, OrgMention
from tradetalks.regex import regex

CONNECTORS = {"of", "for", "to", "the", "and", "on", "in"}
PORTFOLIO = set("""Commerce Trade International Economic Economy Economics Affairs Energy Environment
Growth Security Resources Development Industry Investment Agriculture Finance Planning Foreign
State Treasury Defense Defence Labor Labour Policy Cooperation Relations Asia Pacific Asian
Western Hemisphere Private Global Ministry Bureau Office Council Department Institute United
States Secretariat National Business Technology Science Innovation Digital Industrial Customs
Revenue Taxation Tax Health Human Services Transport Infrastructure Communications Information
Culture Tourism Fisheries Food Rural Land Water Climate Natural Strategic Competitiveness
Negotiations Intelligence Justice Interior Education Employment Mines Minerals Petroleum Power
Enterprise Small Medium Enterprises Regulatory Commercial Consumer Competition Markets Export
Import Exports Imports Agricultural Administration Affairs Emerging Technologies Critical
Sustainable Honorable Honourable Cabinet House Senate Congress Parliament Legislative Yuan
Executive Government Republic People's People’s Kingdom Federal Union Commission European
Operations Programs Ocean Oceans Scientific Environmental Economic Coordinating Middle East
Africa Europe Americas America Latin Indo-Pacific Spokesperson South North East West Central Near
Eastern Western Southern Northern Asian African European Pacific Arctic Atlantic Hemispheric Multilateral
Bilateral Regional Cyber Space Global Migration Refugees Humanitarian Democracy Rights Conflict""".split())
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
Statement Joint Readout Fact Sheet Remarks Transcript Participants Arab Manufacturers""".split())
_CONNECTORS_COMMA = CONNECTORS | {","}
PARTICLES = {"von", "van", "der", "de", "da", "del", "bin", "al", "la", "le", "du", "dos", "di"}
COUNTRY_SUFFIX = re.compile(r"\s*(?:,\s*)?(?:of|from)\s+(?:the\s+)?", re.I)

_TOKEN = re.compile(r"(?:Sens?|Reps?|Gov|Amb|Pres|Dr|Mr|Mrs|Ms|Jr|Sr|Hon|St|Gen)\.|[A-Z](?:\.[A-Z])*\.(?![a-z])|"
                    r"[A-ZÀ-ÖØ-Þ][\w'’-]*|[a-z][\w-]*|,|\([^()\n]{1,40}\)")
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][a-zà-ÿ'’]+(?:-[A-Za-zà-ÿ]+)*|[A-ZÀ-ÖØ-Þ]\.(?:[A-Z]\.)?|[A-Z][a-z]*[A-Z][a-z]+|O['’][A-Z][a-z]+)$")
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


@lru_cache(maxsize=1)
def _vocab() -> tuple[frozenset[str], frozenset[str], dict[str, str | None], list[tuple[re.Pattern[str], str | None, str | None]], list[tuple[re.Pattern[str], str]], re.Pattern[str]]:
    lex = lexicons.get()
    t = lex.titles
    heads = frozenset(h.lower() for h in t["heads"]) | {"vice-premier", "vice-minister", "vice-president", "vice-chairman", "director-general", "prime minister", "pm", "senators", "sens", "secretaries", "ministers", "directors", "representatives"}
    modifiers = frozenset(m.lower() for m in t["modifiers"])
    short = {k: v for k, v in (t.get("short") or {}).items()}
    orgs = [(re.compile(p, re.I), v[0], v[1]) for p, v in (t.get("orgs") or {}).items()]
    countries = [(re.compile(p, re.I), c) for p, c in (t.get("countries") or {}).items()]
    commentators = re.compile(r"\b(?:" + "|".join(t.get("commentators") or ["former"]) + r")\b", re.I)
    return heads, modifiers, short, orgs, countries, commentators


@lru_cache(maxsize=1)
def _token_pattern() -> re.Pattern[str]:
    heads = _vocab()[0]
    single_heads = {h for h in heads if " " not in h}
    words = matchers.alternation(list(CONNECTORS | PARTICLES | {"from", "and"} | single_heads))
    # A lower-case modifier is a token only on its way to a title's head ("commerce secretary").
    modifiers = [m.lower() for m in lexicons.get().titles.get("lowercase_modifiers") or []]
    mods = matchers.alternation(modifiers)
    title_next = matchers.alternation(modifiers + list(single_heads))
    lowercase = rf"|(?<![\w-])(?:{mods})(?=\s+(?i:{title_next})s?\b)" if modifiers else ""
    return re.compile(r"(?=[A-Za-zÀ-Þ,(])(?:Sens?|Reps?|Gov|Amb|Pres|Dr|Mr|Mrs|Ms|Jr|Sr|Hon|St|Gen)\.|[A-Z](?:\.[A-Z])*\.(?![a-z])|"
                      r"[A-ZÀ-ÖØ-Þ][\w'’-]*|(?<![\w-])(?:" + words + r")s?(?![\w-])" + lowercase + r"|,|\([^()\n]{1,40}\)")


def reset() -> None:
    _token_pattern.cache_clear()
    _vocab.cache_clear()
    _is_head.cache_clear()
    _appositive_heads.cache_clear()
    _title_word.cache_clear()
    _clean_name.cache_clear()
    _name_shaped.cache_clear()
    _valid_name.cache_clear()


@lru_cache(maxsize=50_000)
def _is_head(word: str, heads: frozenset[str]) -> bool:
    w = word.lower().rstrip(".")
    return w in heads or (w.endswith("s") and w[:-1] in heads) or w.rstrip("s") in heads


@lru_cache(maxsize=50_000)
def _title_word(word: str, heads, modifiers) -> bool:
    w = word.rstrip(".,")
    return (
        _is_head(w, heads) or w.lower() in modifiers or w in PORTFOLIO or w.lower() in CONNECTORS
        or matchers.lookup_country(w) is not None or matchers.lookup_org(w) is not None
        or w in ("U.S.", "US", "PRC", "ROK", "EU", "UK", "PM", "Hon", "HE", "H.E.")
        or w.endswith(("’s", "'s")) and matchers.lookup_country(w[:-2]) is not None
    )


@lru_cache(maxsize=1)
def _appositive_heads(heads: frozenset[str]) -> frozenset[str]:
    """The heads of a title after a name ("Zhang Xiangchen, Chinese ambassador"), which
    may also be a commentator's ("researcher"): one set, hashed once, for `_is_head`'s cache."""
    return heads | {"researcher", "analyst", "professor", "economist", "adviser", "advisor"}


# A title is at most this many tokens ("Assistant United States Trade Representative for
# ..."): a longer run of title words is not read as one title, so that the work at each
# token of a run is bounded.
MAX_TITLE_TOKENS = 40


def find_people(text: str, countries: list[CountryMention], orgs: list[OrgMention]) -> list[Person]:
    heads, modifiers, short, _, _, _ = _vocab()
    appositive_heads = _appositive_heads(heads)
    # Lower-case words matter only as connectors, particles or titles ("senator"); the
    # others are not tokens here (offsets keep them apart: see _adjacent).
    tokens = [(m[0], *m.span()) for m in _token_pattern().finditer(text)]
    known = _Known()
    order = known.order

    handles: list[tuple[str, str | None, int, int, int]] = []

    def add(name: str, title: str | None, start: int, end: int, after: int, handle: bool = False) -> None:
        if not handle and start > 0 and text[start - 1] == "@":
            # A social-media handle quoted from a post ("@HowardLutnick"): a mention of the
            # person the text names in full, or of nobody.
            handles.append((name, title, start, end, after))
            return
        if name.endswith(("'s", "’s")):
            end -= 2  # the span is the name, without the possessive
        name = _clean_name(name)
        if not name or not _valid_name(name):
            return
        person = known.match(name)
        if person is None:
            person = known.new(name)
        elif len(name) > len(person.name):
            known.rename(person, name)
        person.spans.append((start, end))
        if title and not person.title:
            _set_title(person, title, text, after, countries, orgs)

    # A run of title words ends at the same token wherever in it it starts (whether a
    # token continues a run depends only on it and its neighbours): the run is scanned
    # once, and what follows it (the names after it) is read once.
    run_end = -1  # the run of title words being walked through ends before this token
    run_last_head = -1  # its last head ("Secretary", "Mr.")
    run_kept = -1  # the run ends here without the connectors and commas at its end
    any_name: dict[int, bool] = {}  # whether a name starts at a token
    names_at: dict[tuple[int, bool], list] = {}

    # What each word can start, found once per word (see _start_kind).
    kinds: dict[str, int] = {}

    i = 0
    n = len(tokens)
    while i < n:
        word, s, _ = tokens[i]
        kind = kinds.get(word)
        if kind is None:
            kind = kinds[word] = _start_kind(word, heads, modifiers, short)
        if kind == _CONNECTOR:
            i += 1  # a connector ("of", "the") starts neither a title nor a name
            continue
        starts_title = kind == _TITLE
        if kind == _OTHER or kind == _SURNAME_WORD and not _name_word(tokens, i):
            i += 1
            continue
        # A run of title words ending in a head, then a name.
        if not starts_title:
            j, has_head = i, False
        else:
            if i >= run_end:
                run_end, run_last_head, run_kept = _title_run(text, tokens, i, heads, modifiers, short)
            j, has_head = run_end, run_last_head >= i
        # A title before a name is capitalised ("Treasury Secretary"), or is its head alone
        # right before the name ("senator Lindsey Graham").
        cased = j > i and (word[:1].isupper() or (j - i <= 2 and _is_head(tokens[j - 1][0], heads)))
        after_connector = i > 0 and tokens[i - 1][0].lower() in ("of", "from", "the") and _adjacent(text, tokens[i - 1][2], s)
        if j > i and has_head and cased and word.lower() not in CONNECTORS and not after_connector:
            k = j
            if k < n and (tokens[k][0] == "," or _ACRONYM_IN_PARENS.match(tokens[k][0])):
                k += 1  # "Trade Representative (USTR) Robert Lighthizer"
            if k not in any_name:
                single_names = _name_list(tokens, k)
                any_name[k] = bool(single_names)
                names_at[(k, False)] = single_names  # what the look-up below asks for a single name
            # Drop trailing connectors: "Secretary of State for" -> name follows.
            end = max(i, run_kept)
            plural = any_name[k] and any(_plural_head(w, heads) for w, _, _ in tokens[max(i, end - 2):end])
            names = names_at.get((k, plural)) if any_name[k] else []
            if names is None:
                names = names_at[(k, plural)] = _name_list(tokens, k, single=not plural)
            if names and end - i <= MAX_TITLE_TOKENS:
                title_words = _drop_headless_segments(tokens[i:end], heads, short)
                while title_words and title_words[0][0].lower() in _CONNECTORS_COMMA:
                    title_words = title_words[1:]
                if title_words and text[title_words[-1][2]:tokens[k][1]].count("\n") == 0:
                    title = text[title_words[0][1]:title_words[-1][2]]
                    for name_start, name_end, after, _ in names:
                        add(text[name_start:name_end], title, name_start, name_end, after)
                        people_title_span = (title_words[0][1], title_words[-1][2])
                        last = known.match(_clean_name(text[name_start:name_end]))
                        if last is not None:
                            last.title_spans.append(people_title_span)
                    i = max(names[-1][3], j)
                    continue
        if j > i and not has_head and starts_title:
            i = max(j, i + 1)  # no title in this run, nor in any run starting inside it
            continue
        # An appositive: Name, (a|the|former)? title of ...
        if _name_word(tokens, i):
            names = _name_list(tokens, i)
            if names:
                ns, ne, _, k = names[0]
                if k < n and tokens[k][0] == ",":
                    m = _APPOSITIVE.match(text, tokens[k][2])
                    if m and _is_head(m.group("head"), appositive_heads):
                        add(text[ns:ne], m.group("title").strip(" ,"), ns, ne, m.end())
                        last = known.match(_clean_name(text[ns:ne]))
                        if last is not None:
                            last.title_spans.append((m.start("title"), m.end("title")))
                        i = k + 1
                        continue
        i += 1
    by_compact: dict[str, Person] = {}
    version = (-1, -1)
    for handle, title, start, end, after in handles:
        if version != (known.renamed, len(order)):
            by_compact, version = {}, (known.renamed, len(order))
            for p in order:
                by_compact.setdefault(_compact(p.name), p)
        named = by_compact.get(_compact(handle))
        if named is not None:
            add(named.name, title, start, end, after, handle=True)
    _resolve_mentions(text, order)
    return order


_CONNECTOR, _TITLE, _NAME, _SURNAME_WORD, _OTHER = range(5)


def _start_kind(word: str, heads, modifiers, short) -> int:  # type: ignore[no-untyped-def]
    """What a token can start in find_people: nothing (a connector), a title, a name (as
    _name_word says, which for a word of SURNAME_WORDS depends on the next token), or
    nothing else."""
    if word in CONNECTORS:
        return _CONNECTOR
    if word in short or _title_word(word, heads, modifiers):
        return _TITLE
    if not _name_shaped(word):
        return _OTHER
    if word not in NOT_NAME:
        return _NAME
    return _SURNAME_WORD if word in SURNAME_WORDS else _OTHER


def _title_run(text: str, tokens, i: int, heads, modifiers, short) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """The run of title words starting at token i: the token after it, its last head (-1
    when it has none), and where it ends without the connectors and commas at its end."""
    n = len(tokens)
    j = i
    last_head = -1
    while j < n:
        tok = tokens[j]
        w = tok[0]
        if not (_title_word(w, heads, modifiers) or w in short or (w == "," and j > i)):
            break
        if j > i and not _adjacent(text, tokens[j - 1][2], tok[1]):
            break
        if w == "," and (j + 1 >= n or not _title_word(tokens[j + 1][0], heads, modifiers)):
            break
        if w in short or _is_head(w.rstrip(".,"), heads):
            last_head = j
        j += 1
    kept = j
    while kept > i and tokens[kept - 1][0].lower() in _CONNECTORS_COMMA:
        kept -= 1
    return j, last_head, kept


_NAME_WORDS = re.compile(r"[\w'-]+")


class _Known:
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


def _compact(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


_ACRONYM_IN_PARENS = re.compile(r"^\([A-Z][A-Za-z.&]{1,9}\)$")
_APPOSITIVE = re.compile(
    # "Zhang Xiangchen, Chinese ambassador to the WTO, said": up to three words (a country's
    # adjective, an organization) before the head.
    r"\s*(?:a\s+|an\s+|the\s+)?(?P<title>(?:[A-Z][\w.'’-]*\s+){0,3}?(?:former\s+|then[- ]|senior\s+|deputy\s+|vice[- ]|chief\s+|acting\s+|special\s+|assistant\s+|US\s+|U\.S\.\s+){0,8}"
    r"(?P<head>[A-Za-z-]+)(?:\s+(?:of|for|at|to)\s+[^,;.()]{2,120}?)?)(?=\s*(?:,|;|\.|\)|$|\s+said|\s+told|\s+says))",
    re.I,
)


def _drop_headless_segments(words, heads, short):
    """ "United States, Cabinet Councillor" -> "Cabinet Councillor": a leading part of a
    run, cut off by a comma, with no title head in it is the end of something else."""
    while True:
        for comma, w in enumerate(words):
            if w[0] == ",":
                break
        else:
            return words
        seg = words[:comma]
        if any(_is_head(w.rstrip(".,"), heads) or w in short for w, _, _ in seg):
            return words
        words = words[comma + 1:]


def _adjacent(text: str, end: int, start: int) -> bool:
    gap = text[end:start]
    return len(gap) <= 3 and gap.strip(" ,") == ""


_PLURAL_TITLES = ("Sens", "Reps", "Senators", "Directors", "Ministers", "Secretaries")


def _plural_head(w: str, heads) -> bool:  # type: ignore[no-untyped-def]
    """A title head in the plural ("Ministers", "Sens."): the names that follow are a list."""
    bare = w.rstrip(".")
    if bare in _PLURAL_TITLES:
        return True
    return w.endswith(("s", "s.")) and _is_head(w.rstrip("s."), heads)


def _name_list(tokens, k: int, single: bool = True) -> list[tuple[int, int, int]]:
    """Names starting at token k: one, or a list ("A B (D-Ill.), C D and E F")."""
    out = []
    while k < len(tokens):
        start_k = k
        parts = []
        while k < len(tokens) and len(parts) < 6 and (
            _name_word(tokens, k)
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
            if nxt < len(tokens) and _name_word(tokens, nxt):
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


def _name_word(tokens, k: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether token k can be part of a name."""
    word = tokens[k][0]
    if not _name_shaped(word):
        return False
    if word not in NOT_NAME:
        return True
    return (word in SURNAME_WORDS and k + 1 < len(tokens) and tokens[k + 1][1] - tokens[k][2] == 1
            and bool(_NAME_TOKEN.match(tokens[k + 1][0])) and tokens[k + 1][0] not in NOT_NAME)


@lru_cache(maxsize=50_000)
def _name_shaped(word: str) -> bool:
    return _NAME_TOKEN.match(word) is not None


def _particles_then_name(tokens, k: int) -> bool:
    """ "von der Leyen": particles followed by a capitalised name."""
    while k < len(tokens) and tokens[k][0] in PARTICLES:
        k += 1
    return k < len(tokens) and bool(_NAME_TOKEN.match(tokens[k][0]))


@lru_cache(maxsize=20_000)
def _clean_name(name: str) -> str:
    name = regex(r"['’]s?$").sub("", name.strip())
    name = regex(r"\s+(?:MP|PhD)$").sub("", name)
    name = regex(r"^(?:Hon\.?|Shri|Smt\.?|HE|H\.E\.|Dr\.?|Mr\.?|Ms\.?|Mrs\.?|Sir)\s+").sub("", name)
    return " ".join(name.split()).strip(" ,")


@lru_cache(maxsize=20_000)
def _valid_name(name: str) -> bool:
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


def _set_title(person: Person, title: str, text: str, after: int, countries, orgs) -> None:
    _, _, short, org_cues, country_cues, commentators = _vocab()
    t = " ".join(title.split())
    country = None
    # Country words at the start of the title ("PRC", "Taiwan's", "U.S.") belong to the side.
    words = t.split()
    while words:
        w = words[0].rstrip(",")
        base = w[:-2] if w.endswith(("’s", "'s")) else w
        hit = matchers.lookup_country(base)
        if hit and hit[0]:
            country = country or hit[0]
            words = words[1:]
            continue
        break
    t = " ".join(words)
    if t in short and short[t]:
        t = short[t]
    if t.rstrip(".") in ("Sens", "Sen", "Senators"):
        t = "Senator"
    t = regex(r"^(?:the\s+)?(?:Hon\.?|HE|H\.E\.|Honorable)\s+").sub("", t)
    t = regex(r"\s+(?:HE|H\.E\.|Hon\.?|the Honorable)$").sub("", t)
    person.title = t or None
    org = None
    from_cue = False  # org and country guessed from the title's words alone
    for rx, o, c in org_cues:
        if rx.search(t):
            if country and c and country != c:
                break  # "Thailand's Permanent Secretary of Energy" is not at the U.S. DOE
            org = o
            from_cue = country is None
            country = country or c
            break
    # An organization named in the title ("Bureau of Energy Resources Senior Bureau Official").
    if org is None:
        m = matchers.get().orgs.search(t)
        if m:
            org = matchers.lookup_org(m.group(0))
    # What follows the name: "of Japan", "of the ROK", "from the U.S. National Security Council".
    tail = text[after:after + 90]
    m = COUNTRY_SUFFIX.match(tail)
    if m:
        rest = tail[m.end():]
        om = matchers.get().orgs.match(rest)
        cm = matchers.get().countries.match(rest)
        if om:
            named = matchers.lookup_org(om.group(0))
            if from_cue and named and named != org:
                # "Deputy Trade Representative Yang Jen-ni of the Office of Trade
                # Negotiations": the office named beats the guess from the title.
                org, country = named, (lexicons.get().organizations.get(named) or {}).get("country")
            org = org or named
        elif cm:
            hit = matchers.lookup_country(cm.group(0))
            if hit and hit[0]:
                country = country or hit[0]
        else:
            g = regex(r"(?:the\s+)?((?:[A-Z][\w'’-]*\s+)*(?:Secretariat|Ministry|Council|Bureau|Office|Department|Agency|Commission)(?:\s+of\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)?)").match(rest)
            if g:
                named = regex(r"\s+of\s+(?:Japan|China|Korea|the\s.*)$").sub("", g.group(1))
                if from_cue:
                    org, country = None, None
                org = org or named
                cm2 = matchers.get().countries.search(g.group(1))
                if cm2:
                    hit = matchers.lookup_country(cm2.group(0))
                    if hit and hit[0]:
                        country = country or hit[0]
    if org:
        entry = lexicons.get().organizations.get(org) or {}
        country = country or entry.get("country")
    if country is None:
        party = regex(r"\s*\((?:D|R|I)-").match(tail)
        if party:
            country = "USA"
    if country is None:
        for rx, c in country_cues:
            if rx.search(t):
                country = c
                break
    if country is None:
        mentions = list(matchers.get().countries.finditer(t))
        cm = mentions[-1] if mentions else None
        if cm:
            hit = matchers.lookup_country(cm.group(0))
            if hit and hit[0]:
                country = hit[0]
    person.org = org
    person.country = country
    institution = regex(r"\b(?:University|Institute|Academy|Center|Centre|think tank|research)\b", re.I).search(title)
    # "Chief Executive and Secretary of Foreign Affairs and Trade" holds an office.
    in_office = _OFFICE.search(title) and not institution and not regex(r"\bformer\b", re.I).search(title)
    if (commentators.search(title) or institution) and not in_office:
        person.commentator = True


_OFFICE = re.compile(r"\b(?:Secretary|Minister|Ambassador|Representative|Commissioner|Governor|Premier)\b")


def _resolve_mentions(text: str, people: list[Person]) -> None:
    """Add later mentions by surname or given name alone ("Blinken", "Lago", "Wang")."""
    index: dict[str, list[Person]] = {}
    words_of: list[list[str]] = []
    for p in people:
        words_of.append([])
        for tok in regex(r"[A-ZÀ-Þ][\w'’-]+").findall(p.name):
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
_CAPITALISED = re.compile(r"[A-ZÀ-Þ](?<![\w-].)[\w'’-]*")


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
