"""The record's tables, in SQLAlchemy Core: the same schema on SQLite and PostgreSQL.

Documents keep their raw input, cleaned text and extraction, so that extraction can be
re-run. Events are reconciled records: each has one row per source that reported it
(``event_sources``, holding that document's extraction of the event and its evidence),
and its fields are recomputed from those sources whenever one is added or removed.
People, mechanisms and organizations form the registry, each with a stable text id.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),           # path or URL as given
    Column("url", Text),                               # canonical URL when fetched
    Column("content_hash", String(64), nullable=False, unique=True),  # sha256 of the raw text
    Column("text_hash", String(64), nullable=False),   # sha256 of the cleaned text
    Column("title", Text),
    Column("published", String(10)),
    Column("publisher", Text),
    Column("kind", String(32)),
    Column("dateline_place", Text),
    Column("dateline_country", String(3)),
    Column("extractor", String(32), nullable=False),   # tradetalks version that extracted it
    Column("minhash", LargeBinary),                    # near-duplicate signature
    Column("facts", Text),                             # its events' keys, to tell templated texts apart
    Column("duplicate_of", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("similarity", Text),                        # to duplicate_of, e.g. "0.93"
    Column("ingested_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    # The large columns last: SQLite reads a row's columns in order, through the overflow
    # pages of the long ones, so the near-duplicate check's columns come before them.
    Column("raw", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("extraction", Text, nullable=False),        # the contract JSON as extracted, less document.text
)
Index("ix_documents_url", documents.c.url)
Index("ix_documents_source", documents.c.source)
Index("ix_documents_text_hash", documents.c.text_hash)
Index("ix_documents_published", documents.c.published)
Index("ix_documents_duplicate_of", documents.c.duplicate_of)  # the copies of a document, when it goes

doc_bands = Table(
    "doc_bands", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("band", BigInteger, nullable=False),
)
Index("ix_doc_bands_band", doc_bands.c.band)
Index("ix_doc_bands_document", doc_bands.c.document_id)

mechanisms = Table(
    "mechanisms", metadata,
    Column("id", String(120), primary_key=True),       # stable slug
    Column("name", Text, nullable=False),
    Column("key", Text, nullable=False),               # the name after its country prefix, folded
    Column("parties", Text, nullable=False, default=""),  # sorted codes, space-separated
    Column("acronyms", Text, nullable=False, default="[]"),
    Column("created_at", String(32), nullable=False),
)
Index("ix_mechanisms_key", mechanisms.c.key)

mechanism_aliases = Table(
    "mechanism_aliases", metadata,
    Column("mechanism_id", String(120), ForeignKey("mechanisms.id", ondelete="CASCADE"), nullable=False),
    Column("alias", Text, nullable=False),
    UniqueConstraint("mechanism_id", "alias", name="uq_mechanism_alias"),
)

people = Table(
    "people", metadata,
    Column("id", String(120), primary_key=True),
    Column("name", Text, nullable=False),
    Column("key", Text, nullable=False),               # folded name tokens, sorted
    Column("country", String(3)),
    Column("created_at", String(32), nullable=False),
)
Index("ix_people_key", people.c.key)

person_aliases = Table(
    "person_aliases", metadata,
    Column("person_id", String(120), ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("alias", Text, nullable=False),
    UniqueConstraint("person_id", "alias", name="uq_person_alias"),
)

person_titles = Table(
    "person_titles", metadata,
    Column("person_id", String(120), ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("title", Text, nullable=False),
    Column("org", Text),
    Column("first_seen", String(10)),
    Column("last_seen", String(10)),
    UniqueConstraint("person_id", "title", name="uq_person_title"),
)

organizations = Table(
    "organizations", metadata,
    Column("id", String(120), primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("country", String(3)),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("type", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("mechanism_id", String(120), ForeignKey("mechanisms.id", ondelete="SET NULL")),
    Column("mechanism", Text),
    Column("round", Integer),
    Column("start", String(10)),
    Column("end", String(10)),
    Column("place", Text),
    Column("country", String(3)),
    Column("parties", Text, nullable=False, default=""),  # sorted codes, space-separated
    Column("sort_date", String(10), nullable=False),       # start, else the first report's date
    Column("data", Text, nullable=False),                  # the reconciled event as JSON
    Column("n_sources", Integer, nullable=False, default=0),
    # What the linker compares, kept on the row so that one query gives the candidates.
    Column("people_keys", Text, nullable=False, default=""),   # "|"-joined keys of the leads and members
    Column("first_report", String(10)),                        # publication dates of its sources
    Column("last_report", String(10)),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)
Index("ix_events_sort", events.c.sort_date)
Index("ix_events_parties", events.c.parties, events.c.mechanism_id, events.c.sort_date)
Index("ix_events_mechanism", events.c.mechanism_id, events.c.sort_date)
Index("ix_events_status", events.c.status, events.c.sort_date)

event_sources = Table(
    "event_sources", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),        # index of the event in the extraction
    Column("published", String(10)),
    Column("data", Text, nullable=False),               # the event as this document gives it
    UniqueConstraint("document_id", "position", name="uq_event_source"),
)
Index("ix_event_sources_event", event_sources.c.event_id)

event_parties = Table(
    "event_parties", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("country", String(3), nullable=False),
)
Index("ix_event_parties", event_parties.c.country, event_parties.c.event_id)
Index("ix_event_parties_event", event_parties.c.event_id)

event_topics = Table(
    "event_topics", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("topic", String(64), nullable=False),
)
Index("ix_event_topics", event_topics.c.topic, event_topics.c.event_id)
Index("ix_event_topics_event", event_topics.c.event_id)

event_people = Table(
    "event_people", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("person_id", String(120), ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(16), nullable=False),
    Column("title", Text),
    Column("org", Text),
    Column("country", String(3)),
)
Index("ix_event_people_person", event_people.c.person_id)
Index("ix_event_people_event", event_people.c.event_id)

event_orgs = Table(
    "event_orgs", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("org_id", String(120), ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False),
)
Index("ix_event_orgs", event_orgs.c.event_id)
Index("ix_event_orgs_org", event_orgs.c.org_id)

fetch_cache = Table(
    "fetch_cache", metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("content_hash", String(64)),
    Column("fetched_at", String(32), nullable=False),
)

# Full-text search bodies; the index itself is dialect-specific (see fts.py).
event_text = Table(
    "event_text", metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("body", Text, nullable=False),
)

# An analyst's corrections (issue 13), kept apart from what extraction produced and applied
# again after every change to the records they touch (tradetalks.corrections). A record is
# named by its reports (`target`: the keys of the reports it had, see corrections.keys), as
# its id may change when linking regroups; a mechanism or a person by its registry id.
corrections = Table(
    "corrections", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(24), nullable=False),       # set, clear, merge, split, not_event, accept, rename_*, merge_*
    Column("target", Text, nullable=False),           # JSON: report keys, or a registry id
    Column("field", String(32)),                      # set and clear: the field
    Column("value", Text),                            # JSON: the value set, a new name
    Column("other", Text),                            # JSON: the record merged in, the document split out, the id merged in
    Column("before", Text),                           # JSON: what it was before
    Column("review", Text),                           # JSON: the disagreements the record had then
    Column("author", Text, nullable=False),
    Column("reason", Text),
    Column("created_at", String(32), nullable=False),
    Column("undone_at", String(32)),
    Column("undone_by", Text),
)
Index("ix_corrections_kind", corrections.c.kind)
