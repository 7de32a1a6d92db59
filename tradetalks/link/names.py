"""Keys under which names are compared across documents: people whatever the order of
their names, accents, punctuation, honorifics and middle initials; mechanisms by their name
after the countries that lead it; and the stable slugs that become ids."""

from __future__ import annotations

import re
from functools import lru_cache

from tradetalks.extract import matchers
from tradetalks.extract.names import without_accents

_HONORIFICS = {
    "mr", "mrs", "ms", "miss", "dr", "sen", "sens", "senator", "rep", "reps", "gov", "amb", "hon",
    "honorable", "he", "jr", "sr", "ii", "iii", "iv", "prof", "sir", "dame", "h", "e",
}


def fold(text: str) -> str:
    """Lower case, accents and full stops removed ("U.S." is "us"), other punctuation to
    spaces, single spaces."""
    bare = without_accents(text.replace(".", ""))
    return " ".join(re.findall(r"[a-z0-9]+", bare.lower()))


@lru_cache(maxsize=8192)
def person_key(name: str) -> str:
    """'Kung Ming-hsin', 'Ming-hsin Kung' and 'KUNG, Ming-Hsin' share one key; so do
    'Joseph R. Biden, Jr.' and 'Joseph Biden'."""
    words = [w for w in fold(name).split() if len(w) > 1 and w not in _HONORIFICS]
    return " ".join(sorted(words))


def person_slug(name: str) -> str:
    """A person's id: the words of their name as written, without honorifics, initials or
    suffixes, so that every spelling of one name gives it ('Joseph R. Biden, Jr.' and
    'Joseph Biden' are joseph-biden), whichever a record saw first."""
    return slug(" ".join(w for w in fold(name).split() if len(w) > 1 and w not in _HONORIFICS) or name)


def slug(text: str, limit: int = 80) -> str:
    s = "-".join(fold(text).split())[:limit].strip("-")
    return s or "x"


_SPLIT = re.compile(r"([\s\-–—/]+)")


@lru_cache(maxsize=4096)
def mechanism_parts(name: str) -> tuple[str, list[str]]:
    """A mechanism's name without the countries it starts with, folded, and those
    countries: 'U.S.-Taiwan Initiative on 21st-Century Trade' -> ('initiative on 21st
    century trade', ['TWN', 'USA'])."""
    pieces = [p for p in _SPLIT.split(name.strip()) if p]
    i, codes = 0, set()
    while i < len(pieces):
        if _SPLIT.fullmatch(pieces[i]) or pieces[i].lower() in ("and", "the"):
            i += 1
            continue
        for j in range(min(len(pieces), i + 9), i, -1):
            hit = matchers.lookup_country("".join(pieces[i:j]).strip())
            if hit and hit[0]:
                codes.add(hit[0])
                i = j
                break
        else:
            break
    core = fold("".join(pieces[i:])) or fold(name)
    return core, sorted(codes)
