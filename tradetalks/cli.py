"""The ``tradetalks`` command line: thin commands over the library."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from tradetalks import __version__, lexicons, output
from tradetalks.budget import DEFAULT_BUDGET, extract_files
from tradetalks.clean.metadata import NotAnArticle
from tradetalks.errors import OutputError, QueryError, TradetalksError
from tradetalks.models import EVENT_TYPES

err = Console(stderr=True, highlight=False, soft_wrap=True)


class _Commands(TyperGroup):
    """The commands, with the one translation of the error tree for the CLI: an error's
    message as one `Error:` line, and its exit code (2: bad usage, 1: a failure)."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except TradetalksError as exc:
            err.print(f"Error: {exc}", markup=False)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Commands, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    help="Turn press releases and news about trade talks into structured events, with evidence.",
)


def _version(value: bool) -> None:
    if value:
        print(f"tradetalks {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """tradetalks: a queryable record of trade talks from scraped documents."""


def _published(value: str | None) -> str | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise typer.BadParameter(f"{value!r} is not a date; give it as YYYY-MM-DD, e.g. 2024-04-05")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a real calendar date; give it as YYYY-MM-DD") from None
    return value


def format_option(formats: tuple[str, ...] | None, help_: str) -> Any:
    """The one definition of `--format`/`-f` (sqlite-utils' output_options, for this CLI):
    the choices a command writes, checked as the command line is read (None: the command's
    library checks them, as `export`'s formats are checked for the API too)."""
    def check(value: str) -> str:
        if formats is not None and value not in formats:
            raise typer.BadParameter(f"{value!r} is not a format; use one of: {', '.join(formats)}")
        return value

    return typer.Option("--format", "-f", callback=check, help=help_)


FILES_HELP = "Documents to read: text, Markdown, HTML, an RSS/Atom item or SGML wire copy."
EXPLAIN_HELP = "Instead of events, list what cleaning removed from each document (each block whole) and why."
FORMAT_HELP = "Output: json (one object per document), jsonl (one per line) or table."
PUBLISHED_HELP = "Publication date (YYYY-MM-DD) for documents that give none; relative dates resolve against it."
BUDGET_HELP = ("Seconds one document may take to extract; past them it is stopped and reported, "
               "and the others go on.")
MANIFEST_HELP = ("A CSV file with a 'file' column and any of url, date, publisher, title (url_if_known and "
                 "date_if_known too): what each file does not say of itself.")
LEXICON_HELP = ("A YAML lexicon file to add to the built-in ones (countries, organizations, mechanisms, "
                "topics...). Repeatable.")


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help=FILES_HELP, show_default=False)],
    fmt: Annotated[str, format_option(output.FORMATS, FORMAT_HELP)] = "json",
    published: Annotated[str | None, typer.Option(callback=_published, help=PUBLISHED_HELP)] = None,
    lexicon: Annotated[list[Path] | None, typer.Option(help=LEXICON_HELP)] = None,
    explain_cleaning: Annotated[bool, typer.Option("--explain-cleaning", help=EXPLAIN_HELP)] = False,
    budget: Annotated[float, typer.Option(min=0.1, max=3600, help=BUDGET_HELP)] = DEFAULT_BUDGET,
) -> None:
    """Extract the events each document reports, as tradetalks/extraction-v1 JSON."""
    if explain_cleaning:
        raise typer.Exit(_explain_cleaning(files))
    _load_lexicons(lexicon)
    results = []
    failed = 0
    for _, ex, notes in extract_files(files, published=published, budget=budget):
        for note in notes:
            err.print(f"Note: {note}", markup=False)
        if isinstance(ex, NotAnArticle):  # a folder's index, a log...: said, not extracted
            err.print(f"Note: {ex}", markup=False)
            continue
        if isinstance(ex, TradetalksError):  # one bad document never stops a batch
            failed += 1
            err.print(f"Error: {ex}", markup=False)
            continue
        if fmt == "table":
            results.append(ex)
        else:
            sys.stdout.write(output.render(ex, fmt) + "\n")
            sys.stdout.flush()
    if fmt == "table":
        output.table(results, Console(width=100))
    if failed:
        err.print(f"{failed} of {len(files)} documents failed; the others were extracted.", markup=False)
        raise typer.Exit(1)


