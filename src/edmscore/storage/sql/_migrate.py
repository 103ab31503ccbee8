"""The schema's version: create it, record it, refuse unknown or newer ones, migrate step by step.

The version lives in ``edms_schema_version`` (component ``edmscore``). :func:`migrate` installs
the schema on a database that has none and upgrades an older one through :data:`MIGRATIONS`, one
step (one transaction) at a time; :func:`check_schema` refuses to run on anything but the version
this release knows. A new release that changes the schema bumps
:data:`~edmscore.storage.sql._schema.SCHEMA_VERSION` and adds the step from the previous version
to ``MIGRATIONS``; released steps are never edited.

Each function takes an engine or a host's open connection. On a connection the work runs inside
the host's transaction when one is open (a savepoint: creating or upgrading the schema is then
part of the host's transaction, undone by its rollback; both SQLite and PostgreSQL have
transactional DDL), otherwise in a transaction of its own on that connection.

Substring search (``CardQuery.text``) on PostgreSQL is served by a trigram GIN index,
``edms_cards_text_ix``, which needs the ``pg_trgm`` extension. Creating an extension takes a
privilege a host's role may lack, so installing the schema and the step to version 2 *try* it
inside a SAVEPOINT: when it fails the schema still installs and the search scans the table;
:func:`has_text_index` tells which, and a later :func:`migrate` (once a privileged role has run
``CREATE EXTENSION pg_trgm``) creates the index.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from edmscore.errors import EdmsError, SchemaVersionError, StorageError
from edmscore.storage.sql import _control_extras, _schema, _views
from edmscore.storage.sql._archive import create_archive_tables
from edmscore.storage.sql._archive_transfers import create_transfer_tables
from edmscore.storage.sql._errors import translate
from edmscore.storage.sql._transactions import host_transaction

__all__ = ["MIGRATIONS", "check_schema", "has_text_index", "migrate", "schema_version"]

_COMPONENT = "edmscore"

#: The trigram index of ``edms_cards.search_text`` (PostgreSQL with ``pg_trgm``).
TEXT_INDEX = "edms_cards_text_ix"
_TRGM_SCHEMA = (
    "SELECT quote_ident(n.nspname) FROM pg_extension e "
    "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
)
_TEXT_INDEX_VALID = (
    f"SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('{TEXT_INDEX}')"
)

_SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS edms_audit_no_update BEFORE UPDATE ON edms_audit "
    "BEGIN SELECT RAISE(ABORT, 'edms_audit is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS edms_audit_no_delete BEFORE DELETE ON edms_audit "
    "BEGIN SELECT RAISE(ABORT, 'edms_audit is append-only'); END",
    "CREATE VIRTUAL TABLE IF NOT EXISTS edms_cards_fts USING fts5(card_id UNINDEXED, words)",
)
_POSTGRES_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION edms_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'edms_audit is append-only'; END $$",
    "CREATE TRIGGER edms_audit_no_change BEFORE UPDATE OR DELETE ON edms_audit "
    "FOR EACH ROW EXECUTE FUNCTION edms_audit_append_only()",
    "CREATE TRIGGER edms_audit_no_truncate BEFORE TRUNCATE ON edms_audit "
    "FOR EACH STATEMENT EXECUTE FUNCTION edms_audit_append_only()",
    "CREATE INDEX edms_cards_fts_ix ON edms_cards "
    "USING gin (to_tsvector('russian'::regconfig, fts_text))",
)


def _check_dialect(engine: sa.Engine | sa.Connection) -> str:
    name = engine.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise StorageError(f"the SQL adapter supports SQLite and PostgreSQL, not {name!r}")
    return name


def _transaction(bind: sa.Engine | sa.Connection) -> AbstractContextManager[sa.Connection]:
    """A transaction on the engine, or on the host's connection (see the module docstring)."""
    if isinstance(bind, sa.Connection):
        return host_transaction(bind)
    return bind.begin()


def _reading(bind: sa.Engine | sa.Connection) -> AbstractContextManager[sa.Connection]:
    """A connection of the engine's to read with, or a transaction on the host's connection."""
    if isinstance(bind, sa.Connection):
        return host_transaction(bind)
    return bind.connect()


def _read_version(conn: sa.Connection) -> int | None:
    inspector = sa.inspect(conn)
    if not inspector.has_table(_schema.schema_version.name):
        if inspector.has_table(_schema.cards.name):
            raise SchemaVersionError(
                "the database has edmscore tables but no schema version: an unknown schema"
            )
        return None
    rows = conn.execute(
        sa.select(_schema.schema_version.c.version).where(
            _schema.schema_version.c.component == _COMPONENT
        )
    ).all()
    if len(rows) != 1 or not isinstance(rows[0][0], int):
        raise SchemaVersionError("the schema version table holds no edmscore version")
    version: int = rows[0][0]
    return version


