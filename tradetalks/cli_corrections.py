"""The commands of corrections and review (issue 13): ``tradetalks correct ...``,
``tradetalks corrections`` (the audit trail, its export, applying a file of them) and
``tradetalks review`` (the records to look at, and accepting one). Thin commands over
tradetalks.corrections; cli.py registers them."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from tradetalks import output
from tradetalks.errors import InputError, OutputError

correct_app = typer.Typer(no_args_is_help=True, help="Correct the record: set or clear a field, merge, split, "
                          "mark a record as no event, rename or merge mechanisms and people, undo a correction.")
corrections_app = typer.Typer(help="The corrections made, as an audit trail; export them, apply them to another record.")
review_app = typer.Typer(help="Records to review: their sources disagree or their confidence is low, most important first.")

DB_HELP = "The record: a SQLite file (default tradetalks.db, or $TRADETALKS_DB) or postgresql://user@host/dbname."
DbOpt = Annotated[str | None, typer.Option("--db", envvar="TRADETALKS_DB", help=DB_HELP, show_default=False)]
By = Annotated[str | None, typer.Option("--by", help="Who makes the correction (default: your user name).",
                                        show_default=False)]
Why = Annotated[str | None, typer.Option("--why", help="Why: kept in the audit trail.", show_default=False)]
EventId = Annotated[int, typer.Argument(help="The event's id (from timeline, search or review).", show_default=False)]
FIELD_HELP = "type, status, mechanism, round, start, end, place, country, parties or topics."
TRAIL_COLUMNS = [("id", 4), ("when", 10), ("by", 8), ("kind", 9), ("event", 5), ("what", 26), ("before", 12),
                 ("why", 12), ("state", 10)]
QUEUE_COLUMNS = [("id", 5), ("when", 10), ("type", 11), ("mechanism", 20), ("where", 10), ("src", 3), ("issues", 32)]


def _who(by: str | None, why: str | None) -> Any:
    from tradetalks.corrections.actions import Who

    if by is None:
        try:
            by = getpass.getuser()
        except (KeyError, OSError):
            by = os.environ.get("USER") or ""
    return Who(by, why)


def _write(db: str | None, change: Callable[[Any], Any]) -> Any:
    """Run a change in one transaction of the record."""
    from tradetalks.store import Store

    with Store(db, create=False) as store, store.transaction() as conn:
        return change(conn)


def _done(cid: int, what: str) -> None:
    print(f"correction {cid}: {what}")


@correct_app.command("set")
def set_(event_id: EventId,
         field: Annotated[str, typer.Argument(help=FIELD_HELP, show_default=False)],
         value: Annotated[str, typer.Argument(help="The value: a date as YYYY[-MM[-DD]], sides and topics "
                                                   "space-separated, a mechanism by name.", show_default=False)],
         db: DbOpt = None, by: By = None, why: Why = None) -> None:
    """Set a field of a record (it keeps that value whatever its sources say)."""
    from tradetalks.corrections import actions

    who = _who(by, why)
    _done(_write(db, lambda c: actions.set_field(c, event_id, field, value, who)), f"event {event_id}: {field} set")


@correct_app.command()
def clear(event_id: EventId, field: Annotated[str, typer.Argument(help=FIELD_HELP, show_default=False)],
          db: DbOpt = None, by: By = None, why: Why = None) -> None:
    """Clear a field of a record (it stays empty whatever its sources say)."""
    from tradetalks.corrections import actions

    who = _who(by, why)
    _done(_write(db, lambda c: actions.set_field(c, event_id, field, None, who)), f"event {event_id}: {field} cleared")


@correct_app.command()
def merge(event_id: EventId,
          other_id: Annotated[int, typer.Argument(help="The event merged into the first.", show_default=False)],
          db: DbOpt = None, by: By = None, why: Why = None) -> None:
    """Merge two records into one event, with the sources of both."""
    from tradetalks.corrections import actions

    who = _who(by, why)
    _done(_write(db, lambda c: actions.merge(c, event_id, other_id, who)), f"event {other_id} merged into {event_id}")


@correct_app.command()
def split(event_id: EventId,
          document_id: Annotated[int, typer.Argument(help="The source document to take out (see: tradetalks show ID).",
                                                     show_default=False)],
          db: DbOpt = None, by: By = None, why: Why = None) -> None:
    """Take one source's report out of a record, into a record of its own."""
    from tradetalks.corrections import actions

    who = _who(by, why)
    _done(_write(db, lambda c: actions.split(c, event_id, document_id, who)),
          f"document {document_id} split out of event {event_id}")


@correct_app.command("not-event")
def not_event(event_id: EventId, db: DbOpt = None, by: By = None, why: Why = None) -> None:
    """Mark a record as no event: it leaves the record, and stays out."""
    from tradetalks.corrections import actions

    who = _who(by, why)
    _done(_write(db, lambda c: actions.not_event(c, event_id, who)), f"event {event_id} is not an event")


@correct_app.command("rename-mechanism")
def rename_mechanism(mechanism: Annotated[str, typer.Argument(help="The mechanism: its name, acronym or id.",
                                                              show_default=False)],
                     name: Annotated[str, typer.Argument(help="Its new name.", show_default=False)],
                     db: DbOpt = None, by: By = None, why: Why = None) -> None:
    """Rename a mechanism (its old name still finds it)."""
    from tradetalks.corrections import actions

    who = _who(by, why)
    _done(_write(db, lambda c: actions.rename(c, "mechanisms", mechanism, name, who)), f"mechanism renamed {name}")


