"""Ingest at scale: a synthetic corpus of realistic documents (benchmarks/synthetic.py:
rounds of many mechanisms, several reports of each, syndicated copies) ingested into SQLite
and into PostgreSQL; documents per second, database size, events linked, and the p50/p95
latency of timeline and search queries on the result.

    .venv/bin/python benchmarks/ingest.py [--docs 20000] [--workers 2] [--engines sqlite,postgresql]

Targets (issue #3): >= 100 documents/s on a 2-core machine; timeline and search p95 < 50 ms.
PostgreSQL runs on a throw-away cluster on loopback (scripts/pgcluster.py), or on
$TRADETALKS_BENCH_PG; it is left out, saying so, when neither is available.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "scripts")]

import synthetic  # noqa: E402
from pgcluster import start_postgres  # noqa: E402

from tradetalks import query  # noqa: E402
from tradetalks.ingest import ingest  # noqa: E402
from tradetalks.store import Store  # noqa: E402
from tradetalks.store.schema import documents, event_sources, events, mechanisms, people  # noqa: E402

SEARCHES = ["critical minerals", "trade facilitation", "digital trade", "semiconductors", "supply chain resilience",
            '"market access"', "labor standards", "memorandum of understanding", "export controls", "agriculture"]


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def db_size(store: Store) -> int:
    with store.read() as conn:
        if store.dialect == "sqlite":
            path = store.url.split("///", 1)[1]
            return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar() or 0)


def latencies(store: Store, rng: random.Random, n: int) -> dict[str, list[float]]:
    with store.read() as conn:
        mechs = list(conn.execute(select(mechanisms.c.name)).scalars())
        pairs = [r["parties"].split() for r in query.relationships(conn)]
    out: dict[str, list[float]] = {"timeline --between": [], "timeline --mechanism": [], "search": [], "upcoming": []}
    for _ in range(n):
        with store.read() as conn:
            a, b = rng.choice(pairs)[:2]
            t0 = time.perf_counter()
            query.timeline(conn, between=[a, b], limit=200)
            out["timeline --between"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            query.timeline(conn, mechanism=rng.choice(mechs), limit=200)
            out["timeline --mechanism"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            query.search(conn, rng.choice(SEARCHES), limit=50)
            out["search"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            query.upcoming(conn, limit=200)
            out["upcoming"].append(time.perf_counter() - t0)
    return out


def run(engine: str, url: str, folder: Path, n_docs: int, workers: int) -> None:
    store = Store(url)
    t0 = time.perf_counter()
    summary = ingest(store, [(str(folder), "auto")], workers=workers, progress=False)
    took = time.perf_counter() - t0
    with store.read() as conn:
        n_events = conn.execute(select(func.count()).select_from(events)).scalar()
        n_reports = conn.execute(select(func.count()).select_from(event_sources)).scalar()
        n_people = conn.execute(select(func.count()).select_from(people)).scalar()
        n_stored = conn.execute(select(func.count()).select_from(documents)).scalar()
    print(f"\n== {engine} ({workers} workers)")
    print(f"ingest: {n_docs} documents in {took:.1f} s = {n_docs / took:.1f} docs/s  (target >= 100)")
    print(f"  {summary.line()}; failed {len(summary.failed)}")
    print(f"  stored {n_stored} documents, {n_events} events from {n_reports} reports, {n_people} people")
    print(f"  database size: {db_size(store) / 1e6:.1f} MB")
    t0 = time.perf_counter()
    again = ingest(store, [(str(folder), "auto")], workers=1, progress=False)
    print(f"  re-ingest of the whole corpus: {time.perf_counter() - t0:.1f} s, added {again.added}, unchanged {again.unchanged}")
    lat = latencies(store, random.Random(7), 100)
    for name, xs in lat.items():
        print(f"  {name:<22} p50 {percentile(xs, 50) * 1000:6.1f} ms   p95 {percentile(xs, 95) * 1000:6.1f} ms   "
              f"(n={len(xs)}, target p95 < 50 ms)")
    store.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--engines", default="sqlite,postgresql")
    a = ap.parse_args(argv)
    docs = synthetic.corpus(a.docs)
    words = statistics.mean(len(t.split()) for _, t in docs)
    tmp = Path(tempfile.mkdtemp(prefix="tradetalks-bench-"))
    folder = tmp / "corpus"
    for name, body in docs:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    print(f"corpus: {len(docs)} synthetic documents (mean {words:.0f} words), {os.cpu_count()} cores")
    try:
        for engine in a.engines.split(","):
            if engine == "sqlite":
                run("SQLite", str(tmp / "bench.db"), folder, len(docs), a.workers)
            elif engine == "postgresql":
                url, stop = os.environ.get("TRADETALKS_BENCH_PG"), None
                if not url:
                    url, stop = start_postgres()
                if not url:
                    print("\n== PostgreSQL: left out, no server could be started (make system installs one)")
                    continue
                try:
                    run("PostgreSQL", url, folder, len(docs), a.workers)
                finally:
                    if stop:
                        stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
