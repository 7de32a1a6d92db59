"""A wall-clock budget per document: extraction (`pipeline.extract_text`) runs in worker
processes, and a document still being extracted when its budget is spent is stopped by
killing the process that runs it. Nothing short of that stops a regular expression that
backtracks in C. The document is reported as one error and the batch goes on; the next
document gets a fresh process.

The processes are kept from one document to the next (a document costs two messages
through a pipe), started again only after one was killed, and they end with the process
that started them, even when that one is killed with SIGKILL (Linux's parent-death
signal)."""

from __future__ import annotations

import atexit
import ctypes
import importlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from tradetalks import lexicons
from tradetalks.errors import BudgetExceeded, ExtractionFailed, TooBusy, TradetalksError, shown

DEFAULT_BUDGET = 10.0   # seconds one document may take to extract
WINDOW = 16             # documents read ahead per process
DEPTH = 4               # documents sent to a process at once: the next ones wait in its pipe,
QUEUED_BYTES = 48_000   # as long as they are this small together: a send never blocks on a
                        # process still busy (the parent must stay free to stop it)
START_TIMEOUT = 120.0   # seconds a new process has to load the lexicons and spaCy
WARM_UP = "WASHINGTON, March 4, 2024 - Trade ministers of the United States and Japan met in Tokyo."
PR_SET_PDEATHSIG = 1
EXTRACT = "tradetalks.pipeline:extract_text"  # what the processes run: pipeline.extract_text, unchanged

T = TypeVar("T")


