"""SqlStorage and its unit of work: one database transaction per unit of work.

On PostgreSQL a unit of work is a READ COMMITTED transaction (or whatever isolation the host's
engine sets); the counter upsert and the version-checked UPDATE take row locks, so concurrent
registrations on one counter queue up and concurrent updates of one card let exactly one win.
On SQLite it is a ``BEGIN IMMEDIATE`` transaction: writers are serialised by the database lock
(waiting up to the driver's busy timeout), readers in WAL mode are not blocked. On a host's own
connection a unit of work is a savepoint in the host's transaction, or a transaction of its own
when the host has none (:mod:`edmscore.storage.sql._transactions`).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool

from edmscore._validate import unstorable
from edmscore.errors import EdmsError, StateError, ValidationError
from edmscore.registry import Journal, RegistrationCard
from edmscore.storage.sql import _schema as t
from edmscore.storage.sql._blobs import BlobReport, FileBlobs, FileBlobStore, SqlBlobs
from edmscore.storage.sql._cards import SqlCards
from edmscore.storage.sql._errors import translate
from edmscore.storage.sql._migrate import check_schema
from edmscore.storage.sql._repos import (
    SqlAudit,
    SqlDirectory,
    SqlJournals,
    SqlNomenclatures,
    SqlNumbers,
)
from edmscore.storage.sql._text import fold, fts_words, like_pattern, stem_query
from edmscore.storage.sql._transactions import ConnectionGuard, HostTransaction, guard_for, usable

if TYPE_CHECKING:
    from edmscore.storage.sql._appeals import SqlAppeals
    from edmscore.storage.sql._approval import SqlDrafts, SqlRouteTemplates, SqlSubstitutions
    from edmscore.storage.sql._archive import SqlArchive
    from edmscore.storage.sql._archive_transfers import SqlTransfers
    from edmscore.storage.sql._control import SqlAssignments, SqlResolutions
    from edmscore.storage.sql._control_extras import SqlAcquaintances, SqlResolutionDrafts
    from edmscore.storage.sql._dispatch import SqlDispatches
    from edmscore.storage.sql._outbox import SqlOutbox
    from edmscore.storage.sql._signature_records import SqlSignatureRecords

__all__ = ["SqlStorage", "SqlUnitOfWork"]

_FTS = sa.table("edms_cards_fts", sa.column("card_id"), sa.column("words"))
_RUSSIAN: sa.ColumnElement[Any] = sa.literal_column("'russian'::regconfig")


_ENGINE_HOOKS = ("before_execute", "after_execute", "before_cursor_execute", "after_cursor_execute")
_DIALECT_HOOKS = ("handle_error", "do_execute", "do_execute_no_params", "do_setinputsizes")


def _driver_path_allowed(bind: sa.Engine | sa.Connection) -> bool:
    """Whether the hot statements may go straight to the driver (see :class:`_Compiled`).

    Not when the host watches statements (``echo``, execution or cursor events, on the engine
    or on its own connection) or rewrites them (a ``schema_translate_map``): those see every
    statement only through SQLAlchemy.
    """
    engine = bind.engine
    if engine.echo or bind.get_execution_options().get("schema_translate_map"):
        return False
    return not any(getattr(bind.dispatch, hook, None) for hook in _ENGINE_HOOKS) and not any(
        getattr(engine.dialect.dispatch, hook, None) for hook in _DIALECT_HOOKS
    )


class _Compiled:
    """A statement compiled once for the engine's dialect, run on the DBAPI cursor directly.

    The hot statements of a registration (directory and journal reads, the counter upsert,
    the number check, the card, search and audit inserts) are compiled once per storage; each
    execution binds the parameters with the column types' own bind processors and skips
    SQLAlchemy's per-execution bookkeeping, which costs more than the statement itself on
    SQLite. Driver errors are wrapped the way SQLAlchemy wraps them and translated as usual.
    """

    __slots__ = ("fixed", "names", "processors", "sql")

    def __init__(
        self,
        sql: str,
        names: tuple[str, ...] | None,
        processors: dict[str, Any],
        fixed: dict[str, Any],
    ) -> None:
        self.sql = sql
        self.names = names
        self.processors = processors
        self.fixed = fixed

    @classmethod
    def build(cls, statement: Any, dialect: sa.Dialect, keys: tuple[str, ...]) -> _Compiled | None:
        """Compile ``statement``; None when it needs what only SQLAlchemy's path gives."""
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        if (
            getattr(compiled, "escaped_bind_names", None)
            or compiled.literal_execute_params
            or getattr(compiled, "insert_prefetch", None)  # Python-side column defaults
            or getattr(compiled, "update_prefetch", None)
        ):
            return None
        selected = statement.selected_columns if isinstance(statement, sa.Select) else ()
        for column in selected:
            if column.type.dialect_impl(dialect).result_processor(dialect, None) is not None:
                return None
        returning = getattr(compiled, "effective_returning", None) or ()
        for column in returning:
            if column.type.dialect_impl(dialect).result_processor(dialect, None) is not None:
                return None
        processors, fixed = {}, {}
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors[name] = process
            if name not in keys:  # a literal of the statement itself
                if bind.callable is not None or bind.value is None:
                    return None
                fixed[name] = bind.value
        names = tuple(compiled.positiontup or ()) if compiled.positional else None
        return cls(compiled.string, names, processors, fixed)

    def parameters(self, values: dict[str, Any]) -> Any:
        """The driver's parameters for ``values`` (a tuple or a dict, as the driver takes)."""
        if self.fixed:
            values = {**self.fixed, **values}
        processors = self.processors
        if processors:
            values = {
                k: (processors[k](v) if k in processors and v is not None else v)
                for k, v in values.items()
            }
        if self.names is None:
            return values
        return tuple(values[name] for name in self.names)


