"""Events end to end: evidence spans that support every filled field of the seed documents
and U.S. government readouts, and rules of kinds of sentence. What each whole document
should yield is scored against the hand-made answers by benchmarks/quality.py (run by
`make test`), not restated here."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SEEDS, USGOV, events_of, text_extract
from tradetalks.pipeline import extract_file


def test_published_option_resolves_relative_dates():
    ex = extract_file(SEEDS[4], published="2021-06-22")
    assert ex.document.published == "2021-06-22"
    assert ex.events[0].start == "2021-06-21"  # "Monday"


def _supports(field, value, span_text):
    if field == "round":
        return bool(re.search(r"first|inaugural|initial|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d", span_text, re.I))
    if field in ("start", "end"):
        return bool(re.search(r"\d|day|week|month|year|today|tomorrow", span_text, re.I))
    return bool(span_text.strip())


@pytest.mark.parametrize("path", SEEDS + sorted(p for p in USGOV.iterdir() if p.suffix == ".txt"), ids=lambda p: p.name[:40])
def test_every_filled_field_has_evidence_inside_the_text(path):
    ex = extract_file(path)
    text = ex.document.text
    for ev in ex.events:
        fields = {e.field for e in ev.evidence}
        for field, filled in (("mechanism", ev.mechanism), ("round", ev.round), ("start", ev.start),
                              ("end", ev.end), ("location", ev.location), ("parties", ev.parties),
                              ("participants", ev.participants), ("organizations", ev.organizations),
                              ("topics", ev.topics), ("outcomes", ev.outcomes)):
            if filled:
                assert field in fields, (ev.type, field)
        for e in ev.evidence:
            assert 0 <= e.start < e.end <= len(text)
            assert _supports(e.field, None, text[e.start:e.end]), (e.field, text[e.start:e.end])
        if ev.round is not None:
            span = next(e for e in ev.evidence if e.field == "round")
            assert re.search(r"round|meeting|inaugural|dialogue|session|conference|[A-Z]", text[span.start:span.end + 30], re.I)


def test_no_events_in_text_about_nothing():
    ex = text_extract("The weather was sunny in the park today, and children played football.")
    assert ex.events == []


def test_conditional_and_negated_meetings_are_not_events():
    ex = text_extract("A spokesman said that “we have no meetings to announce at this time.”")
    assert ex.events == []


@pytest.mark.parametrize("attribution", ["the Office of the United States Trade Representative said", "USTR said",
                                         "officials said"])
def test_an_attribution_does_not_take_the_reported_events_date(attribution):
    ex = text_extract("Fifth Round of the U.S.-Taiwan Initiative on 21st-Century Trade\n\nWASHINGTON – The United States "
                      "and Taiwan will hold the fifth negotiating round of the U.S.-Taiwan Initiative on 21st-Century Trade "
                      f"in Washington from March 10-12, 2031, {attribution}.\n", "2030-11-02")
    assert [(e.type, e.status, e.start, e.end, e.location.place) for e in ex.events] == \
        [("negotiation_round", "planned", "2031-03-10", "2031-03-12", "Washington")]


def test_a_date_right_after_said_dates_the_statement():
    ex = text_extract("Trade talks\n\nTAIPEI – Taiwan's Deputy Trade Representative Yang Jen-ni said on March 3, 2024 "
                      "that the two sides held talks on the U.S.-Taiwan Initiative on 21st-Century Trade.\n", "2024-03-05")
    said = events_of(ex, "statement")
    assert said and said[0].start == "2024-03-03"


@pytest.mark.parametrize("verb", ["decided to reschedule", "postponed", "deferred"])
def test_a_rescheduled_meeting_is_still_to_come(verb):
    ex = text_extract(f"India, US talks\n\nNEW DELHI - India and the United States {verb} the official meeting on the "
                      "interim trade agreement, sources said.\n", "2026-02-22")
    assert [(e.type, e.status) for e in ex.events if e.type == "meeting"] == [("meeting", "planned")]


def test_a_headline_about_what_is_to_come_makes_the_planned_event_the_main_one():
    ex = text_extract("India, US Postpone Trade Deal Meet\n\nNEW DELHI - President Donald Trump called the ruling a "
                      "disgrace during a meeting with governors. India and the United States have decided to reschedule "
                      "the official meeting on the interim trade agreement. The three-day meeting was slated to take place "
                      "in the US on February 23.\n", "2026-02-22")
    primary = ex.events[0]
    assert (primary.type, primary.status, primary.start) == ("meeting", "planned", "2026-02-23")


def test_a_date_after_a_verb_of_saying_dates_what_is_said_not_the_saying():
    ex = text_extract("Trade deal\n\nNew Delhi says an interim pact should be finalised by the end of March.\n", "2026-02-20")
    assert [(e.type, e.start) for e in ex.events if e.type == "statement"] in ([], [("statement", None)])
    said_on = text_extract("Trade deal\n\nIndia's trade minister Piyush Goyal said on Monday the trade deal was near.\n", "2026-02-20")
    assert [e.start for e in said_on.events if e.type == "statement"] == ["2026-02-16"]


def test_a_date_after_another_event_noun_dates_that_noun():
    ex = text_extract("Readout\n\nThey discussed next steps toward the commitment made during Vice President Harris' visit "
                      "in June to hold a High-Level Security Dialogue with Mexico.\n", "2021-08-11")
    assert [e.start for e in ex.events if e.mechanism == "High-Level Security Dialogue"] == [None]


def test_a_recalled_reference_takes_its_facts_from_its_own_phrase():
    """"As reconfirmed in the June 15, 2021 EU-U.S. Summit Statement, the Council is ...":
    the date is the summit's, of its phrase, not the Council's named after the comma; the
    Council's ninth meeting, told twice by two spellings of its name, is one event, dated
    today."""
    ex = text_extract("Joint Statement on the U.S.-EU Energy Council\n\n"
                      "The statement was released on the occasion of the ninth meeting of the U.S.-EU Energy Council. "
                      "The ninth United States – European Union Energy Council met today in Washington. "
                      "As reconfirmed in the June 15, 2021 EU-U.S. Summit Statement, the U.S.-EU Energy Council is the lead "
                      "transatlantic coordination forum on strategic energy issues.\n", "2022-02-07")
    assert [(e.mechanism, e.start) for e in ex.events if e.round == 9] == [("U.S.-EU Energy Council", "2022-02-07")]
    assert "2021-06-15" in [e.start for e in ex.events]
