"""Running plain SQL straight on the DB-API cursor of a SQLAlchemy connection (inside its
transaction), for the statements of the ingest hot path (``documents``, ``events`` and
``registry`` in this package). Each document runs some thirty of them; through
SQLAlchemy's statement machinery they cost more than the work of the database itself.

SQL is written once with ``:name`` parameters (SQLite's own style); for PostgreSQL it is
rewritten to ``%(name)s``. A list parameter in ``IN :ids`` is expanded to one parameter
per value; elsewhere a list is passed as it is (a PostgreSQL array).

On PostgreSQL the ingest's transactions run in pipeline mode: a statement sent with
:func:`execute` does not wait for the server, and reading its rows (:func:`fetch`) waits
for everything sent so far in one round trip. Reads that do not depend on each other are
therefore sent first and fetched together; new rows take ids drawn beforehand
(:func:`new_ids`) rather than waiting for each insert's RETURNING.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy.engine import Connection

_PARAM = re.compile(r"(?<![:\w]):(\w+)")


@lru_cache(maxsize=512)
def _for(dialect: str, sql: str) -> str:
    return _PARAM.sub(r"%(\1)s", sql.replace("%", "%%")) if dialect == "postgresql" else sql


def _expand(sql: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    lists = {k: v for k, v in params.items() if isinstance(v, list | tuple | set) and f"IN :{k}" in sql}
    if not lists:
        return sql, params
    out = {k: v for k, v in params.items() if k not in lists}
    for name, values in lists.items():
        values = list(values)
        names = [f"{name}_{i}" for i in range(len(values))] or [f"{name}_none"]
        out.update(zip(names, values, strict=False))
        if not values:
            out[f"{name}_none"] = None
        sql = sql.replace(f"IN :{name}", "IN (" + ", ".join(f":{n}" for n in names) + ")")
    return sql, out


def execute(conn: Connection, sql: str, params: dict[str, Any] | None = None) -> Any:
    sql, params = _expand(sql, params or {})
    cur = conn.connection.cursor()
    cur.execute(_for(conn.dialect.name, sql), params)
    return cur


def fetch(cur: Any) -> list[tuple[Any, ...]]:
    """The rows of a statement sent with :func:`execute`."""
    out: list[tuple[Any, ...]] = cur.fetchall()
    cur.close()
    return out


def rows(conn: Connection, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    return fetch(execute(conn, sql, params))


def new_ids(conn: Connection, table: str, n: int) -> Any:
    """PostgreSQL: n ids drawn from the table's sequence, sent now, read with
    :func:`fetch` (one id a row). None on SQLite, whose inserts return their id at once."""
    if conn.dialect.name != "postgresql" or n <= 0:
        return None
    return execute(conn, f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, :n)", {"n": n})


def scalar(conn: Connection, sql: str, params: dict[str, Any] | None = None) -> Any:
    found = rows(conn, sql, params)
    return found[0][0] if found else None


def many(conn: Connection, sql: str, seq: Iterable[dict[str, Any]]) -> None:
    seq = list(seq)
    if not seq:
        return
    cur = conn.connection.cursor()
    cur.executemany(_for(conn.dialect.name, sql), seq)
    cur.close()


def insert(conn: Connection, table: str, values: dict[str, Any], returning: str | None = "id") -> Any:
    """Insert one row; returns its `returning` column (the new id)."""
    cols = list(values)
    sql = f"INSERT INTO {table} ({', '.join(_quote(c) for c in cols)}) VALUES ({', '.join(':' + c for c in cols)})"
    if returning and conn.dialect.name == "postgresql":
        return scalar(conn, sql + f" RETURNING {returning}", values)
    cur = execute(conn, sql, values)
    new_id = cur.lastrowid if returning else None
    cur.close()
    return new_id


def insert_many(conn: Connection, table: str, seq: Sequence[dict[str, Any]]) -> None:
    if not seq:
        return
    cols = list(seq[0])
    head = f"INSERT INTO {table} ({', '.join(_quote(c) for c in cols)}) VALUES "
    if conn.dialect.name != "postgresql":
        many(conn, head + f"({', '.join(':' + c for c in cols)})", seq)
        return
    # PostgreSQL: the rows as one statement, one round trip to the server.
    for chunk in range(0, len(seq), _ROWS_PER_INSERT):
        rows = seq[chunk:chunk + _ROWS_PER_INSERT]
        values = ", ".join("(" + ", ".join(["%s"] * len(cols)) + ")" for _ in rows)
        cur = conn.connection.cursor()
        cur.execute(head + values, [row[c] for row in rows for c in cols])
        cur.close()


_ROWS_PER_INSERT = 500


def _quote(column: str) -> str:
    return f'"{column}"' if column in ("end", "key", "round") else column