def _wrap(dialect: sa.Dialect, exc: Any, sql: str, raw: Any, cursor: Any) -> sa_exc.DBAPIError:
    """A driver error wrapped the way SQLAlchemy wraps it (so :func:`translate` reads it)."""
    wrapped: sa_exc.DBAPIError = sa_exc.DBAPIError.instance(
        sql,
        None,
        exc,
        dialect.loaded_dbapi.Error,
        connection_invalidated=dialect.is_disconnect(exc, raw, cursor),
        dialect=dialect,
    )
    return wrapped


def _sqlite_autocommit(conn: sa.Connection) -> str | None:
    """Put the pooled SQLite driver connection in autocommit mode; its former mode, if changed.

    The unit of work opens its own ``BEGIN IMMEDIATE`` transaction, so the driver must not begin
    one itself. Setting the driver's attribute directly (not SQLAlchemy's AUTOCOMMIT option) saves
    the PRAGMA SQLAlchemy sends to reset the option at every return to the pool; the mode is
    given back before the connection returns there (:func:`_sqlite_restore`).
    """
    driver = conn.connection.dbapi_connection
    mode = getattr(driver, "isolation_level", None)
    if mode is None:
        return None
    driver.isolation_level = None  # type: ignore[union-attr]
    return str(mode)


def _sqlite_restore(conn: sa.Connection, mode: str) -> None:
    """Give the pooled SQLite driver connection back its own transaction mode."""
    if conn.invalidated:
        return
    driver = conn.connection.dbapi_connection
    if driver is None:
        return
    if driver.in_transaction:  # a failed rollback left it open: the pool would roll back anyway
        driver.rollback()
    driver.isolation_level = mode


def _not_text(exc: UnicodeEncodeError) -> ValidationError:
    return ValidationError("text", f"not valid Unicode text (a lone surrogate): {exc.reason}")