def schema_version(engine: sa.Engine | sa.Connection) -> int | None:
    """The edmscore schema version of the database, or None if it has no edmscore schema.

    ``engine`` may be a host's open connection (read inside its transaction, if one is open).
    """
    _check_dialect(engine)
    try:
        with _reading(engine) as conn:
            return _read_version(conn)
    except sa_exc.SQLAlchemyError as exc:
        raise translate(exc) from exc


_TRGM_INSTALLED = "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"
#: How long installing the schema waits for another transaction's uncommitted ``pg_trgm``.
_EXTENSION_WAIT = "5s"


def _text_index_valid(conn: sa.Connection) -> bool | None:
    """Whether the trigram index is valid; None when there is none (PostgreSQL)."""
    valid = conn.exec_driver_sql(_TEXT_INDEX_VALID).scalar()
    return None if valid is None else bool(valid)


def _create_text_index(conn: sa.Connection) -> bool:
    """Try to create ``pg_trgm`` and the trigram index; whether the index now exists.

    Inside a SAVEPOINT: a failure (no privilege to create the extension, no contrib files)
    rolls back only this attempt, not the transaction around it, and is logged. The operator
    class is named with the extension's schema, which need not be on the search path.
    """
    if conn.dialect.name != "postgresql":
        return False
    try:
        with conn.begin_nested():
            if conn.exec_driver_sql(_TRGM_INSTALLED).scalar() is None:
                # Another transaction creating the extension and not yet committed would make
                # this wait as long as it stays open: wait a bounded time, then go without.
                timeout = conn.exec_driver_sql("SHOW lock_timeout").scalar_one()
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{_EXTENSION_WAIT}'")
                conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                conn.exec_driver_sql("SELECT set_config('lock_timeout', %s, true)", (timeout,))
            trgm = conn.exec_driver_sql(_TRGM_SCHEMA).scalar_one()
            if _text_index_valid(conn) is False:  # left by a failed CREATE INDEX CONCURRENTLY
                conn.exec_driver_sql(f"DROP INDEX {TEXT_INDEX}")
            conn.exec_driver_sql(
                f"CREATE INDEX IF NOT EXISTS {TEXT_INDEX} ON edms_cards "
                f"USING gin (search_text {trgm}.gin_trgm_ops)"
            )
    except sa_exc.DBAPIError as exc:
        logging.getLogger(__name__).warning(
            "no trigram index for substring search (CardQuery.text scans edms_cards): %s; "
            "have a privileged role run CREATE EXTENSION pg_trgm, then run migrate() again",
            " ".join(str(exc.orig if exc.orig is not None else exc).split()),
        )
        return False
    return True


def _v1_to_v2(conn: sa.Connection) -> None:
    """Version 2: the trigram index for ``CardQuery.text`` (PostgreSQL; tried, never required)."""
    _create_text_index(conn)


def _add_dispatches(conn: sa.Connection) -> None:
    """Version 2 → 3: the delivery-control tables of sent MEDO letters, with their indexes."""
    for table in (_schema.dispatches, _schema.dispatch_messages):
        table.create(conn)


def _add_card_shares(conn: sa.Connection) -> None:
    """Version 3 → 4: the organisations each card is shared with, read by the access filter,
    and the index of access-list readers by user (the filter's "listed" branch).

    No card stored before version 4 is shared with anyone (cards had no ``shared_with``), so the
    new table starts empty.
    """
    _schema.card_shares.create(conn)
    for index in _schema.card_readers.indexes:
        index.create(conn, checkfirst=True)


def _add_signature_records(conn: sa.Connection) -> None:
    """Version 4 → 5: the signature details and check results of cards (card items 18–19).

    No signature was recorded before version 5, so the new table starts empty.
    """
    _schema.signature_records.create(conn, checkfirst=True)


#: The table groups version 6 adds, one creating function per capability (archive, outbox,
#: substitutions, …). Each creates only its own new tables, so a version 5 database gains them
#: empty; the order does not matter.
_V6_STEPS: list[Callable[[sa.Connection], None]] = []
_V6_STEPS.append(_control_extras.create_tables)  # draft resolutions, acquaintance
_V6_STEPS.append(create_archive_tables)


def _add_analytics_views(conn: sa.Connection) -> None:
    """The analytics read model's views (``edms_v1_*``, :mod:`._views`); no tables."""
    _views.create_views(conn)


_V6_STEPS.append(_add_analytics_views)


