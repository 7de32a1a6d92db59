"""People: officials with their titles ("PRC Vice Minister of Commerce Wang Shouwen",
"Wang Chao-Ming, vice-chairman of ...", "Sens. Tammy Duckworth (D-Ill.), Dan Sullivan
(R-Alaska) and Chris Coons"), their side and organization, and later mentions by surname
("Blinken", "Under Secretary Lago") resolved to the same person.

This module walks the text's tokens once; what a title is and says lives in ``titles``,
what a name is and the people found so far in ``names``, later mentions in
``later_mentions``."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from tradetalks import lexicons
from tradetalks.extract import matchers
from tradetalks.extract.actors import CountryMention, OrgMention
from tradetalks.extract.later_mentions import resolve_mentions
from tradetalks.extract.names import (
    NOT_NAME,
    PARTICLES,
    SURNAME_WORDS,
    UPPER,
    Known,
    Person,
    clean_name,
    compact,
    name_list,
    name_shaped,
    name_word,
    valid_name,
    without_accents,
)
from tradetalks.extract.titles import (
    ACRONYM_IN_PARENS,
    APPOSITIVE,
    CONNECTORS,
    CONNECTORS_COMMA,
    adjacent,
    appositive_heads,
    drop_headless_segments,
    is_head,
    plural_head,
    read_title,
    title_run,
    title_word,
    vocab,
)

__all__ = ["Person", "find_people"]


@lru_cache(maxsize=1)
def _token_pattern() -> re.Pattern[str]:
    heads = vocab()[0]
    single_heads = {h for h in heads if " " not in h}
    words = matchers.alternation(list(CONNECTORS | PARTICLES | {"from", "and"} | single_heads))
    # A lower-case modifier is a token only on its way to a title's head ("commerce secretary").
    modifiers = [m.lower() for m in lexicons.get().titles.get("lowercase_modifiers") or []]
    mods = matchers.alternation(modifiers)
    title_next = matchers.alternation(modifiers + list(single_heads))
    lowercase = rf"|(?<![\w-])(?:{mods})(?=\s+(?i:{title_next})s?\b)" if modifiers else ""
    return re.compile(rf"(?=[A-Za-z{UPPER[3:]},(])(?:Sens?|Reps?|Gov|Amb|Pres|Dr|Mr|Mrs|Ms|Jr|Sr|Hon|St|Gen)\.|[A-Z](?:\.[A-Z])*\.(?![a-z])|"
                      rf"[{UPPER}][\w'’-]*|(?<![\w-])(?:" + words + r")s?(?![\w-])" + lowercase + r"|,|\([^()\n]{1,40}\)")


lexicons.on_change(_token_pattern.cache_clear)

# A title is at most this many tokens ("Assistant United States Trade Representative for
# ..."): a longer run of title words is not read as one title, so that the work at each
# token of a run is bounded.
MAX_TITLE_TOKENS = 40
# A title's list of portfolios ("Minister for Production, Foreign Trade, Investment and
# Fisheries") is read for at most this many tokens.
MAX_PORTFOLIO = 16


def find_people(text: str, countries: list[CountryMention], orgs: list[OrgMention]) -> list[Person]:
    """The people `text` names, in the order first named, each with every mention."""
    scan = _Scan(text)
    scan.walk()
    scan.add_handles()
    resolve_mentions(text, scan.known.order)
    return scan.known.order


_CONNECTOR, _TITLE, _NAME, _SURNAME_WORD, _OTHER = range(5)
_SENTENCE_START = re.compile(r"(?:^|[.!?\n])\s*$")

Token = tuple[str, int, int]
Names = list[tuple[int, int, int, int]]  # (start, end, end of what the title reads after, next token)


class _Scan:
    """One walk through the tokens of a text, adding the people it names to `known`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.heads, self.modifiers, self.short, _, _, _ = vocab()
        self.appositive_heads = appositive_heads(self.heads)
        # Lower-case words matter only as connectors, particles or titles ("senator"); the
        # others are not tokens here (offsets keep them apart: see adjacent).
        self.tokens: list[Token] = [(m[0], *m.span()) for m in _token_pattern().finditer(text)]
        self.known = Known()
        self.handles: list[tuple[str, str | None, int, int, int]] = []
        # A run of title words ends at the same token wherever in it it starts (whether a
        # token continues a run depends only on it and its neighbours): the run is scanned
        # once, and what follows it (the names after it) is read once.
        self.run_end = -1  # the run of title words being walked through ends before this token
        self.run_last_head = -1  # its last head ("Secretary", "Mr.")
        self.run_kept = -1  # the run ends here without the connectors and commas at its end
        self.any_name: dict[int, bool] = {}  # whether a name starts at a token
        self.names_at: dict[tuple[int, bool], Names] = {}

    def walk(self) -> None:
        tokens, n = self.tokens, len(self.tokens)
        heads, modifiers, short = self.heads, self.modifiers, self.short
        kinds: dict[str, int] = {}  # what each word can start, found once per word (see _start_kind)
        i = 0
        while i < n:
            word = tokens[i][0]
            kind = kinds.get(word)
            if kind is None:
                kind = kinds[word] = _start_kind(word, heads, modifiers, short)
            if kind == _CONNECTOR:
                i += 1  # a connector ("of", "the") starts neither a title nor a name
                continue
            if kind == _OTHER or kind == _SURNAME_WORD and not name_word(tokens, i):
                i += 1
                continue
            i = self._read_at(i, word, kind == _TITLE)

    def _read_at(self, i: int, word: str, starts_title: bool) -> int:
        """Read a title then names, or a name then its title, at token i: the token to read next."""
        # A run of title words ending in a head, then a name.
        if not starts_title:
            j, has_head = i, False
        else:
            if i >= self.run_end:
                self.run_end, self.run_last_head, self.run_kept = title_run(self.text, self.tokens, i, self.heads, self.modifiers, self.short)
            j, has_head = self.run_end, self.run_last_head >= i
        if j > i and has_head:
            after = self._title_then_names(i, j, word)
            if after is not None:
                return after
        if j > i and not has_head and starts_title:
            return max(j, i + 1)  # no title in this run, nor in any run starting inside it
        # An appositive: Name, (a|the|former)? title of ...
        if name_word(self.tokens, i):
            after = self._name_then_title(i)
            if after is not None:
                return after
        return i + 1

    def _title_then_names(self, i: int, j: int, word: str) -> int | None:
        """The names after the title of tokens i to j, added with it; the token after them."""
        text, tokens, n = self.text, self.tokens, len(self.tokens)
        # A title before a name is capitalised ("Treasury Secretary"), or is its head alone
        # right before the name ("senator Lindsey Graham").
        cased = word[:1].isupper() or (j - i <= 2 and is_head(tokens[j - 1][0], self.heads))
        after_connector = i > 0 and tokens[i - 1][0].lower() in ("of", "from", "the") and adjacent(text, tokens[i - 1][2], tokens[i][1])
        if not cased or word.lower() in CONNECTORS or after_connector:
            return None
        k = j
        if k < n and (tokens[k][0] == "," or ACRONYM_IN_PARENS.match(tokens[k][0])):
            k += 1  # "Trade Representative (USTR) Robert Lighthizer"
            if k < n and not adjacent(text, tokens[k - 1][2], tokens[k][1]):
                return None  # "Advisor of the Federal Chancellor, met with ...": the title ended
        # Drop trailing connectors: "Secretary of State for" -> name follows.
        end = max(i, self.run_kept)
        names = self._names_at(k, i, end)
        if names and end < j and tokens[j - 1][0].lower() in CONNECTORS and " " not in text[names[0][0]:names[0][1]].strip():
            # "Minister for Production, Foreign Trade, Investment and Fisheries Julio Prado": the
            # words after "for" are what the title is for; the name ends the list.
            return self._portfolio_then_name(i, k) if j - i <= MAX_PORTFOLIO else None
        if not names or end - i > MAX_TITLE_TOKENS:
            return None
        title_words = drop_headless_segments(tokens[i:end], self.heads, self.short)
        while title_words and title_words[0][0].lower() in CONNECTORS_COMMA:
            title_words = title_words[1:]
        if not title_words or text[title_words[-1][2]:tokens[k][1]].count("\n") != 0:
            return None
        title = text[title_words[0][1]:title_words[-1][2]]
        title_span = (title_words[0][1], title_words[-1][2])
        for name_start, name_end, after, _ in names:
            self.add(text[name_start:name_end], title, name_start, name_end, after)
            last = self.known.match(clean_name(text[name_start:name_end]))
            if last is not None:
                last.title_spans.append(title_span)
        return max(names[-1][3], j)

    def _portfolio_then_name(self, i: int, k: int) -> int | None:
        """The name that ends a title's list of portfolios (tokens from k: capitalised words,
        commas and "and", each next to the one before), added with the whole title."""
        text, tokens = self.text, self.tokens
        last = k
        while last < min(len(tokens), k + MAX_PORTFOLIO) and (tokens[last][0] in (",", "and") or tokens[last][0][:1].isupper()) and (
                last == k or adjacent(text, tokens[last - 1][2], tokens[last][1]) or tokens[last][0] == "and"):
            last += 1
        for start in (last - 2, last - 3):
            names = name_list(tokens, start) if k < start else []
            if names and names[0][1] == tokens[last - 1][2] and tokens[start - 1][0] not in (",", "and"):
                ns, ne, after, nxt = names[0]
                title = text[tokens[i][1]:tokens[start - 1][2]]
                self.add(text[ns:ne], title, ns, ne, after)
                person = self.known.match(clean_name(text[ns:ne]))
                if person is not None:
                    person.title_spans.append((tokens[i][1], tokens[start - 1][2]))
                return nxt
        return None

    def _names_at(self, k: int, i: int, end: int) -> Names:
        """The names starting at token k after the title of tokens i to end: a list after a
        title in the plural ("Sens."), one name otherwise."""
        tokens = self.tokens
        if k not in self.any_name:
            single_names = name_list(tokens, k)
            self.any_name[k] = bool(single_names)
            self.names_at[(k, False)] = single_names  # what the look-up below asks for a single name
        if not self.any_name[k]:
            return []
        plural = any(plural_head(w, self.heads) for w, _, _ in tokens[max(i, end - 2):end])
        names = self.names_at.get((k, plural))
        if names is None:
            names = self.names_at[(k, plural)] = name_list(tokens, k, single=not plural)
        return names

    def _name_then_title(self, i: int) -> int | None:
        """A name at token i followed by its title ("Zhang Xiangchen, Chinese ambassador to
        the WTO"), added; the token after the comma."""
        text, tokens = self.text, self.tokens
        names = name_list(tokens, i)
        if not names:
            return None
        ns, ne, _, k = names[0]
        if " " not in text[ns:ne].strip() and _SENTENCE_START.search(text, max(0, ns - 3), ns):
            return None  # "Nevertheless, Japanese officials said": a sentence's first word is no surname
        if k < len(tokens) and tokens[k][0] == ",":
            m = APPOSITIVE.match(text, tokens[k][2])
            if m and is_head(m.group("head"), self.appositive_heads):
                self.add(text[ns:ne], m.group("title").strip(" ,"), ns, ne, m.end())
                last = self.known.match(clean_name(text[ns:ne]))
                if last is not None:
                    last.title_spans.append((m.start("title"), m.end("title")))
                return k + 1
        return None

    def add(self, name: str, title: str | None, start: int, end: int, after: int, handle: bool = False) -> None:
        text, known = self.text, self.known
        if not handle and start > 0 and text[start - 1] == "@":
            # A social-media handle quoted from a post ("@HowardLutnick"): a mention of the
            # person the text names in full, or of nobody.
            self.handles.append((name, title, start, end, after))
            return
        if name.endswith(("'s", "’s")):
            end -= 2  # the span is the name, without the possessive
        name = clean_name(name)
        if not name or not valid_name(name):
            return
        person = known.match(name)
        if person is None:
            person = known.new(name)
        elif len(name) > len(person.name):
            known.rename(person, name)
        person.spans.append((start, end))
        if title and not person.title:
            office = read_title(title, text, after)
            person.title, person.org, person.country = office.title, office.org, office.country
            if office.commentator:
                person.commentator = True

    def add_handles(self) -> None:
        """The handles quoted ("@HowardLutnick"), as mentions of the people named in full."""
        known, order = self.known, self.known.order
        by_compact: dict[str, Person] = {}
        version = (-1, -1)
        for handle, title, start, end, after in self.handles:
            if version != (known.renamed, len(order)):
                by_compact, version = {}, (known.renamed, len(order))
                for p in order:
                    by_compact.setdefault(compact(p.name), p)
            named = by_compact.get(compact(handle))
            if named is not None:
                self.add(named.name, title, start, end, after, handle=True)