def _explain_cleaning(files: list[Path]) -> int:
    """`extract --explain-cleaning`: what cleaning removed from each document, and why."""
    from tradetalks.clean import explain
    from tradetalks.pipeline import read_document

    failed = 0
    for path in files:
        try:
            report = explain(read_document(path))
        except TradetalksError as exc:  # one bad document never stops a batch
            failed += 1
            err.print(f"Error: {exc}", markup=False)
            continue
        sys.stdout.write(f"== {path}\n{report}\n\n")
    return 1 if failed else 0


DB_HELP = "The record: a SQLite file (default tradetalks.db, or $TRADETALKS_DB) or postgresql://user@host/dbname."
LIST_FORMAT_HELP = "Output: table, json, jsonl or csv."
DbOpt = Annotated[str | None, typer.Option("--db", envvar="TRADETALKS_DB", help=DB_HELP, show_default=False)]


ListFormat = Annotated[str, format_option(output.LISTING_FORMATS, LIST_FORMAT_HELP)]
Between = Annotated[tuple[str, str] | None, typer.Option(help="Only events between these two sides, e.g. --between USA TWN.",
                                                         show_default=False)]
Mechanism = Annotated[str | None, typer.Option(help="Only events of this mechanism (name, acronym or id).", show_default=False)]
Since = Annotated[str | None, typer.Option(help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).", show_default=False)]
Until = Annotated[str | None, typer.Option(help="Up to this date (YYYY, YYYY-MM or YYYY-MM-DD).", show_default=False)]
EventType = Annotated[str | None, typer.Option("--type", help="Only events of this type (meeting, negotiation_round, ...).",
                                               show_default=False)]
Limit = Annotated[int, typer.Option(min=1, max=10_000, help="At most this many rows.")]



def _store(db: str | None, create: bool = False):  # type: ignore[no-untyped-def]
    from tradetalks.store import Store

    return Store(db, create=create)


def _ask(db: str | None, question):  # type: ignore[no-untyped-def]
    """Run a question against the record (read-only)."""
    with _store(db) as store, store.read() as conn:
        return question(conn)


def _check_type(value: str | None) -> str | None:
    if value is not None and value not in EVENT_TYPES:
        raise QueryError(f"{value!r} is not an event type; use one of: {', '.join(EVENT_TYPES)}")
    return value


def _load_lexicons(paths: list[Path] | None) -> None:
    for path in paths or []:
        lexicons.extend(path)


@app.command()
def ingest(
    sources: Annotated[list[str] | None, typer.Argument(help="Files, folders (read recursively), page URLs or feed URLs.",
                                                        show_default=False)] = None,
    db: DbOpt = None,
    config: Annotated[Path | None, typer.Option(help="A YAML file with a 'sources:' list to ingest as well.",
                                                show_default=False)] = None,
    since: Annotated[str | None, typer.Option(callback=_published, help="Skip documents published before this date (YYYY-MM-DD).",
                                              show_default=False)] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Processes that extract in parallel.")] = 1,
    as_: Annotated[str, typer.Option("--as", help="Read URLs and files as: auto, page or feed.")] = "auto",
    allow_private: Annotated[bool, typer.Option(help="Allow fetching from private and loopback addresses.")] = False,
    timeout: Annotated[float, typer.Option(min=1, max=300, help="Seconds to wait for a server.")] = 20.0,
    published: Annotated[str | None, typer.Option(callback=_published, help=PUBLISHED_HELP)] = None,
    lexicon: Annotated[list[Path] | None, typer.Option(help=LEXICON_HELP)] = None,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress", help="Show a progress bar (default: on a terminal).",
                                                  show_default=False)] = None,
    budget: Annotated[float, typer.Option(min=0.1, max=3600, help=BUDGET_HELP)] = DEFAULT_BUDGET,
    manifest: Annotated[Path | None, typer.Option(help=MANIFEST_HELP, show_default=False)] = None,
) -> None:
    """Add documents to the record: extract, link to the events already known, store."""
    from tradetalks import sources as src
    from tradetalks.ingest import ingest as run
    from tradetalks.sources.fetch import Fetcher

    if as_ not in ("auto", "page", "feed"):
        raise typer.BadParameter(f"{as_!r} is not a way to read a source; use auto, page or feed", param_hint="--as")
    _load_lexicons(lexicon)
    todo: list[tuple[str, src.As]] = [(s, as_) for s in sources or []]  # type: ignore[misc]
    if config:
        todo += src.load_config(str(config))
    if not todo:
        raise QueryError("nothing to ingest; give files, folders or URLs, or --config sources.yaml")
    fetcher = Fetcher(allow_private=allow_private, timeout=timeout)
    try:
        with _store(db, create=True) as store:
            summary = run(store, todo, since=since, workers=workers, fetcher=fetcher, published=published,
                          extra_lexicons=[str(p) for p in lexicon or []], progress=progress, budget=budget,
                          manifest=str(manifest) if manifest else None)
    finally:
        fetcher.close()
    for line in summary.report():
        err.print(line, markup=False)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def reprocess(
    db: DbOpt = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Processes that extract in parallel.")] = 1,
    lexicon: Annotated[list[Path] | None, typer.Option(help=LEXICON_HELP)] = None,
) -> None:
    """Re-run the extractor over every stored document and re-link its events."""
    from tradetalks.ingest import reprocess as run

    _load_lexicons(lexicon)
    with _store(db) as store:
        summary = run(store, workers=workers, extra_lexicons=[str(p) for p in lexicon or []])
    for line in summary.report():
        err.print(line, markup=False)
    if summary.failed:
        raise typer.Exit(1)


