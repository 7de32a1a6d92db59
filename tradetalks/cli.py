"""The ``tradetalks`` command line: thin commands over the library."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tradetalks import __version__, lexicons, output
from tradetalks.errors import TradetalksError
from tradetalks.pipeline import extract_file

app = typer.Typer(
    add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    help="Turn press releases and news about trade talks into structured events, with evidence.",
)
err = Console(stderr=True, highlight=False, soft_wrap=True)


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


def _format(value: str) -> str:
    if value not in output.FORMATS:
        raise typer.BadParameter(f"{value!r} is not a format; use one of: {', '.join(output.FORMATS)}")
    return value


FILES_HELP = "Documents to read: text, Markdown, HTML, an RSS/Atom item or SGML wire copy."
FORMAT_HELP = "Output: json (one object per document), jsonl (one per line) or table."
PUBLISHED_HELP = "Publication date (YYYY-MM-DD) for documents that give none; relative dates resolve against it."
LEXICON_HELP = ("A YAML lexicon file to add to the built-in ones (countries, organizations, mechanisms, "
                "topics...). Repeatable.")


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help=FILES_HELP, show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", callback=_format, help=FORMAT_HELP)] = "json",
    published: Annotated[str | None, typer.Option(callback=_published, help=PUBLISHED_HELP)] = None,
    lexicon: Annotated[list[Path] | None, typer.Option(help=LEXICON_HELP)] = None,
) -> None:
    """Extract the events each document reports, as tradetalks/extraction-v1 JSON."""
    try:
        for path in lexicon or []:
            lexicons.extend(path)
    except TradetalksError as exc:
        err.print(f"Error: {exc}", markup=False)
        raise typer.Exit(2) from None
    results = []
    failed = 0
    for path in files:
        try:
            ex = extract_file(path, published)
        except TradetalksError as exc:
            failed += 1
            err.print(f"Error: {exc}", markup=False)
            continue
        except Exception as exc:  # one bad document never stops a batch
            failed += 1
            err.print(f"Error: {path}: internal error ({type(exc).__name__}: {exc}); please report it "
                      "with the file", markup=False)
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