def _to_v6(conn: sa.Connection) -> None:
    """Version 5 → 6: the tables of the capabilities added after signature records."""
    for step in _V6_STEPS:
        step(conn)


#: ``MIGRATIONS[n]`` upgrades a database at version ``n`` to ``n + 1`` inside one transaction.
MIGRATIONS: dict[int, Callable[[sa.Connection], None]] = {
    1: _v1_to_v2,
    2: _add_dispatches,
    3: _add_card_shares,
    4: _add_signature_records,
    5: _to_v6,
}


def has_text_index(engine: sa.Engine | sa.Connection) -> bool:
    """Whether an index serves ``CardQuery.text`` (substring search).

    True on PostgreSQL when the trigram index exists and is valid; False when ``pg_trgm`` could
    not be created (the search scans the table; see the storage docs) and always on SQLite,
    where the substring filter scans.
    """
    if _check_dialect(engine) != "postgresql":
        return False
    try:
        with _reading(engine) as conn:
            return bool(_text_index_valid(conn))
    except sa_exc.SQLAlchemyError as exc:
        raise translate(exc) from exc


def _install(conn: sa.Connection) -> None:
    _schema.metadata.create_all(conn)
    statements = _SQLITE_TRIGGERS if conn.dialect.name == "sqlite" else _POSTGRES_TRIGGERS
    for statement in statements:
        conn.exec_driver_sql(statement)
    _create_text_index(conn)
    conn.execute(
        sa.insert(_schema.schema_version).values(
            component=_COMPONENT, version=_schema.SCHEMA_VERSION
        )
    )


def _refuse_newer(version: int) -> None:
    if version > _schema.SCHEMA_VERSION or version < 1:
        raise SchemaVersionError(
            f"the database schema is at version {version}, this edmscore knows versions "
            f"1..{_schema.SCHEMA_VERSION}: upgrade edmscore"
        )


def migrate(engine: sa.Engine | sa.Connection) -> tuple[int | None, int]:
    """Install or upgrade the schema; return (version found, version now).

    Refuses (:class:`SchemaVersionError`) a database whose schema is unknown or newer. On a
    host's open connection with a transaction open, every step is a savepoint in it: the host's
    commit keeps the schema, its rollback undoes it. On a PostgreSQL schema already at this
    version it retries the trigram index if it is missing.
    """
    _check_dialect(engine)
    try:
        with _transaction(engine) as conn:
            found = _read_version(conn)
            if found is None:
                _install(conn)
                return None, _schema.SCHEMA_VERSION
        _refuse_newer(found)
        version = found
        while version < _schema.SCHEMA_VERSION:
            step = MIGRATIONS.get(version)
            if step is None:
                raise SchemaVersionError(f"no migration from schema version {version}")
            with _transaction(engine) as conn:
                if _read_version(conn) != version:
                    raise SchemaVersionError("the schema changed during the migration")
                step(conn)
                version += 1
                conn.execute(
                    sa.update(_schema.schema_version)
                    .where(_schema.schema_version.c.component == _COMPONENT)
                    .values(version=version)
                )
        if found == _schema.SCHEMA_VERSION and engine.dialect.name == "postgresql":
            with _transaction(engine) as conn:
                if not _text_index_valid(conn):
                    _create_text_index(conn)
        return found, version
    except EdmsError:
        raise
    except sa_exc.SQLAlchemyError as exc:
        raise translate(exc) from exc


def check_schema(engine: sa.Engine | sa.Connection, *, create: bool = True) -> int:
    """Make sure the database runs this release's schema; create it if absent and ``create``.

    An older schema is refused with the advice to :func:`migrate`; an unknown or newer one too.
    ``engine`` may be a host's open connection: the schema is then created inside the host's
    transaction, if one is open.
    """
    version = schema_version(engine)
    if version is None:
        if not create:
            raise SchemaVersionError("the database has no edmscore schema: run migrate()")
        _, version = migrate(engine)
        return version
    _refuse_newer(version)
    if version < _schema.SCHEMA_VERSION:
        raise SchemaVersionError(
            f"the database schema is at version {version}, this edmscore needs "
            f"{_schema.SCHEMA_VERSION}: run edmscore.storage.sql.migrate(engine)"
        )
    return version


def _add_outbox(conn: sa.Connection) -> None:
    """Version 6: the outbox of domain events, its subscriptions and their acknowledgments."""
    for table in (_schema.outbox, _schema.outbox_subscriptions, _schema.outbox_acks):
        table.create(conn, checkfirst=True)


_V6_STEPS.append(_add_outbox)

_V6_STEPS.append(create_transfer_tables)  # the archive's acceptance acts
