"""Ingest: sources -> extraction -> linking -> the record, each document all or nothing.

A run keeps going past bad inputs and reports; the same input twice is stored once, so a
run that was killed (even with SIGKILL) is resumed by running it again.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from sqlalchemy.engine import Connection

from tradetalks import budget as budgets
from tradetalks.clean import metadata
from tradetalks.errors import DiskFull, TradetalksError, shown
from tradetalks.link import provenance, record
from tradetalks.link.registry import now
from tradetalks.sources import As, Item, iter_items
from tradetalks.sources import manifest as manifests
from tradetalks.sources.fetch import Fetcher
from tradetalks.store import Store, documents
from tradetalks.store.commits import SharedCommitFailed, SharedCommits

WINDOW = 16  # documents marked as stored or not at once


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    new_events: int = 0
    reports: int = 0                                   # events reported by the documents read
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)     # inputs read, but not as they declared
    undated: list[str] = field(default_factory=list)   # documents stored without a publication date
    removed: int = 0                                   # stored inputs found not to be articles (reprocess)

    def not_articles(self) -> list[tuple[str, str]]:
        return [(source, why) for source, why in self.skipped if why.endswith(NOT_AN_ARTICLE)]

    def report(self) -> list[str]:
        """What the run says, one line each: notes, inputs passed over as not articles,
        failures, then the counts (with how to date the documents that have no date)."""
        out = [f"Note: {note}" for note in self.notes]
        out += [f"Skipped: {shown(source)}: {why}" for source, why in self.not_articles()]
        out += [f"Error: {why}" if why.startswith(source) else f"Error: {source}: {why}" for source, why in self.failed]
        return [*out, self.line()]

    def line(self) -> str:
        passed = len(self.not_articles())
        parts = [f"added {self.added}", f"updated {self.updated}", f"unchanged {self.unchanged}",
                 f"near-duplicates linked {self.duplicates}",
                 f"skipped {len(self.skipped)}" + (f" ({passed} not articles)" if passed else ""), f"failed {len(self.failed)}"]
        line = (", ".join(parts) + f"; {self.reports} event reports, {self.new_events} new events"
                f" ({self.reports - self.new_events} linked to events already known)")
        if self.removed:
            line += f"; {self.removed} stored inputs that are not articles removed"
        if self.undated:
            n = len(self.undated)
            line += (f"; {n} {'document' if n == 1 else 'documents'} without a publication date (relative dates in "
                     "them stay unresolved): give one with --published YYYY-MM-DD or a date column in --manifest FILE.csv")
        return line


NOT_AN_ARTICLE = "not an article"


class CommitGate:
    """Between a request's deadline and a document's commit (the web app's): either the
    commit starts before the client is told the request stopped, and the client is
    answered once it is through, or the document is not committed at all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.committing = self.stopped = False

    def enter(self) -> bool:
        """Before a commit: False once the request was stopped."""
        with self._lock:
            self.committing = not self.stopped
            return self.committing

    def leave(self) -> None:
        with self._lock:
            self.committing = False

    def stop(self) -> bool:
        """At the deadline: True when no commit is under way (none will start after)."""
        with self._lock:
            if not self.committing:
                self.stopped = True
            return self.stopped


def _cache_lookup(store: Store) -> Callable[[str], tuple[str | None, str | None]]:
    def lookup(url: str) -> tuple[str | None, str | None]:
        with store.read() as conn:
            return documents.fetch_validators(conn, url)
    return lookup


def _remember(conn, url: str, cache: dict[str, str | None], content_hash: str | None) -> None:  # type: ignore[no-untyped-def]
    if not (cache.get("etag") or cache.get("last_modified")):
        return
    values = {"url": url, "etag": cache.get("etag"), "last_modified": cache.get("last_modified"),
              "content_hash": content_hash, "fetched_at": now()}
    documents.remember_fetch(conn, values)


def ingest(store: Store, sources: list[tuple[str, As]], *, since: str | None = None, workers: int = 1,
           fetcher: Fetcher | None = None, published: str | None = None, extra_lexicons: list[str] | None = None,
           progress: bool | None = None, budget: float = budgets.DEFAULT_BUDGET,
           extractor: budgets.Extractor | None = None, gate: CommitGate | None = None,
           manifest: str | None = None) -> Summary:
    """Ingest everything the sources give into the store, and say what happened. Each
    document's extraction is stopped after `budget` seconds (then it fails, and the run
    goes on); inputs that are not articles (a folder's CSV listing, its README, a log) are
    passed over. `manifest`: a CSV file of each file's URL, date, publisher and title.
    Raises DiskFull, once, when the record's disk is full."""
    listed = manifests.load(manifest) if manifest else None
    items = iter_items(sources, fetcher, _cache_lookup(store), since, listed)
    summary = _ingest_items(store, items, since=since, workers=workers, published=published,
                            extra_lexicons=extra_lexicons, progress=progress, budget=budget, extractor=extractor, gate=gate)
    summary.notes[:0] = listed.notes if listed else []
    return summary


def ingest_text(store: Store, raw: str, source: str, *, published: str | None = None,
                budget: float = budgets.DEFAULT_BUDGET, extractor: budgets.Extractor | None = None,
                gate: CommitGate | None = None, notes: list[str] | None = None) -> Summary:
    """Ingest one document given as its text (as the API receives it)."""
    return _ingest_items(store, [Item(source, raw, notes=notes or [])], published=published, progress=False,
                         budget=budget, extractor=extractor, gate=gate)


def _ingest_items(store: Store, items: Iterable[Item], *, since: str | None = None, workers: int = 1,
                  published: str | None = None, extra_lexicons: list[str] | None = None,
                  progress: bool | None = None, budget: float = budgets.DEFAULT_BUDGET,
                  extractor: budgets.Extractor | None = None, gate: CommitGate | None = None) -> Summary:
    summary = Summary()
    pool = extractor or budgets.shared(workers, extra_lexicons or [], prepare=True)
    # A run (not a request, whose document is stored before it is answered) shares commits.
    shared = store.shared_commits() if gate is None else None
    write = _Writes(store, shared)
    with _progress(progress) as bar:
        task = bar.add_task("ingest", total=None)
        # A request (gate given) waits for another's documents no longer than its budget.
        wait = budget if gate is not None else None
        try:
            for item, result in _extracted(items, _skip_stored(store), pool, published, budget, wait):
                summary.notes.extend(item.notes)
                _store_one(write, item, result, since, summary, gate)
                bar.update(task, advance=1, description=f"ingest: {summary.added} added, {len(summary.failed)} failed")
                if gate is not None and gate.stopped:
                    break
        finally:
            write.close(summary)
    if summary.added + summary.updated >= TIDY_AFTER:
        store.tidy()
    return summary


TIDY_AFTER = 500  # documents stored in one run, after which the store's statistics are refreshed


def _skip_stored(store: Store) -> Callable[[list[Item]], None]:
    """Mark the items whose very input is stored already: they are not extracted again
    (one query per batch, so that resuming a long run is fast)."""
    def mark(batch: list[Item]) -> None:
        hashes = {record.sha256(i.raw): i for i in batch if i.raw is not None}
        if not hashes:
            return
        with store.read() as conn:
            stored = documents.stored_hashes(conn, list(hashes))
        for h in stored:
            hashes[h].skipped = "unchanged"
    return mark


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _extracted(items: Iterable[Item], mark: Callable[[list[Item]], None] | None, pool: budgets.Extractor,
               published: str | None, budget: float, wait: float | None = None,
               ) -> Iterator[tuple[Item, record.Prepared | str | None]]:
    """Each item with its extraction (or the error text, or None when nothing is to be
    done), in order; extraction runs in the pool's processes, each document within
    `budget` seconds. `mark` flags, a batch at a time, the items that need no extraction."""
    def marked() -> Iterator[Item]:
        for batch in _batches(items, WINDOW):
            if mark:
                mark(batch)
            yield from batch

    def job(item: Item) -> budgets.Job | None:
        if item.raw is None or item.skipped:
            return None
        kind = metadata.not_an_article(item.raw)
        if kind:
            item.skipped = f"{kind}, {NOT_AN_ARTICLE}"
            return None
        return budgets.Job(item.raw, item.source, item.published or published, prepare=True)

    for item, result in pool.map(marked(), job, budget=budget, wait=wait):
        yield item, _error_text(item.source, result) if isinstance(result, BaseException) else result


def _error_text(source: str, exc: BaseException) -> str:
    if isinstance(exc, TradetalksError):
        return str(exc)
    return f"{source}: internal error ({type(exc).__name__}: {exc}); please report it with the file"


class _Writes:
    """Where a run's writes go: the store's transactions, one a document, or transactions
    sharing their commits (store.commits); a run's documents are counted once committed."""

    def __init__(self, store: Store, shared: SharedCommits | None) -> None:
        self.store, self.shared = store, shared

    def transaction(self, *, pipelined: bool = False) -> AbstractContextManager[Connection]:
        if self.shared is None:
            return self.store.transaction(pipelined=pipelined)
        return self.shared.transaction()

    def commit(self, summary: Summary) -> None:
        """Commit the documents written so far (counted once it is through)."""
        if self.shared is not None:
            try:
                self.shared.commit()
            except SharedCommitFailed as exc:
                _not_committed(exc, summary)

    def close(self, summary: Summary) -> None:
        if self.shared is not None:
            try:
                self.commit(summary)
            finally:
                self.shared.close()


def _not_committed(exc: SharedCommitFailed, summary: Summary) -> None:
    """The documents a failed shared commit held: failed, or the run stops when the disk is full."""
    if _disk_full(exc.cause):
        raise _stopped_by_full_disk(summary, f"the {len(exc.lost)} documents read last") from None
    summary.failed += [(source, _not_stored(source, exc.cause)) for source in exc.lost]


def _not_stored(source: str, exc: BaseException) -> str:
    lines = str(exc).splitlines()
    why = f"{type(exc).__name__}: {lines[0][:200]}" if lines else type(exc).__name__
    return f"{shown(source)}: not stored ({why}); nothing of it was written"


def _stopped_by_full_disk(summary: Summary, lost: str) -> DiskFull:
    stored = summary.added + summary.updated + summary.duplicates
    return DiskFull(f"the record's disk is full: stopped after storing {stored} documents; nothing of {lost} was "
                    "written; free some space and run the same command again to go on")


def _count(summary: Summary, saved: record.Saved, source: str, published: str | None) -> None:
    if saved.status == "unchanged":
        summary.unchanged += 1
    elif saved.status == "duplicate":
        summary.duplicates += 1
    elif saved.status == "updated":
        summary.updated += 1
    else:
        summary.added += 1
    if published is None and saved.status in ("added", "updated"):
        summary.undated.append(source)
    summary.new_events += saved.new_events
    summary.reports += saved.events


def _store_one(write: _Writes, item: Item, result: record.Prepared | str | None, since: str | None, summary: Summary,
               gate: CommitGate | None = None) -> None:
    if item.error:
        summary.failed.append((item.source, item.error))
        return
    if isinstance(result, str):
        summary.failed.append((item.source, result))
        return
    if result is None:
        _passed_over(write, item, summary)
        return
    if item.meta:
        provenance.fill(result, item.meta)
    published = result.extraction.document.published
    if since and published and published < since:
        summary.skipped.append((item.source, f"published {published}, before --since {since}"))
        return
    entered = False
    try:
        with write.transaction(pipelined=True) as conn:
            saved = record.save_document(conn, item.raw or "", result, url=provenance.own_url(item.url, result),
                                         source=item.source, replace=item.replace)
            if item.url and item.cache and saved.status != "unchanged":
                _remember(conn, item.source, item.cache, record.sha256(item.raw or ""))
            scratch = conn.info["tradetalks_txn"]
            scratch["source"] = item.source
            scratch.setdefault("committed", []).append(lambda: _count(summary, saved, item.source, published))
            entered = gate is None or gate.enter()
            if not entered:
                raise _Stopped
    except _Stopped:
        summary.failed.append((item.source, f"{shown(item.source)}: not stored: the request ran out of time first; "
                                            "nothing of it was written"))
        return
    except SharedCommitFailed as exc:
        _not_committed(exc, summary)
    except Exception as exc:  # noqa: BLE001 - the transaction is rolled back; the batch goes on
        if _disk_full(exc):
            write.commit(summary)  # what was written before it, if it still fits
            raise _stopped_by_full_disk(summary, shown(item.source)) from None
        summary.failed.append((item.source, _not_stored(item.source, exc)))
        return
    finally:
        if entered and gate is not None:
            gate.leave()


def _passed_over(write: _Writes, item: Item, summary: Summary) -> None:
    """An item with nothing to extract: stored already, a feed read, an input that is not
    an article (taken out of the record when stored by an earlier version), or skipped."""
    if item.skipped and item.skipped.startswith("unchanged"):  # stored already, or a 304
        summary.unchanged += 1
    elif item.skipped == "feed read":
        with write.transaction() as conn:
            _remember(conn, item.source, item.cache, None)
    elif item.skipped and item.replace is not None and item.skipped.endswith(NOT_AN_ARTICLE):
        _remove(write, item, summary)
    elif item.skipped:
        summary.skipped.append((item.source, item.skipped))


def _remove(write: _Writes, item: Item, summary: Summary) -> None:
    """Take a stored input that is not an article (stored by an earlier version) out of the
    record, with the events only it reported."""
    assert item.replace is not None
    with write.transaction() as conn:
        record.unlink_document(conn, item.replace)
        documents.remove_document(conn, item.replace)
    summary.removed += 1


class _Stopped(Exception):
    """The request a document was ingested for ran out of time before its commit."""


def _disk_full(exc: BaseException) -> bool:
    """SQLite's 'database or disk is full', PostgreSQL's disk_full, or ENOSPC."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return True
        if getattr(seen, "sqlstate", None) == "53100" or "database or disk is full" in str(seen):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__
    return False


def reprocess(store: Store, *, workers: int = 1, extra_lexicons: list[str] | None = None,
              progress: bool | None = None, budget: float = budgets.DEFAULT_BUDGET) -> Summary:
    """Re-run the extractor over every stored raw input and re-link what it finds."""
    summary = Summary()
    with store.read() as conn:
        ids = documents.document_ids(conn)

    def stored() -> Iterator[Item]:
        for doc_id in ids:
            with store.read() as conn:
                row = documents.stored_input(conn, doc_id)
            if row is not None:
                yield Item(row.source, row.raw, url=row.url, published=row.published, replace=doc_id)

    with _progress(progress) as bar:
        task = bar.add_task("reprocess", total=len(ids))
        pool = budgets.shared(workers, extra_lexicons or [], prepare=True)
        write = _Writes(store, None)
        for item, result in _extracted(stored(), None, pool, None, budget):
            _store_one(write, item, result, None, summary)
            bar.update(task, advance=1)
    return summary


def _progress(enabled: bool | None) -> Progress:
    console = Console(stderr=True)
    show = console.is_terminal if enabled is None else enabled
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=True, disable=not show)


__all__ = ["Summary", "ingest", "ingest_text", "reprocess"]