def _listing(records: list[dict], fmt: str, title: str, columns=output.EVENT_COLUMNS) -> None:  # type: ignore[no-untyped-def]
    output.rows(records, fmt, Console(width=100), columns=columns, title=title)


@app.command()
def timeline(
    between: Between = None, mechanism: Mechanism = None, since: Since = None, until: Until = None,
    type_: EventType = None, db: DbOpt = None, fmt: ListFormat = "table", limit: Limit = 1000,
    each: Annotated[bool, typer.Option("--each-relationship", help="One timeline per relationship (set of sides).")] = False,
) -> None:
    """Events in date order, for a relationship or a mechanism."""
    from tradetalks import query

    filters = dict(between=list(between) if between else None, mechanism=mechanism, since=since, until=until)

    def ask(conn):  # type: ignore[no-untyped-def]
        filters["type_"] = _check_type(type_)
        if each:
            return [(r["parties"], query.timeline(conn, parties=r["parties"], limit=limit, **filters))
                    for r in query.relationships(conn)]
        return [(" ".join(between) if between else "", query.timeline(conn, limit=limit, **filters))]

    parts = _ask(db, ask)
    if each and fmt != "table":
        _listing([row for _, rows in parts for row in rows], fmt, "timeline")
        return
    for sides, rows in parts:
        if rows or not each:
            _listing(rows, fmt, "timeline" + (f": {' – '.join(sides.split())}" if sides else ""))


UPCOMING_COLUMNS = [*output.EVENT_COLUMNS, ("dated", 5), ("announced", 10)]
UNDATED_COLUMNS = [("announced" if c == "when" else c, w) for c, w in output.EVENT_COLUMNS]


@app.command()
def upcoming(
    between: Between = None, mechanism: Mechanism = None, db: DbOpt = None, fmt: ListFormat = "table", limit: Limit = 1000,
    as_of: Annotated[str | None, typer.Option("--as-of", callback=_published, show_default=False,
                                              help="The day to look ahead from (YYYY-MM-DD; default: today).")] = None,
    recent: Annotated[int, typer.Option("--recent-months", min=0, max=1200,
                                        help="Plans not dated yet are shown while announced this many months ago or less.")] = 12,
) -> None:
    """Planned events still ahead, soonest first; then plans not dated yet, while recent."""
    from tradetalks import query

    rows = _ask(db, lambda conn: query.upcoming(conn, today=as_of, recent_months=recent, limit=limit,
                                                between=list(between) if between else None, mechanism=mechanism))
    if fmt != "table":
        _listing(rows, fmt, "upcoming", columns=UPCOMING_COLUMNS)
        return
    day = as_of or date.today().isoformat()
    _listing([r for r in rows if r["dated"]], fmt, f"upcoming: dated from {day} on")
    _listing([r for r in rows if not r["dated"]], fmt, f"planned, not dated yet: announced in the {recent} months to {day}",
             columns=UNDATED_COLUMNS)


