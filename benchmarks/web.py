"""The web app under load: p50/p95/p99 latency of the main pages and API calls on a record
of about 20,000 events (built from benchmarks/synthetic.py), under 20 concurrent clients on
loopback, against `tradetalks serve` in its own process. The run is bounded: a fixed number
of requests, and a time limit.

    .venv/bin/python benchmarks/web.py [--events 20000] [--clients 20] [--requests 6000]
                                       [--db PATH (reuse or keep the record)] [--max-seconds 300]

Target (issue #4): p95 under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "scripts")]

import synthetic  # noqa: E402
from webserver import start_serve  # noqa: E402

from tradetalks import query  # noqa: E402
from tradetalks.ingest import ingest  # noqa: E402
from tradetalks.store import Store  # noqa: E402
from tradetalks.store.schema import documents, events, mechanisms, people  # noqa: E402

SEARCHES = ["critical minerals", "trade facilitation", "digital trade", "semiconductors", "supply chain resilience",
            '"market access"', "labor standards", "export controls", "agriculture", "third round"]
DOCS_PER_EVENT = 0.88  # synthetic documents needed per event in the record (20,000 documents give ~22,800 events)


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def build(path: Path, n_events: int) -> None:
    docs = synthetic.corpus(int(n_events * DOCS_PER_EVENT))
    folder = Path(tempfile.mkdtemp(prefix="tradetalks-web-bench-"))
    try:
        for name, body in docs:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(body, encoding="utf-8")
        t0 = time.perf_counter()
        with Store(str(path)) as store:
            summary = ingest(store, [(str(folder), "auto")], workers=os.cpu_count() or 2, progress=False)
        print(f"built the record: {len(docs)} documents in {time.perf_counter() - t0:.0f} s; {summary.line()}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def targets(path: Path, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, URL path) of the requests to make, drawn from what the record holds."""
    with Store(str(path), create=False) as store, store.read() as conn:
        n = conn.execute(select(func.max(events.c.id))).scalar() or 1
        mechs = list(conn.execute(select(mechanisms.c.id)).scalars())
        persons = list(conn.execute(select(people.c.id).limit(2000)).scalars())
        docs = conn.execute(select(func.max(documents.c.id))).scalar() or 1
        pairs = ["-".join(r["parties"].split()) for r in query.relationships(conn)[:40]]

    def one(kind: str) -> str:
        q = rng.choice(SEARCHES)
        return {
            "page /": "/",
            "page /relationships/{sides}": f"/relationships/{rng.choice(pairs)}",
            "page /mechanisms/{id}": f"/mechanisms/{rng.choice(mechs)}",
            "page /events/{id}": f"/events/{rng.randint(1, n)}",
            "page /people/{id}": f"/people/{rng.choice(persons)}",
            "page /documents/{id}": f"/documents/{rng.randint(1, docs)}",
            "page /search": f"/search?q={q}",
            "api /api/events?between": f"/api/events?between={rng.choice(pairs)}&per_page=50",
            "api /api/events/{id}": f"/api/events/{rng.randint(1, n)}",
            "api /api/search": f"/api/search?q={q}",
            "api /api/mechanisms/{id}": f"/api/mechanisms/{rng.choice(mechs)}",
        }[kind]

    kinds = ["page /", "page /relationships/{sides}", "page /mechanisms/{id}", "page /events/{id}", "page /people/{id}",
             "page /documents/{id}", "page /search", "api /api/events?between", "api /api/events/{id}", "api /api/search",
             "api /api/mechanisms/{id}"]
    return [(k, one(k)) for k in kinds]


class Connection:
    """A keep-alive HTTP/1.1 connection that sends GETs and reads whole answers: a client
    light enough (a few dozen microseconds a request) to leave the CPU to the server. The
    app always answers with a Content-Length."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        reused = self.writer is not None
        try:
            return await self._get(path)
        except (asyncio.IncompleteReadError, ConnectionError):
            if not reused:
                raise
            self.writer = None  # the server closed an idle connection: open a new one
            return await self._get(path)

    async def _get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nAccept: text/html\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
        await self.reader.readexactly(length)
        if b"connection: close" in head.lower():
            self.writer.close()
            self.writer = None
        return status


async def load(base: str, plan: list[tuple[str, str]], clients: int, max_seconds: float,
               think: float = 0.0) -> tuple[dict[str, list[float]], int, float]:
    """`clients` concurrent clients, each on its own connection, work through the plan,
    each waiting `think` seconds (on average) between its requests; returns latencies by
    kind, failures and the wall time."""
    pause = random.Random(5)
    host, port = base.split("//", 1)[1].split(":")
    todo = iter(plan)
    out: dict[str, list[float]] = {}
    failures = 0
    stop_at = time.perf_counter() + max_seconds

    async def worker() -> None:
        nonlocal failures
        conn = Connection(host, int(port))
        for kind, path in todo:
            if time.perf_counter() > stop_at:
                return
            t0 = time.perf_counter()
            status = await conn.get(quote(path, safe="/?=&-_.~%"))
            out.setdefault(kind, []).append(time.perf_counter() - t0)
            failures += status != 200
            if think:
                await asyncio.sleep(pause.expovariate(1 / think))

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return out, failures, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=6000)
    ap.add_argument("--max-seconds", type=float, default=300)
    ap.add_argument("--think", type=float, default=0.0,
                    help="Seconds each client waits between requests, on average (0: as fast as the server answers).")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="Server processes.")
    ap.add_argument("--db", help="A record to use; built here (and kept) when it does not exist yet.")
    a = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="tradetalks-web-"))
    path = Path(a.db) if a.db else tmp / "record.db"
    if not path.exists():
        build(path, a.events)
    with Store(str(path), create=False) as store, store.read() as conn:
        n_events = conn.execute(select(func.count()).select_from(events)).scalar()
    rng = random.Random(11)
    plan = [pair for _ in range(a.requests // 11 + 1) for pair in targets(path, rng)][:a.requests]
    rng.shuffle(plan)
    base, stop = start_serve(str(path), workers=a.workers)
    try:
        asyncio.run(load(base, plan[:50], 4, 60))  # warm-up: page caches, template compilation
        lat, failures, wall = asyncio.run(load(base, plan, a.clients, a.max_seconds, a.think))
    finally:
        stop()
        shutil.rmtree(tmp, ignore_errors=True)  # a record given with --db lives elsewhere and is kept
    everything = [x for xs in lat.values() for x in xs]
    pace = f", each pausing {a.think:g} s on average between requests" if a.think else ", no pause between requests"
    print(f"\nrecord: {n_events} events; server: {a.workers} processes; {a.clients} concurrent clients on loopback{pace}, {len(everything)} requests in "
          f"{wall:.1f} s = {len(everything) / wall:.0f} requests/s; {failures} not 200; {os.cpu_count()} cores")
    print(f"{'request':<30} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
    for kind in sorted(lat):
        xs = lat[kind]
        print(f"{kind:<30} {len(xs):>5} {percentile(xs, 50) * 1000:8.1f} {percentile(xs, 95) * 1000:8.1f} "
              f"{percentile(xs, 99) * 1000:8.1f} {statistics.mean(xs) * 1000:8.1f}")
    print(f"{'all':<30} {len(everything):>5} {percentile(everything, 50) * 1000:8.1f} {percentile(everything, 95) * 1000:8.1f} "
          f"{percentile(everything, 99) * 1000:8.1f} {statistics.mean(everything) * 1000:8.1f}   (target p95 < 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
