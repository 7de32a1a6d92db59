"""Which paragraphs of a scraped page are page furniture, and a record of each removal.

Every rule takes or leaves a whole paragraph: cue rules (`boilerplate.yaml`: contact lines,
captions, promotions, ...) and rules about the shape of the page (breadcrumbs, lists of
other stories' headlines, an end-of-release mark and what follows it, an "About <agency>"
footer, a teaser cut off with an ellipsis, a paragraph repeated word for word). Each removal
is recorded with its rule, so that a reader can audit what cleaning took out
(`tradetalks extract --explain-cleaning`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from tradetalks.clean import metadata

# What the rules of the code remove (the cue rules' reasons are in boilerplate.yaml).
REASONS = {
    "hover_card": "a hover card: a name's pop-up with another story's headline",
    "script": "in-line script",
    "photo_label": "a photo label before the article",
    "end_marker": "an end-of-release mark (###, -30-, ENDS)",
    "after_end": "text after the end-of-release mark",
    "footer": 'an "About <organisation>" footer and what follows it',
    "breadcrumb": "a breadcrumb or skip-navigation line (or section names run together at the top)",
    "headline_list": "a list of other stories' headlines",
    "repeated": "a paragraph repeated word for word (a title as a heading, a caption shown twice)",
    "teaser": "a teaser cut off with an ellipsis, whose text the article then gives in full",
    "related": 'a headline of another story, listed under a "Related" (or "Also read") heading',
    "comments": "a comments section (its heading past the middle of the page, and what follows)",
    "date_line": "a date line at the top (read as the publication date)",
    "date_header": "a scraper's date header before the first sentence (read as the publication date)",
}


@dataclass(frozen=True)
class Removal:
    """One piece of text cleaning removed: a whole paragraph, or in-line debris."""

    rule: str
    text: str
    pattern: str | None = None  # the cue pattern that matched, for the rules of boilerplate.yaml
    top: bool = False  # removed from above the article's first paragraph (the page's head)

    @property
    def reason(self) -> str:
        return REASONS.get(self.rule) or _cue_reasons().get(self.rule, self.rule)


@dataclass(frozen=True)
class Cue:
    rule: str
    where: str  # "start" or "end" of the paragraph
    source: str
    rx: re.Pattern[str]


@lru_cache(maxsize=1)
def _data() -> dict:
    path = resources.files("tradetalks.clean").joinpath("boilerplate.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def cues() -> tuple[Cue, ...]:
    """The cue patterns of boilerplate.yaml, compiled."""
    return tuple(
        Cue(rule, where, source, re.compile(source, re.I))
        for rule, kind in _data().items()
        for where in ("start", "end")
        for source in kind.get(where, ())
    )


@lru_cache(maxsize=1)
def _cue_reasons() -> dict[str, str]:
    return {rule: kind["reason"] for rule, kind in _data().items()}


@lru_cache(maxsize=4096)
def cue(line: str, whole: bool = False) -> Cue | None:
    """The first cue of boilerplate.yaml that the paragraph `line` matches. A line that
    begins in lower case continues a sentence and matches no `start` cue, unless it is known
    to be `whole` paragraph."""
    if not line:
        return None
    lower_start = line[:1].islower() and not whole
    tail = line[-160:]
    for c in cues():
        if c.where == "start" and not lower_start and c.rx.match(line):
            return c
        if c.where == "end" and c.rx.search(tail):
            return c
    return None


END_MARKERS = re.compile(r"^\s*(?:#\s*#\s*#|-\s*30\s*-|- ?end ?-|\*\*\*|end text\.?|ENDS)\s*$", re.I)
ABOUT = re.compile(r"^\s*(?:#+\s*)?About (?:the |us\b)?[A-Z][^.!?]{0,80}$")
BREADCRUMB = re.compile(r"(?:»|›|\s>\s).*(?:»|›|\s>\s)|^\s*(?:breadcrumbs?|you are here:?|skip to (?:main )?content)\s*$", re.I)
PHOTO_LABEL = re.compile(r"^\s*(?:file photo|photo|image|video)\b\s*[:.]?\s*", re.I)
BULLET = re.compile(r"^\s*(?:[-*+•●▪◦–]|\d{1,2}[.)])\s+")
TERMINAL = re.compile(r"[.!?:;\"'”’)\]]\s*$")
# A comments section's heading; an invitation to comment ends the article wherever it is, once
# two paragraphs of the article are above it (a comment form can be longer than the article).
COMMENTS = re.compile(r"^\s*(?:(leave a (?:reply|comment)|post a comment|add a comment)|comments?|\d{1,5} comments?)\s*:?\s*$",
                      re.I)
RELATED = re.compile(r"^\s*(?:related|also read|read (?:more|also)|more (?:from|on|stories))\b", re.I)
ELLIPSIS = re.compile(r"(?:\.{2,3}|…)[\"'”’]?$")


def standalone(line: str) -> bool:
    """Is the line a piece of furniture of its own (never part of the paragraph around it)?"""
    return bool(END_MARKERS.match(line) or (line[:1] and not line[:1].islower() and cue(line)))


# Section names run together by a scraper that dropped the separators: "Headline StoryUK News",
# "home TOPICS구분선FTA/Economic Cooperation" (a word, then an acronym glued to it).
# (A capital letter with an accent, "ERNÄHRUNG", is part of a word, not a separator.)
RUN_TOGETHER = re.compile(r"\b[A-Z][a-z]{2,}[A-Z]{2,}\b|[^\x00-\x7f\u00c0-\u024f\u0370-\u052f][A-Z]{2,}\b")
_CRUMB_SEPARATOR = re.compile(r"»|›|\s>\s")


def _breadcrumb(line: str, top: bool = False) -> bool:
    """A trail of short section names between separators ("About Us » Press Office »"),
    never a paragraph that quotes with guillemets («...») or shows code ("> 29")."""
    if "»" in line or "›" in line or " > " in line or len(line) < 40:
        if BREADCRUMB.search(line) and len(line) <= 300 and all(
                len(part.split()) <= 6 for part in _CRUMB_SEPARATOR.split(line)):
            return True
    return top and len(line.split()) <= 8 and not TERMINAL.search(line) and bool(RUN_TOGETHER.search(line))


def _headline_like(line: str) -> bool:
    """A short line without sentence punctuation, as other stories' headlines are; not a dated
    line, which is the article's own timeline or schedule ("June 23 – Virginia Beach, VA")."""
    return not TERMINAL.search(line) and 2 <= len(line.split()) <= 25 and line[:1].isupper() and not _DATED_ITEM.match(line)


