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
        files.extend(sorted(x for x in path.rglob("*") if x.is_file()) if path.is_dir() else [path])
    docs = []
    for f in files:
        try:
            docs.append((str(f), read_document(f)))
        except Exception:  # noqa: BLE001 - a benchmark skips what it cannot read
            continue
    return docs


def rate(fn, items, seconds: float) -> tuple[float, int]:
    n = 0
    start = time.perf_counter()
    while True:
        for item in items:
            fn(item)
            n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed, n


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
    ext_rate, n_ext = rate(lambda d: extract_text(d[1], d[0]), docs, a.seconds)
    nlp = spacy.blank("en")
    tok_rate, n_tok = rate(lambda d: nlp.make_doc(d[1]), docs, a.seconds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(docs)} (mean {words:.0f} words, raw)")
    print(f"extract:            {ext_rate:8.1f} docs/s  ({n_ext} runs)")
    print(f"spacy.blank tokens: {tok_rate:8.1f} docs/s  ({n_tok} runs)")
    print(f"ratio extract/tokenizer: {ext_rate / tok_rate:.3f} (target >= 0.333)")
    print(f"peak memory: {peak_mb:.0f} MB (target < 300 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
