"""Official titles: the words of a title before a name ("PRC Vice Minister of Commerce")
or after it ("Wang Chao-Ming, vice-chairman of ..."), and what a title and the words after
the name say of the holder's office, organization and side."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tradetalks import lexicons
from tradetalks.extract import matchers
from tradetalks.regex import regex

CONNECTORS = {"of", "for", "to", "the", "and", "&", "on", "in"}
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
CONNECTORS_COMMA = CONNECTORS | {","}
COUNTRY_SUFFIX = re.compile(r"\s*(?:,\s*)?(?:of|from)\s+(?:the\s+)?", re.I)


@lru_cache(maxsize=1)
def vocab() -> tuple[frozenset[str], frozenset[str], dict[str, str | None], list[tuple[re.Pattern[str], str | None, str | None]], list[tuple[re.Pattern[str], str]], re.Pattern[str]]:
    lex = lexicons.get()
    t = lex.titles
    heads = frozenset(h.lower() for h in t["heads"]) | {"vice-premier", "vice-minister", "vice-president", "vice-chairman", "director-general", "prime minister", "pm", "senators", "sens", "secretaries", "ministers", "directors", "representatives"}
    modifiers = frozenset(m.lower() for m in t["modifiers"])
    short = {k: v for k, v in (t.get("short") or {}).items()}
    orgs = [(re.compile(p, re.I), v[0], v[1]) for p, v in (t.get("orgs") or {}).items()]
    countries = [(re.compile(p, re.I), c) for p, c in (t.get("countries") or {}).items()]
    commentators = re.compile(r"\b(?:" + "|".join(t.get("commentators") or ["former"]) + r")\b", re.I)
    return heads, modifiers, short, orgs, countries, commentators


@lru_cache(maxsize=50_000)
def is_head(word: str, heads: frozenset[str]) -> bool:
    w = word.lower().rstrip(".")
    return w in heads or (w.endswith("s") and w[:-1] in heads) or w.rstrip("s") in heads


@lru_cache(maxsize=50_000)
def title_word(word: str, heads, modifiers) -> bool:
    w = word.rstrip(".,")
    return (
        is_head(w, heads) or w.lower() in modifiers or w in PORTFOLIO or w.lower() in CONNECTORS
        or matchers.lookup_country(w) is not None or matchers.lookup_org(w) is not None
        or w in ("U.S.", "US", "PRC", "ROK", "EU", "UK", "PM", "Hon", "HE", "H.E.")
        or w.endswith(("’s", "'s")) and matchers.lookup_country(w[:-2]) is not None
    )


@lru_cache(maxsize=1)
def appositive_heads(heads: frozenset[str]) -> frozenset[str]:
    """The heads of a title after a name ("Zhang Xiangchen, Chinese ambassador"), which
    may also be a commentator's ("researcher"): one set, hashed once, for `is_head`'s cache."""
    return heads | {"researcher", "analyst", "professor", "economist", "adviser", "advisor"}


lexicons.on_change(vocab.cache_clear)
lexicons.on_change(is_head.cache_clear)
lexicons.on_change(title_word.cache_clear)
lexicons.on_change(appositive_heads.cache_clear)


def title_run(text: str, tokens, i: int, heads, modifiers, short) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """The run of title words starting at token i: the token after it, its last head (-1
    when it has none), and where it ends without the connectors and commas at its end."""
    n = len(tokens)
    j = i
    last_head = -1
    while j < n:
        tok = tokens[j]
        w = tok[0]
        if not (title_word(w, heads, modifiers) or w in short or (w == "," and j > i)):
            break
        if j > i and not adjacent(text, tokens[j - 1][2], tok[1]):
            break
        if w == "," and (j + 1 >= n or not title_word(tokens[j + 1][0], heads, modifiers)):
            break
        if w in short or is_head(w.rstrip(".,"), heads):
            last_head = j
        j += 1
    kept = j
    while kept > i and tokens[kept - 1][0].lower() in CONNECTORS_COMMA:
        kept -= 1
    return j, last_head, kept


ACRONYM_IN_PARENS = re.compile(r"^\([A-Z][A-Za-z.&]{1,9}\)$")
APPOSITIVE = re.compile(
    # "Zhang Xiangchen, Chinese ambassador to the WTO, said": up to three words (a country's
    # adjective, an organization) before the head.
    r"\s*(?:a\s+|an\s+|the\s+)?(?P<title>(?:[A-Z][\w.'’-]*\s+){0,3}?(?:former\s+|then[- ]|senior\s+|deputy\s+|vice[- ]|chief\s+|acting\s+|special\s+|assistant\s+|US\s+|U\.S\.\s+){0,8}"
    r"(?P<head>[A-Za-z-]+)(?:\s+(?:of|for|at|to)\s+[^,;.()]{2,120}?)?)(?=\s*(?:,|;|\.|\)|$|\s+said|\s+told|\s+says))",
    re.I,
)


def drop_headless_segments(words, heads, short):
    """ "United States, Cabinet Councillor" -> "Cabinet Councillor": a leading part of a
    run, cut off by a comma, with no title head in it is the end of something else."""
    while True:
        comma = next((k for k, w in enumerate(words) if w[0] == ","), None)
        if comma is None:
            return words
        seg = words[:comma]
        if any(is_head(w.rstrip(".,"), heads) or w in short for w, _, _ in seg):
            return words
        words = words[comma + 1:]


def adjacent(text: str, end: int, start: int) -> bool:
    gap = text[end:start]
    return len(gap) <= 3 and gap.strip(" ,") == ""


_PLURAL_TITLES = ("Sens", "Reps", "Senators", "Directors", "Ministers", "Secretaries")


def plural_head(w: str, heads) -> bool:  # type: ignore[no-untyped-def]
    """A title head in the plural ("Ministers", "Sens."): the names that follow are a list."""
    bare = w.rstrip(".")
    if bare in _PLURAL_TITLES:
        return True
    return w.endswith(("s", "s.")) and is_head(w.rstrip("s."), heads)


@dataclass
class Office:
    """What a title says of its holder."""

    title: str | None
    org: str | None
    country: str | None
    commentator: bool  # a researcher or a former official: no side's voice


def read_title(title: str, text: str, after: int) -> Office:
    """The office of a title given to a name that ends at `after` in `text`."""
    _, _, short, _, _, commentators = vocab()
    country, t = _leading_country(" ".join(title.split()))
    t = _plain_title(t, short)
    org, country, from_cue = _org_of_title(t, country)
    # What follows the name: "of Japan", "of the ROK", "from the U.S. National Security Council".
    tail = text[after:after + 90]
    org, country = _org_after_name(tail, org, country, from_cue)
    if org:
        entry = lexicons.get().organizations.get(org) or {}
        country = country or entry.get("country")
    if country is None:
        country = _side_of_title(t, tail)
    return Office(t or None, org, country, _commentator(title, commentators))


def _leading_country(t: str) -> tuple[str | None, str]:
    """Country words at the start of the title ("PRC", "Taiwan's", "U.S.") belong to the
    side: the side, and the title without them."""
    country = None
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
    return country, " ".join(words)


def _plain_title(t: str, short: dict[str, str | None]) -> str:
    """A short form spelled out, "Sens." as "Senator", without honorifics."""
    full = short.get(t)
    if full:
        t = full
    if t.rstrip(".") in ("Sens", "Sen", "Senators"):
        t = "Senator"
    t = regex(r"^(?:the\s+)?(?:Hon\.?|HE|H\.E\.|Honorable)\s+").sub("", t)
    return regex(r"\s+(?:HE|H\.E\.|Hon\.?|the Honorable)$").sub("", t)


def _org_of_title(t: str, country: str | None) -> tuple[str | None, str | None, bool]:
    """The organization a title names or implies, the side, and whether both were guessed
    from the title's words alone."""
    org = None
    from_cue = False
    for rx, o, c in vocab()[3]:
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
    return org, country, from_cue


