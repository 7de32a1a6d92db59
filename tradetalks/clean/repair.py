"""Repair scraped text: markup, hover cards, hard wraps and white space; the paragraphs
that are page furniture are chosen in `boilerplate`.

A paragraph is what the page gives as one (a blank-line-separated block, or the lines of a
hard-wrapped block joined): cleaning keeps it whole or removes it whole, never a part.
"""

from __future__ import annotations

import bisect
import html as htmllib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from tradetalks.clean import boilerplate
from tradetalks.clean.boilerplate import Removal
from tradetalks.regex import regex

_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_ODD_SPACE = re.compile(r"[\u00a0\u2000-\u200d\u202f\u205f\u3000\t\u2060\ufeff\u00ad]")
_ESCAPES = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>\"'$&%^=@:;,/?])")
# Patterns are bounded ({0,n} rather than * where a run of text could follow) so that none
# can backtrack across a long run: cleaning's work grows with the text, never faster.
_IMAGE = re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\n]{0,2000}\)")
# A link's text may be wrapped onto a second line ("[Secretary of the Treasury Scott\nBessent](url)").
_LINK = re.compile(r"\[([^\[\]\n]{0,500}(?:\n[^\[\]\n]{1,500})?)\]\((?:[^()\s]|\([^()\s]{0,500}\)){0,2000}(?:[ \t]{1,20}\"[^\"\n]{0,500}\")?\)")
_REF_LINK = re.compile(r"\[([^\[\]\n]{1,500})\]\[[^\[\]\n]{0,200}\]")
_AUTOLINK = re.compile(r"<(https?://[^<>\s]{1,2000})>")
# Bold runs to the next "**" (or "__") at most: its text holds no "*" ("_"), so a search
# never runs past the next marker.
_EMPHASIS = re.compile(r"\*\*(?=\S)([^*]{1,300}?)(?<=\S)\*\*|__(?=\S)([^_]{1,300}?)(?<=\S)__|"
                       r"(?<![\w*])\*(?=\S)([^*\n]{1,300}?)(?<=\S)\*(?![\w*])")
_BLANK_LINE = re.compile(r"\n[ \t]{0,20}\n")
_TAGS = re.compile(r"</?(?:p|div|span|br|em|strong|b|i|a|u|sup|sub|small|font)\b[^<>]{0,2000}>", re.I)
_JS = re.compile(r"\bvar[ \t]{1,20}\w{1,100}[ \t]{0,20}=[ \t]{0,20}(?:\{[^{}]{0,5000}\}|[^;\n]{0,200});?")
_HEADING_MARK = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)

# "Antony BlinkenAntony BlinkenKim says ... MORE": a name, then a hover card that repeats it.
_JOIN = re.compile(r"(?<=[a-z])(?=[A-Z])")

_BULLET = boilerplate.BULLET
_TERMINAL = boilerplate.TERMINAL

# A space slipped in before a possessive by a scraper ("India ’s Commerce Minister").
_LOOSE_POSSESSIVE = re.compile(r"(?<=[A-Za-z]) (?=[’']s\b)")


def normalize_spaces(text: str) -> str:
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _ODD_SPACE.search(text):
        text = _SPACES.sub(" ", _ZERO_WIDTH.sub("", text))
    if " ’s" in text or " 's" in text:
        text = _LOOSE_POSSESSIVE.sub("", text)
    return text


def strip_markup(text: str) -> str:
    """Markdown and stray HTML markup to plain text (each rule runs only when its
    characters are there)."""
    if "<!--" in text:
        text = cut_between(text, "<!--", "-->")
    if "{%" in text:
        text = cut_between(text, "{%", "%}")
    if "{{" in text:
        text = cut_between(text, "{{", "}}")
    if "\\" in text:
        text = _ESCAPES.sub(r"\1", text)
    if "](" in text or "][" in text:
        text = _IMAGE.sub("", text)
        for _ in range(2):  # links inside links
            text = _LINK.sub(r"\1", text)
        text = _REF_LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        text = _TAGS.sub("", text)
    if "*" in text or "__" in text:
        text = _EMPHASIS.sub(_unemphasize, text)
    if "#" in text:
        text = _HEADING_MARK.sub("", text)
    if "&" in text:
        text = htmllib.unescape(text)
    return text