@app.command()
def relationships(db: DbOpt = None, fmt: ListFormat = "table") -> None:
    """The sides the record follows, with their number of events."""
    from tradetalks import query

    rows = _ask(db, lambda conn: query.relationships(conn))
    _listing(rows, fmt, "relationships", columns=[("parties", 20), ("events", 8), ("first", 10), ("last", 10)])


@app.command()
def mechanisms(db: DbOpt = None, fmt: ListFormat = "table") -> None:
    """The dialogues, initiatives and working groups in the record."""
    from tradetalks import query

    rows = _ask(db, lambda conn: query.mechanism_list(conn))
    _listing(rows, fmt, "mechanisms", columns=[("name", 36), ("parties", 11), ("acronyms", 8), ("events", 6),
                                                ("last_round", 5), ("first", 10), ("last", 10)])


@app.command()
def people(
    country: Annotated[str | None, typer.Option(help="Only people of this side (e.g. TWN).", show_default=False)] = None,
    name: Annotated[str | None, typer.Option(help="Only people whose name contains this.", show_default=False)] = None,
    db: DbOpt = None, fmt: ListFormat = "table",
) -> None:
    """The officials in the record: side, latest title, number of events."""
    from tradetalks import query

    rows = _ask(db, lambda conn: query.people_list(conn, country=country, name=name))
    _listing(rows, fmt, "people", columns=[("id", 22), ("name", 22), ("country", 7), ("title", 34), ("events", 6)])


@app.command()
def search(
    words: Annotated[str, typer.Argument(help='Words to find; "quoted words" as a phrase.', show_default=False)],
    type_: EventType = None,
    country: Annotated[str | None, typer.Option(help="Only events with this party (e.g. CHN).", show_default=False)] = None,
    topic: Annotated[str | None, typer.Option(help="Only events with this topic code (e.g. critical_minerals).",
                                              show_default=False)] = None,
    mechanism: Mechanism = None,
    documents: Annotated[bool, typer.Option("--documents", help="Search the documents' text instead of events.")] = False,
    db: DbOpt = None, fmt: ListFormat = "table", limit: Limit = 50,
) -> None:
    """Full-text search over events (their fields and supporting sentences) or documents."""
    from tradetalks import query

    if documents:
        rows = _ask(db, lambda conn: query.search_documents(conn, words, limit=limit))
    else:
        rows = _ask(db, lambda conn: query.search(conn, words, limit=limit, type_=_check_type(type_), country=country,
                                                  topic=topic, mechanism=mechanism))
    if documents:
        _listing(rows, fmt, f"documents: {words}", columns=[("id", 5), ("published", 10), ("title", 30), ("snippet", 50)])
    else:
        _listing(rows, fmt, f"search: {words}", columns=[("id", 5), ("when", 10), ("type", 11), ("mechanism", 20),
                                                         ("parties", 7), ("snippet", 40)])


@app.command()
def show(
    event_id: Annotated[int, typer.Argument(help="The event's id (from timeline, upcoming or search).", show_default=False)],
    db: DbOpt = None,
    fmt: Annotated[str, format_option(("table", "json"), "Output: table or json.")] = "table",
) -> None:
    """Every field of one event, its sources, and the sentence behind each field."""
    from tradetalks import query

    ev = _ask(db, lambda conn: query.show(conn, event_id))
    if fmt == "json":
        print(json.dumps(ev, ensure_ascii=False, indent=2))
    else:
        output.event_detail(ev, Console(width=100, highlight=False))