def _start_kind(word: str, heads: frozenset[str], modifiers: frozenset[str], short: dict[str, str | None]) -> int:
    """What a token can start in find_people: nothing (a connector), a title, a name (as
    name_word says, which for a word of SURNAME_WORDS depends on the next token), or
    nothing else."""
    if word in CONNECTORS:
        return _CONNECTOR
    if word in short or title_word(word, heads, modifiers):
        return _TITLE
    if not name_shaped(word):
        return _OTHER
    if word not in NOT_NAME:
        return _NAME
    return _SURNAME_WORD if word in SURNAME_WORDS else _OTHER


_ORG_REACH = 80  # how far before a title an organization's name may start


def fill_from_orgs(persons: list[Person], orgs: list[OrgMention]) -> None:
    """What a person's title says through an organization: the organization named inside
    the title when none was found ("spokesperson of the Ministry of Commerce": the last
    of them in `orgs`), and the side of the person's organization when none was found."""
    org_country = {o.name: o.country for o in orgs if o.country}
    by_start = sorted(orgs, key=lambda o: o.start)
    org_starts = [o.start for o in by_start]
    order = {id(o): i for i, o in enumerate(orgs)}
    for p in persons:
        if p.org is None:
            # inside the title, or ending in it ("External Affairs Ministry spokesperson", where
            # the title read is "Affairs Ministry spokesperson")
            inside = [o for s, e in p.title_spans for o in by_start[bisect_left(org_starts, s - _ORG_REACH):bisect_left(org_starts, e)]
                      if not o.media and o.end > s]
            if inside:
                p.org = max(inside, key=lambda o: order[id(o)]).name
        if p.country is None and p.org in org_country:
            p.country = org_country[p.org]