def _is_headline_run(lines: list[str]) -> bool:
    return len(lines) >= 3 and all(_headline_like(ln) for ln in lines)


def _teaser(line: str, following: list[str]) -> bool:
    """A paragraph cut off with an ellipsis whose text one of the next paragraphs gives in full."""
    m = ELLIPSIS.search(line[-6:])
    if not m or len(line) < 40:
        return False
    stem = line[: len(line) - len(m.group(0))].rstrip(" .…").lstrip("“\"'‘")
    return any(stem in nxt for nxt in following)


def select(blocks: list[list[str]], removed: list[Removal], flags: dict[str, bool], titled: bool = False) -> list[str]:
    """The lines of the cleaned text, from the paragraphs of each block; every paragraph not
    kept is added to `removed` with its rule. `titled`: the document's wrapper gives its
    title (so none is looked for at the head of the page)."""
    items: list[str] = []  # paragraphs, "" between blocks
    for paras in blocks:
        introduced = bool(items) and len(items) > 1 and items[-2].endswith(":")
        if _is_headline_run(paras) and not all(BULLET.match(p) for p in paras) and not introduced:
            top = _head(items)
            removed.extend(Removal("headline_list", p, top=top) for p in paras)  # a list of other stories
            continue
        items.extend(paras)
        items.append("")
    items = [" ".join(p.split()) if "  " in p else p.strip() for p in items]
    out: list[str] = []
    run: list[str] = []  # consecutive short paragraphs that look like headlines
    seen: set[str] = set()
    total = len(items)
    related = False  # under a "Related" heading: the headlines listed are other stories
    dates: set[str] = set()  # date lines at the head, kept for the date to be read from them
    for i, line in enumerate(items):
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        if _ends_article(line, i, total, items, removed, flags):
            break
        if related and _headline_like(line) and len(line.split()) <= 15:
            removed.append(Removal("related", line))
            continue
        related = False
        line = _drop_photo_label(line, removed)
        rule = _furniture(line, items[i + 1:i + 31], removed, top=i < 12)
        related = not run and rule == "cue" and removed[-1].rule == "sharing" and bool(RELATED.match(line))
        if rule is None and (line == _last(out) or (len(line.split()) >= 8 and line in seen)):
            rule = "repeated"
        if rule is not None:
            if rule != "cue":
                removed.append(Removal(rule, line))
            continue
        line = _normal_bullet(line)
        if i < 12 and metadata.is_date_line(line):  # kept for the publication date to be read from
            if _headline_like(line):
                run.append(line)  # and still one of a run of short lines, as before
            else:
                _flush(run, out, removed, dates=dates)
            out.extend((line, ""))
            dates.add(line)
            continue
        if _headline_like(line) and not line.startswith("- "):
            if run and run[-1] == line:
                removed.append(Removal("repeated", line))
            else:
                run.append(line)
            continue
        _flush(run, out, removed, before_body=not titled, dates=dates)
        out.append(line)
        seen.add(line)
    _flush(run, out, removed, dates=dates)
    _tail_headlines(out, removed)
    return _dedupe_blank(out)


