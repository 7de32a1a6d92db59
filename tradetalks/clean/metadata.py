"""Document metadata: publication date, title, dateline, publisher and kind."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlparse

import yaml

from tradetalks import lexicons
from tradetalks.errors import InputError, shown
from tradetalks.models import Place
from tradetalks.regex import regex

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9

_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)"
_MDY = re.compile(rf"^{_WEEKDAY}?({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$", re.I)
_DMY = re.compile(rf"^{_WEEKDAY}?(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH}),?\s+(\d{{4}})$", re.I)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_WIRE = re.compile(r"^(\d{1,2})-([A-Z]{3})-(\d{4})", re.I)


def parse_date(value: str | None) -> str | None:
    """A full calendar date in any of the usual metadata forms, as YYYY-MM-DD."""
    if not value:
        return None
    value = " ".join(str(value).split()).strip(" .")
    for rx, order in ((_ISO, "ymd"), (_MDY, "mdy"), (_DMY, "dmy"), (_WIRE, "dmy")):
        m = rx.match(value)
        if m:
            parts = dict(zip(order, m.groups(), strict=True))
            month = parts["m"]
            mo = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip(".")[:4].rstrip("t"))
            if mo is None:
                mo = MONTHS.get(month.lower()[:3])
            return _valid(int(parts["y"]), mo, int(parts["d"]))
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return None


def _valid(y: int, m: int | None, d: int) -> str | None:
    try:
        return date(y, m or 0, d).isoformat() if 1000 < y < 2200 else None
    except ValueError:
        return None


_DMY_NUM = re.compile(r"^(\d{1,2})[-.](\d{1,2})[-.](\d{4})$")
_ABBR_WEEKDAY = r"(?:(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.?,?\s+)"
_DATE_LINE = re.compile(
    # An optional label ("Published", "Date:", "+ Date:", "Updated on", a section name and a
    # time), one date, an optional time and zone after it ("-- 06:30 GMT (07:30 BST)").
    r"^(?:date\s+(\d{4}-\d\d-\d\d)\b.*|"
    r"(?:[+*-]\s*)?(?:(?P<label>published|posted|updated|last updated|first published|date|dated)\s*:?\s*(?:on\s+)?|"
    r"[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)?\s+\d{1,2}:\d\d\s+|"
    # a time first ("15:33 UTC+8, 2023-05-11"), or the source's name ("KBS World Radio - 20 July 2020")
    r"\d{1,2}:\d\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4}(?:[+-]\d{1,2}(?::?\d\d)?)?)?,?\s+|"
    r"(?:[A-Z][\w.&'’]{0,30}\s){0,4}[A-Z][\w.&'’]{0,30}\s+[-–|·]\s+)?"
    # (a transcript's date in parentheses: "(September 8, 2021)")
    rf"\(?(?P<d>(?:{_WEEKDAY}|{_ABBR_WEEKDAY})?{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|"
    rf"(?:{_WEEKDAY}|{_ABBR_WEEKDAY})?\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d\d-\d\d|\d{{1,2}}[-.]\d{{1,2}}[-.]\d{{4}})"
    r"(?:\s*(?:--|[-–|,]|at)?\s*\d{1,2}:\d\d(?::\d\d)?(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?(?:\s*\([^)]{0,20}\))?)?"
    r"(?:\s+\d{1,5})?)\)?\s*$",  # a counter of shares or comments after it
    re.I,
)


_TITLE_DATE = re.compile(r"^[^.!?]{10,200}?\s(\d{4})[-.](\d\d)[-.](\d\d)$")
_DATED_DATELINE = re.compile(
    rf"^[A-Z][\w.'’ ]{{1,40}}(?:,\s*[A-Z][\w.'’ ]{{1,40}})?\s*[,–—-]\s*"
    rf"(?P<d>{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}})\s*(?:[-–—:]|$)")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)([/-])(\d\d?)\2(\d\d?)(?:/|[-_.]|$)")


def date_in_head(text: str, lines: int = 8) -> str | None:
    """A full date the head of the text gives outside a date line: a dated dateline ("Kigali,
    Rwanda – 10 October 2024 –", "Jakarta, 12 March 2024" on a line of its own) or an ISO date
    after the headline ("... FTA 2022-10-24")."""
    for line in [ln for ln in text.split("\n")[:4 * lines] if ln.strip()][:lines]:
        m = _DATED_DATELINE.match(line)
        if m:
            return parse_date(_strip_weekday(m.group("d")))
        m = _TITLE_DATE.match(line.strip()) if len(line) <= 220 else None
        if m:
            return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


_HINT = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")


def date_hint(head: str) -> str:
    """A date the head of a raw document gives, for the order of a run only (the document's
    publication date is what cleaning finds): the first full ISO date (front matter, a
    page's meta tags), else a dated dateline; "" when there is none."""
    m = _HINT.search(head)
    found = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    return found or date_in_head(head) or ""


def date_in_url(url: str | None) -> str | None:
    """The date of a URL's path ("/2019/11/18/", "/2021-09-09-"), when it gives the day."""
    m = _URL_DATE.search(urlparse(url[:2000]).path) if url else None
    return _valid(int(m.group(1)), int(m.group(3)), int(m.group(4))) if m else None


def is_date_line(line: str) -> bool:
    """Is the line a date line (a date, with its label, time or source's name)?"""
    return len(line) <= 120 and bool(_DATE_LINE.match(line.strip()))


def only_date(lines: list[str]) -> str | None:
    """The date of the date lines among `lines`, when they give one date only (a listing
    of other stories gives several, and none of them is the page's)."""
    dates = {parse_date(m.group(1) or _strip_weekday(m.group("d")))
             for m in (_DATE_LINE.match(line.strip()) for line in lines if len(line) <= 120) if m}
    dates.discard(None)
    return dates.pop() if len(dates) == 1 else None


def _strip_weekday(value: str) -> str:
    """ "Tue, February 21, 2023" -> "February 21, 2023"; "20-06-2011" -> "2011-06-20"."""
    value = regex(r"^(?:[A-Za-z]{3,9}day|Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.?,?\s+", re.I).sub("", value)
    m = _DMY_NUM.match(value)
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else value


_SCRAPER_HEADER = re.compile(r"\A[ \t\n]{0,20}date[ \t]{1,5}(\d{4}-\d\d-\d\d)\b[ \t]{0,20}([^\n]{0,2000})")
_WORDS = re.compile(r"[^\W\d_]{2,}")


def take_scraper_header(body: str) -> tuple[str, str | None, str | None]:
    """A web archive's "date YYYY-MM-DD" header before the text: the body without it, its
    date, and the text removed. The sentence the header was put in front of stays (a scrap
    of a widget after it, "30.6 C", goes with it)."""
    m = _SCRAPER_HEADER.match(body)
    if not m:
        return body, None, None
    rest = m.group(2).strip()
    if len(_WORDS.findall(rest)) >= 3:
        return rest + body[m.end():], parse_date(m.group(1)), body[:m.start(2)].strip()
    return body[m.end():].lstrip("\n"), parse_date(m.group(1)), m.group(0).strip()


def take_date_lines(text: str, limit: int = 8) -> tuple[str, str | None, list[str]]:
    """Remove standalone date lines at the top of the text; return the text, its date, and
    the lines removed. The date is the first labelled one ("Published ...", "Updated ..."),
    else the one date the bare date lines agree on: bare lines that give several dates are a
    listing of other stories, and none of them is the page's. A scraper's "date YYYY-MM-DD"
    comes last."""
    kept: list[str] = []
    taken: list[str] = []
    labelled: list[str] = []
    bare: list[str] = []
    scraper: list[str] = []
    seen = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            seen += 1
        m = _DATE_LINE.match(stripped) if seen <= limit and stripped else None
        value = parse_date(m.group(1) or _strip_weekday(m.group("d"))) if m else None
        if not m:
            kept.append(line)
            continue
        taken.append(stripped)
        if value:
            (scraper if m.group(1) else labelled if m.group("label") else bare).append(value)
    found = labelled[0] if labelled else bare[0] if len(set(bare)) == 1 else None if bare else None
    if found is None and scraper and not bare:
        found = scraper[0]
    out = "\n".join(kept).strip("\n")
    return (regex(r"\n{3,}").sub("\n\n", out) if taken else out), found, taken


_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’ -]{1,30}[A-Z.])"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?))?"
    r"(?:,?\s*(?:" + _MONTH + r")\s*\d{1,2}(?:,\s*\d{4})?)?"
    r"\s*(?:\([A-Za-z .]+\)\s*)?[-–—]{1,2}\s"
)


