"""Datelines that records and wires write on a line of their own, and what they tell of the
ministries a document names without their country."""

from __future__ import annotations

import pytest

from tests.conftest import text_extract
from tradetalks.clean.metadata import find_dateline


@pytest.mark.parametrize(("text", "place", "country"), [
    ("29th August, 1956\n\nCANBERRA\n\nPRESENT:\n", "Canberra", "AUS"),
    ("12th April, 1957\n\nTOKYO\n\nI think it might be useful.\n", "Tokyo", "JPN"),
    ("Wellington, 19 December 1980\n\nCONFIDENTIAL\n", "Wellington", "NZL"),
])
def test_a_place_line_at_the_head_is_the_dateline(text, place, country):
    found, span = find_dateline(text)
    assert found is not None and (found.place, found.country) == (place, country)
    assert span is not None and text[span[0]:span[1]].lower().startswith(place.lower())


@pytest.mark.parametrize("text", ["CONFIDENTIAL\n\nThe talks went well.\n", "Canberra\n\nThe talks went well.\n",
                                  "Wellington is a city.\n"])
def test_words_that_are_no_place_line_are_no_dateline(text):
    assert find_dateline(text) == (None, None)


def test_a_ministry_without_its_country_is_the_datelines():
    text = ("14th May, 1957\n\nCANBERRA\n\nPRESENT:\n\nMr G.P. Phillips, Chairman.\n\n"
            "Mr Atsushi Uyama, Counsellor, Japanese Embassy.\n\nMr R.G. Robertson, Department of Trade.\n\n"
            "The meeting commenced at 11.10 a.m.\n\nMR PHILLIPS welcomed the Japanese delegation to the first meeting.\n")
    ex = text_extract(text, "1957-05-14")
    assert ex.events and ex.events[0].parties == ["AUS", "JPN"]


def test_a_commentator_of_a_ministry_is_not_the_ministry_speaking():
    text = ("BEIJING, July 8 (Xinhua) -- Chinese President Xi Jinping visited Seoul last week, his first visit to the ROK.\n\n"
            "Trade expert Mei Xinyu of the Ministry of Commerce said the FTA would boost trade between China and the ROK.\n")
    assert [e.type for e in text_extract(text, "2014-07-08").events] == ["visit"]


def test_a_place_and_date_line_at_the_head_dates_the_document():
    from tradetalks.clean import clean
    c = clean("Jakarta, 12 March 2024\n\nIndonesia and Canada concluded the fifth round of talks in Ottawa on 8 March 2024.\n")
    assert c.published == "2024-03-12" and c.dateline is not None and c.dateline.country == "IDN"


def test_a_meetings_record_is_a_readout_held_at_its_place_line():
    text = ("---\ntitle: 'Australia-Japan Trade Negotiations: First Meeting'\ndate: '1956-08-29'\n---\n\n"
            "29th August, 1956\n\nCANBERRA\n\nPRESENT:\n\nMr G.P. Phillips, Chairman.\n\n"
            "Mr Atsushi Uyama, Counsellor, Japanese Embassy.\n\nMr R.G. Robertson, Department of Trade.\n\n"
            "The meeting commenced at 11.10 a.m.\n")
    ex = text_extract(text, None)
    assert ex.document.kind == "readout"
    assert ex.events[0].location is not None and (ex.events[0].location.place, ex.events[0].location.country) == ("Canberra", "AUS")


def test_relative_dates_count_from_the_transcripts_own_date_line():
    text = ("---\ntitle: Background Press Call on the Dialogue\ndate: '2021-09-09'\n---\n\nVia Teleconference\n\n"
            "(September 8, 2021)\n\nMODERATOR: Welcome to this briefing to discuss tomorrow’s U.S.-Mexico "
            "High-Level Economic Dialogue.\n")
    ex = text_extract(text, None)
    assert ex.document.published == "2021-09-09"
    assert [e.start for e in ex.events if e.type == "meeting"] == ["2021-09-09"]