def die_with_parent(parent: int | None = None) -> None:
    """Have Linux kill this process when its parent ends (elsewhere: nothing). `parent`:
    the pid it should have; if it is gone already, this process ends now."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if parent is not None and os.getppid() != parent:
        os._exit(0)


@dataclass
class Job:
    """One document to extract; `prepare`: return it ready to store (`record.prepare`)."""
    raw: str
    source: str
    published: str | None = None
    prepare: bool = False


def _as_error(source: str, exc: BaseException) -> TradetalksError:
    if isinstance(exc, TradetalksError):
        return exc
    return ExtractionFailed(f"{shown(source)}: internal error ({type(exc).__name__}: {exc}); please report it with the file")


WORKER_NICENESS = 5  # how much lower a worker process's scheduling priority is than its parent's


def _yield_to_parent() -> None:
    """Lower this worker's scheduling priority: the parent (which links and stores every
    document in turn, or answers the web app's requests) is the stage everything waits for,
    so the extraction processes take the cores it leaves."""
    try:
        os.nice(WORKER_NICENESS)
    except OSError:  # not allowed here: the priority stays as it is
        pass


def _work(conn: Connection, parent: int, extra: list[str], function: str, prepare: bool) -> None:
    """A worker process: documents in, extractions (or errors) out, until told to stop.
    `prepare`: its documents are to be stored (it loads `record.prepare` before the first)."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which stops this
    _yield_to_parent()
    try:
        module, _, name = function.partition(":")
        extract_text = getattr(importlib.import_module(module), name)
        for path in extra:
            lexicons.extend(path)
        warm = extract_text(WARM_UP, "warm-up")  # loads what the first document would wait for
        if prepare:
            from tradetalks.link import record

            record.prepare(warm)
    except Exception as exc:  # noqa: BLE001 - said to the parent, which reports it
        conn.send(("error", _as_error("the extraction process", exc)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            result: Any = extract_text(job.raw, job.source, job.published)
            if job.prepare:
                from tradetalks.link import record

                result = record.prepare(result)
            conn.send(("ok", result))
        except Exception as exc:  # noqa: BLE001 - one bad document never stops the process
            conn.send(("error", _as_error(job.source, exc)))


@dataclass
class _Entry:
    item: Any
    job: Job | None
    budget: float
    result: Any = None
    done: bool = False

    def finish(self, result: Any) -> None:
        self.result, self.done = result, True


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    entries: deque[_Entry] = field(default_factory=deque)  # sent, in order; the first is under way
    deadline: float = 0.0                                  # when the first is stopped
    started: float = field(default_factory=time.monotonic)

    def stop(self, kill: bool) -> None:
        if not kill and self.process.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(1.0)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


class Extractor:
    """`workers` extraction processes, each document within `budget` seconds. One thread
    at a time uses it (others wait for it, up to their budget). `function`: what the
    processes run, as module:name (tests give one that never ends)."""

    def __init__(self, *, budget: float = DEFAULT_BUDGET, workers: int = 1, extra_lexicons: Iterable[str] = (),
                 function: str = EXTRACT, prepare: bool = False) -> None:
        self.budget, self.function, self.prepare = budget, function, prepare
        self.extra = list(extra_lexicons)
        self._context = multiprocessing.get_context("spawn")
        # Linux's parent-death signal follows the thread that started a process, so every
        # process is started from this one thread, which lives as long as the pool.
        self._starter = ThreadPoolExecutor(1, thread_name_prefix="tradetalks-budget")
        self._workers: list[_Worker | None] = [None] * workers
        self._lock = threading.Lock()

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        for i, worker in enumerate(self._workers):
            if worker is not None:
                worker.stop(kill=bool(worker.entries))
                self._workers[i] = None
        self._starter.shutdown(wait=False)

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w is not None and w.process.pid]

    def extract(self, job: Job, budget: float | None = None) -> Any:
        """One document's extraction, or raises the TradetalksError that stopped it.
        Waiting for another thread's documents counts against the budget."""
        budget = self.budget if budget is None else budget
        started = time.monotonic()
        if not self._lock.acquire(timeout=max(0.0, budget)):
            raise TooBusy(f"{shown(job.source)}: the server is busy extracting other documents; try again later")
        try:
            left = budget - (time.monotonic() - started)
            [(_, result)] = list(self._guarded(iter([job]), lambda j: j, left))
        finally:
            self._lock.release()
        if isinstance(result, BaseException):
            raise result
        return result

    def map(self, items: Iterable[T], job: Callable[[T], Job | None], *, budget: float | None = None,
            wait: float | None = None) -> Iterator[tuple[T, Any]]:
        """Each item, in order, with its job's result (an Extraction, or what
        `record.prepare` gives), the TradetalksError it ended with, or None for an item
        without a job. `wait`: seconds to wait for another thread's documents (then
        TooBusy); None: as long as it takes."""
        if not self._lock.acquire(timeout=-1 if wait is None else wait):
            raise TooBusy("the server is busy extracting other documents; try again later")
        try:
            yield from self._guarded(iter(items), job, self.budget if budget is None else budget)
        finally:
            self._lock.release()

    def _guarded(self, items: Iterator[T], job: Callable[[T], Job | None], budget: float) -> Iterator[tuple[T, Any]]:
        try:
            yield from self._map(items, job, budget)
        finally:
            for i, worker in enumerate(self._workers):
                if worker is not None and worker.entries:  # left early: its answer would be stale
                    worker.stop(kill=True)
                    self._workers[i] = None

    def _map(self, items: Iterator[T], job: Callable[[T], Job | None], budget: float) -> Iterator[tuple[T, Any]]:
        pending: deque[_Entry] = deque()
        todo: deque[_Entry] = deque()
        exhausted = False
        while True:
            while not exhausted and len(pending) < WINDOW * len(self._workers):
                item = next(items, _END)
                if item is _END:
                    exhausted = True
                    break
                entry = _Entry(item, job(item), budget)  # type: ignore[arg-type]
                pending.append(entry)
                if entry.job is None:
                    entry.finish(None)
                else:
                    todo.append(entry)
            self._dispatch(todo)
            while pending and pending[0].done:
                entry = pending.popleft()
                yield entry.item, entry.result
                self._collect(todo, block=False)  # while the caller stores what it was given,
                self._dispatch(todo)               # the processes are kept busy
            if not pending and exhausted:
                return
            if pending and not pending[0].done:
                self._collect(todo)

    def _dispatch(self, todo: deque[_Entry]) -> None:
        """Give waiting documents to the processes (the idle first), starting those that
        are missing."""
        missing = [i for i, w in enumerate(self._workers) if w is None][:len(todo)]
        if missing:
            started = list(self._starter.map(lambda _: self._start(), missing))
            for i, new in zip(missing, started, strict=True):
                self._workers[i] = new if isinstance(new, _Worker) else None
                if not isinstance(new, _Worker):
                    todo.popleft().finish(new)  # the process could not start: say so, go on
        for depth in range(1, DEPTH + 1):
            for i, worker in enumerate(self._workers):
                if worker is None or len(worker.entries) >= depth or not todo:
                    continue
                if worker.entries and _queued(worker) + len(todo[0].job.raw if todo[0].job else "") > QUEUED_BYTES:
                    continue  # a large document goes to a process that is free to read it at once
                entry = todo.popleft()
                try:
                    worker.conn.send(entry.job)
                except OSError:
                    todo.appendleft(entry)
                    self._lost(i, worker, todo)
                    continue
                if not worker.entries:
                    worker.deadline = time.monotonic() + entry.budget
                worker.entries.append(entry)

    def _start(self) -> _Worker | TradetalksError:
        parent, child = self._context.Pipe()
        loaded = [str(p) for p in lexicons._extra]
        extra = loaded + [p for p in self.extra if p not in loaded]
        process = self._context.Process(target=_work, args=(child, os.getpid(), extra, self.function, self.prepare),
                                        daemon=True,
                                        name="tradetalks-extract")
        process.start()
        child.close()
        failed = ExtractionFailed("the extraction process did not start; see the messages above and report them")
        if not parent.poll(START_TIMEOUT):
            process.kill()
            process.join()
            return failed
        try:
            kind, value = parent.recv()
        except (EOFError, OSError):
            kind, value = "error", failed
        if kind != "ready":
            process.kill()
            process.join()
            return value if isinstance(value, TradetalksError) else failed
        return _Worker(process, parent)

    def _collect(self, todo: deque[_Entry], block: bool = True) -> None:
        """Wait for a result, or for the first deadline: its process is killed, and the
        documents queued behind go back to wait for another. `block=False`: only take
        what is there."""
        busy = [(i, w) for i, w in enumerate(self._workers) if w is not None and w.entries]
        if not busy:
            return
        timeout = max(0.0, min(w.deadline for _, w in busy) - time.monotonic()) if block else 0.0
        ready = wait([w.conn for _, w in busy], timeout)
        for i, worker in busy:
            if worker.conn in ready:
                try:
                    _, value = worker.conn.recv()
                except (EOFError, OSError):
                    self._lost(i, worker, todo)
                    continue
                worker.entries.popleft().finish(value)
                if worker.entries:  # the next one started as this one ended
                    worker.deadline = time.monotonic() + worker.entries[0].budget
            elif time.monotonic() >= worker.deadline:
                entry = worker.entries.popleft()
                assert entry.job is not None
                self._drop(i, worker, todo)
                entry.finish(BudgetExceeded(
                    f"{shown(entry.job.source)}: extraction stopped after {entry.budget:g} s, over its time budget "
                    "(the text is too long or too repetitive to extract in time); pass a shorter document, "
                    "or raise the budget (--budget)"))

    def _drop(self, i: int, worker: _Worker, todo: deque[_Entry]) -> None:
        """Kill a process; the documents it had not started wait for another."""
        worker.stop(kill=True)
        self._workers[i] = None
        todo.extendleft(reversed(worker.entries))
        worker.entries.clear()

    def _lost(self, i: int, worker: _Worker, todo: deque[_Entry]) -> None:
        """A process that died under a document: the document fails, a new process follows."""
        entry = worker.entries.popleft() if worker.entries else None
        self._drop(i, worker, todo)
        if entry is not None and entry.job is not None:
            code = worker.process.exitcode
            how = f"was killed by signal {-code}" if code is not None and code < 0 else f"ended (status {code})"
            hint = "; it may have run out of memory" if code == -signal.SIGKILL else ""
            entry.finish(ExtractionFailed(f"{shown(entry.job.source)}: the extraction process {how}{hint}; "
                                          "please report it with the file"))


def _queued(worker: _Worker) -> int:
    """Characters of the documents sent to a process and not yet started."""
    return sum(len(e.job.raw) for e in list(worker.entries)[1:] if e.job is not None)


_END = object()
_shared: dict[tuple[int, tuple[str, ...], bool], Extractor] = {}


def shared(workers: int = 1, extra_lexicons: Iterable[str] = (), prepare: bool = False) -> Extractor:
    """An extractor kept for the life of this process (a command, a server), so that its
    processes are started once; another one (other lexicons, another number of processes)
    replaces it. `prepare`: for documents to be stored."""
    loaded = [str(p) for p in lexicons._extra]
    key = (workers, tuple(loaded + [p for p in extra_lexicons if p not in loaded]), prepare)
    if key not in _shared:
        _close_shared()
        _shared[key] = Extractor(workers=workers, extra_lexicons=key[1], prepare=prepare)
    return _shared[key]


@atexit.register
def _close_shared() -> None:
    for extractor in _shared.values():
        extractor.close()
    _shared.clear()


def extract_files(paths: Iterable[str | os.PathLike[str]], *, published: str | None = None,
                  budget: float = DEFAULT_BUDGET, extractor: Extractor | None = None,
                  ) -> Iterator[tuple[str, Any, list[str]]]:
    """Each file, in order, with its Extraction or the TradetalksError that stopped it
    (unreadable, over its budget, ...), and the notes on how it was decoded."""
    from tradetalks.sources.files import read_file

    def read(path: str | os.PathLike[str]) -> tuple[str, str | None, list[str], TradetalksError | None]:
        try:
            raw, notes = read_file(path)
        except TradetalksError as exc:
            return os.fspath(path), None, [], exc
        return os.fspath(path), raw, notes, None

    def job(entry: tuple[str, str | None, list[str], TradetalksError | None]) -> Job | None:
        return Job(entry[1], entry[0], published) if entry[1] is not None else None

    pool = extractor or shared()
    for (path, _, notes, error), result in pool.map(map(read, paths), job, budget=budget):
        yield path, error or result, notes
