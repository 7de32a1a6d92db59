"""Old name of :mod:`tradetalks.store.cursor`, kept until its last importers move to the
store's named statements (issue 14)."""

from tradetalks.store.cursor import execute, fetch, insert, insert_many, many, new_ids, rows, scalar

__all__ = ["execute", "fetch", "insert", "insert_many", "many", "new_ids", "rows", "scalar"]
