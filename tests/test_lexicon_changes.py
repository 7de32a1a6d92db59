"""A lexicon added with --lexicon reaches every recognizer: what they built from the
lexicons is forgotten through the callbacks registered with ``lexicons.on_change``, and the
lexicons module imports none of them (issue 14)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from tradetalks import lexicons
from tradetalks.extract import actors, people


def codes(text: str) -> set[str]:
    return {c.code for c in actors.find_countries(text) if c.code}


@pytest.mark.parametrize("key", ["not_countries", "regions"])  # "regions": the stop-list's earlier name
def test_an_added_stop_list_phrase_is_no_country_until_reset(tmp_path, key):
    lex = tmp_path / "mine.yaml"
    lex.write_text(f"{key}: [Kenya Airways]\n")
    assert codes("Kenya Airways flew on Monday.") == {"KEN"}
    try:
        lexicons.extend(lex)
        assert codes("Kenya Airways flew on Monday.") == set()
    finally:
        lexicons.reset()
    assert codes("Kenya Airways flew on Monday.") == {"KEN"}


def test_an_added_title_head_reaches_the_people_recognizer(tmp_path):
    text = "Jane Doe, whisperer of the trade office, met the delegation."
    assert not any(p.title for p in people.find_people(text, [], []))
    lex = tmp_path / "titles.yaml"
    titles = dict(lexicons.get().titles)
    titles["heads"] = [*titles["heads"], "Whisperer"]


    lex.write_text(yaml.safe_dump({"titles": titles}))
    try:
        lexicons.extend(lex)
        assert [(p.name, p.title) for p in people.find_people(text, [], [])] == [("Jane Doe", "whisperer of the trade office")]
    finally:
        lexicons.reset()
    assert not any(p.title for p in people.find_people(text, [], []))


def test_lexicons_import_no_recognizer():
    tree = ast.parse(Path(lexicons.__file__).read_text())
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m.startswith("tradetalks.extract")]
