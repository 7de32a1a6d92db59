"""Cleaning keeps every paragraph of the article whole, or removes it whole as boilerplate,
and records each removal: a property over every document of the corpus (when ../shared is
there) and over the small copies in tests/data/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import SEEDS, USGOV
from tradetalks.clean import clean, formats, repair
from tradetalks.clean.boilerplate import cues
from tradetalks.clean.decode import decode

SHARED = Path(__file__).parents[2] / "shared"
_BULLET_MARK = re.compile(r"^(?:[-*+•●▪◦–]|\d{1,2}[.)])\s+")
_MID_SENTENCE = re.compile(r"(?:[,;(–—-]|\b(?:the|of|and|to|a|an|in|for|with|by|on|at|from))$")


def _norm(text: str) -> str:
    lines = (_BULLET_MARK.sub("", line.strip()) for line in text.split("\n"))
    return " ".join(" ".join(lines).split())


def units(raw: str) -> list[str]:
    """The paragraphs of the body as the raw gives it once markup is removed. A block
    between blank lines whose lines are mostly of a hard-wrapped width (40 to 100
    characters) is one paragraph (a list item in it starts another); in other blocks each
    line stands alone, joined to the next only where the break falls inside a sentence (the
    next line begins in lower case, or the line ends with a comma or a word that cannot end
    a sentence)."""
    text = repair.prepare(formats.parse(raw).body)
    out: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        inner = lines[:-1]
        wrapped = bool(inner) and sum(40 <= len(ln) <= 100 for ln in inner) >= 0.6 * len(inner)
        for i, line in enumerate(lines):
            prev = lines[i - 1] if i else ""
            joins = i and not _BULLET_MARK.match(line) and (
                wrapped or line[:1].islower() or _MID_SENTENCE.search(prev))
            if joins:
                out[-1] += " " + line
            else:
                out.append(line)
    return [_norm(u) for u in out if _norm(u)]


def broken_paragraphs(raw: str) -> list[str]:
    """Paragraphs that are neither kept whole in the cleaned text nor removed whole."""
    c = clean(raw)
    kept = _norm(c.text)
    removed = " ".join(_norm(r.text) for r in c.removed)
    # a label taken off the front of a paragraph that stays ("File photo", a scraper's date header)
    labels = [r.text for r in c.removed if r.rule in ("photo_label", "date_header")]
    broken = []
    for unit in units(raw):
        whole = unit in kept or unit in removed
        if not whole and labels:
            whole = any(unit.replace(label, "", 1).strip() in kept or unit.replace(label, "", 1).strip() in removed
                        for label in labels)
        if not whole:
            broken.append(unit)
    return broken


def _corpus() -> list[Path]:
    if not SHARED.is_dir():
        return []
    files = sorted((SHARED / "corpus" / "real").iterdir()) + sorted((SHARED / "corpus" / "seeds").iterdir())
    return [p for p in files if p.suffix in (".txt", ".md", ".html") and p.name != "README.txt"]


@pytest.mark.parametrize("path", _corpus() or [None], ids=lambda p: p.name if p else "no-shared")
def test_every_paragraph_of_the_corpus_is_kept_or_removed_whole(path):
    if path is None:
        pytest.skip(f"no corpus at {SHARED} (the shared folder is not part of the repository)")
    raw = decode(path.read_bytes(), path.name)
    assert broken_paragraphs(raw) == []


CLEANING = Path(__file__).parent / "data" / "cleaning"
TTC = CLEANING / "whitehouse-u-s-eu-joint-statement-of-the-trade-and-technology-council-3.txt"
MEXICO = CLEANING / "whitehouse-readout-from-nsc-spokesperson-emily-horne-on-senior-administ.txt"


@pytest.mark.parametrize("path", [*SEEDS, *sorted(USGOV.iterdir()), *sorted(CLEANING.iterdir())],
                         ids=lambda p: p.name)
def test_every_paragraph_of_the_copied_documents_is_kept_or_removed_whole(path):
    assert broken_paragraphs(path.read_text()) == []


def test_a_wrapped_list_of_names_stays_in_its_sentence():
    text = clean(TTC.read_text()).text
    assert ("It was co-chaired by European Commission Executive Vice President Margrethe Vestager, European "
            "Commission Executive Vice President Valdis Dombrovskis, United States Secretary of State Antony "
            "Blinken,") in text
    assert "hosted by the Belgian Presidency of the Council of the European Union." in text


def test_a_wrapped_line_that_begins_like_a_contact_line_is_part_of_its_sentence():
    c = clean(MEXICO.read_text())
    assert "The visit followed a phone call between Vice President Kamala Harris and President" in c.text
    assert "Additional representatives of the Government of Mexico included National Migration Institute" in c.text
    assert [r.rule for r in c.removed] == ["end_marker"]


def test_headings_wrapped_inside_markup_are_not_taken_for_a_list_of_other_stories():
    c = clean(TTC.read_text())
    assert "II. Key Outcomes of the Sixth TTC Ministerial Meeting" in c.text
    assert "D. Defending Human Rights and Values in a Changing Geopolitical Digital Environment" in c.text
    assert not [r for r in c.removed if r.rule == "headline_list"]


WRAPPED = """The ministers met in Geneva on 3 May. The talks were led by Trade Minister
Anna Berg, Deputy Minister Carl Olsen, Ambassador Dana Ruiz, Commissioner Eli
Moss, Director General Farid Nasser, Special Envoy Gita Rao, and Chief Negotiator
Hugo Lind of the Secretariat.

Related stories

Ministers Agree Fisheries Text
Talks Stall Over Farm Subsidies
New Round Set For Autumn
"""


def test_a_hard_wrapped_paragraph_of_capitalised_lines_is_kept_whole_and_the_list_after_it_goes():
    c = clean(WRAPPED)
    assert "Commissioner Eli Moss, Director General Farid Nasser, Special Envoy Gita Rao, and Chief Negotiator Hugo " \
           "Lind of the Secretariat." in c.text
    assert "Farm Subsidies" not in c.text and "Related stories" not in c.text
    assert {r.rule for r in c.removed} == {"sharing", "headline_list"}
    assert broken_paragraphs(WRAPPED) == []


def test_every_boilerplate_pattern_matches_in_two_documents_of_the_corpus():
    """A cue describes a kind of page furniture, not one page: each matches a paragraph of at
    least two documents of corpus/real and the seeds (whatever rule takes that paragraph first)."""
    files = _corpus()
    if not files:
        pytest.skip(f"no corpus at {SHARED} (the shared folder is not part of the repository)")
    found: dict[str, set[str]] = {c.source: set() for c in cues()}
    for path in files:
        text = repair.prepare(formats.parse(decode(path.read_bytes(), path.name)).body)
        for para in (" ".join(p.split()) for block in repair.paragraphs(text) for p in block):
            for c in cues():
                if c.rx.match(para) if c.where == "start" else c.rx.search(para[-160:]):
                    found[c.source].add(path.name)
    assert {source: sorted(names) for source, names in found.items() if len(names) < 2} == {}
