"""Dates: days, ranges, months, years, weekdays and relative phrases, each resolved against
the publication date to the precision the text supports, or left unresolved (None)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from tradetalks.clean.metadata import MONTHS
from tradetalks.extract import matchers
from tradetalks.regex import regex

_MONTH_FORMS = [m.capitalize() for m in MONTHS]  # "January", "Jan", "Sept"
_M = "(" + matchers.alternation(_MONTH_FORMS) + r")\.?"
_D = r"(\d{1,2})(?:st|nd|rd|th)?"
# The same at the start of a pattern, after a word boundary: every branch starts with a
# literal (or a digit), so that the engine skips ahead to where a date can start.
_M0 = "(" + matchers.alternation(_MONTH_FORMS, r"\w") + r")\.?"
_D0 = r"(\d(?<!\w\d)\d?)(?:st|nd|rd|th)?"
_Y = r"((?:1[89]|20)\d\d)"
_MFULL = "(" + "|".join(m.capitalize() for m in list(MONTHS)[:12]) + ")"  # full names only
_WD = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DASH = r"\s*(?:-|–|—|to|through|until|and)\s*"

PATTERNS: list[tuple[str, re.Pattern[str] | None]] = [
    # January 14-17, 2023 / February 2-3 / from December 10 to December 12, 2025
    ("mdd_y", re.compile(rf"{_M0}\s*{_D}{_DASH}(?:{_M}\s*)?{_D}(?:,?\s*{_Y})?\b(?![-–]\d)")),
    # 14-17 January 2023 / 2 to 3 February
    ("ddm_y", re.compile(rf"{_D0}{_DASH}{_D}\s+{_M}(?:,?\s*{_Y})?\b")),
    # January 17, 2023 / Oct.5 / June 2
    ("md_y", re.compile(rf"{_M0}\s*{_D}(?:,?\s*{_Y})?\b(?!\s*(?:%|per|percent|billion|million))")),
    # 18 March 2005 / 29th August, 1956
    ("dm_y", re.compile(rf"{_D0}\s+{_M}(?:,?\s*{_Y})?\b")),
    # in August 2022 / November, 2021
    ("m_y", re.compile(rf"{_M0},?\s+{_Y}\b")),
    ("iso", re.compile(r"(\d(?<!\w\d)\d{3})-(\d\d)-(\d\d)\b")),
    ("weekday_pair", re.compile(rf"(?=[MTWFSo])\b(?:on\s+)?{_WD}\s+and\s+{_WD}\b")),
    ("weekday", re.compile(rf"(?=[MTWFSltno])\b(?:(?:last|this|next|on)\s+)?{_WD}\b")),
    # A month named without a year, after a preposition or a part of the month ("in
    # December", "in mid-March", "around February next year"): the year comes from the
    # publication date, or from "next/last/this year".
    ("month", re.compile(
        r"\b(?i:(?:in|by|since|until|till|during|from|before|after|around|of)\s+(?:(?:early|late|mid)[- ])?"
        rf"|(?:early|late|mid)[- ]){_MFULL}\b(?!\s*\d)(?:,?\s+(next|last|this) year\b)?")),
    # Relative phrases: matched on the case-folded text (see _relative_pattern).
    ("relative", None),
]


_RELATIVE = [
    "today", "yesterday", "tomorrow",
    "earlier this (?:month|year)", "later this (?:month|year)", "this (?:month|year)",
    "early last (?:month|year)", "earlier last (?:month|year)", "late last (?:month|year)",
    "later last (?:month|year)", "last (?:month|year)",
    "early next (?:month|year)", "late next (?:month|year)", "next (?:month|year)",
    "(?:earlier |later )?(?:this|last|next) week", "(?:this|last|next) (?:spring|summer|autumn|fall)",
    "at a later date", "in the coming (?:weeks|months)", r"(?:early|mid|late)-?\s?(?:19|20)\d\d",
    r"(?:in|since|by|during|until|of)\s+(?:19|20)\d\d",
]


@lru_cache(maxsize=1)
def _relative_pattern() -> re.Pattern[str]:
    return matchers.cue_pattern(_RELATIVE, r"\b", r"\b")


@dataclass(eq=False)
class DateMention:
    start: int
    end: int
    value: tuple[str | None, str | None]  # (start, end) of the period, None when unresolved
    kind: str
    published: str | None = None  # the date it was resolved against

    @property
    def resolved(self) -> bool:
        return self.value[0] is not None


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key, MONTHS.get(key[:3], 0))


def _day(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _year_for(month: int, day: int | None, pub: date | None, future: bool) -> int | None:
    """The year of a month and day given without one: the publication year, moved back
    (or forward, for what is planned) when that puts the date on the wrong side of it."""
    if pub is None:
        return None
    y = pub.year
    try:
        cand = date(y, month, day or 1)
    except ValueError:
        return y
    if not future and cand > pub + timedelta(days=31):
        return y - 1
    if future and cand < pub - timedelta(days=31):
        return y + 1
    return y


def find_dates(text: str, published: str | None) -> list[DateMention]:
    pub = date.fromisoformat(published) if published else None
    found: list[DateMention] = []
    # The spans taken by the kinds before, sorted: they do not overlap, so the one that
    # starts last before a match's end is the only one that can overlap it. (The matches of
    # one kind do not overlap each other.)
    starts: list[int] = []
    ends: list[int] = []
    has_weekday = any(day in text for day in _WEEKDAY_NAMES)
    for kind, rx in PATTERNS:
        if kind.startswith("weekday") and not has_weekday:
            continue
        matches = _relative_pattern().finditer(matchers.fold_case(text)) if rx is None else rx.finditer(text)
        taken: list[tuple[int, int]] = []
        for m in matches:
            s, e = m.span()
            i = bisect.bisect_left(starts, e) - 1
            if i >= 0 and ends[i] > s:
                continue
            future = _looks_future(text, s)
            value = _resolve(kind, m, pub, future)
            if value is False:
                continue
            taken.append((s, e))
            found.append(DateMention(s, e, value if value else (None, None), kind, published))
        if taken:
            merged = sorted([*zip(starts, ends, strict=True), *taken])
            starts, ends = [a for a, _ in merged], [b for _, b in merged]
    found.sort(key=lambda d: d.start)
    # "on Friday, July 29": the weekday names the date that follows it.
    return [d for i, d in enumerate(found)
            if not (d.kind == "weekday" and i + 1 < len(found) and found[i + 1].kind != "weekday"
                    and _WEEKDAY_GAP.fullmatch(text, d.end, found[i + 1].start))]


_WEEKDAY_GAP = re.compile(r",?\s{0,2}\(?")  # "on Friday, July 29", "on Friday (Dec 11)"


def _looks_future(text: str, at: int) -> bool:
    """Whether the words before a date in its sentence speak of what is to come."""
    before = regex(r"[.!?]\s|\n").split(text[max(0, at - 80):at].lower())[-1]
    return bool(regex(r"\b(will|would|plan(?:s|ned)?|next|scheduled|expected|later|upcoming|to be held|agreed to|agreeing to)\b").search(before))


def _resolve(kind: str, m: re.Match[str], pub: date | None, future: bool):  # noqa: C901
    g = m.groups()
    if kind == "mdd_y":
        m1, d1, m2, d2, y = g
        mo1, mo2 = _month(m1), _month(m2 or m1)
        d1i, d2i = int(d1), int(d2)
        if d2i < d1i and not m2 or d1i > 31 or d2i > 31:
            return False
        yr = int(y) if y else _year_for(mo1, d1i, pub, future)
        if yr is None:
            return None
        return (_day(yr, mo1, d1i), _day(yr, mo2, d2i))
    if kind == "ddm_y":
        d1, d2, mo, y = g
        mon = _month(mo)
        yr = int(y) if y else _year_for(mon, int(d1), pub, future)
        if yr is None:
            return None
        if int(d2) < int(d1):
            return False
        return (_day(yr, mon, int(d1)), _day(yr, mon, int(d2)))
    if kind in ("md_y", "dm_y"):
        mo, d, y = (g[0], g[1], g[2]) if kind == "md_y" else (g[1], g[0], g[2])
        if kind == "md_y" and mo.lower().startswith("may") and not y and m.group(0)[:1] == "m":
            return False  # "may 5" is a verb more often than a date
        if int(d) > 31:
            return False
        mon = _month(mo)
        yr = int(y) if y else _year_for(mon, int(d), pub, future)
        if yr is None:
            return None
        day = _day(yr, mon, int(d))
        return (day, day) if day else False
    if kind == "m_y":
        mon, yr = _month(g[0]), int(g[1])
        v = f"{yr:04d}-{mon:02d}"
        return (v, v)
    if kind == "iso":
        day = _day(int(g[0]), int(g[1]), int(g[2]))
        return (day, day) if day else False
    if kind == "weekday_pair":
        if pub is None:
            return None
        a, b = _weekday(g[0], pub, future, m.group(0)), _weekday(g[1], pub, future, m.group(0))
        if a and b and b < a:
            a = a - timedelta(days=7)
        return (a.isoformat() if a else None, b.isoformat() if b else None)
    if kind == "weekday":
        if pub is None:
            return None
        d = _weekday(g[0], pub, future, m.group(0))
        return (d.isoformat(), d.isoformat()) if d else None
    if kind == "month":
        return _month_alone(g, pub, future)
    if kind == "relative":
        return _relative(m.group(0).lower(), pub)
    return None


def _month_alone(g: tuple[str | None, ...], pub: date | None, future: bool):
    name, rel = g
    if pub is None or name is None:
        return None
    mon = _month(name)
    if rel:
        yr: int | None = pub.year + {"next": 1, "last": -1}.get(rel, 0)
    else:
        yr = _year_for(mon, None, pub, future)
    v = f"{yr:04d}-{mon:02d}"
    return (v, v)


def _weekday(name: str, pub: date, future: bool, phrase: str) -> date | None:
    target = _WEEKDAYS.index(name.lower())
    delta = (target - pub.weekday()) % 7
    phrase = phrase.lower()
    if future or phrase.startswith("next"):
        return pub + timedelta(days=delta or 7) if phrase.startswith("next") else pub + timedelta(days=delta)
    back = (pub.weekday() - target) % 7
    if phrase.startswith("last") and back == 0:
        back = 7
    return pub - timedelta(days=back)


def _relative(phrase: str, pub: date | None):
    year = regex(r"(19|20)\d\d").search(phrase)
    if year:
        return (year.group(0), year.group(0))
    if "later date" in phrase or "coming" in phrase:
        return None
    if pub is None:
        return None
    if phrase == "today":
        return (pub.isoformat(), pub.isoformat())
    if phrase in ("yesterday", "tomorrow"):
        d = pub + timedelta(days=-1 if phrase == "yesterday" else 1)
        return (d.isoformat(), d.isoformat())
    if phrase.endswith("week"):
        # A week is dated only when it lies within one month.
        shift = -7 if "last" in phrase else 7 if "next" in phrase else 0
        monday = pub - timedelta(days=pub.weekday()) + timedelta(days=shift)
        sunday = monday + timedelta(days=6)
        if (monday.year, monday.month) != (sunday.year, sunday.month):
            return None
        v = f"{monday.year:04d}-{monday.month:02d}"
        return (v, v)
    if phrase.endswith("month"):
        y, mo = pub.year, pub.month
        if "last" in phrase:
            y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
        elif "next" in phrase:
            y, mo = (y, mo + 1) if mo < 12 else (y + 1, 1)
        v = f"{y:04d}-{mo:02d}"
        return (v, v)
    if phrase.endswith("year"):
        y = pub.year + (-1 if "last" in phrase else 1 if "next" in phrase else 0)
        return (str(y), str(y))
    season = _SEASON_MONTHS.get(phrase.split()[-1])
    if season:
        return _season_year(phrase.split()[0], season, pub)
    return None


# A season's months (as the corpus's northern-hemisphere publishers mean them).
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}


def _season_year(which: str, months: tuple[int, int], pub: date) -> tuple[str, str] | None:
    """The year of "last summer", "this spring", "next autumn", only when it is certain:
    "last summer" in March is last year's, but in October it may be this year's."""
    first, last = months
    if which == "this":
        y = pub.year
    elif which == "last" and pub.month < first:
        y = pub.year - 1
    elif which == "next" and pub.month > last:
        y = pub.year + 1
    else:
        return None
    return (str(y), str(y))


def anchor(published: str | None, written: str | None) -> str | None:
    """The day relative dates count from: the date line a text opens with ("(September 8,
    2021)", a call's transcript posted the next day) when it is at most a week before its
    publication, else the publication date."""
    if published and written and len(published) == len(written) == 10:
        try:
            days = (date.fromisoformat(published) - date.fromisoformat(written)).days
        except ValueError:
            return published
        if 0 < days <= 7:
            return written
    return published


def outside_dateline(found: list[DateMention], dateline_span: tuple[int, int] | None) -> list[DateMention]:
    """The dates that are not in the dateline: in "TAIPEI, Jan 18 (Reuters) -" the date is
    the story's, not an event's."""
    if not dateline_span:
        return found
    s0, e0 = dateline_span
    return [d for d in found if not s0 <= d.start < e0]
