"""The tables of the SQL adapter (SQLAlchemy Core), all prefixed ``edms_`` so they can share a
database with a host's own tables.

A card is kept as one row: the columns searches and constraints need, plus the whole card as a
JSON document (``document``), which is what is read back. Side tables index what a card holds
several of: correspondents' organisations, readers on its access list, links and file hashes.
Indexes serve the queries reports and control use: a journal by period (``journal_id``,
``reg_date``), an executor's cards on control (``executor_id``, ``on_control``, ``status``; the
deadline column joins this index when deadlines arrive), keyset paging (``registered_us``, ``id``).
On PostgreSQL the migrator adds what SQLAlchemy does not describe: the full-text GIN index and,
when the ``pg_trgm`` extension can be had, the trigram index ``edms_cards_text_ix`` on
``search_text`` for substring search (see :mod:`edmscore.storage.sql._migrate`).

Versions: 1, the first schema; 2, the trigram index for ``CardQuery.text`` (PostgreSQL); 3,
dispatch records; 4, ``edms_card_shares`` (organisations a card is shared
with, read by the access filter) and the index of ``edms_card_readers`` by user; 5,
``edms_signature_records``; 6, the tables of the capabilities added since (each registers its
creating step in ``_migrate._V6_STEPS``).
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = ["SCHEMA_VERSION", "metadata"]

#: The version of the schema this release of edmscore creates and runs on.
SCHEMA_VERSION = 6

metadata = sa.MetaData()

_ID = sa.String(64)
#: An integer primary key that autoincrements on every dialect (SQLite needs INTEGER for rowid).
_SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_COVER = ["status", "access"]

schema_version = sa.Table(
    "edms_schema_version",
    metadata,
    sa.Column("component", sa.String(32), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
)

cards = sa.Table(
    "edms_cards",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, nullable=False),
    sa.Column("journal_id", _ID, nullable=False),
    sa.Column("period", sa.Integer, nullable=False),
    sa.Column("number", sa.String(64), nullable=False),
    sa.Column("seq", sa.Integer),
    sa.Column("reg_date", sa.Date, nullable=False),
    # The registration moment in microseconds since the epoch (UTC): one sortable integer.
    sa.Column("registered_us", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("access", sa.String(16), nullable=False),
    sa.Column("executor_id", _ID),
    sa.Column("department_id", _ID),
    sa.Column("case_id", _ID),
    sa.Column("on_control", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    # Case-folded summary, numbers and correspondents' names, for substring search.
    sa.Column("search_text", sa.Text, nullable=False),
    # Summary and correspondents' names as written, for full-text search.
    sa.Column("fts_text", sa.Text, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.UniqueConstraint("journal_id", "period", "number", name="edms_cards_number_uq"),
    # Searches pick the page's keys from an index alone (PostgreSQL: index-only scans, the
    # status and access columns included), then read the documents of that page only.
    sa.Index("edms_cards_order_ix", "registered_us", "id", postgresql_include=_COVER),
    sa.Index(
        "edms_cards_journal_ix",
        "journal_id",
        "reg_date",
        "registered_us",
        "id",
        postgresql_include=_COVER,
    ),
    sa.Index(
        "edms_cards_executor_ix",
        "executor_id",
        "on_control",
        "status",
        "registered_us",
        "id",
        postgresql_include=["access"],
    ),
    sa.Index(
        "edms_cards_org_ix", "organisation_id", "registered_us", "id", postgresql_include=_COVER
    ),
    sa.Index("edms_cards_case_ix", "case_id"),
)

card_parties = sa.Table(
    "edms_card_parties",
    metadata,
    sa.Column("card_id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, primary_key=True),
    sa.Index("edms_card_parties_org_ix", "organisation_id"),
)

card_readers = sa.Table(
    "edms_card_readers",
    metadata,
    sa.Column("card_id", _ID, primary_key=True),
    sa.Column("user_id", _ID, primary_key=True),
    # The cards listing a user (the access filter's "listed" branch).
    sa.Index("edms_card_readers_user_ix", "user_id", "card_id"),
)

card_shares = sa.Table(
    "edms_card_shares",
    metadata,
    sa.Column("card_id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, primary_key=True),
    sa.Index("edms_card_shares_org_ix", "organisation_id", "card_id"),
)

card_links = sa.Table(
    "edms_card_links",
    metadata,
    sa.Column("card_id", _ID, primary_key=True),
    sa.Column("target_id", _ID, primary_key=True),
    sa.Index("edms_card_links_target_ix", "target_id"),
)

card_files = sa.Table(
    "edms_card_files",
    metadata,
    sa.Column("card_id", _ID, primary_key=True),
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Index("edms_card_files_sha_ix", "sha256"),
)

# Version 5: the signature details and check results of cards (records.signature_records).
signature_records = sa.Table(
    "edms_signature_records",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("card_id", _ID, nullable=False),
    sa.Column("organisation_id", _ID, nullable=False),
    sa.Column("checked_us", sa.BigInteger, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Index("edms_signature_records_card_ix", "card_id", "checked_us"),
)

journals = sa.Table(
    "edms_journals",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, nullable=False, index=True),
    sa.Column("document", sa.Text, nullable=False),
)

counters = sa.Table(
    "edms_counters",
    metadata,
    sa.Column("key", sa.String(1000), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

nomenclatures = sa.Table(
    "edms_nomenclatures",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.UniqueConstraint("organisation_id", "year", name="edms_nomenclatures_year_uq"),
)

nomenclature_cases = sa.Table(
    "edms_nomenclature_cases",
    metadata,
    sa.Column("case_id", _ID, primary_key=True),
    sa.Column("nomenclature_id", _ID, nullable=False, index=True),
)

organisations = sa.Table(
    "edms_organisations",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("medo_key", sa.String(64), index=True),
    sa.Column("document", sa.Text, nullable=False),
)

departments = sa.Table(
    "edms_departments",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, nullable=False, index=True),
    sa.Column("document", sa.Text, nullable=False),
)

officials = sa.Table(
    "edms_officials",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, nullable=False, index=True),
    sa.Column("document", sa.Text, nullable=False),
)

users = sa.Table(
    "edms_users",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("document", sa.Text, nullable=False),
)

audit = sa.Table(
    "edms_audit",
    metadata,
    sa.Column("seq", _SERIAL, primary_key=True, autoincrement=True),
    sa.Column("entity_id", _ID, nullable=False, index=True),
    sa.Column("document", sa.Text, nullable=False),
)

blobs = sa.Table(
    "edms_blobs",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

# --- execution control (edmscore.control) --------------------------------------------------

assignments = sa.Table(
    "edms_assignments",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, nullable=False),
    sa.Column("card_id", _ID, nullable=False),
    sa.Column("resolution_id", _ID, nullable=False),
    sa.Column("author_id", _ID, nullable=False),
    sa.Column("executor_id", _ID, nullable=False),
    sa.Column("controller_id", _ID),
    sa.Column("department_id", _ID),
    sa.Column("parent_id", _ID),
    sa.Column("occurrence_of", _ID),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("state", sa.String(32), nullable=False),
    sa.Column("on_control", sa.Boolean, nullable=False),
    sa.Column("due", sa.Date),
    # The deadline as ISO text, "9999-12-31" without one: the (due_key, id) listing order.
    sa.Column("due_key", sa.String(10), nullable=False),
    sa.Column("completed_on", sa.Date),
    # Assignment.counts_for_discipline, kept so the discipline report reads only its rows.
    sa.Column("counted", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    # Overdue by executor: an executor's open assignments by deadline.
    sa.Index("edms_assignments_executor_ix", "executor_id", "state", "due_key", "id"),
    sa.Index("edms_assignments_org_ix", "organisation_id", "due_key", "id"),
    sa.Index("edms_assignments_discipline_ix", "organisation_id", "counted", "due"),
    sa.Index("edms_assignments_card_ix", "card_id"),
    sa.Index("edms_assignments_parent_ix", "parent_id"),
)

resolutions = sa.Table(
    "edms_resolutions",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("card_id", _ID, nullable=False, index=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
)

# --- approval (edmscore.approval) ----------------------------------------------------------

drafts = sa.Table(
    "edms_drafts",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, nullable=False),
    sa.Column("state", sa.String(32), nullable=False),
    sa.Column("created_us", sa.BigInteger, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Index("edms_drafts_org_ix", "organisation_id", "state", "created_us"),
)

route_templates = sa.Table(
    "edms_route_templates",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, nullable=False, index=True),
    sa.Column("document", sa.Text, nullable=False),
)

substitutions = sa.Table(
    "edms_substitutions",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, nullable=False, index=True),
    sa.Column("official_id", _ID, nullable=False, index=True),
    sa.Column("document", sa.Text, nullable=False),
)

# --- citizens' appeals (edmscore.appeals) --------------------------------------------------

appeals = sa.Table(
    "edms_appeals",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, nullable=False),
    sa.Column("card_id", _ID, nullable=False, unique=True),
    sa.Column("registered_on", sa.Date, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Index("edms_appeals_org_ix", "organisation_id", "registered_on", "id"),
)

appeal_authors = sa.Table(
    "edms_appeal_authors",
    metadata,
    sa.Column("organisation_id", _ID, primary_key=True),
    sa.Column("author_key", sa.String(500), primary_key=True),
    sa.Column("appeal_id", _ID, primary_key=True),
)

appeal_changes = sa.Table(
    "edms_appeal_changes",
    metadata,
    sa.Column("appeal_id", _ID, primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Index("edms_appeal_changes_day_ix", "day"),
)

# --- delivery control of letters sent over MEDO (edmscore.exchange.dispatch) ----------------

dispatches = sa.Table(
    "edms_dispatches",
    metadata,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("organisation_id", _ID, nullable=False),
    sa.Column("card_id", _ID, nullable=False),
    # The recipient's MEDO id in compared form (lower case, no braces).
    sa.Column("recipient", sa.String(64), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    # When the record entered its state, and when it was first sent (microseconds, UTC).
    sa.Column("since_us", sa.BigInteger, nullable=False),
    sa.Column("first_sent_us", sa.BigInteger, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    # A card's records (of_card) and the one of a card to a recipient (find).
    sa.UniqueConstraint("card_id", "recipient", name="edms_dispatches_card_uq"),
    # What is stuck: an organisation's records in a state since before a moment.
    sa.Index("edms_dispatches_state_ix", "organisation_id", "state", "since_us", "id"),
)

dispatch_messages = sa.Table(
    "edms_dispatch_messages",
    metadata,
    # A sent message's uid in compared form: receipts and notifications are matched by it.
    sa.Column("message_uid", sa.String(64), primary_key=True),
    sa.Column("dispatch_id", _ID, nullable=False, index=True),
)

# --- the outbox of domain events (edmscore.events) -----------------------------------------

outbox = sa.Table(
    "edms_outbox",
    metadata,
    sa.Column("seq", _SERIAL, primary_key=True, autoincrement=True),
    sa.Column("id", _ID, nullable=False, unique=True),
    sa.Column("organisation_id", _ID, nullable=False),
    sa.Column("type", sa.String(64), nullable=False),
    # When the event happened (microseconds, UTC): the floor of a subscription passes only
    # events old enough that no open transaction can still add one before them.
    sa.Column("at_us", sa.BigInteger, nullable=False),
    # The recipients as "|a|b|", matched by LIKE '%|a|%' for a subscription by recipient.
    sa.Column("recipients", sa.Text, nullable=False),
    # The scheduler's events: one per key, ever.
    sa.Column("dedupe_key", sa.String(200), nullable=True, unique=True),
    sa.Column("document", sa.Text, nullable=False),
)

outbox_subscriptions = sa.Table(
    "edms_outbox_subscriptions",
    metadata,
    sa.Column("name", _ID, primary_key=True),
    sa.Column("document", sa.Text, nullable=False),
    # Every event with seq ≤ floor is acknowledged by the subscription or not matched by it.
    sa.Column("floor", sa.BigInteger, nullable=False),
)

outbox_acks = sa.Table(
    "edms_outbox_acks",
    metadata,
    sa.Column("subscription", _ID, primary_key=True),
    sa.Column("seq", sa.BigInteger, primary_key=True),
)
