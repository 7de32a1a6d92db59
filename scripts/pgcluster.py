"""A throw-away PostgreSQL cluster on loopback, from Debian's binaries, for the tests and
the benchmarks: ``url, stop = start_postgres()``; ``(None, None)`` when none can be
started here (no binaries: ``make postgres`` installs them)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_postgres():  # type: ignore[no-untyped-def]
    """A throw-away PostgreSQL cluster on loopback, from Debian's binaries."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = bins[-1] if bins else shutil.which("initdb")
    if not initdb:
        return None, None
    bindir = os.path.dirname(initdb)
    root = tempfile.mkdtemp(prefix="tradetalks-pg-")
    data = os.path.join(root, "data")
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    try:
        subprocess.run(as_user + [initdb, "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run(as_user + [os.path.join(bindir, "pg_ctl"), "-D", data, "-l", os.path.join(root, "log"), "-w",
                                  "-o", f"-k {root} -c listen_addresses=127.0.0.1 -p {port} -c fsync=off", "start"],
                       check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError, KeyError, LookupError):
        shutil.rmtree(root, ignore_errors=True)
        return None, None

    def stop() -> None:
        subprocess.run(as_user + [os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "fast", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)

    return f"postgresql://postgres@127.0.0.1:{port}/postgres", stop
