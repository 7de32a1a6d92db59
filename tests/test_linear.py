"""The recognizers on crafted large texts (issue 12): what they find is right and bounded.
Timings are left to benchmarks/adversarial.py; these check the results of the linear code
paths (runs of titles read once, people looked up by index, sweeps instead of all pairs)."""

from __future__ import annotations

import random

from tradetalks.extract import actors, dates, mechanisms, people, sentences, topics
from tradetalks.extract import names as names_
from tradetalks.pipeline import extract_text


def find_people(text):
    return people.find_people(text, actors.find_countries(text), actors.find_orgs(text))


def by_name(text):
    return {p.name: p for p in find_people(text)}


def test_a_run_of_titles_without_a_name_is_nobody():
    assert find_people("Mr. " * 50_000) == []  # 200 KB
    assert extract_text("Mr. " * 50_000, "x").events == []
    assert find_people("Secretary of State and Secretary of Commerce " * 4_000) == []


def test_a_name_after_a_long_run_of_titles_is_found_as_after_a_short_one():
    tail = "Trade Minister Wang Wentao met U.S. Commerce Secretary Gina Raimondo in Beijing."
    for unit in ("Minister of Trade and Industry of the ", "Secretary of State and Secretary of Commerce "):
        small, large = by_name(unit * 3 + "\n" + tail), by_name(unit * 5_000 + "\n" + tail)
        assert set(small) == set(large) == {"Wang Wentao", "Gina Raimondo"}
        assert {n: (p.title, p.country) for n, p in small.items()} == {n: (p.title, p.country) for n, p in large.items()}
        assert large["Gina Raimondo"].title == "Commerce Secretary"


def test_names_in_a_long_run_of_capitalised_words_are_resolved():
    rng = random.Random(3)
    words = ["Trade", "Minister", "Commerce", "Pacific", "Council", "Taiwan", "Secretary", "Deputy", "General"]
    noise = " ".join(rng.choice(words) for _ in range(30_000))  # about 200 KB
    text = noise + ".\nCommerce Secretary Gina Raimondo met them. Later, Raimondo said the talks went well."
    found = by_name(text)
    assert "Gina Raimondo" in found
    raimondo = found["Gina Raimondo"]
    assert raimondo.title == "Commerce Secretary"
    assert text.index("Raimondo said") in [s for s, _ in raimondo.spans]


def test_many_people_each_found_once_and_surnames_go_to_the_nearest():
    rng = random.Random(7)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    names = set()
    while len(names) < 2_000:
        names.add((rng.choice(syllables) + rng.choice(syllables)).capitalize() + " "
                  + (rng.choice(syllables) + rng.choice(syllables) + rng.choice(syllables)).capitalize())
    names = sorted(n for n in names if names_.valid_name(n))  # not "Gaza Kosumi"
    text = "".join(f"Trade Minister {n} spoke. " for n in names)
    text += "Minister Wang Yi met Minister Wang Wentao. Wang said the talks went well."
    found = find_people(text)
    assert len(found) == len(names) + 2
    assert {p.name for p in found} >= set(names)
    wentao = next(p for p in found if p.name == "Wang Wentao")
    assert text.index("Wang said") in [s for s, _ in wentao.spans]


def test_a_person_named_again_is_the_same_person():
    text = ("Secretary of State Antony Blinken met Chinese Vice Premier He Lifeng. Antony J. Blinken said. "
            "Blinken added that Secretary Blinken and He Lifeng agreed. The secretary said more talks would follow.")
    found = by_name(text)
    assert set(found) == {"Antony J. Blinken", "He Lifeng"} or set(found) == {"Antony Blinken", "He Lifeng"}
    blinken = next(p for n, p in found.items() if "Blinken" in n)
    assert len(blinken.spans) >= 4
    assert text.index("secretary said") in [s for s, _ in blinken.spans]


def test_repeated_dates_are_each_found():
    text = "March 3, 2024, " * 10_000
    found = dates.find_dates(text, "2024-03-10")
    assert len(found) == 10_000
    assert {d.value for d in found} == {("2024-03-03", "2024-03-03")}
    # Overlapping kinds still give way to the earlier pattern: a range is one date.
    found = dates.find_dates("They met January 14-17, 2023 and on 3 March 2024. " * 2_000, None)
    assert [d.kind for d in found[:2]] == ["mdd_y", "dm_y"] and len(found) == 4_000


