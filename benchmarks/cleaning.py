"""Cleaning on pages of publishers the corpus lacks: the two public HTML-extraction test
suites in ../shared/corpus/cleaning, scored as their authors score them.

- scrapinghub article-extraction-benchmark (181 news and blog pages): precision, recall and
  F1 of the token 4-gram shingles of the cleaned text against each page's articleBody.
- trafilatura evaluation set (the English pages of the subset copied, 183): each "with"
  snippet found in the cleaned text is a true positive, each "without" snippet found a false
  positive.

Both are printed for `tradetalks.clean.clean` (what extraction reads) and for the bare main
text it starts from (`htmltext.page_to_text`), so that what our own rules add or take away is
seen apart. A page that fails is counted as empty and named. The gate: on each suite, our
cleaning's F1 is at most 0.01 below the bare main text's (our boilerplate rules must not
cost pages of publishers they were not written for more than they remove).

    .venv/bin/python benchmarks/cleaning.py [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITES = ROOT.parent / "shared" / "corpus" / "cleaning"
sys.path.insert(0, str(ROOT))

from tradetalks.clean import clean  # noqa: E402
from tradetalks.clean.htmltext import page_to_text  # noqa: E402

_TOKEN = re.compile(r"\w+")
Cleaner = Callable[[str], str]


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text.lower())
    return Counter(tuple(tokens[i:i + n]) for i in range(max(0, len(tokens) - n + 1)))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _read(path: Path) -> str:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data.decode("utf-8", errors="replace")


GATE = 0.01


def scrapinghub(cleaners: dict[str, Cleaner], limit: int | None) -> dict[str, float]:
    suite = SUITES / "scrapinghub-article-extraction-benchmark"
    truth = json.loads((suite / "ground-truth.json").read_text(encoding="utf-8"))
    totals = {name: [0, 0, 0] for name in cleaners}
    failed: dict[str, list[str]] = {name: [] for name in cleaners}
    for key, entry in list(truth.items())[:limit]:
        page = _read(suite / "html" / f"{key}.html.gz")
        gold = shingles(entry["articleBody"])
        for name, cleaner in cleaners.items():
            try:
                got = shingles(cleaner(page))
            except Exception as exc:  # noqa: BLE001 - a failed page is scored as empty, and named
                got = Counter()
                failed[name].append(f"{key[:12]} ({type(exc).__name__})")
            common = sum((got & gold).values())
            t = totals[name]
            t[0] += common
            t[1] += sum(got.values()) - common
            t[2] += sum(gold.values()) - common
    n = min(len(truth), limit or len(truth))
    print(f"scrapinghub article-extraction-benchmark: {n} pages, token 4-gram shingles")
    out = {}
    for name, (tp, fp, fn) in totals.items():
        p, r, f = prf(tp, fp, fn)
        out[name] = f
        print(f"  {name:<16} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}" + (f"  failed: {', '.join(failed[name])}" if failed[name] else ""))
    return out


def trafilatura_eval(cleaners: dict[str, Cleaner], limit: int | None) -> dict[str, float]:
    suite = SUITES / "trafilatura-eval"
    entries = json.loads((suite / "evaldata-subset.json").read_text(encoding="utf-8"))
    english = [(url, e) for url, e in entries.items() if _english(e.get("with") or [])][:limit]
    totals = {name: [0, 0, 0] for name in cleaners}
    for _url, entry in english:
        path = suite / "html" / entry["file"]
        if not path.exists():
            continue
        page = _read(path)
        for name, cleaner in cleaners.items():
            try:
                text = " ".join(cleaner(page).split())
            except Exception:  # noqa: BLE001 - scored as empty
                text = ""
            t = totals[name]
            for snippet in entry.get("with") or []:
                if " ".join(snippet.split()) in text:
                    t[0] += 1
                else:
                    t[2] += 1
            t[1] += sum(1 for snippet in entry.get("without") or [] if " ".join(snippet.split()) in text)
    print(f"trafilatura evaluation set: {len(english)} English pages, snippets that must / must not appear")
    out = {}
    for name, (tp, fp, fn) in totals.items():
        p, r, f = prf(tp, fp, fn)
        out[name] = f
        print(f"  {name:<16} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    return out


def _english(snippets: list[str]) -> bool:
    text = " ".join(snippets)
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) / len(letters) > 0.97 and bool(
        re.search(r"\b(?:the|and|of|to|is)\b", text))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="the first N pages of each suite only")
    a = ap.parse_args(argv)
    if not SUITES.is_dir():
        print(f"cleaning benchmark: left out, no test suites at {SUITES} (../shared beside the clone)")
        return 0
    cleaners: dict[str, Cleaner] = {"tradetalks clean": lambda page: clean(page).text,
                                    "bare main text": lambda page: page_to_text(page)[0]}
    ok = True
    for suite, scores in (("scrapinghub", scrapinghub(cleaners, a.limit)), ("trafilatura", trafilatura_eval(cleaners, a.limit))):
        ours, bare = scores["tradetalks clean"], scores["bare main text"]
        passed = ours >= bare - GATE
        ok &= passed
        print(f"{'PASS' if passed else 'FAIL'}  {suite}: F1 {ours:.3f} against the bare main text's {bare:.3f} (at most {GATE} below)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
