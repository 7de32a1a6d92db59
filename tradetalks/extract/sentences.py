"""Sentences: spaCy's rule-based sentence splitting, run directly on the text.

spaCy's `Sentencizer` starts a sentence at the first word after a sentence-ending mark,
and spaCy's English tokenizer decides which full stops are marks of their own: not the
one of an abbreviation it knows ("U.S.", "Mr.", "Jan.", "Corp.") or of an initial ("J."),
but the one in "talks.The". This module applies the same rules, with spaCy's own lists of
marks and abbreviations, as one pattern over the text: building spaCy tokens only to read
them back as sentences cost more than all the recognizers. Line breaks always end a
sentence; no model is downloaded.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.en import English
from spacy.pipeline import Sentencizer

from tradetalks.regex import regex

# Marks that open a word (left off it to see whether it is an abbreviation) and that close
# a sentence after its full stop (quotes, brackets, Markdown emphasis).
_OPEN = "\"'“‘«‹([{¿¡*`„‚_"
_CLOSE = "\"'”’»›)\\]}*`_"


@lru_cache(maxsize=1)
def _boundary() -> re.Pattern[str]:
    """Where a sentence may end: a line break; marks that end a sentence, with the closing
    marks after them, at the end of a word; a stop between a word and the capital of the
    next ("talks.The"). The pattern starts with the set of characters a boundary starts
    with, so that the regex engine skips ahead to them."""
    marks = "".join(sorted(c for c in Sentencizer.default_punct_chars if len(c) == 1))
    m, close = re.escape(marks), re.escape(_CLOSE)
    return re.compile(
        rf"[\n{m}](?:(?P<line>(?<=\n))|[{m}]*(?P<end>[{close}]*)(?=\s|$)"
        rf"|(?P<inner>(?<=[a-z\"'”’][.!?]))(?=[A-Z\"'“‘]))"
    )


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(k for k in English.Defaults.tokenizer_exceptions if k.endswith("."))


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, without surrounding white space."""
    if not text.strip():
        return []
    return _cap(text, _merge_short(text, _spans(text, _cuts(text))))


def _cuts(text: str) -> list[int]:
    """Where sentences may start and end: 0, every boundary that ends a sentence, len(text)."""
    cuts = [0]
    words = _Words(text)
    # The state of `words` (see _Words._move), kept in local names in this loop: it runs at
    # every full stop of the text.
    seen, space, blank = words.seen, words.space, words.blank
    ends: dict[str, bool] = {}  # a word ending in a full stop -> whether the stop ends a sentence
    long_ends: dict[str, bool] = {}  # the same for words longer than _SHORT_WORD, by their ends
    lead_of, lead = -2, -1  # the start - 1 of the last long word, where its opening marks end
    for m in _boundary().finditer(text):
        kind = m.lastgroup
        if kind == "end":
            at = m.start()
            stop = text[at:m.start("end")]
            if stop != ".":
                if stop.strip(".") == "":
                    continue  # an ellipsis (as _ends says)
            else:
                if at > seen:  # words._move(at)
                    found = text.rfind(" ", seen, at)
                    line = text.rfind("\n", seen, at)
                    if found >= 0:
                        space = found
                    blank = max(blank, found, line)
                    seen = at
                if at - blank <= _SHORT_WORD:
                    word = text[blank + 1:at + 1]  # from words.start(at)
                    verdict = ends.get(word)
                    if verdict is None:
                        verdict = ends[word] = _word_ends(word)
                else:
                    # A long word is not copied out of the text to be judged: a run of
                    # stops without a space ("a.\ra.\ra.\r...") would copy ever longer
                    # words, which is quadratic. Its opening marks are skipped once for
                    # all the stops in it, and only its end decides (see _long_word_ends).
                    if lead_of != blank:
                        lead_of, lead = blank, blank + 1
                    while lead <= at and text[lead] in _OPEN:
                        lead += 1
                    if at + 1 - lead <= _SHORT_WORD:
                        verdict = _word_ends(text[lead:at + 1])
                    else:
                        tail = text[at - _tail():at + 1]
                        verdict = long_ends.get(tail)
                        if verdict is None:
                            verdict = long_ends[tail] = _long_word_ends(tail)
                if not verdict:
                    continue
        elif kind == "inner":
            words.seen, words.space, words.blank = seen, space, blank
            inside = words.in_address(m.start())
            seen, space, blank = words.seen, words.space, words.blank
            if inside:
                continue
        cuts.append(m.end())
    cuts.append(len(text))
    return cuts


def _spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    """The pieces between the cuts, without their white space; blank ones left out."""
    spans = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            start += len(piece) - len(piece.lstrip())
            spans.append((start, start + len(stripped)))
    return spans


# The longest sentence read as one (the longest in the corpus of news is 1,726 characters,
# a table): what is done per sentence compares its event words, dates and names with each
# other, so a text without sentence ends (crafted, or a list run together) is cut into
# pieces of this size, at a clause or a word where it can be.
MAX_SENTENCE = 2000


