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


# --- The record: SQLite and PostgreSQL -------------------------------------------------

import os  # noqa: E402
import sys  # noqa: E402
import uuid  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from pgcluster import start_postgres  # noqa: E402

LINKING = DATA / "linking"
PG_SKIP = ("PostgreSQL tests skipped: no server could be started here (install Debian's postgresql "
           "package, as `make test` does, or set TRADETALKS_TEST_PG=postgresql://...)")


@pytest.fixture(scope="session")
def pg_server():
    """The URL of a PostgreSQL server for the tests: $TRADETALKS_TEST_PG, or one started
    here; the PostgreSQL tests are skipped, saying why, when neither can be had."""
    url = os.environ.get("TRADETALKS_TEST_PG")
    stop = None
    if not url:
        url, stop = start_postgres()
    if not url:
        pytest.skip(PG_SKIP)
    yield url
    if stop:
        stop()


@pytest.fixture()
def pg_url(pg_server):
    """A fresh, empty PostgreSQL database for one test."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    base = pg_server.rsplit("/", 1)[0]
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield f"{base}/{name}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Each store test runs on both engines."""
    if request.param == "sqlite":
        return str(tmp_path / "record.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture()
def store(db_url):
    from tradetalks.store import Store

    s = Store(db_url)
    yield s
    s.close()


# --- The web app ------------------------------------------------------------------------

HOSTILE = DATA / "hostile"


@pytest.fixture(scope="session")
def web_db(tmp_path_factory):
    """A SQLite record seeded from the fixture documents (seeds, U.S. government texts, the
    linking corpus and a document full of markup meant to run in a browser)."""
    from tradetalks.ingest import ingest
    from tradetalks.store import Store

    path = tmp_path_factory.mktemp("web") / "record.db"
    with Store(str(path)) as store:
        summary = ingest(store, [(str(p), "auto") for p in (DATA / "seeds", USGOV, LINKING, HOSTILE)], progress=False)
    assert not summary.failed, summary.failed
    return str(path)
