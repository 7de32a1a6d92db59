"""End to end on the seed documents and U.S. government readouts: the events, their
fields, and evidence spans that support every filled field."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SEEDS, USGOV, events_of, text_extract
from tradetalks.pipeline import extract_file


def leads(ev):
    return {p.name for p in ev.participants if p.role == "lead"}


def test_negotiating_round_and_what_it_recalls(seed):
    ex = seed("000")
    primary = ex.events[0]
    assert (primary.type, primary.status) == ("negotiation_round", "held")
    assert primary.mechanism == "U.S.-Taiwan Initiative on 21st-Century Trade"
    assert (primary.start, primary.end) == ("2023-01-14", "2023-01-17")
    assert primary.location.place == "Taipei" and primary.location.country == "TWN"
    assert primary.parties == ["TWN", "USA"] and primary.round is None
    assert leads(primary) == {"Terry McCartin"}
    assert {"AIT", "TECRO", "USTR", "USDA", "FDA", "USAID"} <= set(primary.organizations)
    assert {"trade_facilitation", "anticorruption", "smes", "services"} <= set(primary.topics)
    assert {o.type for o in primary.outcomes} == {"consensus", "commitment"}
    earlier = events_of(ex, "meeting", "held")
    assert [(e.start, e.end, e.location.place) for e in earlier] == [("2022-11-08", "2022-11-09", "New York")]
    launch = events_of(ex, "launch")
    assert [(e.start, e.mechanism) for e in launch] == [("2022-08", primary.mechanism)]
    planned = events_of(ex, status="planned")
    assert [(e.type, e.start, e.mechanism) for e in planned] == [("negotiation_round", None, primary.mechanism)]


def test_round_ordinal_launch_and_next_meetings(seed):
    ex = seed("001")
    primary = ex.events[0]
    assert (primary.type, primary.round, primary.start, primary.end) == ("meeting", 3, "2023-02-02", "2023-02-03")
    assert primary.location.place == "Tokyo"  # the dateline, away from the publisher's home
    assert leads(primary) == {"Danielle Fumagalli"}
    launch = events_of(ex, "launch")[0]
    assert (launch.start, launch.location.place) == ("2021-11", "Tokyo")
    assert leads(launch) == {"Katherine Tai"}
    planned = {(e.mechanism, e.round) for e in events_of(ex, status="planned")}
    assert ("Task Force on the Promotion of Human Rights and International Labor Standards in Supply Chains", 1) in planned
    assert any(m and "Partnership on Trade" in m for m, _ in planned)


def test_news_story_without_dates(seed):
    ex = seed("002")
    primary = ex.events[0]
    assert primary.mechanism == "U.S.-Taiwan Economic Prosperity Partnership Dialogue"
    assert primary.round == 6 and primary.start is None
    assert leads(primary) == {"Jacob Helberg", "Kung Ming-hsin"}
    assert {"artificial_intelligence", "semiconductors", "drones", "critical_minerals", "taxation"} <= set(primary.topics)
    assert [o.type for o in primary.outcomes] == ["signed"]
    agreement = events_of(ex, "agreement")[0]
    assert agreement.start is None  # "earlier this month", and no publication date


def test_assembled_mechanism_and_relative_dates(seed):
    ex = seed("003")
    primary = ex.events[0]
    assert primary.mechanism == "U.S.-China Commercial Issues Working Group"
    assert primary.round == 1 and primary.start == primary.end == "2024-04-04"
    assert primary.location is None  # a Washington dateline for a Washington agency
    assert leads(primary) == {"Marisa Lago", "Wang Shouwen"}
    launch = events_of(ex, "launch")[0]
    assert launch.start == "2023-08" and launch.location.country == "CHN"
    assert leads(launch) == {"Gina Raimondo", "Wang Wentao"}
    planned = events_of(ex, status="planned")[0]
    assert (planned.start, planned.location.country) == ("2024", "CHN")


def test_statement_visit_and_third_party_reaction(seed):
    ex = seed("004")
    kinds = [(e.type, e.status) for e in ex.events]
    assert kinds[0] == ("statement", "held")
    assert leads(ex.events[0]) == {"Antony Blinken"}
    visit = events_of(ex, "visit")[0]
    assert {"Tammy Duckworth", "Dan Sullivan", "Chris Coons"} <= leads(visit)
    assert visit.location.country == "TWN" and visit.parties == ["TWN", "USA"]
    reaction = events_of(ex, "reaction")[0]
    assert reaction.parties == ["CHN"] and leads(reaction) == {"Wang Wenbin"}
    assert all(e.start is None for e in ex.events)  # "Monday", with no publication date


def test_published_option_resolves_relative_dates():
    ex = extract_file(SEEDS[4], published="2021-06-22")
    assert ex.document.published == "2021-06-22"
    assert ex.events[0].start == "2021-06-21"  # "Monday"


def test_readout_with_earlier_summit(usgov):
    ex = usgov("whitehouse-readout-of-the-trilateral")
    primary = ex.events[0]
    assert primary.mechanism == "U.S.-Japan-ROK Economic Security Dialogue" and primary.round == 1
    assert primary.location.place == "Honolulu" and primary.parties == ["JPN", "KOR", "USA"]
    assert {"Yasuo Takamura", "Yunjong Wang", "Tarun Chhabra", "Nora Todd"} <= leads(primary)
    summit = [e for e in ex.events if e.start == "2022-11-13"][0]
    assert summit.location.place == "Phnom Penh" and "KHM" not in summit.parties


def test_joint_statement_with_second_round(usgov):
    ex = usgov("statedept-joint-statement-on-the-2nd")
    primary = ex.events[0]
    assert (primary.round, primary.start, primary.location.place) == (2, "2022-02-17", "Bangkok")
    assert leads(primary) == {"Kulit Sombatsiri", "Harry Kamian"}
    assert {"signed", "cooperation", "commitment"} <= {o.type for o in primary.outcomes}


def test_visit_to_several_countries(usgov):
    ex = usgov("whitehouse-statement-by-nsc")
    assert [(e.type, e.parties) for e in ex.events] == [("visit", ["ARE", "QAT", "SAU", "USA"])]


def _supports(field, value, span_text):
    if field == "round":
        return bool(re.search(r"first|inaugural|initial|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d", span_text, re.I))
    if field in ("start", "end"):
        return bool(re.search(r"\d|day|month|year|today|tomorrow", span_text, re.I))
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