def _org_after_name(tail: str, org: str | None, country: str | None, from_cue: bool) -> tuple[str | None, str | None]:
    """The organization and side with what follows the name ("of the Office of Trade
    Negotiations", "of Japan") taken into account."""
    m = COUNTRY_SUFFIX.match(tail)
    if not m:
        return org, country
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
    return org, country


def _side_of_title(t: str, tail: str) -> str | None:
    """The side of a title with no organization's: a party and state after the name, a
    country cue of the title, or the last country it names."""
    party = regex(r"\s*\((?:D|R|I)-").match(tail)
    if party:
        return "USA"
    for rx, c in vocab()[4]:
        if rx.search(t):
            return c
    # ... but not the country one is posted to ("Ambassador to Germany" is not German).
    mentions = [m for m in matchers.get().countries.finditer(t) if not _POSTED_TO.search(t, 0, m.start())]
    cm = mentions[-1] if mentions else None
    if cm:
        hit = matchers.lookup_country(cm.group(0))
        if hit and hit[0]:
            return hit[0]
    return None


_POSTED_TO = re.compile(r"\bto\s+(?:the\s+)?$")


def _commentator(title: str, commentators: re.Pattern[str]) -> bool:
    institution = regex(r"\b(?:University|Institute|Academy|Center|Centre|think tank|research)\b", re.I).search(title)
    # "Chief Executive and Secretary of Foreign Affairs and Trade" holds an office.
    in_office = _OFFICE.search(title) and not institution and not regex(r"\bformer\b", re.I).search(title)
    return bool((commentators.search(title) or institution) and not in_office)


_OFFICE = re.compile(r"\b(?:Secretary|Minister|Ambassador|Representative|Commissioner|Governor|Premier)\b")
