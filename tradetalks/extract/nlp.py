"""The NLP substrate: spaCy's blank English pipeline with its rule-based sentence splitter.

No model is downloaded; paragraph breaks always end a sentence.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer

MAX_CHARS = 2_000_000


@lru_cache(maxsize=1)
def pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.max_length = MAX_CHARS
    # The cleaned text has "\n" between lines and "\n\n" between paragraphs; spaCy makes
    # them tokens of their own, so a line break ends a sentence like a full stop.
    punct = list(Sentencizer.default_punct_chars) + ["\n", "\n\n", "\n\n\n"]
    nlp.add_pipe("sentencizer", config={"punct_chars": punct})
    return nlp


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, without surrounding white space."""
    if not text.strip():
        return []
    doc = pipeline()(text)
    spans = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return _merge_short(text, spans)


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