@correct_app.command("merge-mechanisms")
def merge_mechanisms(keep: Annotated[str, typer.Argument(help="The mechanism kept.", show_default=False)],
                     other: Annotated[str, typer.Argument(help="The mechanism merged into it.", show_default=False)],
                     db: DbOpt = None, by: By = None, why: Why = None) -> None:
    """Merge one mechanism into another: its events and names become the kept one's."""
    from tradetalks.corrections import actions

    who = _who(by, why)
    _done(_write(db, lambda c: actions.merge_entries(c, "mechanisms", keep, other, who)), f"{other} merged into {keep}")


@correct_app.command("rename-person")
def rename_person(person: Annotated[str, typer.Argument(help="The person's id (see: tradetalks people).",
                                                        show_default=False)],
                  name: Annotated[str, typer.Argument(help="Their name.", show_default=False)],
                  db: DbOpt = None, by: By = None, why: Why = None) -> None:
    """Rename a person (the old name still finds them)."""
    from tradetalks.corrections import actions

    who = _who(by, why)
    _done(_write(db, lambda c: actions.rename(c, "people", person, name, who)), f"{person} renamed {name}")


@correct_app.command("merge-people")
def merge_people(keep: Annotated[str, typer.Argument(help="The person kept (id).", show_default=False)],
                 other: Annotated[str, typer.Argument(help="The person merged into them (id).", show_default=False)],
                 db: DbOpt = None, by: By = None, why: Why = None) -> None:
    """Merge one person into another (two names of one person)."""
    from tradetalks.corrections import actions

    who = _who(by, why)
    _done(_write(db, lambda c: actions.merge_entries(c, "people", keep, other, who)), f"{other} merged into {keep}")


@correct_app.command()
def undo(correction_id: Annotated[int, typer.Argument(help="The correction's id (see: tradetalks corrections).",
                                                      show_default=False)],
         db: DbOpt = None, by: By = None) -> None:
    """Undo a correction: the record goes back to what its sources say (the trail keeps it)."""
    from tradetalks.corrections import actions

    who = _who(by, None)
    _write(db, lambda c: actions.undo(c, correction_id, who))
    print(f"correction {correction_id} undone")


@corrections_app.callback(invoke_without_command=True)
def trail(ctx: typer.Context, db: DbOpt = None,
          in_force: Annotated[bool, typer.Option("--in-force", help="Only the corrections in force.")] = False,
          kind: Annotated[str | None, typer.Option(help="Only corrections of this kind (set, clear, merge, ...).",
                                                   show_default=False)] = None,
          fmt: Annotated[str, typer.Option("--format", "-f", help="Output: table, json, jsonl or csv.")] = "table") -> None:
    """The corrections made, oldest first: who, when, what, the value before, why, and the
    record each applies to now."""
    if ctx.invoked_subcommand is not None:
        return
    from tradetalks.corrections import audit
    from tradetalks.store import Store

    if fmt not in output.LISTING_FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not a format; use one of: {', '.join(output.LISTING_FORMATS)}")
    with Store(db, create=False) as store, store.read() as conn:
        rows = audit.trail(conn, undone=not in_force, kind=kind)
    output.rows(rows, fmt, Console(width=100), columns=TRAIL_COLUMNS, title="corrections")


@corrections_app.command("export")
def export_(db: DbOpt = None,
            out: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (default: standard output).",
                                                     show_default=False)] = None) -> None:
    """Write every correction (undone ones too) as JSON Lines, to keep or apply to another record."""
    from tradetalks.corrections import audit
    from tradetalks.store import Store

    with Store(db, create=False) as store, store.read() as conn:
        body = audit.dumped(conn)
    if out is None:
        sys.stdout.write(body)
        return
    try:
        out.write_text(body, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{out}: cannot write ({exc.strerror}); choose another --output") from None


@corrections_app.command("apply")
def apply_(file: Annotated[Path, typer.Argument(help="A file written by: tradetalks corrections export.",
                                                show_default=False)],
           db: DbOpt = None) -> None:
    """Apply a file of corrections to this record (those it has already are skipped); a
    correction whose sources are not here yet applies once they are ingested."""
    from tradetalks.corrections import audit
    from tradetalks.store import Store

    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{file}: cannot read ({getattr(exc, 'strerror', None) or exc}); give a file written by "
                         "tradetalks corrections export") from None
    with Store(db, create=True) as store, store.transaction() as conn:
        added, known = audit.applied(conn, lines)
    print(f"added {added} corrections, {known} already here")


@review_app.callback(invoke_without_command=True)
def queue(ctx: typer.Context, db: DbOpt = None,
          limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many records.")] = 50,
          fmt: Annotated[str, typer.Option("--format", "-f", help="Output: table, json, jsonl or csv.")] = "table") -> None:
    """The records to review, most important first (more sources, more recent): their
    sources disagree on dates, rounds, places or sides, or their confidence is low."""
    if ctx.invoked_subcommand is not None:
        return
    from tradetalks.corrections import review
    from tradetalks.store import Store

    if fmt not in output.LISTING_FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not a format; use one of: {', '.join(output.LISTING_FORMATS)}")
    with Store(db, create=False) as store, store.read() as conn:
        rows = review.listing(conn, limit=limit)
    output.rows(rows, fmt, Console(width=100), columns=QUEUE_COLUMNS, title="to review")


@review_app.command()
def accept(event_id: EventId, db: DbOpt = None, by: By = None, why: Why = None) -> None:
    """Accept a record as it is: it leaves the review queue until a new issue comes."""
    from tradetalks.corrections import actions

    who = _who(by, why)
    _done(_write(db, lambda c: actions.accept(c, event_id, who)), f"event {event_id} accepted")
