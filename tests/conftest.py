from __future__ import annotations

from pathlib import Path

import pytest

from tradetalks.pipeline import extract_file, extract_text

DATA = Path(__file__).parent / "data"
SEEDS = sorted((DATA / "seeds").glob("*.txt"))
USGOV = DATA / "usgov"


@pytest.fixture(scope="session")
def seed():
    """The extraction of a seed document, by its file name's start."""
    cache: dict[str, object] = {}

    def get(prefix: str):
        if prefix not in cache:
            path = next(p for p in SEEDS if p.name.startswith(prefix))
            cache[prefix] = extract_file(path)
        return cache[prefix]

    return get


@pytest.fixture(scope="session")
def usgov():
    cache: dict[str, object] = {}

    def get(prefix: str):
        if prefix not in cache:
            path = next(p for p in sorted(USGOV.iterdir()) if p.name.startswith(prefix))
            cache[prefix] = extract_file(path)
        return cache[prefix]

    return get


def events_of(ex, type_=None, status=None):
    return [e for e in ex.events if (type_ is None or e.type == type_) and (status is None or e.status == status)]


def text_extract(text: str, published: str | None = None):
    return extract_text(text, "test.txt", published)
