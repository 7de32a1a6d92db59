"""Every cue of the lexicons matches in at least two documents of the corpus (issue 11,
"Rules that fit one document").

A cue that matches one document only was written for that document: it raises the score of
the documents it was tuned on and buys nothing elsewhere. A pattern for a new kind of phrase
comes with its second document (in ``corpus/real/`` or the seeds of the shared folder).

What counts as a cue pattern (checked, each list entry on its own):

- ``triggers.yaml``: every ``strong`` and ``weak`` cue of every event type, ``planned``,
  ``held``, ``saying``, and each alternative of ``launch_objects``;
- ``topics.yaml``: every ``cues`` entry (the ``(?-i:...)`` ones case-sensitively);
- ``outcomes.yaml``: every cue of every outcome type.

What is reference data (names, not checked one by one): countries, places, the
``not_countries`` stop-list (regions, newspapers), organizations, publishers, known mechanisms' names, acronyms and aliases, and person titles
(``titles.yaml``: heads, modifiers, short forms, commentator titles, and the title -> org /
country tables). A name is right or wrong whether or not the corpus mentions it. The
``not`` lists of ``topics.yaml`` are names or exceptions that only narrow a cue, and are not
checked either. One kind of name entry is checked: an alias written wholly in lower case
(organizations, mechanisms, countries, not_countries), because names are matched case-sensitively
and a lower-case variant is a spelling seen in some text, not the name itself.

Each pattern is compiled the way ``tradetalks.extract.matchers`` compiles it (case-folded,
with the word boundaries of its kind) and looked for in the cleaned text (and title) of each
document, as ``tradetalks.clean.clean`` gives it. Skipped when the shared folder (``../shared``
beside the clone) is absent.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pytest
import yaml

from tradetalks.clean import clean
from tradetalks.extract import matchers
from tradetalks.pipeline import read_document

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
NOT_DOCUMENTS = {"README.txt", "MANIFEST.csv"}
MIN_DOCUMENTS = 2

pytestmark = pytest.mark.skipif(not (CORPUS / "real").is_dir(), reason=f"no shared corpus at {CORPUS}")


@lru_cache(maxsize=1)
def documents() -> dict[str, tuple[str, str]]:
    """Document name -> (cleaned title and text, the same case-folded), once per session."""
    paths = [p for p in sorted((CORPUS / "real").iterdir()) if p.is_file() and p.name not in NOT_DOCUMENTS]
    paths += sorted(p for p in (CORPUS / "seeds").iterdir() if p.is_file())
    out = {}
    for p in paths:
        c = clean(read_document(p))
        text = (c.title or "") + "\n" + c.text
        out[f"{p.parent.name}/{p.name}"] = (text, matchers.fold_case(text))
    return out


def _lexicon(name: str):  # type: ignore[no-untyped-def]
    path = resources.files("tradetalks.extract").joinpath("lexicon", f"{name}.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _cue(where: str, cue: str, prefix: str = "", suffix: str = "") -> tuple[str, str, re.Pattern[str], bool]:
    """(where, cue, compiled, cased): compiled as matchers.get() compiles the list it is in."""
    if cue.startswith("(?-i:"):  # matched on the text as written (matchers.cased_cues)
        return where, cue, re.compile(cue), True
    return where, cue, matchers.cue_pattern([cue], prefix, suffix), False


def cue_patterns() -> list[tuple[str, str, re.Pattern[str], bool]]:
    out = []
    triggers = _lexicon("triggers")
    for etype, entry in triggers.items():
        if not isinstance(entry, dict):
            continue
        out += [_cue(f"triggers.yaml {etype}.strong", c) for c in entry.get("strong") or []]
        out += [_cue(f"triggers.yaml {etype}.weak", c, r"\b", r"\b") for c in entry.get("weak") or []]
    out += [_cue("triggers.yaml planned", c) for c in triggers["planned"]]
    out += [_cue("triggers.yaml held", c) for c in triggers["held"]]
    out += [_cue("triggers.yaml launch_objects", c, r"\b") for c in triggers["launch_objects"].split("|")]
    for key in ("under_way", "conditional", "saying", "reaction_groups", "lead_cues", "member_cues", "internal_meetings", "internal_partners"):
        out += [_cue(f"triggers.yaml {key}", c, r"\b", r"\b") for c in triggers[key]]
    for key, entry in _lexicon("headlines").items():  # headlines are matched on titles; most texts repeat theirs
        for etype, cues in entry.items():
            out += [_cue(f"headlines.yaml {key}.{etype}", c) for c in cues]
    for code, entry in _lexicon("topics").items():
        out += [_cue(f"topics.yaml {code}", c, r"\b", r"(?![\w-])") for c in entry.get("cues") or []]
    for kind, cues in _lexicon("outcomes").items():
        out += [_cue(f"outcomes.yaml {kind}", c) for c in cues]
    return out


def lower_case_names() -> list[tuple[str, str, re.Pattern[str], bool]]:
    names: list[tuple[str, str]] = []
    for canon, entry in _lexicon("organizations").items():
        names += [("organizations.yaml " + canon, n) for n in entry.get("names") or []]
    for entry in _lexicon("mechanisms"):
        names += [("mechanisms.yaml " + entry["name"], n) for n in [*(entry.get("aliases") or []), *(entry.get("acronyms") or [])]]
    for code, entry in _lexicon("countries").items():
        for role in ("names", "adjectives", "government", "places"):
            names += [(f"countries.yaml {code}.{role}", n) for n in entry.get(role) or []]
    names += [("not_countries.yaml", n) for n in _lexicon("not_countries")["not_countries"]]
    return [(where, n, re.compile(r"(?<![\w-])" + matchers.alternation([n]) + r"(?![\w-])"), True)
            for where, n in names if not any(ch.isupper() for ch in n)]


def test_every_cue_and_lower_case_alias_matches_in_two_documents():
    docs = documents()
    assert len(docs) > 100, f"expected the whole corpus, found {len(docs)} documents in {CORPUS}"
    patterns = cue_patterns() + lower_case_names()
    assert len(patterns) > 200, "the lexicons' cue lists were not all read"
    short = []
    for where, cue, rx, cased in patterns:
        found = []
        for name, (text, folded) in docs.items():
            if rx.search(text if cased else folded):
                found.append(name)
                if len(found) >= MIN_DOCUMENTS:
                    break
        if len(found) < MIN_DOCUMENTS:
            short.append(f"{where}: {cue!r} matches {len(found)} document(s) {found}")
    assert not short, (
        f"{len(short)} lexicon pattern(s) match fewer than {MIN_DOCUMENTS} documents of corpus/real and the "
        "seeds; generalise each into the language of its kind (with its second document) or remove it:\n  "
        + "\n  ".join(short)
    )
