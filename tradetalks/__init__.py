"""tradetalks: structured events from press releases and news about trade talks."""

__version__ = "0.1.0"
SCHEMA = "tradetalks/extraction-v1"
