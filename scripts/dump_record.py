"""Dump every table of the record written for the same inputs, in a canonical order, so two
versions of the code can be compared byte for byte (issue 14):

    python scripts/dump_record.py OUT [--engine sqlite|postgresql] [inputs...]

Inputs default to ../shared/corpus/real/ (with its MANIFEST.csv) and ../shared/corpus/seeds/.
Tables are read by reflection (whatever the schema holds), sorted by name; rows sorted by
their JSON; wall-clock columns (*_at) and the record's version stamp are left out, as they differ
between any two runs. SQLite's FTS5 segment tables (*_fts_data, *_fts_idx) are left out too: their
pages depend on the history of writes (how often a row was rewritten), not on what is indexed;
instead each FTS5 index is checked against its content (FTS5 'integrity-check') and said 'ok'.
PostgreSQL runs on a throw-away cluster (scripts/pgcluster.py)."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pgcluster import start_postgres  # noqa: E402
from sqlalchemy import MetaData, select  # noqa: E402

from tradetalks.ingest import ingest  # noqa: E402
from tradetalks.store import Store  # noqa: E402

SHARED = HERE.parent.parent / "shared"
VOLATILE = ("_at",)


def _steady(table: str, row: dict) -> dict:  # type: ignore[type-arg]
    """The row without what differs between any two runs: the record's version stamp (a uuid)."""
    if table == "meta" and row.get("key") == "record_version":
        row["value"] = "<uuid>"
    return row


SEGMENTS = ("_fts_data", "_fts_idx")  # FTS5's segment pages (see above)


def _fts_checked(store: Store, meta: MetaData, out) -> None:  # type: ignore[no-untyped-def]
    """Each FTS5 index agrees with its content (raises otherwise)."""
    for name in sorted(n[: -len("_data")] for n in meta.tables if n.endswith("_fts_data")):
        with store.transaction() as conn:
            conn.exec_driver_sql(f"INSERT INTO {name}({name}, rank) VALUES ('integrity-check', 1)")
        out.write(f"## {name} integrity-check: ok\n")


def dump(store: Store, out) -> None:  # type: ignore[no-untyped-def]
    meta = MetaData()
    with store.read() as conn:
        meta.reflect(bind=conn)
    if store.dialect == "sqlite":
        _fts_checked(store, meta, out)
    with store.read() as conn:
        for name in sorted(meta.tables):
            table = meta.tables[name]
            if store.dialect == "sqlite" and (name.startswith("event_text_") or name.endswith(SEGMENTS)):
                continue  # FTS5's shadow tables: the index's own pages
            cols = [c for c in table.columns if not c.name.endswith(VOLATILE)]
            rows = [json.dumps(_steady(name, {c.name: row[i] for i, c in enumerate(cols)}), sort_keys=True, default=str)
                    for row in conn.execute(select(*cols))]
            out.write(f"## {name} ({len(rows)} rows)\n")
            for line in sorted(rows):
                out.write(line + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--engine", default="sqlite", choices=["sqlite", "postgresql"])
    ap.add_argument("--shared", default=str(SHARED), help="the shared folder (corpus/real, corpus/seeds)")
    args = ap.parse_args()
    shared = Path(args.shared)
    real, seeds = shared / "corpus" / "real", shared / "corpus" / "seeds"
    stop = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.engine == "sqlite":
            url = f"sqlite:///{tmp}/record.db"
        else:
            url, stop = start_postgres()
            if url is None:
                sys.exit("no PostgreSQL server could be started here")
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        try:
            store = Store(url)
            ingest(store, [(str(real), "auto")], manifest=str(real / "MANIFEST.csv"), progress=False)
            ingest(store, [(str(seeds), "auto")], progress=False)
            with open(args.out, "w", encoding="utf-8") as out:
                dump(store, out)
            store.engine.dispose()
        finally:
            if stop:
                stop()


if __name__ == "__main__":
    main()
