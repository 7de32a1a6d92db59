"""The same record however ingest is cut into runs: one run, and the same inputs cut into
three runs of which one is killed with SIGKILL, give the same export (ids aside), on both
stores; and the registry's cache never answers what a fresh look-up would not."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from conftest import LINKING, SEEDS, USGOV

from tradetalks.export import records
from tradetalks.ingest import ingest
from tradetalks.link import registry
from tradetalks.store import Store
from tradetalks.store.lookup import document_count

ROOT = Path(__file__).resolve().parent.parent
VARYING = {"id", "document_id", "event_id", "ingested_at", "created_at", "updated_at"}


def _inputs() -> list[Path]:
    return [*SEEDS, *sorted(USGOV.iterdir()), *sorted(LINKING.iterdir())]


def _bare(value: Any) -> Any:
    """A record without what differs between two stores of the same documents: ids and
    the times things were stored."""
    if isinstance(value, dict):
        return {k: _bare(v) for k, v in value.items() if k not in VARYING}
    if isinstance(value, list):
        return [_bare(v) for v in value]
    return value


def exported(db: str) -> list[str]:
    with Store(db, create=False) as store, store.read() as conn:
        return sorted(json.dumps(_bare(r), sort_keys=True, ensure_ascii=False) for r in records(conn))


def _documents(db: str) -> int:
    with Store(db, create=False) as store, store.read() as conn:
        return document_count(conn)


def _killed_run(db: str, files: list[Path], after: int) -> int:
    """Ingest `files` in a real process and kill it (SIGKILL) once the record holds more
    than `after` documents; the number of documents it holds then."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "tradetalks.cli", "ingest", *map(str, files), "--db", db, "--no-progress"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None and _documents(db) <= after:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return _documents(db)


def test_one_run_and_three_runs_one_killed_give_the_same_export(tmp_path, db_url):
    files = _inputs()
    third = len(files) // 3
    one = str(tmp_path / "one.db")
    with Store(one) as store:
        assert not ingest(store, [(str(p), "auto") for p in files], progress=False).failed
    with Store(db_url) as store:  # the first third ...
        ingest(store, [(str(p), "auto") for p in files[:third]], progress=False)
    first = _documents(db_url)
    killed = _killed_run(db_url, files[:2 * third], first)  # ... the second, killed part-way ...
    assert first < killed <= len(files)
    with Store(db_url) as store:  # ... and everything again, which resumes
        assert not ingest(store, [(str(p), "auto") for p in files], progress=False).failed
    assert exported(db_url) == exported(one)


def test_a_surname_resolves_as_a_fresh_look_up_would(tmp_path):
    """'Biden' is Joseph Biden while he is the one Biden of his side; once Jill Biden is
    known too, the same connection's next 'Biden' is what a new run would make of it (the
    cache does not keep the first answer)."""
    path = str(tmp_path / "record.db")

    def resolve(store: Store, name: str) -> str | None:
        with store.transaction() as conn:
            return registry.resolve_person(conn, {"name": name, "country": "USA"}, None)

    with Store(path) as store:
        joseph = resolve(store, "Joseph Biden")
        assert resolve(store, "Biden") == joseph
        resolve(store, "Jill Biden")
        again = resolve(store, "Biden")
    with Store(path) as fresh:
        assert resolve(fresh, "Biden") == again != joseph


def test_a_mechanism_without_sides_resolves_as_a_fresh_look_up_would(tmp_path):
    path = str(tmp_path / "record.db")

    def resolve(store: Store, name: str, parties: list[str]) -> str:
        with store.transaction() as conn:
            return registry.resolve_mechanism(conn, name, parties)

    with Store(path) as store:
        china = resolve(store, "U.S.-China Commercial Issues Working Group", [])
        assert resolve(store, "Commercial Issues Working Group", []) == china
        japan = resolve(store, "U.S.-Japan Commercial Issues Working Group", [])
        again = resolve(store, "Commercial Issues Working Group", [])
    with Store(path) as fresh:
        assert resolve(fresh, "Commercial Issues Working Group", []) == again
    assert japan != china
