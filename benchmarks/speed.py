"""Speed of `extract` on press releases of about 500 words, after start-up, beside the
rate at which bare spacy.blank("en") tokenizes the same texts, in the same run.

    .venv/bin/python benchmarks/speed.py [--seconds 10] [DIR_OR_FILES...]

Prints documents per second for both, their ratio, and the peak memory (max RSS) of the
process. Targets (issue #2): >= 200 docs/s per core and >= 1/3 of the tokenizer's rate;
peak memory under 300 MB. By default it reads the bundled sample documents.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import spacy

from tradetalks.pipeline import extract_text, read_document

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "samples"


def load(paths: list[str]) -> list[tuple[str, str]]:
    files: list[Path] = []
    for p in paths or [str(DEFAULT)]:
        path = Path(p)
        files.extend(sorted(x for x in path.rglob("*") if x.is_file() and x.name != "README.md") if path.is_dir() else [path])
    docs = []
    for f in files:
        try:
            docs.append((str(f), read_document(f)))
        except Exception:  # noqa: BLE001 - a benchmark skips what it cannot read
            continue
    return docs


def passes(fns: dict, items, seconds: float) -> dict[str, list[float]]:
    """Alternate one pass of each function over all items until `seconds` are spent, so
    that both meet the same machine load; return each function's pass times."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or min(len(v) for v in times.values()) < 3:
        for name, fn in fns.items():
            t0 = time.perf_counter()
            for item in items:
                fn(item)
            times[name].append(time.perf_counter() - t0)
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--seconds", type=float, default=10.0)
    a = ap.parse_args(argv)
    docs = load(a.paths)
    if not docs:
        print("no documents to time; pass files or folders", file=sys.stderr)
        return 1
    words = sum(len(t.split()) for _, t in docs) / len(docs)
    extract_text(docs[0][1], docs[0][0])  # start-up: lexicons, patterns, spaCy
    nlp = spacy.blank("en")
    times = passes({
        "extract": lambda d: extract_text(d[1], d[0]),
        "tokenize": lambda d: nlp.make_doc(d[1]),
    }, docs, a.seconds)
    ext_rate = len(docs) / statistics.median(times["extract"])
    tok_rate = len(docs) / statistics.median(times["tokenize"])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(docs)} (mean {words:.0f} words, raw); {len(times['extract'])} alternating passes")
    print(f"extract:            {ext_rate:8.1f} docs/s  (median pass; per core, one process)")
    print(f"spacy.blank tokens: {tok_rate:8.1f} docs/s  (median pass)")
    print(f"ratio extract/tokenizer: {ext_rate / tok_rate:.3f} (target >= 0.333)")
    print(f"peak memory: {peak_mb:.0f} MB (target < 300 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
