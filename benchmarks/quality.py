"""Quality against the hand-made answers in shared/gold/dev, with a gate.

    .venv/bin/python benchmarks/quality.py [--shared ../shared] [--gold DIR]

Runs shared/eval/score.py over `tradetalks extract --format jsonl`, prints its table,
counts dates, places and rounds filled where the gold says null, prints the calibration of
the events' confidence (per band, the share of output events that match a gold answer),
and checks every figure against the one recorded in benchmarks/quality_gate.json. Exit
status 1 when a figure falls more than the gate's tolerance below its record.
The gold and the corpus are not part of this repository: without ../shared this says so
and exits 0 without scoring.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GATE = Path(__file__).with_name("quality_gate.json")
NULL_FIELDS = ("start", "end", "round", "location.place", "location.country")


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("tt_score", shared / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


BANDS = ((0.8, 1.0), (0.6, 0.8), (0.4, 0.6), (0.0, 0.4))


def extract_all(gold_dir: Path, shared: Path, exe: str) -> list[tuple[dict, dict | None]]:
    """Each gold answer with the extraction of its document (None when there is none)."""
    golds = [json.loads(p.read_text()) for p in sorted(gold_dir.glob("*.json"))]
    files = [str(shared / g["file"]) for g in golds]
    out = subprocess.run([exe, "extract", "--format", "jsonl", *files], capture_output=True, text=True)
    preds = {}
    for line in out.stdout.splitlines():
        doc = json.loads(line)
        preds[Path(doc["document"]["source"]).name] = doc
    return [(g, preds.get(Path(g["file"]).name)) for g in golds]


def null_violations(score, pairs_of_docs: list[tuple[dict, dict | None]]) -> list[str]:
    """Dates, places and rounds a matched output event fills where the gold has null."""
    found = []
    for g, p in pairs_of_docs:
        if p is None:
            continue
        pairs, _, _ = score.match_events(g["events"], p["events"])
        for i, j in pairs:
            for f in NULL_FIELDS:
                if score.has(g["events"][i], f) and score.get(g["events"][i], f) is None and score.get(p["events"][j], f) is not None:
                    found.append(f"{Path(g['file']).name}: {g['events'][i]['type']} {f} = {score.get(p['events'][j], f)!r}")
    return found


def calibration(score, pairs_of_docs: list[tuple[dict, dict | None]]) -> list[tuple[float, float, int, int]]:
    """Per confidence band: (low, high, events output, events matched to a gold answer)."""
    counts = {band: [0, 0] for band in BANDS}
    for g, p in pairs_of_docs:
        if p is None:
            continue
        pairs, _, _ = score.match_events(g["events"], p["events"])
        matched = {j for _, j in pairs}
        for j, ev in enumerate(p["events"]):
            c = ev.get("confidence") or 0.0
            band = next(b for b in BANDS if b[0] <= c <= b[1])
            counts[band][0] += 1
            counts[band][1] += j in matched
    return [(lo, hi, n, m) for (lo, hi), (n, m) in counts.items()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--gold", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    gold = a.gold or a.shared / "gold" / "dev"
    if not (a.shared / "eval" / "score.py").exists() or not gold.is_dir():
        print(f"SKIPPED: no gold answers at {gold} (the shared folder is not part of the repository); "
              "pass --shared PATH to score")
        return 0
    exe = str(Path(sys.executable).parent / "tradetalks")
    with tempfile.TemporaryDirectory() as tmp:
        report_path = Path(tmp) / "report.json"
        cmd = [sys.executable, str(a.shared / "eval" / "score.py"), "--gold", str(gold), "--root", str(a.shared),
               "--cmd", f"{exe} extract --format jsonl {{files}}", "--json", str(report_path)]
        if a.verbose:
            cmd.append("-v")
        subprocess.run(cmd, check=True)
        report = json.loads(report_path.read_text())
    scorer = load_scorer(a.shared)
    docs = extract_all(gold, a.shared, exe)
    violations = null_violations(scorer, docs)
    table = calibration(scorer, docs)
    print("\nconfidence   events  matched  share")
    for lo, hi, n, m in table:
        print(f"{lo:.1f}-{hi:.1f}   {n:7d}  {m:7d}  {m / n if n else 0:5.2f}")
    high = table[0]
    figures = {
        "slots.f1": report["slots"]["f1"],
        "events.primary.r": report.get("events.primary", {}).get("r", 0.0),
        "clean.keeps.r": report.get("clean.keeps", {}).get("r", 1.0),
        "clean.drops.p": report.get("clean.drops", {}).get("p", 1.0),
        "null_violations": len(violations),
        "confidence.high.matched": round(high[3] / high[2], 4) if high[2] else 1.0,
    }
    failed = check_gate(json.loads(GATE.read_text()), figures)
    for v in violations:
        print(f"      null filled: {v}")
    return 1 if failed else 0


def check_gate(gate: dict, figures: dict) -> bool:
    """Print each figure against the one recorded in the repository and its target; True
    when a figure fell more than the tolerance below (or, for a count, above) its record."""
    tolerance = gate["tolerance"]
    failed = False
    print()
    for key, recorded in gate["recorded"].items():
        value = figures[key]
        if key == "null_violations":
            ok, bound = value <= recorded, f"max {recorded}"
        else:
            ok, bound = value >= recorded - tolerance, f"recorded {recorded}, min {recorded - tolerance:.4f}"
        target = gate["targets"].get(key)
        reached = "" if target is None else ("  target met" if (value <= target if key == "null_violations" else value >= target)
                                             else f"  target {target} not met")
        failed |= not ok
        print(f"{'PASS' if ok else 'FAIL'}  {key:24} {value:>7} ({bound}){reached}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
