"""The sentence splitter: spaCy's sentencizer rule and English abbreviations, on the text."""

from __future__ import annotations

import pytest

from tradetalks.extract.sentences import sentences


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in sentences(text)]


def test_full_stops_question_and_exclamation_marks_end_sentences():
    assert split("They met in Taipei. Talks went well! Will they meet again? Yes.") == [
        "They met in Taipei.", "Talks went well!", "Will they meet again?", "Yes."]


@pytest.mark.parametrize("text", [
    "The U.S. Trade Representative met Japan's minister.",
    "Talks with Samsung Electronics Co. Ltd. continued.",
    "Sen. Tammy Duckworth (D-Ill.) arrived on Sunday.",
    "The talks on Oct. 5 were the third round.",
    "Officials from J. P. Morgan attended.",
    "Streams are on www.state.gov and www.YouTube.com/statedept at 9:00 a.m. today.",
    "He said the deal was done...they were pleased.",
    "China will modify the duty set forth in Announcement No. 4 of 2025 of the State Council.",
])
def test_abbreviations_initials_addresses_and_ellipses_do_not_end_sentences(text):
    assert split(text) == [text]


def test_a_quote_or_bracket_that_opens_a_sentence_belongs_to_it():
    text = 'The EU and US agreed. "We are pleased," he said. (AP Photo/Staff)'
    assert split(text) == ["The EU and US agreed.", '"We are pleased," he said.', "(AP Photo/Staff)"]


def test_closing_quotes_stay_with_their_sentence_and_attribution_follows():
    text = "It is done.” Tai said. “So many opportunities now that it is finalized!,” Gor said."
    assert split(text) == ["It is done.”", "Tai said.", "“So many opportunities now that it is finalized!,” Gor said."]


def test_a_stop_glued_to_the_next_sentence_still_ends_it():
    assert split('The talks ended.They resume in May. It was revised."India will cut tariffs."') == [
        "The talks ended.", "They resume in May.", "It was revised.", '"India will cut tariffs."']


def test_line_breaks_end_sentences_and_white_space_is_not_a_sentence():
    text = "Joint Statement\n\n- Labor: planning the first meeting\n   \nThe sides met."
    assert split(text) == ["Joint Statement", "- Labor: planning the first meeting", "The sides met."]
    assert sentences("") == [] and sentences(" \n\n ") == []


def test_two_capitals_before_a_stop_end_a_sentence_but_one_capital_does_not():
    assert split("Exports rose to the USA. Imports fell.") == ["Exports rose to the USA.", "Imports fell."]
    assert split("Plan B. Smith agreed.") == ["Plan B. Smith agreed."]
