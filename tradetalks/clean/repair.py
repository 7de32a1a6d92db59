"""Repair scraped text: markup, hover cards, boilerplate, hard wraps and white space.

Every rule is about the shape of scraped pages (breadcrumbs, link markup, lists of other
headlines, contact blocks, "About <agency>" footers), never about one site's wording.
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from functools import lru_cache

from tradetalks.regex import regex

_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_ODD_SPACE = re.compile(r"[\u00a0\u2000-\u200d\u202f\u205f\u3000\t\u2060\ufeff\u00ad]")
_ESCAPES = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>\"'$&%^=@:;,/?])")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
# A link's text may be wrapped onto a second line ("[Secretary of the Treasury Scott\nBessent](url)").
_LINK = re.compile(r"\[([^\]\n]*(?:\n[^\]\n]+)?)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)((?:(?!\n\s*\n).){1,300}?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", re.S)
_TAGS = re.compile(r"</?(?:p|div|span|br|em|strong|b|i|a|u|sup|sub|small|font)\b[^>]*>", re.I)
_JS = re.compile(r"\bvar\s+\w+\s*=\s*(?:\{[^{}]*\}|[^;\n]{0,200});?")
_LIQUID = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)

# "Antony BlinkenAntony BlinkenKim says ... MORE": a name, then a hover card that repeats it.
_JOIN = re.compile(r"(?<=[a-z])(?=[A-Z])")

_END_MARKERS = re.compile(r"^\s*(?:#\s*#\s*#|-\s*30\s*-|- ?end ?-|\*\*\*|end text\.?|ENDS)\s*$", re.I)
_ABOUT = re.compile(r"^\s*(?:#+\s*)?About (?:the |us\b)?[A-Z][^.!?]{0,80}$")
_BREADCRUMB = re.compile(r"(?:»|›|\s>\s).*(?:»|›|\s>\s)|^\s*(?:breadcrumbs?|you are here:?|skip to (?:main )?content)\s*$", re.I)
_CONTACT = re.compile(
    r"^\s*(?:media |press )?(?:contacts?|e-?mail|phone|tel|telephone|fax|press office|media inquiries|"
    r"for immediate release|for release|embargoed[^:]*|begin text|end text|"
    r"follow us|share this|subscribe|sign up|advertisement|also read|read more|click here|"
    r"related(?: articles| stories| news)?|tags|topics|photo|image|file photo|video)\b\s*[:.]?(?:\s.*)?$",
    re.I,
)
_BYLINE = re.compile(r"^\s*(?:office of the spokesperson|media note|press statement|media advisory|"
                     r"the (?:below|following) is attributable to [^:]{3,80}:?|for immediate release)\s*$", re.I)
_CAPTION = re.compile(r"^\s*(?:©|\(c\)\s|copyright\b|representative image|photo credit|image credit|"
                      r"\(?(?:afp|reuters|ap|getty|pti|ani|ians)(?: file)? photo\)?)", re.I)
_PHOTO_LABEL = re.compile(r"^\s*(?:file photo|photo|image|video)\b\s*[:.]?\s*", re.I)
_BULLET = re.compile(r"^\s*(?:[-*+•●▪◦–]|\d{1,2}[.)])\s+")
_TERMINAL = re.compile(r"[.!?:;\"'”’)\]]\s*$")


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
        text = _COMMENT.sub("", text)
    if "{%" in text or "{{" in text:
        text = _LIQUID.sub("", text)
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
        text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
    if "#" in text:
        text = regex(r"^\s{0,3}#{1,6}\s+", re.M).sub("", text)
    if "&" in text:
        text = htmllib.unescape(text)
    return text


def strip_hover_cards(text: str) -> str:
    """Drop hover-card debris: `Name SurnameName SurnameHeadline ... MORE` -> `Name Surname`.

    A card starts where a surname runs into a capital letter with no space, repeats that
    surname, and ends at the next "MORE"."""
    if "MORE" not in text:
        return text
    out: list[str] = []
    pos = 0
    for m in _JOIN.finditer(text):
        if m.start() < pos:
            continue
        surname = regex(r"([A-Z][\w'’-]{2,})$").search(text[max(0, m.start() - 40):m.start()])
        end = regex(r"\sMORE\b").search(text[m.start():m.start() + 800])
        if not surname or not end or "\n" in text[m.start():m.start() + end.start()]:
            continue
        card = text[m.start():m.start() + end.start()]
        if regex(re.escape(surname.group(1)) + r"[A-Z]").search(card):
            out.append(text[pos:m.start()])
            pos = m.start() + end.end()
    out.append(text[pos:])
    return "".join(out)


_GLUE_WORDS = {"the", "of", "and", "to", "a", "an", "in", "for", "with", "by", "on", "at", "from", "as",
               "or", "that", "which", "who", "its", "their", "our", "his", "her", "is", "are", "was", "were"}


def unwrap(block: str) -> list[str]:
    """Lines of one blank-line-separated block, re-joined when the block is hard-wrapped."""
    lines = [ln.rstrip() for ln in block.split("\n") if ln.strip()]
    if len(lines) < 2:
        return [ln.strip() for ln in lines]
    glued = sum(1 for a, b in zip(lines, lines[1:], strict=False) if _glues(a, b))
    wrapped = glued / (len(lines) - 1) >= 0.3
    items: list[str] = []
    for ln in lines:
        stripped = ln.strip()
        if items and not _BULLET.match(ln) and (wrapped and not _standalone(ln) and not _standalone(items[-1]) or _continues(items[-1], ln)):
            items[-1] = items[-1] + " " + stripped
        else:
            items.append(stripped)
    return items


@lru_cache(maxsize=1024)  # a line is asked about as itself, as the one before and in _continues
def _standalone(line: str) -> bool:
    return bool(_CAPTION.match(line) or _CONTACT.match(line) or _END_MARKERS.match(line))


def _glues(prev: str, line: str) -> bool:
    """Does the break between two lines fall inside a sentence?"""
    first = line.lstrip()[:1]
    last_word = prev.rstrip().rsplit(" ", 1)[-1].lower()
    return first.islower() or prev.rstrip()[-1:] in ",;–—-(" or last_word in _GLUE_WORDS


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


def _headline(line: str) -> bool:
    words = line.split()
    caps = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 3 and caps / len(words) > 0.6 and not _TERMINAL.search(line)


def _is_headline_run(lines: list[str]) -> bool:
    return len(lines) >= 3 and all(
        not _TERMINAL.search(ln) and 2 <= len(ln.split()) <= 25 and ln[:1].isupper() for ln in lines
    )


def repair(text: str) -> tuple[str, dict[str, bool]]:
    """Clean scraped text; returns the text and flags seen on the way (press-release marks)."""
    flags: dict[str, bool] = {}
    text = normalize_spaces(text)
    text = strip_markup(text)
    text = strip_hover_cards(text)
    if "var " in text:
        text = _JS.sub("", text)
    if regex(r"(?im)^\s*(?:date \d{4}-\d\d-\d\d )?for immediate release\b").search(text):
        flags["press_release"] = True
    blocks = regex(r"\n[ \t]*\n").split(text)
    lines: list[str] = []
    for block in blocks:
        items = unwrap(block)
        if _is_headline_run(items) and len(items) >= 3:
            # A list of other stories; keep it only if it is a list of bullets in prose.
            if not all(_BULLET.match(i) for i in items):
                continue
        lines.extend(items)
        lines.append("")
    out: list[str] = []
    run: list[str] = []  # consecutive single-line paragraphs that look like headlines
    total = len(lines)
    for i, line in enumerate(lines):
        if "  " in line:
            line = regex(r"[ ]{2,}").sub(" ", line)
        line = line.strip()
        if _END_MARKERS.match(line) and i > total * 0.3:
            flags["end_marker"] = True
            break
        if _ABOUT.match(line) and i > total * 0.5:
            break
        if line and len(line.split()) > 40 and _PHOTO_LABEL.match(line):
            line = _PHOTO_LABEL.sub("", line)  # a caption's label before the whole article on one line
        if line and (_breadcrumb(line) or _CONTACT.match(line) or _CAPTION.match(line) or _BYLINE.match(line)):
            continue
        if _END_MARKERS.match(line):
            continue
        bullet = _BULLET.match(line)
        if bullet:
            mark = bullet.group(0).strip()
            line = ("- " if not mark[:1].isdigit() else mark + " ") + line[bullet.end():]
        if line and out and line == _last(out):
            continue  # a title repeated as a heading
        if line and not _TERMINAL.search(line) and len(line.split()) <= 25 and not line.startswith("- "):
            if not run or run[-1] != line:
                run.append(line)
            continue
        if line and run:
            _flush(run, out)
        if line:
            out.append(line)
        elif out and out[-1] != "":
            out.append("")
    _flush(run, out)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(_dedupe_blank(out)).strip(), flags


def _breadcrumb(line: str) -> bool:
    if "»" in line or "›" in line or " > " in line or len(line) < 40:
        return bool(_BREADCRUMB.search(line))
    return False


def _last(out: list[str]) -> str:
    for line in reversed(out):
        if line:
            return line
    return ""


def _flush(run: list[str], out: list[str]) -> None:
    if not _is_headline_run(run):
        for line in run:
            if line != _last(out):
                out.append(line)
                out.append("")
    run.clear()


def _dedupe_blank(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    return out
