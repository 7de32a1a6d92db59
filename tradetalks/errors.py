"""One exception tree: everything tradetalks raises on purpose subclasses TradetalksError.

Each message is one line that says what went wrong and how to fix it. Each class carries
what it means to each interface: ``exit_code`` for the CLI (2: bad usage, 1: a failure) and
``http_status`` for the web app and the API; each translates the tree once (cli.py's
command group, web/app.py's exception hook), reading those two attributes.
"""

import re


class TradetalksError(Exception):
    """Base of every error raised on purpose."""

    exit_code = 1
    http_status = 400


class InputError(TradetalksError):
    """A document cannot be read or is not a document."""


class LexiconError(TradetalksError):
    """A lexicon file is missing, malformed, or names something that does not exist."""

    exit_code = 2


class StoreError(TradetalksError):
    """The database cannot be opened, is of another version, or refuses a write."""

    http_status = 503


class FetchError(TradetalksError):
    """A URL or feed cannot be fetched, or is refused."""

    http_status = 502


class NotFound(TradetalksError):
    """A record asked for by id does not exist."""

    http_status = 404


class QueryError(TradetalksError):
    """A filter or option that cannot be applied (unknown code, bad date, empty search,
    nothing to ingest, a token too short): bad usage."""

    exit_code = 2


class Forbidden(TradetalksError):
    """What was asked is switched off here (ingesting over the API without a token set)."""

    http_status = 403


class Unauthorized(TradetalksError):
    """A request that needs the server's token came without it, or with another."""

    http_status = 401


class TooManyTries(TradetalksError):
    """A client that gave a wrong token too often, in too short a time."""

    http_status = 429


class BudgetExceeded(InputError):
    """A document's extraction ran past its time budget and was stopped."""


class ExtractionFailed(TradetalksError):
    """The extraction of a document crashed, or the process running it died."""


class DiskFull(StoreError):
    """The record's disk (or its size limit) is full: the run stops."""


class OutputError(TradetalksError):
    """Where the output goes cannot be used: a file that cannot be written, an address that
    cannot be listened on."""

    http_status = 500


class TooBusy(TradetalksError):
    """One client has too many requests under way at once."""

    http_status = 503


_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def shown(name: object) -> str:
    """A file name or URL as it may be printed: control characters (a newline that would
    forge a second message line, a terminal escape) and undecodable bytes escaped."""
    return _UNSHOWABLE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii")
                           if m.group() < "\ud800" else f"\\u{ord(m.group()):04x}", str(name))