def find_dateline(text: str) -> tuple[Place | None, tuple[int, int] | None]:
    """The dateline of the first paragraphs ("TAIPEI –", "BEIJING, Oct.5 (Xinhua) --"), and
    the span of the whole dateline in the text."""
    offset = 0
    for para in text.split("\n")[:8]:
        m = _DATELINE.match(para) or _dateline_alone(para)
        if m:
            raw = m.group("place").strip(" .")
            place = " ".join(w.capitalize() if w.isupper() else w for w in regex(r"\s+").split(raw))
            if place.upper() in {"UPDATE", "NOTE", "EDITOR", "WARNING", "ANALYSIS", "EXCLUSIVE", "BREAKING"}:
                return None, None
            if raw.upper() == raw and len(raw.replace(".", "")) <= 3 and raw.upper() not in lexicons.get().place_index:
                return None, None  # "U.S. -" is not a dateline
            country = lexicons.get().country_of_place(place)
            return Place(place=place, country=country), (offset + m.start("place"), offset + m.end())
        offset += len(para) + 1
    return None, None


# A record's place line standing alone under its date ("29th August, 1956 / CANBERRA"), or a
# place with the date after it ("Wellington, 19 December 1980").
_PLACE_LINE = re.compile(r"(?P<place>[A-Z][A-Za-z.'’ -]{1,30}[A-Za-z])(?:,\s*\d{1,2}(?:st|nd|rd|th)?\s+(?:" + _MONTH + r")\w*\.?,?\s+\d{4})?\s*$")


