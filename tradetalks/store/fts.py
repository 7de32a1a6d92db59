"""Full-text search over events and documents: SQLite FTS5, PostgreSQL tsvector.

Both index the same tables (``event_text`` and ``documents``) and are kept in step in the
same transaction as the rows they index (triggers on SQLite, generated columns on
PostgreSQL), so a crash never leaves the index behind the data.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import bindparam, func, literal_column, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select
from sqlalchemy.sql.expression import ColumnClause

from tradetalks.store.schema import event_text

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS event_fts USING fts5(body, content='event_text', "
    "content_rowid='event_id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS event_text_ai AFTER INSERT ON event_text BEGIN "
    "INSERT INTO event_fts(rowid, body) VALUES (new.event_id, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS event_text_ad AFTER DELETE ON event_text BEGIN "
    "INSERT INTO event_fts(event_fts, rowid, body) VALUES ('delete', old.event_id, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS event_text_au AFTER UPDATE ON event_text BEGIN "
    "INSERT INTO event_fts(event_fts, rowid, body) VALUES ('delete', old.event_id, old.body); "
    "INSERT INTO event_fts(rowid, body) VALUES (new.event_id, new.body); END",
    "CREATE VIRTUAL TABLE IF NOT EXISTS document_fts USING fts5(title, text, content='documents', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS documents_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO document_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS documents_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO document_fts(document_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS documents_au AFTER UPDATE OF title, text ON documents BEGIN "
    "INSERT INTO document_fts(document_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO document_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
]

# tsvector holds at most 1 MB; the first 200,000 characters of a document are indexed.
POSTGRESQL = [
    "ALTER TABLE event_text ADD COLUMN IF NOT EXISTS tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', left(body, 200000))) STORED",
    "CREATE INDEX IF NOT EXISTS ix_event_text_tsv ON event_text USING gin (tsv)",
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS "
    "(to_tsvector('english', coalesce(title, '') || ' ' || left(text, 200000))) STORED",
    "CREATE INDEX IF NOT EXISTS ix_documents_tsv ON documents USING gin (tsv)",
]


def create(conn: Connection) -> None:
    for statement in SQLITE if conn.dialect.name == "sqlite" else POSTGRESQL:
        conn.execute(text(statement))


_TERM = re.compile(r'"([^"]+)"|(\S+)')


def sqlite_query(q: str) -> str:
    """A user's words as an FTS5 query: every word must occur, "quoted words" as a phrase,
    a trailing * as a prefix; FTS5 operators in the input are taken as plain words."""
    parts = []
    for m in _TERM.finditer(q):
        phrase = m.group(1)
        if phrase is not None:
            words = re.findall(r"\w+", phrase)
            if words:
                parts.append('"' + " ".join(words) + '"')
            continue
        word = m.group(2)
        prefix = word.endswith("*")
        for w in re.findall(r"\w+", word):
            parts.append(f'"{w}"')
        if prefix and parts:
            parts[-1] += "*"
    return " ".join(parts)


# A matched word in a snippet is wrapped in these (private-use characters, which scraped
# text does not use for anything): interfaces turn them into [brackets] or <mark>.
HIT_OPEN, HIT_CLOSE = "\ue000", "\ue001"

RANKED = 1000
_HEADLINE = "'StartSel=HIT_OPEN, StopSel=HIT_CLOSE, MaxWords=20, MinWords=8, MaxFragments=2, FragmentDelimiter=\" … \"'"
# The ids of the matches, best first.
_RANKED = {
    ("events", "sqlite"): "SELECT rowid FROM event_fts WHERE event_fts MATCH :q ORDER BY bm25(event_fts) LIMIT :n",
    ("documents", "sqlite"): "SELECT rowid FROM document_fts WHERE document_fts MATCH :q ORDER BY bm25(document_fts) LIMIT :n",
    # PostgreSQL ranks the newest RANKED (1,000) matches of a broad search (ranking reads every
    # match's tsvector, which is what makes broad searches slow); a filtered search ranks the
    # newest 1,000 of the matches that pass its filters (ranked_among).
    ("events", "postgresql"): (
        "SELECT event_id FROM (SELECT event_id, tsv, query FROM event_text, websearch_to_tsquery('english', :q) AS query "
        "WHERE tsv @@ query ORDER BY event_id DESC LIMIT RANKED) AS recent ORDER BY ts_rank(tsv, query) DESC, event_id DESC LIMIT :n"),
    ("documents", "postgresql"): (
        "SELECT id FROM documents, websearch_to_tsquery('english', :q) AS query WHERE tsv @@ query "
        "ORDER BY ts_rank(tsv, query) DESC, id DESC LIMIT :n"),
}
# Snippets of some of the matches (those shown), matched words between HIT_OPEN and HIT_CLOSE.
_SNIPPETS = {
    ("events", "sqlite"): "SELECT rowid, snippet(event_fts, 0, 'HIT_OPEN', 'HIT_CLOSE', ' … ', 16) FROM event_fts "
                          "WHERE event_fts MATCH :q AND rowid IN :ids",
    ("documents", "sqlite"): "SELECT rowid, snippet(document_fts, 1, 'HIT_OPEN', 'HIT_CLOSE', ' … ', 16) FROM document_fts "
                             "WHERE document_fts MATCH :q AND rowid IN :ids",
    ("events", "postgresql"): f"SELECT event_id, ts_headline('english', body, websearch_to_tsquery('english', :q), {_HEADLINE}) "
                              "FROM event_text WHERE event_id IN :ids",
    ("documents", "postgresql"): "SELECT id, ts_headline('english', left(text, 200000), websearch_to_tsquery('english', :q), "
                                 f"{_HEADLINE}) FROM documents WHERE id IN :ids",
}


# A page of the best matches with their snippets: FTS5 sorts by rank itself, and makes the
# snippets of the rows returned only.
_RANKED_SNIPPETS = {
    ("events", "sqlite"): "SELECT rowid, snippet(event_fts, 0, 'HIT_OPEN', 'HIT_CLOSE', ' … ', 16) FROM event_fts "
                          "WHERE event_fts MATCH :q ORDER BY rank LIMIT :n OFFSET :o",
    ("documents", "sqlite"): "SELECT rowid, snippet(document_fts, 1, 'HIT_OPEN', 'HIT_CLOSE', ' … ', 16) FROM document_fts "
                             "WHERE document_fts MATCH :q ORDER BY rank LIMIT :n OFFSET :o",
    # PostgreSQL: the page of the ranking, then the headlines of its rows only.
    ("events", "postgresql"): (
        f"SELECT p.event_id, ts_headline('english', t.body, p.query, {_HEADLINE}) FROM (SELECT event_id, query, "
        "ts_rank(tsv, query) AS score FROM (SELECT event_id, tsv, query FROM event_text, websearch_to_tsquery('english', :q) "
        "AS query WHERE tsv @@ query ORDER BY event_id DESC LIMIT RANKED) AS recent ORDER BY score DESC, event_id DESC "
        "LIMIT :n OFFSET :o) AS p JOIN event_text AS t ON t.event_id = p.event_id ORDER BY p.score DESC, p.event_id DESC"),
    ("documents", "postgresql"): (
        f"SELECT p.id, ts_headline('english', left(d.text, 200000), p.query, {_HEADLINE}) FROM (SELECT id, query, "
        "ts_rank(tsv, query) AS score FROM documents, websearch_to_tsquery('english', :q) AS query WHERE tsv @@ query "
        "ORDER BY score DESC, id DESC LIMIT :n OFFSET :o) AS p JOIN documents AS d ON d.id = p.id ORDER BY p.score DESC, p.id DESC"),
}


def _sql(template: str) -> str:
    return template.replace("HIT_OPEN", HIT_OPEN).replace("HIT_CLOSE", HIT_CLOSE).replace("RANKED", str(RANKED))


def _words(conn: Connection, q: str) -> str:
    return sqlite_query(q) if conn.dialect.name == "sqlite" else q


def ranked(conn: Connection, what: str, q: str, limit: int) -> list[int]:
    """Ids of the events (or documents) matching a search, best first."""
    words = _words(conn, q)
    if not words.strip():
        return []
    sql = _sql(_RANKED[(what, conn.dialect.name)])
    return [int(r[0]) for r in conn.execute(text(sql), {"q": words, "n": limit})]


def ranked_among(conn: Connection, q: str, limit: int, among: Select[Any]) -> list[int]:
    """PostgreSQL: ids of the events among `among` (a select of event ids: the filters of a
    search) that match the words, best first. The filters narrow the matches before the
    newest RANKED of them are ranked, so that a filtered search finds older events too."""
    query = func.websearch_to_tsquery("english", q)
    tsv: ColumnClause[Any] = literal_column("event_text.tsv")
    recent = (select(event_text.c.event_id, tsv.label("tsv"))
              .where(tsv.op("@@")(query), event_text.c.event_id.in_(among))
              .order_by(event_text.c.event_id.desc()).limit(RANKED).subquery())
    best = (select(recent.c.event_id)
            .order_by(func.ts_rank(recent.c.tsv, query).desc(), recent.c.event_id.desc()).limit(limit))
    return [int(i) for i in conn.execute(best).scalars()]


def snippets(conn: Connection, what: str, q: str, ids: list[int], offset: int | None = None) -> dict[int, str]:
    """For these matches of a search, a snippet each whose matched words are wrapped in
    HIT_OPEN ... HIT_CLOSE. `offset` says that `ids` are the matches ranked from there on
    (a page of an unfiltered search): SQLite then makes the snippets in the ranking query,
    for those rows only, instead of reading every match again to pick them out."""
    words = _words(conn, q)
    if not ids or not words.strip():
        return {}
    if offset is not None and (what, conn.dialect.name) in _RANKED_SNIPPETS:
        sql = _sql(_RANKED_SNIPPETS[(what, conn.dialect.name)])
        found = [(int(r[0]), r[1] or "") for r in conn.execute(text(sql), {"q": words, "n": len(ids), "o": offset})]
        if [i for i, _ in found] == list(ids):
            return dict(found)
    sql = _sql(_SNIPPETS[(what, conn.dialect.name)])
    statement = text(sql).bindparams(bindparam("ids", expanding=True))
    return {int(r[0]): r[1] or "" for r in conn.execute(statement, {"q": words, "ids": list(ids)})}


def matches(conn: Connection, what: str, q: str, limit: int) -> list[tuple[int, str]]:
    """The best `limit` matches of a search, each with its snippet (on SQLite in one query)."""
    words = _words(conn, q)
    if not words.strip():
        return []
    if (what, conn.dialect.name) in _RANKED_SNIPPETS:
        sql = _sql(_RANKED_SNIPPETS[(what, conn.dialect.name)])
        return [(int(r[0]), r[1] or "") for r in conn.execute(text(sql), {"q": words, "n": limit, "o": 0})]
    ids = ranked(conn, what, q, limit)
    found = snippets(conn, what, q, ids)
    return [(i, found.get(i, "")) for i in ids]


def bracketed(snippet: str) -> str:
    """A snippet for the terminal: [matched words]."""
    return snippet.replace(HIT_OPEN, "[").replace(HIT_CLOSE, "]")
