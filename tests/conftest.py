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

import glob  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import uuid  # noqa: E402

LINKING = DATA / "linking"
PG_SKIP = ("PostgreSQL tests skipped: no server could be started here (install Debian's postgresql "
           "package, as `make test` does, or set TRADETALKS_TEST_PG=postgresql://...)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_postgres():  # type: ignore[no-untyped-def]
    """A throw-away PostgreSQL cluster on loopback, from Debian's binaries."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = bins[-1] if bins else shutil.which("initdb")
    if not initdb:
        return None, None
    bindir = os.path.dirname(initdb)
    root = tempfile.mkdtemp(prefix="tradetalks-pg-")
    data = os.path.join(root, "data")
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    try:
        subprocess.run(as_user + [initdb, "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run(as_user + [os.path.join(bindir, "pg_ctl"), "-D", data, "-l", os.path.join(root, "log"), "-w",
                                  "-o", f"-k {root} -c listen_addresses=127.0.0.1 -p {port} -c fsync=off", "start"],
                       check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError, KeyError, LookupError):
        shutil.rmtree(root, ignore_errors=True)
        return None, None

    def stop() -> None:
        subprocess.run(as_user + [os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "fast", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)

    return f"postgresql://postgres@127.0.0.1:{port}/postgres", stop


@pytest.fixture(scope="session")
def pg_server():
    """The URL of a PostgreSQL server for the tests: $TRADETALKS_TEST_PG, or one started
    here; the PostgreSQL tests are skipped, saying why, when neither can be had."""
    url = os.environ.get("TRADETALKS_TEST_PG")
    stop = None
    if not url:
        url, stop = _start_postgres()
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