def _dateline_alone(para: str) -> re.Match[str] | None:
    m = _PLACE_LINE.fullmatch(para.strip())
    if m is None or m.end("place") == len(para.strip()) and not m.group("place").isupper():
        return None  # a bare place line is written in capitals
    return m if m.group("place").upper() in lexicons.get().place_index else None


def guess_title(text: str) -> str | None:
    first = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    if not first or len(first.split()) > 25 or len(first) > 220:
        return None
    if regex(r"[.!?:]$").search(first) or _DATELINE.match(first):
        return None
    return first


def publisher_for(url: str | None, text: str) -> tuple[str | None, bool, str | None]:
    """Publisher's name, whether it is a government body, and the country it is based in,
    from the URL or a news agency's mark in the dateline."""
    lex = lexicons.get()
    if url:
        url = url[:2000]
        host = (urlparse(url if "//" in url else "//" + url).hostname or "").lower()
        host = host.removeprefix("www.")[:253]  # no host name is longer
        parts = host.split(".")[-8:]  # a publisher is known by its last few labels
        for i in range(len(parts) - 1):
            entry = lex.publishers.get(".".join(parts[i:]))
            if entry:
                return entry["name"], bool(entry.get("government")), entry.get("country")
        if regex(r"\.(gov|mil)(\.[a-z]{2})?$|\.go\.[a-z]{2}$|\.gc\.ca$|europa\.eu$|\.gouv\.[a-z]{2}$").search(host):
            return None, True, None
    wire = regex(r"\(([A-Z][A-Za-z]+)\)").search(text[:300])
    if wire:
        entry = lex.publishers.get(f"wire:{wire.group(1)}")
        if entry:
            return entry["name"], False, entry.get("country")
    return None, False, None


_RECORD_TITLE = re.compile(r"^(?:extracts? from )?(?:the )?(?:record|minutes|summary record) of\b|: (?:[\w-]+ ){1,2}(?:plenary )?meeting$")


def guess_kind(title: str | None, text: str, government: bool, flags: dict[str, bool], fmt: str) -> str:
    t = (title or "").lower()
    head = text[:700].lower()
    if t.startswith("readout") or regex(r"readout of\b").match(head) or _RECORD_TITLE.search(t):
        return "readout"  # also a meeting's record ("Record of Officials' Meeting", "...: Fifth Plenary Meeting")
    if regex(r"\bjoint (?:[\w.-]+ ){0,3}statement\b").search(t) or "joint statement" in head or "joint ministerial statement" in head:
        return "joint_statement"
    if "fact sheet" in t:
        return "fact_sheet"
    if regex(r"\b(remarks|speech|address|transcript)\b").search(t) or head.startswith("transcript"):
        return "speech"
    if flags.get("press_release") or government or flags.get("end_marker"):
        return "press_release"
    return "news"


# -- Inputs that are not articles --------------------------------------------------------------
# A folder of documents often holds its own index: a CSV or TSV listing, a JSON or YAML
# manifest, a README describing the files, a log of the scraper. They are told from articles
# by their content (never by their name), and passed over with the reason.

class NotAnArticle(InputError):
    """The input is a table, a data file, a log or a corpus's README, not an article."""


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
HEAD = 20_000  # characters of an input looked at to tell what it is
_FILE_NAME = re.compile(r"(?<![\w/.@-])[\w*][\w*.-]{0,80}\.(?:txt|csv|tsv|jsonl?|md|html?|xml|ya?ml|gz|zip|pdf|warc)\b",
                        re.I)
_LOG_LINE = re.compile(r"^\s*(?:\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d)?|\[?\d\d:\d\d:\d\d[.,\]\s]|"
                       r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d|"
                       r"\[?(?:DEBUG|INFO|WARN|WARNING|ERROR|CRITICAL|FATAL|TRACE)\]?[\s:])")
