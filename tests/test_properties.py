"""Any input gives a valid contract document or a clear error, with every evidence span
inside the text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SEEDS
from tradetalks.clean import decode
from tradetalks.errors import InputError
from tradetalks.models import Extraction
from tradetalks.pipeline import extract_text

WORDS = st.sampled_from([
    "The", "United States", "Taiwan", "held", "the", "third", "round", "of", "negotiations", "in", "Taipei",
    "on", "January 14-17, 2023", "Monday", "later this year", "U.S.-Japan Partnership on Trade", "led by",
    "Secretary of State", "Antony Blinken", "(AIT)", ".", ",", "\n\n", "MORE", "[link](#)", "###", "—",
    "signed", "an", "agreement", "visited", "slammed", "tariffs", "», ", "<p>", "</p>", "\u00a0", "’s",
])


def check(ex: Extraction) -> None:
    data = ex.to_dict()
    again = Extraction.model_validate(data)
    assert again.document.text == ex.document.text
    n = len(ex.document.text)
    for ev in ex.events:
        for e in ev.evidence:
            assert 0 <= e.start < e.end <= n


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_any_unicode_text(text):
    check(extract_text(text, "x.txt"))


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=300).map(" ".join), st.one_of(st.none(), st.dates().map(str)))
def test_text_made_of_trade_talk_words(text, published):
    check(extract_text(text, "x.txt", published))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=4000))
def test_any_bytes_decode_or_say_why(data):
    try:
        text = decode.decode(data, "f.bin")
    except InputError as exc:
        msg = str(exc)
        assert msg.startswith("f.bin: ") and "\n" not in msg
        return
    check(extract_text(text, "f.bin"))


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(SEEDS), st.integers(0, 5000), st.integers(0, 400))
def test_truncated_and_spliced_seeds(path: Path, cut, junk):
    raw = path.read_text()
    check(extract_text(raw[:cut] + raw[-junk:] if junk else raw[:cut], path.name))


def test_huge_document_is_read_within_limits():
    raw = "\n\n".join([SEEDS[0].read_text()] * 200)  # about 800 KB
    check(extract_text(raw, "big.txt"))


def test_empty_text_has_no_events():
    ex = extract_text("", "empty.txt")
    assert ex.events == [] and ex.document.text == ""


def test_a_cut_headline_with_commas_is_not_a_table():
    # Found by test_truncated_and_spliced_seeds: a seed cut after its headline (twice) and a
    # full stop was read as a CSV table (the last row, taken as cut, was left out of the check).
    from tradetalks.clean.metadata import not_an_article

    line = "US, Taiwan to discuss trade, investments, Blinken says"
    assert not_an_article(f"{line}\n\n{line}\n.") is None
    assert not_an_article("a,b,c\n1,2,3\n4,5,6\n7,8,9\n").startswith("a CSV table (3 columns, 3 rows")
