"""Linking against hand-checked groups of reports: which reports of ../shared/corpus/real
(and corpus/seeds) are one real event (benchmarks/data/linking.yaml).

    .venv/bin/python benchmarks/linking.py [--shared ../shared] [--keep DB]

Ingests the folders as a user would (their index files, MANIFEST.csv and README.txt, left
out; a document without a date of its own gets MANIFEST.csv's `date_if_known`, as
`ingest --manifest` gives it), finds each annotated report in the record and prints
pairwise precision and recall (over pairs of annotated reports: the same record or not)
and B-cubed precision, recall and F1. Exits 1 below the gate (precision 0.97, recall
0.85). Without ../shared it says so and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "linking.yaml"
MIN_PRECISION, MIN_RECALL = 0.97, 0.85
INDEX_FILES = {"MANIFEST.csv", "README.txt"}
MEETINGS = {"meeting", "negotiation_round"}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def corpus_files(shared: Path) -> list[tuple[Path, str | None]]:
    """The documents to ingest, in order, each with the date MANIFEST.csv gives it (used
    only when the text gives none)."""
    real = shared / "corpus" / "real"
    dates: dict[str, str] = {}
    manifest = real / "MANIFEST.csv"
    if manifest.exists():
        with manifest.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if _DAY.match(row.get("date_if_known") or ""):
                    dates[row["file"]] = row["date_if_known"]
    files = [(p, dates.get(p.name)) for p in sorted(real.iterdir()) if p.is_file() and p.name not in INDEX_FILES]
    seeds = shared / "corpus" / "seeds"
    return files + [(p, None) for p in sorted(seeds.iterdir()) if p.is_file()]


def build(db: str, files: list[tuple[Path, str | None]]) -> None:
    from tradetalks.ingest import ingest
    from tradetalks.store import Store

    with Store(db) as store:
        for path, date in files:
            summary = ingest(store, [(str(path), "auto")], published=date, progress=False)
            if summary.failed:
                print(f"failed: {summary.failed}", file=sys.stderr)


def read_reports(db: str) -> list[tuple[int, str, dict[str, Any]]]:
    from tradetalks.store import Store
    from tradetalks.store.lookup import all_reports

    with Store(db, create=False) as store, store.read() as conn:
        return [(eid, Path(source).name, json.loads(data)) for eid, source, _, data in all_reports(conn)]


def _family(t: str) -> str:
    return "meeting" if t in MEETINGS else t


def _misdated(ev: dict[str, Any], data: dict[str, Any]) -> bool:
    """Whether the extractor gives a report a date (of its own, see link.prepared's
    `borrowed`) that is not its event's: a wrong "tomorrow", "a year ago" ..."""
    from tradetalks.link.merge import dates_agree, stated

    own = stated(data)
    first, _, last = str(ev["date"]).partition("/")
    return dates_agree(own.get("start"), own.get("end"), first, last or first) is False


def locate(events: list[dict[str, Any]], reports: list[tuple[int, str, dict[str, Any]]],
           ) -> tuple[dict[tuple[str, int], str], list[str]]:
    """Each annotated report found in the record: {(event key, n): record id as text},
    and the annotated reports left out: those not found (the extractor does not give
    them) and those the extractor gives another date."""
    found: dict[tuple[str, int], str] = {}
    missing: list[str] = []
    for ev in events:
        for n, rep in enumerate(ev["reports"]):
            cue = rep["cue"].lower()
            cued = [(eid, doc, data) for eid, doc, data in reports
                    if doc == rep["doc"] and _family(data["type"]) == _family(ev["type"])
                    and cue in " ".join((data.get("sentences") or [""])[0].split()).lower()]
            hits_data = [(eid, doc, data) for eid, doc, data in cued if rep.get("status", data["status"]) == data["status"]]
            hits = [eid for eid, _, _ in hits_data]
            if not hits:
                how = "extracted with another status" if cued else "not extracted"
                missing.append(f"{how}: {ev['key']}: {rep['doc']} ({rep['cue']})")
            elif all(_misdated(ev, data) for _, doc, data in hits_data):
                missing.append(f"extracted with another date: {ev['key']}: {rep['doc']} ({rep['cue']})")
            else:
                found[(ev["key"], n)] = ",".join(str(h) for h in sorted(set(hits)))
    return found, missing


def scores(found: dict[tuple[str, int], str]) -> dict[str, float]:
    """Pairwise precision and recall, and B-cubed precision, recall and F1, of the
    record's grouping (found) against the annotated one (the event keys)."""
    items = sorted(found)
    tp = fp = fn = 0
    for a, b in combinations(items, 2):
        gold, system = a[0] == b[0], found[a] == found[b]
        tp += gold and system
        fp += system and not gold
        fn += gold and not system
    bp = br = 0.0
    for a in items:
        same_sys = [b for b in items if found[b] == found[a]]
        same_gold = [b for b in items if b[0] == a[0]]
        both = sum(1 for b in same_sys if b[0] == a[0])
        bp += both / len(same_sys)
        br += both / len(same_gold)
    n = len(items) or 1
    bp, br = bp / n, br / n
    return {"pairs": tp + fn, "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
            "b3_precision": bp, "b3_recall": br, "b3_f1": 2 * bp * br / (bp + br) if bp + br else 0.0}


def wrong(found: dict[tuple[str, int], str]) -> list[str]:
    """The pairs put together that are two events, and those kept apart that are one."""
    out = []
    for a, b in combinations(sorted(found), 2):
        if (a[0] == b[0]) != (found[a] == found[b]):
            out.append(f"{'merged' if found[a] == found[b] else 'apart '}  {a[0]}#{a[1]} ~ {b[0]}#{b[1]}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--keep", help="build the record in this SQLite file (kept), or read it when it exists")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the pairs the record gets wrong")
    args = ap.parse_args(argv)
    if not (args.shared / "corpus" / "real").is_dir():
        print(f"linking: {args.shared}/corpus/real not found; nothing scored (put ../shared beside the clone)")
        return 0
    events = yaml.safe_load(args.data.read_text(encoding="utf-8"))["events"]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep or str(Path(tmp) / "record.db")
        if not (args.keep and Path(args.keep).exists()):
            build(db, corpus_files(args.shared))
        found, missing = locate(events, read_reports(db))
    s = scores(found)
    print(f"linking: {len(events)} events, {len(found)} of {sum(len(e['reports']) for e in events)} annotated reports "
          f"found in the record, {s['pairs']} pairs of one event ({time.perf_counter() - started:.0f} s)")
    for m in missing:
        print(f"  left out, {m}")
    print(f"pairwise precision {s['precision']:.3f}  recall {s['recall']:.3f}   "
          f"B-cubed precision {s['b3_precision']:.3f}  recall {s['b3_recall']:.3f}  F1 {s['b3_f1']:.3f}")
    if args.verbose:
        for line in wrong(found):
            print("  " + line)
    if s["precision"] < MIN_PRECISION or s["recall"] < MIN_RECALL:
        print(f"FAIL: below the gate (precision >= {MIN_PRECISION}, recall >= {MIN_RECALL})")
        return 1
    print(f"ok: precision >= {MIN_PRECISION}, recall >= {MIN_RECALL}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
