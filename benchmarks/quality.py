"""Quality against the hand-made answers in shared/gold/dev, with a gate.

    .venv/bin/python benchmarks/quality.py [--shared ../shared] [--gold DIR]

Runs shared/eval/score.py over `tradetalks extract --format jsonl`, prints its table,
counts dates, places and rounds filled where the gold says null, and checks every figure
against benchmarks/quality_gate.json. Exit status 1 when a figure is below its minimum.
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


def null_violations(score, gold_dir: Path, shared: Path, exe: str) -> list[str]:
    """Dates, places and rounds a matched output event fills where the gold has null."""
    golds = [json.loads(p.read_text()) for p in sorted(gold_dir.glob("*.json"))]
    files = [str(shared / g["file"]) for g in golds]
    out = subprocess.run([exe, "extract", "--format", "jsonl", *files], capture_output=True, text=True)
    preds = {}
    for line in out.stdout.splitlines():
        doc = json.loads(line)
        preds[Path(doc["document"]["source"]).name] = doc
    found = []
    for g in golds:
        p = preds.get(Path(g["file"]).name)
        if p is None:
            continue
        pairs, _, _ = score.match_events(g["events"], p["events"])
        for i, j in pairs:
            for f in NULL_FIELDS:
                if score.has(g["events"][i], f) and score.get(g["events"][i], f) is None and score.get(p["events"][j], f) is not None:
                    found.append(f"{Path(g['file']).name}: {g['events'][i]['type']} {f} = {score.get(p['events'][j], f)!r}")
    return found


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
    violations = null_violations(load_scorer(a.shared), gold, a.shared, exe)
    figures = {
        "slots.f1": report["slots"]["f1"],
        "events.primary.r": report.get("events.primary", {}).get("r", 0.0),
        "clean.keeps.r": report.get("clean.keeps", {}).get("r", 1.0),
        "clean.drops.p": report.get("clean.drops", {}).get("p", 1.0),
        "null_violations": len(violations),
    }
    gate = {k: v for k, v in json.loads(GATE.read_text()).items() if not k.startswith("_")}
    failed = False
    print()
    for key, minimum in gate.items():
        value = figures[key]
        ok = value <= minimum if key == "null_violations" else value >= minimum
        failed |= not ok
        bound = "max" if key == "null_violations" else "min"
        print(f"{'PASS' if ok else 'FAIL'}  {key:20} {value:>7} ({bound} {minimum})")
    for v in violations:
        print(f"      null filled: {v}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