_YAML_KEY = re.compile(r"^\s*(?:-\s+)?[\w.\"'-]{1,60}:(?:\s|$)")
_YAML_LINE = re.compile(r"^\s*(?:-\s+)?(?:[\w.\"'-]{1,60}:(?:\s|$)|-\s*\S)")
_EXTENSION = re.compile(r"\.(?:txt|csv|tsv|jsonl?|md|html?|xml|ya?ml|gz|zip|pdf|warc)\b", re.I)
_MARKUP = re.compile(r"<(?:html|head|body|div|p|a|img|script)\b", re.I)
_CORPUS_WORDS = re.compile(r"\b(?:files?|documents?|corpus|dataset|manifest|folder|director(?:y|ies)|readme)\b", re.I)


def not_an_article(text: str) -> str | None:
    """What the input is when it is not an article (a CSV table, JSON, YAML, a log, a
    corpus's README), said in a few words; None for anything that may be an article."""
    head = text[:HEAD].lstrip("\ufeff \t\r\n")
    if not head:
        return None
    lines = [ln for ln in head.split("\n")[:60] if ln.strip()]
    return _json_kind(text, head) or _table_kind(head, lines) or _log_kind(lines) or _yaml_kind(head, lines) \
        or _readme_kind(head)


def _json_kind(text: str, head: str) -> str | None:
    if head[0] not in "[{":
        return None
    try:
        data = json.loads(text.strip().lstrip("\ufeff"))
    except ValueError:
        rows = [ln for ln in head.split("\n")[:20] if ln.strip()]
        try:  # JSON Lines: one object per line
            if len(rows) >= 2 and all(isinstance(json.loads(r), dict) for r in rows[:-1]):
                return f"JSON Lines data ({len(text.splitlines())} lines)"
        except ValueError:
            return None
        return None
    if isinstance(data, dict | list):
        what = f"{len(data)} keys" if isinstance(data, dict) else f"a list of {len(data)} items"
        return f"JSON data ({what})"
    return None


def _table_kind(head: str, lines: list[str]) -> str | None:
    """A CSV or TSV table: a header of short cells, and rows of as many cells as it."""
    if len(lines) < 3:
        return None
    sample = "\n".join(lines[:40])
    for delimiter, name in (("\t", "TSV"), (",", "CSV"), (";", "CSV"), ("|", "table")):
        if delimiter not in lines[0]:
            continue
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            continue
        rows = [r for r in rows if any(c.strip() for c in r)]
        header = rows[0] if rows else []
        if len(header) < 3 or any(len(c) > 60 or len(c.split()) > 6 for c in header) or len(rows) < 3:
            continue
        cut = len(head) >= HEAD or len(lines) > 40  # the sample stops before the text does
        body = (rows[1:-1] if cut else []) or rows[1:]  # then its last row may be cut
        if sum(len(r) == len(header) for r in body) >= 0.8 * len(body):
            n = len(head.rstrip("\n").split("\n")) - 1 if len(head) < HEAD else None  # lines under the header
            size = f"{len(header)} columns" + (f", {n} rows" if n else "")
            return f"a {name} table ({size}: {', '.join(shown(c.strip()[:20]) for c in header[:4])}{', ...' if len(header) > 4 else ''})"
    return None


def _log_kind(lines: list[str]) -> str | None:
    sample = lines[:30]
    if len(sample) >= 5 and sum(bool(_LOG_LINE.match(ln)) for ln in sample) >= 0.7 * len(sample):
        return "a log (lines stamped with times or levels)"
    return None


def _yaml_kind(head: str, lines: list[str]) -> str | None:
    """A YAML mapping of data (a manifest, a config), not Markdown with front matter nor a
    bulleted list of sentences."""
    sample = [ln for ln in lines[:60] if not ln.lstrip().startswith("#") and ln.strip() != "---"]
    if len(sample) < 4 or not _YAML_KEY.match(sample[0]) or any(len(ln.split()) > 25 for ln in sample):
        return None
    if sum(bool(_YAML_LINE.match(ln)) for ln in sample) < 0.9 * len(sample):
        return None
    if sum(bool(_YAML_KEY.match(ln)) for ln in sample) < 0.5 * len(sample):
        return None
    try:
        data = yaml.load(head if len(head) < HEAD else "\n".join(sample), Loader=_YAML_LOADER)
    except yaml.YAMLError:
        return None
    return "YAML data (keys and lists, no article text)" if isinstance(data, dict) else None


def _readme_kind(head: str) -> str | None:
    """A README of a corpus: it names many files (or patterns of file names)."""
    if len(_EXTENSION.findall(head)) < 5:  # most texts name no file at all: said at once
        return None
    if len(_MARKUP.findall(head, 0, 5000)) >= 8:  # a web page names its images and scripts
        return None
    names = {m.group().lower() for m in _FILE_NAME.finditer(head)}
    if len(names) >= 5 and len(_CORPUS_WORDS.findall(head[:3000])) >= 2:
        return f"a README of a corpus (names {len(names)} files)"
    return None
