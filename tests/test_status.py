"""Status from the verb and its modality, one rule a test: future, intention, expectation,
condition, negation, and an event under way at publication."""

from __future__ import annotations

import pytest

from tests.conftest import text_extract

PUBLISHED = "2024-10-01"


def kinds(sentence: str) -> list[tuple[str, str]]:
    return [(e.type, e.status) for e in text_extract(sentence + "\n", PUBLISHED).events]


@pytest.mark.parametrize("sentence, expected", [
    # future
    ("Japan and Australia will hold the third round of trade negotiations in Tokyo in March 2025.",
     ("negotiation_round", "planned")),
    # intention
    ("The United States and the European Union intend to negotiate a global arrangement on steel.",
     ("negotiation_round", "planned")),
    # expectation
    ("The fourth meeting of the Joint Committee is expected to take place in Seoul in May 2025.",
     ("meeting", "planned")),
    # condition
    ("Once that agreement is signed, Canada and Mexico will begin work on a customs union.",
     ("agreement", "planned")),
    ("If the talks succeed, India and Oman would sign a trade agreement next year.",
     ("agreement", "planned")),
    # possibility and schedule
    ("A decision could be reached in December, when WTO members gather for a summit in Hong Kong.",
     ("meeting", "planned")),
    ("The prime ministers of Australia and New Zealand might hold talks in Wellington.", ("meeting", "planned")),
    ("EU leaders are due to hold a summit with India in Brussels on October 15.", ("meeting", "planned")),
    # commitment to meet
    ("The United States and Mexico committed to meeting annually at the cabinet level.", ("meeting", "planned")),
    ("The ministers reaffirmed their commitment to meet annually in this forum.", ("meeting", "planned")),
    # under way at publication
    ("The fifth round of negotiations between India and the United Kingdom is being held in New Delhi.",
     ("negotiation_round", "held")),
    ("Talks between China and Japan are under way in Beijing.", ("meeting", "held")),
    # the plain past
    ("India and Oman signed a comprehensive economic partnership agreement in December 2023.",
     ("agreement", "held")),
])
def test_status_follows_the_verb(sentence, expected):
    assert kinds(sentence)[0] == expected


def test_negated_meeting_is_no_event():
    assert kinds("Canada and Mexico did not hold talks in May 2024 and no meeting was held.") == []
    assert kinds("Canada and Mexico held talks in Ottawa in May 2024.") == [("meeting", "held")]


@pytest.mark.parametrize("sentence", [
    "India and the European Union agreed a landmark trade deal on January 27, 2026.",
    "India and the United States released a framework for an interim trade agreement on Friday.",
    "The deal between Georgia and China was concluded in Tbilisi in October 2023.",
])
def test_agreement_verbs_with_their_object(sentence):
    assert ("agreement", "held") in kinds(sentence)


def test_working_towards_a_deal_is_a_planned_agreement():
    assert kinds("India and the United States will work toward a broader trade deal.") == [("agreement", "planned")]


@pytest.mark.parametrize("sentence, expected", [
    ("They also advanced work on the ministerial meeting to be held in the near future.", ("meeting", "planned")),
    ("The agreements between Hong Kong and ASEAN will be signed in November.", ("agreement", "planned")),
    ("Delegations from the EFTA States and India pursued their negotiations on a Free Trade Agreement on 15-17 June 2011 "
     "in New Delhi.", ("negotiation_round", "held")),
])
def test_what_follows_the_event_word_says_its_status(sentence, expected):
    assert kinds(sentence)[0] == expected


@pytest.mark.parametrize("sentence", [
    "The supposedly last round of negotiations will be held on Thursday in Beijing.",
    "The 9th round of Vietnam-EU FTA talks will take place in Da Nang on Sept. 22-26.",
    "The next round of talks between the two sides is scheduled to begin on Monday.",
])
def test_an_event_noun_whose_verb_is_future_is_planned(sentence):
    evs = [e for e in text_extract("Trade talks\n\n" + sentence + "\n", "2015-09-10").events if e.type in ("meeting", "negotiation_round")]
    assert [e.status for e in evs] == ["planned"]


def test_a_round_about_to_begin_is_planned():
    evs = text_extract("Talks\n\nWe are about to enter the tenth round of negotiations with Japan.\n", "2009-08-10").events
    assert [(e.type, e.status, e.round) for e in evs] == [("negotiation_round", "planned", 10)]


def test_announcing_that_a_framework_was_reached_is_held():
    evs = text_extract("Joint Statement\n\nThe United States and India are pleased to announce that they have reached a "
                       "framework for an Interim Agreement on reciprocal trade.\n", "2026-02-06").events
    assert [(e.type, e.status) for e in evs if e.type == "agreement"] == [("agreement", "held")]


@pytest.mark.parametrize("sentence", [
    "Both sides looked forward to reconvening a ministerial meeting of the U.S.-India Homeland Security Dialogue in 2022.",
    "Secretary Ebrard is going to be here for the U.S.-Mexico High-Level Economic Dialogue meeting.",
    "Ministers expressed their desire to hold the next meeting of the Joint Trade Committee in Canberra.",
])
def test_a_hope_or_intention_makes_the_event_planned(sentence):
    evs = [e for e in text_extract(sentence + "\n", "2021-09-08").events if e.type in ("meeting", "negotiation_round")]
    assert evs and all(e.status == "planned" for e in evs)


@pytest.mark.parametrize("sentence", [
    "Other American Presidents have tried and failed to reach a significant trade deal with the European Union.",
    "The requirements would infringe upon my constitutional authority to negotiate with a foreign partner.",
])
def test_a_failed_attempt_or_a_power_to_act_is_no_event(sentence):
    assert [e.type for e in text_extract(sentence + "\n", "2025-07-28").events if e.type != "statement"] == []


def test_right_after_an_event_word_is_no_negation():
    text = "Japanese and U.S. officials spoke right after the meeting of the two ministers in Tokyo on Monday.\n"
    assert "meeting" in {e.type for e in text_extract(text, "2024-01-02").events}


def test_a_timelines_past_line_in_the_present_of_narration_is_held():
    text = ("Timeline of the talks\n\n"
            "- November 2018: Mrs May finally strikes a Withdrawal Agreement with the EU.\n"
            "- October 2021: EU and New Zealand leaders will sign the free trade agreement.\n")
    found = [(e.type, e.status, e.start) for e in text_extract(text, "2020-09-08").events]
    assert found == [("agreement", "held", "2018-11"), ("agreement", "planned", "2021-10")]
    # Without a date that opens its line, the present tense of an agreement's verb is to come.
    assert kinds("Mrs May hopes she strikes a Withdrawal Agreement with the EU in November 2018.") == [("agreement", "planned")]