class SqlUnitOfWork:
    """A unit of work over a :class:`SqlStorage`: one transaction on one connection.

    On a storage built on a host's connection it is a savepoint in the host's transaction when
    the host has one open (its ``commit()`` then only releases the savepoint), otherwise a
    transaction of its own on that connection; the connection is never closed.
    """

    cards: SqlCards
    journals: SqlJournals
    numbers: SqlNumbers
    nomenclatures: SqlNomenclatures
    directory: SqlDirectory
    audit: SqlAudit
    blobs: SqlBlobs | FileBlobs

    def __init__(self, storage: SqlStorage) -> None:
        self._storage = storage
        self._sqlite = storage.dialect == "sqlite"
        self._conn: sa.Connection | None = None
        self._driver_mode: str | None = None  # the SQLite driver's own mode, given back at exit
        self._tx: sa.RootTransaction | HostTransaction | None = None
        self._in_tx = False
        # Set while the bulk path streams a COPY: called before any other statement needs the
        # connection, it ends the COPY (see storage.sql._bulk).
        self._interrupt: Callable[[], None] | None = None
        self._file_session = storage.blob_store.session() if storage.blob_store else None
        self.cards = SqlCards(self)
        self.journals = SqlJournals(self)
        self.numbers = SqlNumbers(self)
        self.nomenclatures = SqlNomenclatures(self)
        self.directory = SqlDirectory(self)
        self.audit = SqlAudit(self)
        self._journals_seen: dict[str, Journal] = {}
        self._assignments: SqlAssignments | None = None
        self._resolutions: SqlResolutions | None = None
        if self._file_session is not None:
            self.blobs = FileBlobs(self, self._file_session)
        else:
            self.blobs = SqlBlobs(self, storage.max_blob_size)

    @property
    def assignments(self) -> SqlAssignments:
        """Assignments (execution control), in this unit of work."""
        from edmscore.storage.sql._control import SqlAssignments

        if self._assignments is None:
            self._assignments = SqlAssignments(self)
        return self._assignments

    @property
    def resolutions(self) -> SqlResolutions:
        """Resolutions (execution control), in this unit of work."""
        from edmscore.storage.sql._control import SqlResolutions

        if self._resolutions is None:
            self._resolutions = SqlResolutions(self)
        return self._resolutions

    @property
    def appeals(self) -> SqlAppeals:
        """Citizens' appeals (:mod:`edmscore.appeals`), in this unit of work."""
        from edmscore.storage.sql._appeals import SqlAppeals

        return SqlAppeals(self)

    @property
    def signature_records(self) -> SqlSignatureRecords:
        """Signature details and check results of cards (items 18–19 of the card)."""
        from edmscore.storage.sql._signature_records import SqlSignatureRecords

        return SqlSignatureRecords(self)

    @property
    def archive(self) -> SqlArchive:
        """Case files, inventories and destruction acts (:mod:`edmscore.archive`)."""
        from edmscore.storage.sql._archive import SqlArchive

        return SqlArchive(self)

    @property
    def archive_transfers(self) -> SqlTransfers:
        """Acceptance acts of the archive (:mod:`edmscore.archive.transfer_store`)."""
        from edmscore.storage.sql._archive_transfers import SqlTransfers

        return SqlTransfers(self)

    @property
    def dispatches(self) -> SqlDispatches:
        """Delivery records of letters sent over MEDO (:mod:`edmscore.exchange.dispatch`)."""
        from edmscore.storage.sql._dispatch import SqlDispatches

        return SqlDispatches(self)

    @property
    def drafts(self) -> SqlDrafts:
        """Drafts under approval (:mod:`edmscore.approval`)."""
        from edmscore.storage.sql._approval import SqlDrafts

        return SqlDrafts(self)

    @property
    def route_templates(self) -> SqlRouteTemplates:
        """Approval route templates."""
        from edmscore.storage.sql._approval import SqlRouteTemplates

        return SqlRouteTemplates(self)

    @property
    def resolution_drafts(self) -> SqlResolutionDrafts:
        """Draft resolutions (проекты резолюций)."""
        from edmscore.storage.sql._control_extras import SqlResolutionDrafts

        return SqlResolutionDrafts(self)

    @property
    def acquaintances(self) -> SqlAcquaintances:
        """Acquaintance sheets (листы ознакомления)."""
        from edmscore.storage.sql._control_extras import SqlAcquaintances

        return SqlAcquaintances(self)

    @property
    def substitutions(self) -> SqlSubstitutions:
        """Substitutions of officials (замещение)."""
        from edmscore.storage.sql._approval import SqlSubstitutions

        return SqlSubstitutions(self)

    @property
    def outbox(self) -> SqlOutbox:
        """The outbox of domain events (:mod:`edmscore.events`), in this unit of work."""
        from edmscore.storage.sql._outbox import SqlOutbox

        return SqlOutbox(self)

    # --- the transaction -------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._conn is None:
            raise StateError("the unit of work is not open: use it in a `with` block")

    def _connection(self) -> sa.Connection:
        conn = self._conn
        if conn is None:
            raise StateError("the unit of work is not open: use it in a `with` block")
        if self._interrupt is not None:
            self._interrupt()
        if not self._in_tx:
            try:
                if self._storage.connection is not None:
                    self._tx = HostTransaction.begin(conn)
                elif self._sqlite:
                    self._sqlite_command(conn, "BEGIN IMMEDIATE")
                else:
                    self._tx = conn.begin()
            except sa_exc.SQLAlchemyError as exc:
                raise translate(exc) from exc
            self._in_tx = True
        return conn

    def __enter__(self) -> Self:
        if self._conn is not None:
            raise StateError("the unit of work is already open")
        lock = self._storage._lock
        if lock is not None:
            lock.acquire()
        try:
            if self._storage.connection is not None:
                conn = usable(self._storage.connection)
            else:
                conn = self._storage.engine.connect()
                if self._sqlite:
                    self._driver_mode = _sqlite_autocommit(conn)
        except sa_exc.SQLAlchemyError as exc:
            if lock is not None:
                lock.release()
            raise translate(exc) from exc
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        self._conn = conn
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        except EdmsError:
            if exc is None:
                raise
            # The block's own error is the one to report; the connection is discarded anyway.
        finally:
            conn, self._conn = self._conn, None
            try:
                if conn is not None and self._storage.connection is None:
                    if self._driver_mode is not None:
                        _sqlite_restore(conn, self._driver_mode)
                        self._driver_mode = None
                    conn.close()
            finally:
                if self._storage._lock is not None:
                    self._storage._lock.release()

    def commit(self) -> None:
        """Make everything done so far durable: blobs first, then the database transaction."""
        self._check_open()
        if self._file_session is not None:
            self._file_session.publish()
        if not self._in_tx:
            return
        try:
            if self._tx is None:
                assert self._conn is not None
                self._sqlite_command(self._conn, "COMMIT")
            else:
                self._tx.commit()
        except sa_exc.SQLAlchemyError as exc:
            self.rollback()
            raise translate(exc) from exc
        tx, self._tx = self._tx, None
        self._in_tx = False
        if self._journals_seen:
            # A savepoint's work is durable only once the host commits: remember nothing.
            if not isinstance(tx, HostTransaction) or tx.durable:
                self._storage._journals.update(self._journals_seen)
            self._journals_seen = {}

    def rollback(self) -> None:
        """Undo everything done since the last commit."""
        self._journals_seen = {}
        if self._file_session is not None:
            self._file_session.discard()
        if not self._in_tx or self._conn is None:
            return
        self._in_tx = False
        try:
            if self._tx is not None:
                self._tx.rollback()
            elif self._sqlite:
                self._sqlite_command(self._conn, "ROLLBACK")
        except sa_exc.SQLAlchemyError as exc:
            if self._storage.connection is None:  # never the host's connection
                self._conn.invalidate()
            raise translate(exc) from exc
        finally:
            self._tx = None

    def _sqlite_command(self, conn: sa.Connection, sql: str) -> None:
        """BEGIN, COMMIT or ROLLBACK on SQLite (the connection is in driver autocommit mode)."""
        if not self._storage._driver_path:
            conn.exec_driver_sql(sql)
            return
        raw = conn.connection.dbapi_connection
        assert raw is not None
        dialect = self._storage.engine.dialect
        cursor = raw.cursor()
        try:
            cursor.execute(sql)
        except dialect.loaded_dbapi.Error as exc:
            raise _wrap(dialect, exc, sql, raw, cursor) from exc
        finally:
            cursor.close()

    # --- helpers the repositories use -------------------------------------------------------

    def execute(self, statement: Any, parameters: Any = None) -> sa.CursorResult[Any]:
        """Run a statement in the transaction, translating driver errors."""
        conn = self._connection()
        try:
            return conn.execute(statement, parameters)
        except sa_exc.SQLAlchemyError as exc:
            raise translate(exc) from exc
        except UnicodeEncodeError as exc:  # a lone surrogate the model did not check (a query)
            raise _not_text(exc) from exc

    def known_journal(self, journal_id: str) -> Journal | None:
        """A journal this unit or a committed one has read or added (journals never change)."""
        return self._journals_seen.get(journal_id) or self._storage._journals.get(journal_id)

    def remember_journal(self, journal: Journal) -> None:
        """Remember a journal read or added here; the storage keeps it once this unit commits."""
        self._journals_seen[journal.id] = journal

    def scalar(self, statement: Any) -> Any:
        """The first column of the first row, or None."""
        return self.execute(statement).scalar()

    def _insert(self, table: sa.Table) -> Any:
        return (sqlite.insert if self._sqlite else postgresql.insert)(table)

    def run(self, name: str, build: Any, values: dict[str, Any]) -> list[Any]:
        """Run a cached statement with ``values``; every row it returns (as tuples).

        Straight on the driver's cursor when the storage allows it (:class:`_Compiled`),
        otherwise through SQLAlchemy; driver errors are translated either way.
        """
        storage = self._storage
        compiled = None
        if storage._driver_path:
            key = (name, tuple(values))
            if key in storage._compiled:
                compiled = storage._compiled[key]
            else:
                compiled = storage._compiled[key] = _Compiled.build(
                    self._cached(name, build), storage.engine.dialect, key[1]
                )
        if compiled is None:
            result = self.execute(self._cached(name, build), values)
            return list(result) if result.returns_rows else []
        conn = self._connection()
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        try:
            cursor.execute(compiled.sql, compiled.parameters(values))
            return list(cursor.fetchall()) if cursor.description is not None else []
        except UnicodeEncodeError as exc:
            raise _not_text(exc) from exc
        except storage.engine.dialect.loaded_dbapi.Error as exc:
            dialect = storage.engine.dialect
            raise translate(_wrap(dialect, exc, compiled.sql, raw, cursor)) from exc
        finally:
            cursor.close()

    def _cached(self, name: str, build: Any) -> Any:
        """A statement built once per storage (construction costs more than execution)."""
        statements = self._storage._statements
        statement = statements.get(name)
        if statement is None:
            statement = statements[name] = build()
        return statement

    def insert_ignoring_conflicts(self, table: sa.Table, row: dict[str, Any]) -> bool:
        """Insert a row unless a unique key clashes; whether it was inserted."""

        def build() -> Any:
            key = next(iter(table.primary_key.columns))
            return self._insert(table).on_conflict_do_nothing().returning(key)

        return bool(self.run(f"insert-ignoring:{table.name}", build, row))

    def insert_returning_key(self, table: sa.Table, row: dict[str, Any]) -> int:
        """Insert a row and return its generated integer key."""

        def build() -> Any:
            return sa.insert(table).returning(next(iter(table.primary_key.columns)))

        (row_key,) = self.run(f"insert-returning:{table.name}", build, row)
        return int(row_key[0])

    def select_by_key(self, column: sa.Column[Any], key_column: sa.Column[Any], key: Any) -> Any:
        """The value of ``column`` in the row whose ``key_column`` is ``key``, or None."""

        def build() -> Any:
            return sa.select(column).where(key_column == sa.bindparam("key"))

        if isinstance(key, str) and unstorable(key) is not None:
            return None  # nothing is stored under a key no adapter accepts: not found, as in memory
        name = f"select:{column.table.name}.{column.name}/{key_column.name}"
        rows = self.run(name, build, {"key": key})
        return rows[0][0] if rows else None

    def increment(self, counter_key: str) -> int:
        """Add one to a counter row (creating it at 1) and return the new value."""
        if not isinstance(counter_key, str) or not counter_key or len(counter_key) > 1000:
            raise ValidationError("counter_key", "must be a non-empty string of ≤1000 characters")

        def build() -> Any:
            insert = self._insert(t.counters).values(key=sa.bindparam("key"), value=1)
            return insert.on_conflict_do_update(
                index_elements=[t.counters.c.key], set_={"value": t.counters.c.value + 1}
            ).returning(t.counters.c.value)

        (row,) = self.run("increment", build, {"key": counter_key})
        return int(row[0])

    def contains(self, column: sa.ColumnElement[str], needle: str) -> sa.ColumnElement[bool]:
        """``column`` contains the case-folded ``needle``."""
        if self._sqlite:
            return sa.func.instr(column, fold(needle)) > 0
        # LIKE, which the pg_trgm index edms_cards_text_ix serves (strpos is not indexable).
        return column.like(like_pattern(needle))

    def fts_condition(self, words: str) -> sa.ColumnElement[bool]:
        """The full-text condition on ``edms_cards`` for ``words``."""
        if not isinstance(words, str) or stem_query(words) is None:
            raise ValidationError("words", "give at least one word to search for")
        if self._sqlite:
            match = sa.literal_column("edms_cards_fts").op("MATCH")(stem_query(words))
            return t.cards.c.id.in_(sa.select(_FTS.c.card_id).where(match))
        vector = sa.func.to_tsvector(_RUSSIAN, t.cards.c.fts_text)
        return vector.op("@@")(sa.func.plainto_tsquery(_RUSSIAN, words))

    def index_words(self, card: RegistrationCard, replace: bool) -> None:
        """Keep SQLite's FTS5 table in step with a stored card (PostgreSQL indexes a column)."""
        if not self._sqlite:
            return
        if replace:
            self.execute(sa.delete(_FTS).where(_FTS.c.card_id == card.id))
        details = card.details
        text = " ".join(
            (
                details.summary,
                *(c.name for c in details.correspondents),
                *(c.name for c in details.addressees),
                *(f.text for f in details.files if f.text),
            )
        )
        self.run(
            "fts-insert", lambda: sa.insert(_FTS), {"card_id": card.id, "words": fts_words(text)}
        )

    # --- the bulk path (edmscore.backup.ports.BulkUnitOfWork) --------------------------------

    def consistent_reads(self) -> None:
        """Make every read of this unit of work see one snapshot of the database (for a backup):
        on PostgreSQL a REPEATABLE READ transaction, asked before its first statement; SQLite's
        transaction and a host's own one are left as they are."""
        if self._sqlite or self._in_tx or self._storage.connection is not None:
            return
        self._connection()
        self.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))

    #: ``import_records("cards", …)`` also takes cards in their canonical primitive form.
    takes_card_primitives = True

    def export_card_primitives(self) -> Iterator[dict[str, Any]]:
        """Every card in its canonical primitive form, in id order, streamed: the stored
        documents checked as plain data, without a card object each (backup's fast path)."""
        from edmscore.storage.sql import _bulk

        self._check_open()
        return _bulk.export_card_primitives(self)

    def export_records(self, kind: str) -> Iterator[Any]:
        """Every record of ``kind`` in key order, streamed (see :mod:`._bulk`)."""
        from edmscore.storage.sql import _bulk

        return _bulk.export_records(self, kind)

    def import_records(self, kind: str, records: Iterable[Any]) -> int:
        """Store records as given, versions kept, replacing those with the same key."""
        from edmscore.storage.sql import _bulk

        return _bulk.import_records(self, kind, records)

    def stored_blobs(self) -> Iterator[str]:
        """The hash of every stored file, in order."""
        from edmscore.storage.sql import _bulk

        return _bulk.stored_blobs(self)