def fill_from_holders(persons: list[Person]) -> None:
    """The side of an office holder whose title gives none ("President Donald J. Trump"),
    from the lexicon's table of holders (titles.yaml `holders`)."""
    holders = _holders()
    for p in persons:
        if p.country is None:
            p.country = holders.get(holder_key(p.name))


@lru_cache(maxsize=1)
def _holders() -> dict[tuple[str, ...], str]:
    table = lexicons.get().titles.get("holders") or {}
    return {holder_key(name): code for name, code in table.items()}


lexicons.on_change(_holders.cache_clear)


def holder_key(name: str) -> tuple[str, ...]:
    """The first and last words of a name, folded, without initials, particles and "Jr."
    ("Joseph R. Biden, Jr." -> ("joseph", "biden"); "Ursula von der Leyen" -> ("ursula", "leyen"))."""
    bare = without_accents(name.replace(".", " "))
    words = [w for w in _KEY_WORD.findall(bare.lower()) if len(w) > 1 and w not in _NOT_KEY]
    return tuple(words[:1] + words[-1:]) if len(words) > 1 else tuple(words)


_KEY_WORD = re.compile(r"[a-z0-9]+")
_NOT_KEY = frozenset({"jr", "sr", "von", "der", "van", "de", "la", "del", "da", "dos", "bin"})

