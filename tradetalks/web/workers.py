"""`tradetalks serve --workers N`: N server processes on one port, each listening on a
socket of its own (SO_REUSEPORT), so that the kernel spreads new connections evenly over
them. With one socket shared by all (uvicorn's own --workers), whichever process wakes
first accepts every pending connection: 20 keep-alive clients often all land on one
process, and the server runs at the speed of one core.

The parent holds the port, starts the processes, starts a new one when one dies, and stops
them all on SIGINT or SIGTERM; killed with SIGKILL, its processes end with it (Linux's
parent-death signal).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import time
from typing import Any

import uvicorn

from tradetalks.budget import die_with_parent

APP = "tradetalks.web.app:from_env"  # each process builds the app from the environment
RESTART_PAUSE = 1.0  # seconds before a process that died is started again
STOP_WAIT = 10.0     # seconds a process has to finish its requests once told to stop


def supported() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(host: str, port: int, options: dict[str, Any], parent: int) -> None:
    die_with_parent(parent)  # a parent killed with SIGKILL cannot stop its processes itself
    server = uvicorn.Server(uvicorn.Config(APP, factory=True, host=host, port=port, **options))
    server.run(sockets=[_socket(host, port)])


def run(workers: int, host: str, port: int, options: dict[str, Any]) -> None:
    """Serve with `workers` processes until told to stop. Raises OSError when the
    address cannot be had."""
    with socket.socket(_family(host)) as probe:
        probe.bind((host, port))  # without SO_REUSEPORT: fails when anything (another server too) has the port
        port = probe.getsockname()[1]
    held = _socket(host, port)  # bound, never listening: it keeps the port, takes no connections
    context = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> multiprocessing.process.BaseProcess:
        # Not daemonic: a server process starts an extraction process of its own.
        process = context.Process(target=_worker, args=(host, port, options, os.getpid()))
        process.start()
        return process

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes = [start() for _ in range(workers)]
    try:
        while not stopping:
            time.sleep(0.2)
            for i, process in enumerate(processes):
                if not process.is_alive() and not stopping:
                    time.sleep(RESTART_PAUSE)
                    processes[i] = start()
    finally:
        for process in processes:
            process.terminate()  # SIGTERM: uvicorn finishes the requests under way
        deadline = time.monotonic() + STOP_WAIT
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
        held.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
