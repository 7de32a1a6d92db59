"""The time budget per document: a document whose extraction does not end is stopped (its
process killed, even inside a regular expression that backtracks in C), reported as one
error, and the batch goes on; worker processes end with the process that started them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from tradetalks.budget import Extractor, Job
from tradetalks.cli import app
from tradetalks.errors import BudgetExceeded, ExtractionFailed

EXE = str(Path(sys.executable).parent / "tradetalks")


def backtrack(raw: str, source: str, published: str | None = None):
    """An extraction that never ends on a text starting with 'hang': a nested quantifier
    that backtracks inside the C regex engine, where no Python signal handler runs."""
    if raw.startswith("hang"):
        re.match(r"(a*)*b", "a" * 64)
    if raw.startswith("crash"):
        os._exit(3)
    if raw.startswith("big"):  # a large document, quick to "extract"
        raw = "The United States and Japan met in Tokyo on March 3, 2024."
    from tradetalks.pipeline import extract_text

    return extract_text(raw, source, published)


def test_a_runaway_document_is_stopped_and_the_next_is_extracted():
    good = SEEDS[0].read_text()
    with Extractor(budget=1.0, function="test_hostile_budget:backtrack") as pool:
        jobs = [Job(good, "first.txt"), Job("hang", "runaway.txt"), Job(good, "third.txt")]
        results = list(pool.map(jobs, lambda j: j))
    assert [j.source for j, _ in results] == ["first.txt", "runaway.txt", "third.txt"]
    assert results[0][1].events and results[2][1].events
    error = results[1][1]
    assert isinstance(error, BudgetExceeded)
    assert str(error) == ("runaway.txt: extraction stopped after 1 s, over its time budget (the text is too long or "
                          "too repetitive to extract in time); pass a shorter document, or raise the budget (--budget)")


def test_a_large_document_behind_a_runaway_one_does_not_keep_it_running():
    """The large document cannot be queued in the busy process's pipe (the send would
    block the parent, which could then not stop the runaway one)."""
    big = "big" + "x" * 2_000_000
    with Extractor(budget=1.0, function="test_hostile_budget:backtrack") as pool:
        results = list(pool.map([Job("hang", "runaway.txt"), Job(big, "big.txt"), Job("big", "small.txt")], lambda j: j))
    assert [type(r).__name__ for _, r in results] == ["BudgetExceeded", "Extraction", "Extraction"]


def test_a_process_that_dies_fails_its_document_only():
    with Extractor(function="test_hostile_budget:backtrack") as pool:
        with pytest.raises(ExtractionFailed, match=r"^crash.txt: the extraction process ended \(status 3\); please report"):
            pool.extract(Job("crash", "crash.txt"))
        assert pool.extract(Job(SEEDS[0].read_text(), "after.txt")).events


def test_the_same_process_serves_document_after_document():
    with Extractor() as pool:
        pool.extract(Job(SEEDS[0].read_text(), "a.txt"))
        first = pool.pids()
        pool.extract(Job(SEEDS[1].read_text(), "b.txt"))
        assert pool.pids() == first


def test_extract_budget_stops_a_huge_crafted_document_and_goes_on(tmp_path):
    crafted = tmp_path / "crafted.txt"
    crafted.write_text("Mr. " * 500_000)  # 2 MB: past a budget of 0.5 s, however fast extraction gets
    r = CliRunner().invoke(app, ["extract", "--format", "jsonl", "--budget", "0.5", str(crafted), str(SEEDS[1])])
    assert r.exit_code == 1
    errors = [x for x in r.stderr.splitlines() if x.startswith("Error:")]
    assert errors == [f"Error: {crafted}: extraction stopped after 0.5 s, over its time budget (the text is too long "
                      "or too repetitive to extract in time); pass a shorter document, or raise the budget (--budget)"]
    assert '"source": "' + str(SEEDS[1]) in r.stdout.replace('":"', '": "')


def test_ingest_budget_stops_a_crafted_document_and_stores_the_rest(tmp_path):
    from tradetalks.ingest import ingest
    from tradetalks.store import Store

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-crafted.txt").write_text("Minister of Trade and Industry of the " * 50_000)
    (folder / "b-good.txt").write_text(SEEDS[0].read_text())
    with Store(str(tmp_path / "r.db")) as store:
        summary = ingest(store, [(str(folder), "auto")], budget=0.5, progress=False)
    assert summary.added == 1
    assert [why.split(":")[0] for _, why in summary.failed] == [str(folder / "a-crafted.txt")]
    assert "extraction stopped after 0.5 s" in summary.failed[0][1]


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid`."""
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_text(errors="replace")
    except OSError:
        return ""


def _kill_parent_and_wait(proc: subprocess.Popen, want: int, mark: str) -> set[int]:
    """SIGKILL `proc` once `want` of its children have `mark` in their command line; all
    the children it had then."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.2)
        kids = _children(proc.pid)
        if len([k for k in kids if mark in _cmdline(k)]) >= want:
            break
    else:
        pytest.fail(f"the workers did not start: {[_cmdline(k) for k in _children(proc.pid)]}")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for _ in range(100):
        if not any(_alive(k) for k in kids):
            break
        time.sleep(0.1)
    return kids


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_killed_ingest_leaves_no_worker(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"{i}.txt").write_text("Mr. " * 500_000)  # keeps the workers busy
    proc = subprocess.Popen([EXE, "ingest", "--no-progress", "--workers", "2", "--budget", "600",
                             "--db", str(tmp_path / "r.db"), str(folder)], stderr=subprocess.DEVNULL)
    try:
        kids = _kill_parent_and_wait(proc, 2, "spawn_main")
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not [k for k in kids if _alive(k)], "worker processes outlived their parent"