def cut_between(text: str, opening: str, closing: str) -> str:
    """Remove every span from `opening` to the next `closing` (an unclosed one stays), in
    one pass."""
    out: list[str] = []
    pos = 0
    while True:
        start = text.find(opening, pos)
        end = text.find(closing, start + len(opening)) if start >= 0 else -1
        if end < 0:
            break
        out.append(text[pos:start])
        pos = end + len(closing)
    out.append(text[pos:])
    return "".join(out)


def _unemphasize(m: re.Match[str]) -> str:
    inner = m.group(1) or m.group(2) or m.group(3) or ""
    return m.group(0) if _BLANK_LINE.search(inner) else inner  # never across paragraphs


def strip_hover_cards(text: str, removed: list[Removal] | None = None) -> str:
    """Drop hover-card debris: `Name SurnameName SurnameHeadline ... MORE` -> `Name Surname`.

    A card starts where a surname runs into a capital letter with no space, repeats that
    surname, and ends at the next "MORE"."""
    if "MORE" not in text:
        return text
    mores = [m.start() for m in regex(r"\sMORE\b").finditer(text)]
    out: list[str] = []
    pos = 0
    for m in _JOIN.finditer(text):
        k = bisect.bisect_left(mores, m.start())
        if m.start() < pos or k == len(mores) or mores[k] - m.start() > 800:
            continue  # no "MORE" within reach: no card here
        surname = regex(r"([A-Z][\w'’-]{2,})$").search(text[max(0, m.start() - 40):m.start()])
        end = regex(r"\sMORE\b").search(text[m.start():m.start() + 800])
        if not surname or not end or "\n" in text[m.start():m.start() + end.start()]:
            continue
        card = text[m.start():m.start() + end.start()]
        if regex(re.escape(surname.group(1)) + r"[A-Z]").search(card):
            out.append(text[pos:m.start()])
            pos = m.start() + end.end()
            if removed is not None:
                removed.append(Removal("hover_card", text[m.start():pos].strip()))
    out.append(text[pos:])
    return "".join(out)


_GLUE_WORDS = {"the", "of", "and", "to", "a", "an", "in", "for", "with", "by", "on", "at", "from", "as",
               "or", "that", "which", "who", "its", "their", "our", "his", "her", "is", "are", "was", "were"}


def wrap_width(blocks: list[list[str]]) -> int | None:
    """The column at which the text is hard-wrapped, or None when it is not: most lines
    that another line follows in the same paragraph end near one width."""
    inner = sorted(len(ln) for lines in blocks for ln in lines[:-1])
    if len(inner) < 8:
        return None
    width = inner[int(len(inner) * 0.8)]
    near = sum(1 for n in inner if n >= width * 0.8)
    return width if width >= 40 and near >= len(inner) * 0.6 else None


def join_hard_wraps(text: str) -> str:
    """Join the lines of a hard-wrapped text where the next word would not have fitted on
    the line, before markup is removed (markup changes the lengths of lines)."""
    lines = text.split("\n")
    width = wrap_width([[a, b] for a, b in zip(lines, lines[1:], strict=False) if a.strip() and b.strip()])
    if width is None:
        return text
    out = [lines[0]]
    for prev, ln in zip(lines, lines[1:], strict=False):
        joined = prev.strip() and ln.strip() and not _BULLET.match(ln) and _fills(prev, ln, width)
        out.append(" " if joined else "\n")
        out.append(ln.lstrip() if joined else ln)
    return "".join(out)


def block_lines(block: str) -> list[str]:
    return [ln.rstrip() for ln in block.split("\n") if ln.strip()]


def unwrap(block: str | list[str], width: int | None = None) -> list[str]:
    """The paragraphs of one blank-line-separated block: its lines, re-joined where a line
    break falls inside a sentence or the block is hard-wrapped at `width` columns. A line
    that continues a sentence is always joined, so that no rule can later take part of it."""
    lines = block_lines(block) if isinstance(block, str) else block
    if len(lines) < 2:
        return [ln.strip() for ln in lines]
    own = None if width else _block_width(lines)
    breaks = [_glues(a, b) or _fills(a, b, width) or (own is not None and not _TERMINAL.search(a) and _fills(a, b, own))
              for a, b in zip(lines, lines[1:], strict=False)]
    wrapped = sum(breaks) / len(breaks) >= 0.3
    items: list[list[str]] = [[lines[0].strip()]]  # each paragraph's lines, joined at the end
    for prev, ln, broken in zip(lines, lines[1:], breaks, strict=False):
        if _BULLET.match(ln):
            items.append([ln.strip()])
        elif broken or _continues(prev, ln) or (wrapped and not _standalone(ln) and not _standalone(items[-1][0])):
            items[-1].append(ln.strip())
        else:
            items.append([ln.strip()])
    return [" ".join(parts) for parts in items]


