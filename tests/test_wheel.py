"""What users install: the wheel carries the lexicons and runs on its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_has_package_data_and_runs(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True)
    wheel = next((tmp_path / "dist").glob("tradetalks-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for data in ("countries", "organizations", "titles", "mechanisms", "topics", "outcomes", "triggers"):
        assert f"tradetalks/extract/lexicon/{data}.yaml" in names
    assert "tradetalks/py.typed" in names
    for page in ("web/templates/base.html", "web/templates/event.html", "web/static/app.js", "web/static/app.css"):
        assert f"tradetalks/{page}" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True)
    # Only the installed copy of tradetalks is importable: run from an empty folder.
    env = {**os.environ, "PYTHONPATH": str(target)}
    seed = ROOT / "tests" / "data" / "seeds" / "003_5181921515bd8063.txt"
    out = subprocess.run([sys.executable, "-c", "import tradetalks.cli, sys; sys.argv=['tradetalks','extract','--format','jsonl',sys.argv[1]]; tradetalks.cli.main()", str(seed)],
                         capture_output=True, text=True, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["events"][0]["mechanism"] == "U.S.-China Commercial Issues Working Group"
    probe = subprocess.run([sys.executable, "-c", "import tradetalks; print(tradetalks.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=env, check=True)
    assert probe.stdout.strip().startswith(str(target))
    pages = subprocess.run([sys.executable, "-c", "from tradetalks.web.pages import templates; "
                            "print(templates().get_template('home.html').filename)"],
                           capture_output=True, text=True, cwd=tmp_path, env=env, check=True)
    assert pages.stdout.strip().startswith(str(target))