def test_dated_bullet_lines_give_events():
    text = "Trade talks: a list.\n\n" + "- The United States and Japan met in Tokyo on March 3, 2024.\n" * 2_000
    ex = extract_text(text, "x")
    assert ex.events
    assert all(e.start == "2024-03-03" for e in ex.events)


def test_sentences_are_bounded_and_cover_the_text():
    text = "the talks on trade and investment continued, " * 5_000
    spans = sentences.sentences(text)
    assert all(e - s <= sentences.MAX_SENTENCE for s, e in spans)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")
    one_word = "x" * 100_000
    assert sentences.sentences(one_word) == [(i, min(i + sentences.MAX_SENTENCE, 100_000)) for i in range(0, 100_000, sentences.MAX_SENTENCE)]
    # A stop after an abbreviation ends no sentence, far into a text without line breaks.
    assert len(sentences.sentences("Mr. " * 50_000)) == 100
    assert len(sentences.sentences("They met. " * 20_000)) == 20_000
    # Addresses are read word by word: "www.Example.com" does not end a sentence.
    assert len(sentences.sentences("See www.Example.com today. " * 5_000)) == 5_000



def _sentences_word_by_word(text):
    """sentences.sentences as it was written first: each stop's word copied out of the text."""
    cuts, words = [0], sentences._Words(text)
    for m in sentences._boundary().finditer(text):
        if m.lastgroup == "end" and not sentences._ends(text, m.start(), text[m.start():m.start("end")]):
            continue
        if m.lastgroup == "inner" and words.in_address(m.start()):
            continue
        cuts.append(m.end())
    cuts.append(len(text))
    spans = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = text[start:end]
        if piece.strip():
            start += len(piece) - len(piece.lstrip())
            spans.append((start, start + len(piece.strip())))
    return sentences._cap(text, sentences._merge_short(text, spans))


def test_stops_without_spaces_between_them_are_judged_by_their_words_ends():
    # A carriage return or a tab is white space but not a word's end: each stop's "word"
    # reaches back to the last space or line break, and a long one is judged by its end
    # (abbreviations, initials, "(D-Ill.)") without being copied out of the text.
    assert len(sentences.sentences("a.\r" * 100_000)) == 150  # joined (lower case follows), then cut
    long_word = "(" * 70 + "b" * 70
    texts = ["They met U.S.\t" + "a.\tB.\t" * 50 + "x-Calif.\tJ.\tUSA.\tTalks.\tNext"]
    for tail in ("U.S.", "x-Calif.", "J.", "USA.", "end.", "Ill.", "(D-Ill.)", "b-Ill.", "Mr.", "bJ.", "("):
        texts += ["Then " + long_word + tail + "\rNext", "Then " + long_word + "\r" + tail + "\rNext",
                  "Then " + "(" * 90 + tail + "\tNext", "Then " + long_word.replace("(", "") + "-" + tail + " Next"]
    for text in texts:
        assert sentences.sentences(text) == _sentences_word_by_word(text), text


def test_many_organizations_and_mechanisms():
    text = "the Ministry of Commerce and the Foo Bar Council of the Baz Qux, " * 3_000
    orgs = actors.find_orgs(text)
    assert len(orgs) == 6_000
    assert {o.name for o in orgs} == {"Ministry of Commerce", "Foo Bar Council of the Baz Qux"}
    text = "the U.S.-China Economic Dialogue (EPD) met. " + "The EPD and the Dialogue met. " * 5_000
    found = mechanisms.find_mechanisms(text)
    assert len(found) == 2 + 2 * 5_000  # the name, its acronym, then each "EPD" and "the Dialogue"
    assert {m.name for m in found} == {"U.S.-China Economic Dialogue"}


def test_topics_not_cues_by_span():
    text = "They discussed semiconductors and clean energy. " * 5_000
    found = topics.find_topics(text)
    assert len(found) >= 10_000
