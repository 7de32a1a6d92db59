"""The README's terminal session is real output, and stays so."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).parent / "tradetalks")


def sessions():
    text = (ROOT / "README.md").read_text()
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        lines = block.rstrip("\n").split("\n")
        yield lines[0].removeprefix("$ "), "\n".join(lines[1:])


def test_readme_sessions_match_real_output():
    found = list(sessions())
    assert found
    for command, shown in found:
        args = command.split()
        assert args[0] == "tradetalks"
        out = subprocess.run([EXE, *args[1:]], capture_output=True, text=True, cwd=ROOT)
        assert out.returncode == 0, out.stderr
        assert out.stdout.rstrip("\n") == shown


def test_readme_first_screen_has_the_two_commands():
    head = (ROOT / "README.md").read_text().split("\n")[:20]
    assert any(line.startswith("make demo") for line in head)
    assert any(line.startswith("make test") for line in head)