def drop_title_heading(text: str, title: str, removed: list[Removal]) -> str:
    """The page's heading of section names and the title run together ("Briefings & Statements
    UNITED STATES-INDIA JOINT STATEMENT"), when the wrapper gives the title: it goes (as a
    breadcrumb), the title stays the document's."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    head, name = _folded(first), _folded(title)
    prefix = first.split()[:len(head[:-len(name)].split())] if name and head.endswith(" " + name) else []
    if prefix and len(prefix) <= 4 and all(_SECTION_WORD.fullmatch(w) for w in prefix):
        removed.insert(0, Removal("breadcrumb", first, top=True))
        return text[len(first):].lstrip("\n")
    return text


# A section's name in a heading: capitalised words and their separators ("Briefings & Statements").
_SECTION_WORD = re.compile(r"[A-Z][\w’'-]*|&|and|[|›»>/]")


def _folded(s: str) -> str:
    return " ".join(re.findall(r"\w+", s.lower()))


def _tail_headlines(out: list[str], removed: list[Removal]) -> None:
    """Bullet lines that end the page after a paragraph of prose, three or more, each a
    headline (no sentence punctuation, not a dated line of a timeline), not introduced by the
    article ("... include:"): other stories listed below the article."""
    k = len(out)
    while k > 0 and (not out[k - 1] or (out[k - 1].startswith("- ") and _headline_like(out[k - 1][2:]))):
        k -= 1
    items = [line for line in out[k:] if line]
    before = _last(out[:k])
    if len(items) >= 3 and len(before.split()) >= 8 and TERMINAL.search(before) and not before.endswith(":"):
        removed.extend(Removal("headline_list", line) for line in items)
        del out[k:]


# A timeline's item starts with its date: "July 2018: First round", "2015-2017: Joint discussions",
# "June 23 – Virginia Beach, VA".
_DATED_ITEM = re.compile(r"(?:\d{1,4}\b|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)", re.I)


def _ends_article(line: str, i: int, total: int, items: list[str], removed: list[Removal],
                  flags: dict[str, bool]) -> bool:
    """An end-of-release mark past the first third, or an "About <agency>" footer past the
    middle: the article ends there, and what follows is recorded as removed."""
    if END_MARKERS.match(line) and i > total * 0.3:
        flags["end_marker"] = True
        removed.append(Removal("end_marker", line))
        removed.extend(Removal("after_end", x) for x in items[i + 1:] if x)
        return True
    if ABOUT.match(line) and i > total * 0.5:
        removed.extend(Removal("footer", x) for x in items[i:] if x)
        return True
    m = COMMENTS.match(line)
    if m and (i > total * 0.5 or (m.group(1) and sum(1 for x in items[:i] if len(x.split()) >= 10) >= 2)):
        removed.extend(Removal("comments", x) for x in items[i:] if x)
        return True
    return False


def _drop_photo_label(line: str, removed: list[Removal]) -> str:
    """ "File photo" before a whole article given on one line: the label goes, the article stays."""
    if len(line.split()) > 40:
        m = PHOTO_LABEL.match(line)
        if m and m.end():
            removed.append(Removal("photo_label", line[: m.end()].strip()))
            return line[m.end():]
    return line


def _furniture(line: str, following: list[str], removed: list[Removal], top: bool = False) -> str | None:
    """The rule that makes the paragraph furniture ("cue" when a cue matched and was recorded);
    `top`: the paragraph is among the first of the page, where its navigation is."""
    if _breadcrumb(line, top):
        return "breadcrumb"
    if END_MARKERS.match(line):
        return "end_marker"
    c = cue(line, whole=True)
    if c is not None:
        removed.append(Removal(c.rule, line, c.source))
        return "cue"
    if _teaser(line, following):
        return "teaser"
    return None


def _normal_bullet(line: str) -> str:
    bullet = BULLET.match(line)
    if not bullet:
        return line
    mark = bullet.group(0).strip()
    return ("- " if not mark[:1].isdigit() else mark + " ") + line[bullet.end():]


def _last(out: list[str]) -> str:
    for line in reversed(out):
        if line:
            return line
    return ""


def _flush(run: list[str], out: list[str], removed: list[Removal], before_body: bool = False,
           dates: set[str] | None = None) -> None:
    """Short lines without sentence punctuation: three or more are a list of other stories,
    unless the article introduces them as its own list ("... include:"). At the head of the
    page, the last of them, just before the article's first paragraph, is its headline
    (menus come first, the headline last). Lines in `dates` are in `out` already."""
    headlines = _is_headline_run(run) and not _introduced(out)
    run[:] = [line for line in run if line not in (dates or ())]
    if headlines and run:
        top = _head(out)
        title = run.pop() if top and before_body and len(run[-1].split()) >= 4 else None
        removed.extend(Removal("headline_list", line, top=top) for line in run)
        if title:
            out.extend((title, ""))
    else:
        for line in run:
            if line != _last(out):
                out.append(line)
                out.append("")
            else:
                removed.append(Removal("repeated", line))
    run.clear()


def _head(out: list[str]) -> bool:
    """Are we still in the head of the page (at most two paragraphs kept: a title, a logo)?"""
    return sum(1 for line in out[:8] if line) <= 2


def _introduced(out: list[str], items: int = 30) -> bool:
    """Is the text before a run of short lines the article's own list, introduced with a
    colon ("Key product categories covered include:") and perhaps begun with items the run
    continues ("Dried distillers' grains (DDGs)")?"""
    for line in reversed(out[-2 * items:]):
        if not line:
            continue
        if line.endswith(":"):
            return True
        if len(line.split()) > 12:
            return False
    return False


def _dedupe_blank(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return out


def explain(removed: list[Removal]) -> str:
    """What cleaning removed, for a reader to audit: each removal's rule and reason, then
    the removed text whole."""
    if not removed:
        return "Nothing removed."
    chars = sum(len(r.text) for r in removed)
    lines = [f"{len(removed)} removed ({chars:,} characters):"]
    for r in removed:
        why = f"[{r.rule}] {r.reason}" + (f" (pattern: {r.pattern})" if r.pattern else "")
        lines.append(why)
        lines.extend("    " + line for line in r.text.split("\n"))
    return "\n".join(lines)
