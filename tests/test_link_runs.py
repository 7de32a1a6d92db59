"""The same record however ingest is cut into runs: one run, and the same inputs cut into
three runs of which one is killed with SIGKILL, give the same export (ids aside), on both
stores; and the registry's cache never answers what a fresh look-up would not."""

from __future__ import annotations

import json
import os
import random
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
from tradetalks.store.lookup import document_count, mechanism_aliases_of

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
    """The export, ids aside: without ids and times, and each record's sources in an order
    of their own (the export lists those of one date by document id)."""
    with Store(db, create=False) as store, store.read() as conn:
        out = []
        for r in records(conn):
            r = _bare(r)
            r["sources"] = sorted(r["sources"], key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
            out.append(json.dumps(r, sort_keys=True, ensure_ascii=False))
        return sorted(out)


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


def test_files_in_other_orders_give_the_same_export(tmp_path, db_url):
    """The same files ingested in their order and in two shuffled orders (the second run
    into the engine under test, in one run and in two): the same export, ids aside."""
    files = _inputs()
    one = str(tmp_path / "sorted.db")
    with Store(one) as store:
        assert not ingest(store, [(str(p), "auto") for p in files], progress=False).failed
    shuffled = list(files)
    random.Random(13).shuffle(shuffled)
    other = str(tmp_path / "shuffled.db")
    with Store(other) as store:
        assert not ingest(store, [(str(p), "auto") for p in shuffled], progress=False).failed
    assert exported(other) == exported(one)
    random.Random(5).shuffle(shuffled)
    half = len(shuffled) // 2
    with Store(db_url) as store:  # two runs, each in its own connection (a fresh cache)
        assert not ingest(store, [(str(p), "auto") for p in shuffled[half:]], progress=False).failed
    with Store(db_url) as store:
        assert not ingest(store, [(str(p), "auto") for p in shuffled[:half]], progress=False).failed
    assert exported(db_url) == exported(one)


def test_a_surname_alone_is_the_same_person_whatever_came_before(tmp_path):
    """'Biden' alone is not whoever is the one Biden known when it arrives: it is a person
    of its own in every run (a record that also has Joseph Biden shows him once, see
    test_link_rules); every spelling of a full name gives one id."""
    path = str(tmp_path / "record.db")

    def resolve(store: Store, name: str) -> str | None:
        with store.transaction() as conn:
            return registry.resolve_person(conn, {"name": name, "country": "USA"}, None)

    with Store(path) as store:
        alone = resolve(store, "Biden")
        joseph = resolve(store, "Joseph R. Biden, Jr.")
        assert resolve(store, "Biden") == alone != joseph
        assert resolve(store, "Joseph Biden") == joseph == "joseph-biden"
    with Store(path) as fresh:
        assert resolve(fresh, "Biden") == alone


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


def test_a_mechanism_takes_the_id_of_its_full_name_whichever_came_first(tmp_path, db_url):
    """'Trade and Technology Council' (sides from its event) seen before 'U.S.-EU Trade and
    Technology Council' is re-pointed to the full name's id, with its aliases; the other
    order gives that id at once."""
    def resolve(store: Store, name: str) -> str:
        with store.transaction() as conn:
            return registry.resolve_mechanism(conn, name, ["USA", "EUU"])

    with Store(db_url) as store:
        short = resolve(store, "Trade and Technology Council")
        full = resolve(store, "U.S.-EU Trade and Technology Council")
        assert short == "trade-and-technology-council" and full == "us-eu-trade-and-technology-council"
        assert resolve(store, "Trade and Technology Council") == full
        with store.read() as conn:
            assert mechanism_aliases_of(conn, full) == {"Trade and Technology Council", "U.S.-EU Trade and Technology Council"}
    other = str(tmp_path / "other.db")
    with Store(other) as store:
        assert resolve(store, "U.S.-EU Trade and Technology Council") == full
        assert resolve(store, "Trade and Technology Council") == full
