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
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc

from edmscore.errors import EdmsError, SchemaVersionError, StorageError
from edmscore.storage.sql import _schema
from edmscore.storage.sql._errors import translate
from edmscore.storage.sql._transactions import host_transaction

__all__ = ["MIGRATIONS", "check_schema", "migrate", "schema_version"]

_COMPONENT = "edmscore"


def _add_dispatches(conn: sa.Connection) -> None:
    """Version 1 → 2: the delivery-control tables of sent MEDO letters, with their indexes."""
    for table in (_schema.dispatches, _schema.dispatch_messages):
        table.create(conn)


#: ``MIGRATIONS[n]`` upgrades a database at version ``n`` to ``n + 1`` inside one transaction.
MIGRATIONS: dict[int, Callable[[sa.Connection], None]] = {
    1: _add_dispatches,
}

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


def _install(conn: sa.Connection) -> None:
    _schema.metadata.create_all(conn)
    statements = _SQLITE_TRIGGERS if conn.dialect.name == "sqlite" else _POSTGRES_TRIGGERS
    for statement in statements:
        conn.exec_driver_sql(statement)
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
    commit keeps the schema, its rollback undoes it.
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
