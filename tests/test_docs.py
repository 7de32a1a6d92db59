"""Docs that cannot drift: the README's terminal sessions are real output, and every
command has help text."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tradetalks.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).parent / "tradetalks")


def sessions():
    """Each ```console block, as (command, shown output) pairs in order."""
    text = (ROOT / "README.md").read_text()
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        steps: list[tuple[str, list[str]]] = []
        for line in block.rstrip("\n").split("\n"):
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
        yield [(cmd, "\n".join(out)) for cmd, out in steps]


def test_readme_sessions_match_real_output(tmp_path):
    found = list(sessions())
    assert len(found) >= 2
    for i, block in enumerate(found):
        env = {**os.environ, "TRADETALKS_DB": str(tmp_path / f"readme-{i}.db")}  # each block on a fresh record
        for command, shown in block:
            args = command.split()
            assert args[0] == "tradetalks"
            out = subprocess.run([EXE, *args[1:]], capture_output=True, text=True, cwd=ROOT, env=env)
            assert out.returncode == 0, out.stderr
            assert (out.stdout + out.stderr).rstrip("\n") == shown, command


def test_readme_first_screen_has_the_two_commands():
    head = (ROOT / "README.md").read_text().split("\n")[:20]
    assert any(line.startswith("make demo") for line in head)
    assert any(line.startswith("make test") for line in head)


def test_every_command_and_option_has_help():
    import typer.main

    group = typer.main.get_command(app)
    assert len(group.commands) >= 10
    for name, cmd in group.commands.items():
        assert cmd.help and cmd.help.strip(), f"tradetalks {name} has no help text"
        for param in cmd.params:
            if param.param_type_name == "option":
                assert getattr(param, "help", None), f"tradetalks {name} {param.opts[0]} has no help text"
            else:
                assert getattr(param, "help", None) or name in ("extract",), f"tradetalks {name} {param.name} has no help"