def _block_width(lines: list[str]) -> int | None:
    """The wrap width of one block of a text too short to show its own: the lines before
    the last are all of about one length, between 40 and 100 characters."""
    inner = [len(ln) for ln in lines[:-1]]
    if len(inner) < 2:
        return None
    width = max(inner)
    return width if 40 <= width <= 100 and min(inner) >= 0.75 * width else None


@lru_cache(maxsize=1024)  # a line is asked about as itself, as the one before and in _continues
def _standalone(line: str) -> bool:
    return boilerplate.standalone(line.strip())


def _glues(prev: str, line: str) -> bool:
    """Does the break between two lines fall inside a sentence?"""
    first = line.lstrip()[:1]
    last_word = prev.rstrip().rsplit(" ", 1)[-1].lower()
    return first.islower() or prev.rstrip()[-1:] in ",;–—-(" or last_word in _GLUE_WORDS


def _fills(prev: str, line: str, width: int | None) -> bool:
    """Was the line broken because the next word would not fit in the wrap width?"""
    if width is None or _standalone(line) and _TERMINAL.search(prev):
        return False
    first_word = line.split(None, 1)[0] if line.strip() else ""
    return len(prev) + 1 + len(first_word) > width


def _continues(prev: str, line: str) -> bool:
    """Is `line` the continuation of the line `prev` in a block that is not hard-wrapped?"""
    if len(prev) > 160 and _TERMINAL.search(prev):
        return False  # a paragraph on one line, then another paragraph
    if _standalone(line) or _standalone(prev):
        return False
    first = line.lstrip()[:1]
    if first.islower() or first in "(,;%$€£":
        return True
    if line.startswith((" ", "\t")) and _BULLET.match(prev):
        return True  # an indented continuation of a list item
    return False


_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n){2,}")
_PRESS_RELEASE = re.compile(r"^[ \t]{0,40}(?:date \d{4}-\d\d-\d\d )?for immediate release\b", re.I | re.M)


@dataclass
class Repaired:
    text: str
    flags: dict[str, bool] = field(default_factory=dict)
    removed: list[Removal] = field(default_factory=list)


def prepare(text: str, removed: list[Removal] | None = None) -> str:
    """The text with markup and in-line debris (hover cards, scripts) removed: what the
    paragraphs of the article are read from."""
    text = normalize_spaces(text)
    if "\n\n\n" in text:
        text = _BLANK_RUN.sub("\n\n", text)
    text = join_hard_wraps(text)
    text = strip_markup(text)
    text = strip_hover_cards(text, removed)
    if "var " in text:
        for m in _JS.finditer(text):
            if removed is not None:
                removed.append(Removal("script", m.group(0)))
        text = _JS.sub("", text)
    return text


def paragraphs(text: str) -> list[list[str]]:
    """The paragraphs of prepared text, block by block (a block is what blank lines
    separate; a block that is not one wrapped paragraph holds several)."""
    blocks = [block_lines(b) for b in regex(r"\n[ \t]*\n").split(text)]
    width = wrap_width(blocks)
    return [unwrap(lines, width) for lines in blocks if lines]


def repair_text(text: str, titled: bool = False) -> Repaired:
    """Clean scraped text, recording every paragraph (or in-line piece of debris) removed
    and why, and the flags seen on the way (press-release marks). `titled`: the document's
    wrapper gives its title."""
    removed: list[Removal] = []
    text = prepare(text, removed)
    flags: dict[str, bool] = {}
    if _PRESS_RELEASE.search(text):
        flags["press_release"] = True
    lines = boilerplate.select(paragraphs(text), removed, flags, titled)
    return Repaired("\n".join(lines).strip(), flags, removed)


def repair(text: str) -> tuple[str, dict[str, bool]]:
    """Clean scraped text; returns the text and flags seen on the way (press-release marks)."""
    r = repair_text(text)
    return r.text, r.flags
