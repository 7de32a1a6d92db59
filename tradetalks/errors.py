"""One exception tree: everything tradetalks raises on purpose subclasses TradetalksError.

Each message is one line that says what went wrong and how to fix it; interfaces (the CLI,
later the API) translate the tree once.
"""


class TradetalksError(Exception):
    """Base of every error raised on purpose."""


class InputError(TradetalksError):
    """A document cannot be read or is not a document."""


class LexiconError(TradetalksError):
    """A lexicon file is missing, malformed, or names something that does not exist."""


class StoreError(TradetalksError):
    """The database cannot be opened, is of another version, or refuses a write."""


class FetchError(TradetalksError):
    """A URL or feed cannot be fetched, or is refused."""


class NotFound(TradetalksError):
    """A record asked for by id does not exist."""


class QueryError(TradetalksError):
    """A filter that cannot be applied (unknown code, bad date, empty search)."""


class Forbidden(TradetalksError):
    """What was asked is switched off here (ingesting over the API without a token set)."""


class Unauthorized(TradetalksError):
    """A request that needs the server's token came without it, or with another."""
