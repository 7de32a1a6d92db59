"""`tradetalks serve` in its own process on a free loopback port, for the tests and the
benchmarks: ``base, stop = start_serve(db, workers=2)``. Raises RuntimeError (with what the
server printed) when it does not answer in time."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable

import httpx
from pgcluster import _free_port


def start_serve(db: str, *, workers: int = 1, wait: float = 20.0, token: str | None = None) -> tuple[str, Callable[[], str]]:
    """The server's base URL, and a function that stops it and returns what it printed.
    `token`: the one that opens corrections (given as TRADETALKS_TOKEN)."""
    port = _free_port()
    env = {**os.environ, "TRADETALKS_TOKEN": token} if token else None
    proc = subprocess.Popen([sys.executable, "-m", "tradetalks.cli", "serve", "--db", db, "--port", str(port),
                             "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    base = f"http://127.0.0.1:{port}"

    def stop() -> str:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        return err or ""

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/overview", timeout=2).status_code == 200:
                return base, stop
        except httpx.HTTPError:
            time.sleep(0.1)
        if proc.poll() is not None:
            break
    raise RuntimeError("tradetalks serve did not start: " + stop().strip())
