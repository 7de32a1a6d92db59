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
    cuts = [0]
    for m in _boundary().finditer(text):
        kind = m.lastgroup
        if kind == "end" and not _ends(text, m.start(), text[m.start():m.start("end")]):
            continue
        if kind == "inner" and _in_address(text, m.start()):
            continue
        cuts.append(m.end())
    cuts.append(len(text))
    spans = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            start += len(piece) - len(piece.lstrip())
            spans.append((start, start + len(stripped)))
    return _merge_short(text, spans)


def _ends(text: str, at: int, stop: str) -> bool:
    """Whether the marks `stop` at `at` end a sentence, as spaCy tokenizes them: an
    ellipsis ("...") does not, nor the full stop of an abbreviation or an initial."""
    if stop != ".":
        return stop.strip(".") != ""
    word_start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
    word = text[word_start:at + 1].lstrip(_OPEN)
    if len(word) < 2:
        return False
    abbreviations = _abbreviations()
    if word in abbreviations or word.rpartition("-")[2] in abbreviations:
        return False  # "U.S.", "(D-Ill.)"
    # spaCy's English suffix rule: a full stop leaves a word after a lower-case letter, a
    # digit or a mark, or after two capitals ("USA."), but not after one ("J.").
    return not word[-2].isupper() or len(word) > 2 and word[-3].isupper()


def _in_address(text: str, at: int) -> bool:
    """Whether the full stop at `at` is inside a web or mail address ("www.YouTube.com")."""
    start = text.rfind(" ", 0, at) + 1
    end = text.find(" ", at)
    return bool(regex(r"www|//|@|\.(?:com|org|gov|net|int|edu)\b").search(text, start, end if end >= 0 else len(text)))


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
            ):
                out[-1] = (prev_start, end)
                continue
        out.append((start, end))
    return out