def _cap(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if all(e - s <= MAX_SENTENCE for s, e in spans):
        return spans
    out = []
    for start, end in spans:
        while end - start > MAX_SENTENCE:
            lo, hi = start + MAX_SENTENCE // 2, start + MAX_SENTENCE
            cut = max(text.rfind("; ", lo, hi), text.rfind(", ", lo, hi)) + 1
            if cut <= 0:
                cut = max(text.rfind(" ", lo, hi), text.rfind("\t", lo, hi))
            if cut <= 0:
                cut = hi
            piece = text[start:cut].rstrip()
            out.append((start, start + len(piece)))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if end > start:
            out.append((start, end))
    return out


class _Words:
    """Where the word around a position starts and ends, for positions asked in increasing
    order: the text between two positions is searched once, however long a word is."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen = 0  # searched up to here
        self.space = -1  # the last " " before `seen`
        self.blank = -1  # the last " " or line break before `seen`
        self.next_space = -1  # the first " " at or after the last position asked (or -1: none)
        self.address: tuple[int, int, bool] | None = None

    def _move(self, at: int) -> None:
        if at > self.seen:
            space = self.text.rfind(" ", self.seen, at)
            line = self.text.rfind("\n", self.seen, at)
            if space >= 0:
                self.space = space
            self.blank = max(self.blank, space, line)
            self.seen = at

    def start(self, at: int) -> int:
        """Where the word ending at `at` starts, after a space or a line break."""
        self._move(at)
        return self.blank + 1

    def in_address(self, at: int) -> bool:
        """Whether the full stop at `at` is inside a web or mail address ("www.YouTube.com")."""
        self._move(at)
        start = self.space + 1
        if self.next_space < at and self.next_space != -2:
            found = self.text.find(" ", at)
            self.next_space = found if found >= 0 else -2
        end = self.next_space if self.next_space >= 0 else len(self.text)
        if self.address is None or self.address[:2] != (start, end):
            hit = bool(regex(r"www|//|@|\.(?:com|org|gov|net|int|edu)\b").search(self.text, start, end))
            self.address = (start, end, hit)
        return self.address[2]


def _ends(text: str, at: int, stop: str, words: _Words | None = None) -> bool:
    """Whether the marks `stop` at `at` end a sentence, as spaCy tokenizes them: an
    ellipsis ("...") does not, nor the full stop of an abbreviation or an initial."""
    if stop != ".":
        return stop.strip(".") != ""
    word_start = words.start(at) if words is not None else max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
    return _word_ends(text[word_start:at + 1])


# A word longer than this (from the space or line break before it) is judged by its end.
_SHORT_WORD = 64


@lru_cache(maxsize=1)
def _tail() -> int:
    """How many characters before its full stop decide for a long word: more than any
    abbreviation has."""
    return max((len(a) for a in _abbreviations()), default=0) + 1


def _long_word_ends(tail: str) -> bool:
    """_word_ends(word) for a word longer than _SHORT_WORD (without its opening marks) that
    ends with `tail`, the full stop and the _tail() characters before it. The word is longer
    than any abbreviation, and the part after its last hyphen is one only when that
    hyphen is in `tail`."""
    if "-" in tail and tail.rpartition("-")[2] in _abbreviations():
        return False
    return not tail[-2].isupper() or tail[-3].isupper()


def _word_ends(word: str) -> bool:
    """Whether the full stop that ends `word` (from after a space or a line break) ends a
    sentence."""
    word = word.lstrip(_OPEN)
    if len(word) < 2:
        return False
    abbreviations = _abbreviations()
    if word in abbreviations or word.rpartition("-")[2] in abbreviations:
        return False  # "U.S.", "(D-Ill.)"
    # spaCy's English suffix rule: a full stop leaves a word after a lower-case letter, a
    # digit or a mark, or after two capitals ("USA."), but not after one ("J.").
    return not word[-2].isupper() or len(word) > 2 and word[-3].isupper()


def _merge_short(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Re-join splits after abbreviations the sentencizer takes for sentence ends
    ("Sens. Tammy Duckworth", "Oct. 5", "U.S. Trade Representative")."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            prev_start, prev_end = out[-1]
            gap = text[prev_end:start]
            tail = text[max(prev_start, prev_end - 6):prev_end]
            if "\n" not in gap and (
                tail.endswith(("Sens.", "Sen.", "Rep.", "Reps.", "Mr.", "Ms.", "Mrs.", "Dr.", "Gov.",
                               "Amb.", "St.", "No.", "Jan.", "Feb.", "Aug.", "Sept.", "Sep.",
                               "Oct.", "Nov.", "Dec.", "Lt.", "Gen.", "Col.", "vs.", "e.g.", "i.e."))
                and text[start:start + 1].isupper() or text[start:start + 1].islower()
                or tail.endswith(("No.", "Nos.")) and text[start:start + 1].isdigit()  # "State Council No. 4 of 2025"
            ):
                out[-1] = (prev_start, end)
                continue
        out.append((start, end))
    return out