class SqlStorage:
    """Storage in a SQL database (SQLite or PostgreSQL) through a host's engine or connection.

    Given an :class:`sqlalchemy.Engine`, each unit of work checks out a connection of its own.
    Given a host's open :class:`sqlalchemy.Connection`, every unit of work runs on it: inside
    the host's transaction as a savepoint when one is open (the host's commit makes the work
    durable, its rollback undoes it), as a transaction of its own otherwise; the connection is
    never closed and the host's transaction never ended. Units of work on one connection run
    one at a time: other threads wait, a second unit opened by the thread that holds one is a
    :class:`~edmscore.errors.StateError`.

    The schema is checked on construction and created when the database has none
    (``create_schema=False`` refuses instead; on a connection, inside the host's transaction);
    an older schema must be migrated first with :func:`~edmscore.storage.sql.migrate`, and an
    unknown or newer one is refused (:class:`~edmscore.errors.SchemaVersionError`). File
    contents go to ``blob_store`` when one is given, otherwise to the ``edms_blobs`` table;
    ``max_blob_size`` bounds one blob there.
    """

    def __init__(
        self,
        engine: sa.Engine | sa.Connection,
        *,
        blob_store: FileBlobStore | None = None,
        create_schema: bool = True,
        max_blob_size: int = 512 * 1024 * 1024,
    ) -> None:
        bind = engine
        #: The host's connection every unit of work runs on, or None (an engine was given).
        self.connection = bind if isinstance(bind, sa.Connection) else None
        #: The engine given, or the one the host's connection belongs to.
        self.engine = engine = bind.engine
        self.dialect = engine.dialect.name
        self.blob_store = blob_store
        self.max_blob_size = max_blob_size
        if self.connection is not None:
            usable(self.connection)
        self.schema_version = check_schema(bind, create=create_schema)
        # A single shared connection (an in-memory SQLite database, or the host's connection)
        # serves one unit at a time.
        self._lock: threading.RLock | ConnectionGuard | None = (
            guard_for(self.connection)
            if self.connection is not None
            else threading.RLock()
            if isinstance(engine.pool, StaticPool)
            else None
        )
        self._statements: dict[str, Any] = {}
        self._journals: dict[str, Journal] = {}
        self._compiled: dict[tuple[str, tuple[str, ...]], _Compiled | None] = {}
        self._driver_path = _driver_path_allowed(bind)

    def unit_of_work(self) -> SqlUnitOfWork:
        """Open a unit of work (use it as a context manager)."""
        return SqlUnitOfWork(self)

    def referenced_blobs(self) -> set[str]:
        """The hashes of every file some card refers to."""
        with self.unit_of_work() as uow:
            rows = uow.execute(sa.select(t.card_files.c.sha256).distinct()).scalars()
            return set(rows)

    def verify_blobs(self) -> BlobReport:
        """Read every stored blob back against its hash, and find files cards lack."""
        expected = self.referenced_blobs()
        if self.blob_store is not None:
            return self.blob_store.verify(expected)
        checked, corrupt, present = 0, [], set()
        try:
            with self._reading() as conn:
                rows = conn.execute(sa.select(t.blobs.c.sha256, t.blobs.c.content))
                for sha256, content in rows:
                    checked += 1
                    present.add(sha256)
                    if hashlib.sha256(bytes(content)).hexdigest() != sha256:
                        corrupt.append(sha256)
        except sa_exc.SQLAlchemyError as exc:
            raise translate(exc) from exc
        return BlobReport(checked, tuple(sorted(corrupt)), tuple(sorted(expected - present)))

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        """A connection to read with: the engine's, or the host's inside a unit of work."""
        if self.connection is None:
            with self.engine.connect() as conn:
                yield conn
            return
        with self.unit_of_work() as uow:
            yield uow._connection()