@app.command("export")
def export_(
    fmt: Annotated[str, format_option(None, "jsonl, csv, parquet or ics.")] = "jsonl",
    out: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (needed for parquet).",
                                             show_default=False)] = None,
    between: Between = None, mechanism: Mechanism = None, since: Since = None, until: Until = None,
    type_: EventType = None,
    status: Annotated[str | None, typer.Option(help="Only held or only planned events.", show_default=False)] = None,
    db: DbOpt = None,
) -> None:
    """Export the record's events (all, or those the filters select)."""
    from tradetalks import export, query

    if status not in (None, "held", "planned"):
        raise QueryError(f"{status!r} is not a status; use held or planned")
    try:
        with _store(db) as store, store.read() as conn:
            q = query.filtered(conn, between=list(between) if between else None, mechanism=mechanism, since=since,
                               until=until, type_=_check_type(type_), status=status)
            body, left_out = export.export(conn, fmt, out, q)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write ({exc.strerror}); choose another --output") from None
    if body is not None:
        sys.stdout.write(body)
    if left_out:
        err.print(f"{left_out} events without an exact day were left out of the calendar.", markup=False)


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option(envvar="TRADETALKS_TOKEN", show_default=False,
                                              help="Turn on POST /api/documents for requests with this bearer token.")] = None,
    allow_private: Annotated[bool, typer.Option(help="Let POST /api/documents fetch from private and loopback addresses.")] = False,
    timeout: Annotated[float, typer.Option(min=1, max=600, help="Seconds a request may take before it is answered 504.")] = 15.0,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (one per core serves the most).")] = 1,
    public_url: Annotated[str | None, typer.Option(help="The address the server is published at (e.g. https://talks.example.org), "
                                                        "for the feeds' links; requests for another host are refused.",
                                                   show_default=False)] = None,
) -> None:
    """Serve the web pages and the JSON API over the record (read-only unless --token is given)."""
    import os
    import tempfile

    import uvicorn

    from tradetalks.store import ENV_DB
    from tradetalks.web import app as web_app
    from tradetalks.web import workers as server_processes

    if token is not None and len(token) < 16:
        raise QueryError("the token is too short; give at least 16 characters (e.g. from: openssl rand -hex 16)")
    hosts = web_app.served_hosts(host, public_url)
    web = web_app.create_app(db, token=token, allow_private=allow_private, timeout=timeout, public_url=public_url,
                             hosts=hosts)
    where = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    err.print(f"tradetalks: serving {web.state.store.label} at {where} (Ctrl-C stops); "
              f"ingest over the API is {'on' if web.state.token else 'off'}", markup=False)
    # A client's address is its connection's: X-Forwarded-For (which uvicorn would trust from
    # loopback) would let any local client name itself anew for each request, past the
    # per-client limits and /login's count of wrong tokens.
    options = dict(log_level="warning", server_header=False, proxy_headers=False)
    if workers == 1:
        uvicorn.run(web, host=host, port=port, **options)  # type: ignore[arg-type]
        return
    web.state.store.close()  # each worker process opens the record itself, with these settings
    with tempfile.TemporaryDirectory(prefix="tradetalks-pages-") as shared:
        os.environ.update({ENV_DB: web.state.store.url,
                           web_app.ENV_TOKEN: token or "", web_app.ENV_ALLOW_PRIVATE: "1" if allow_private else "",
                           web_app.ENV_TIMEOUT: str(timeout), web_app.ENV_SHARED_PAGES: str(Path(shared) / "pages.db"),
                           web_app.ENV_PUBLIC_URL: public_url or "", web_app.ENV_HOSTS: " ".join(hosts or [])})
        if not server_processes.supported():
            uvicorn.run(server_processes.APP, factory=True, workers=workers, host=host, port=port, **options)  # type: ignore[arg-type]
            return
        try:
            server_processes.run(workers, host, port, options)
        except OSError as exc:
            raise OutputError(f"cannot listen on {where}: {exc.strerror or exc}; choose another --port or --host") from None


def _register_corrections() -> None:
    from tradetalks.cli_corrections import correct_app, corrections_app, review_app

    app.add_typer(correct_app, name="correct")
    app.add_typer(corrections_app, name="corrections")
    app.add_typer(review_app, name="review")


_register_corrections()


def main() -> None:
    """Entry point: usage errors as one line, like every other error."""
    # Typer ships its own copy of click; its exceptions are reached through the module.
    exceptions = sys.modules[type(typer.BadParameter("")).__module__]
    try:
        rc = app(standalone_mode=False)
    except exceptions.NoArgsIsHelpError as exc:
        print(exc.ctx.get_help() if exc.ctx else "Usage: tradetalks COMMAND --help")
        sys.exit(2)
    except exceptions.UsageError as exc:
        where = f"tradetalks {exc.ctx.info_name}" if exc.ctx and exc.ctx.parent else "tradetalks"
        err.print(f"Error: {exc.format_message()} (see: {where} --help)", markup=False)
        sys.exit(2)
    except typer.Abort:
        err.print("Aborted.", markup=False)
        sys.exit(130)
    sys.exit(rc if isinstance(rc, int) else 0)


if __name__ == "__main__":
    main()
