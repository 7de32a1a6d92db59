"""Dates: precision, ranges, relative phrases, and never inventing one."""

from __future__ import annotations

import pytest

from tradetalks.extract.dates import find_dates


def values(text, published=None):
    return [d.value for d in find_dates(text, published)]


@pytest.mark.parametrize("text,published,expected", [
    ("held talks from January 14-17, 2023 in Taipei", None, ("2023-01-14", "2023-01-17")),
    ("conceptual discussions from November 8-9, 2022", None, ("2022-11-08", "2022-11-09")),
    ("met from February 2-3", "2023-02-03", ("2023-02-02", "2023-02-03")),
    ("the mandate established in August 2022", None, ("2022-08", "2022-08")),
    ("On June 2, 2022, the officials met", None, ("2022-06-02", "2022-06-02")),
    ("held on 18 March 2005 in Canberra", None, ("2005-03-18", "2005-03-18")),
    ("to meet again later this year", "2024-04-05", ("2024", "2024")),
    ("reached an agreement earlier this month", "2026-01-20", ("2026-01", "2026-01")),
    ("signed last year", "1987-03-02", ("1986", "1986")),
    ("Today, the two sides held", "2024-04-04", ("2024-04-04", "2024-04-04")),
    ("said on Tuesday", "2019-11-20", ("2019-11-19", "2019-11-19")),
    ("from December 10 to December 12", "2026-01-08", ("2025-12-10", "2025-12-12")),
])
def test_resolution(text, published, expected):
    assert values(text, published)[0] == expected


@pytest.mark.parametrize("text", ["said in a hearing Monday", "earlier this month", "later this year", "on Thursday and Friday"])
def test_relative_dates_without_publication_date_stay_unresolved(text):
    found = find_dates(text, None)
    assert found and all(d.value == (None, None) for d in found)


def test_later_date_is_no_date():
    assert values("will be shared at a later date", "2023-01-17") == [(None, None)]


def test_planned_month_without_year_moves_forward():
    # Published in December, "a meeting in February" that is planned is next year's.
    assert values("will meet on February 3", "2023-12-20")[0] == ("2024-02-03", "2024-02-03")


def test_past_month_without_year_moves_back():
    assert values("the leaders met on November 13", "2023-02-28")[0] == ("2022-11-13", "2022-11-13")


def test_numbers_are_not_dates():
    assert values("cuts of up to 50 pct on 1,700 products") == []
    assert values("May 5 percent of exports") == []


@pytest.mark.parametrize("text,published,expected", [
    ("the talks will resume in December", "2025-10-02", ("2025-12", "2025-12")),
    ("a second round is planned for mid-March", "2025-12-10", ("2026-03", "2026-03")),
    ("the pact signed in early June", "2025-12-10", ("2025-06", "2025-06")),
    ("a deal around February next year", "2025-06-10", ("2026-02", "2026-02")),
    ("since May the negotiators", "2025-12-10", ("2025-05", "2025-05")),
])
def test_month_without_year_takes_the_publication_year(text, published, expected):
    assert values(text, published)[0] == expected


@pytest.mark.parametrize("text", ["Mr. August said", "They may meet", "May Day parade", "in Mayfair"])
def test_a_month_name_alone_is_no_date(text):
    assert values(text, "2025-12-10") == []


@pytest.mark.parametrize("text,published,expected", [
    ("the ministers met last week", "2025-12-10", ("2025-12", "2025-12")),
    ("talks next week in Geneva", "2025-12-10", ("2025-12", "2025-12")),
    ("talks this week in Geneva", "2025-12-10", ("2025-12", "2025-12")),
    # The week of 29 December 2025 runs into January: no month can be given.
    ("talks next week in Geneva", "2025-12-24", (None, None)),
])
def test_a_week_is_a_month_only_when_it_lies_in_one(text, published, expected):
    assert values(text, published)[0] == expected


@pytest.mark.parametrize("text,published,expected", [
    ("negotiators opened talks last summer", "1987-03-02", ("1986", "1986")),
    ("the rules agreed this spring", "2025-10-02", ("2025", "2025")),
    ("talks to resume next autumn", "2025-12-02", ("2026", "2026")),
    # In October "last summer" may be this year's or last year's: no year is given.
    ("negotiators opened talks last summer", "1987-10-02", (None, None)),
    ("talks to resume next fall", "2025-05-02", (None, None)),
])
def test_a_season_gives_its_year_only_when_it_is_certain(text, published, expected):
    assert values(text, published)[0] == expected


def test_a_modal_in_the_sentence_before_does_not_make_a_weekday_future():
    from tests.conftest import text_extract
    text = ("The two sides will keep talking.\nFriday’s talks in Geneva were productive, officials said.\n")
    meetings = [e for e in text_extract(text, "2026-02-09").events if e.type == "meeting"]
    assert [(e.status, e.start) for e in meetings] == [("held", "2026-02-06")]


def test_a_date_in_a_legal_texts_name_dates_no_event():
    from tests.conftest import text_extract
    text = ("Subject to the successful conclusion of the Interim Agreement, the United States will remove "
            "products from the list set out in Annex III to Executive Order 14346 of September 5, 2025.\n")
    agreements = [e for e in text_extract(text, "2026-02-09").events if e.type == "agreement"]
    assert agreements and all(e.start is None for e in agreements)


def test_the_events_own_passive_keeps_its_date():
    from tests.conftest import text_extract
    text = ("Negotiators met in Taipei for the first round held in person since the initiative's negotiating "
            "mandate was agreed in August 2022.\n")
    launches = [e for e in text_extract(text, "2023-01-18").events if e.type == "launch"]
    assert [e.start for e in launches] == ["2022-08"]


def test_a_weekday_followed_by_its_date_in_brackets_is_that_date():
    assert values("the press secretary said on Friday (Dec 11).", "2020-12-14") == [("2020-12-11", "2020-12-11")]


def test_a_date_in_a_comment_after_the_event_word_is_not_the_events():
    from tests.conftest import text_extract
    text = ("Exporters have highlighted the need to finalise the trade agreement between India and the US, "
            "noting that exports to the US fell in October.\n")
    agreements = [e for e in text_extract(text, "2025-12-01").events if e.type == "agreement"]
    assert [(e.status, e.start) for e in agreements] == [("planned", None)]
    dated = "India and the US hope to finalise the trade agreement in October, officials said.\n"
    assert [e.start for e in text_extract(dated, "2025-09-01").events if e.type == "agreement"] == ["2025-10"]


def test_the_date_of_a_directive_to_negotiate_is_not_the_talks():
    from tests.conftest import text_extract
    text = "In February, leaders of India and the US directed officials to begin negotiations on a trade agreement.\n"
    rounds = [e for e in text_extract(text, "2026-01-10").events if e.type == "negotiation_round"]
    assert [(e.status, e.start) for e in rounds] == [("planned", None)]
    planned = "India and the US plan to begin negotiations on a trade agreement in February.\n"
    assert [e.start for e in text_extract(planned, "2026-01-10").events if e.type == "negotiation_round"] == ["2026-02"]
