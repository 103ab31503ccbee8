"""SqlStorage and its unit of work: one database transaction per unit of work.

On PostgreSQL a unit of work is a READ COMMITTED transaction (or whatever isolation the host's
engine sets); the counter upsert and the version-checked UPDATE take row locks, so concurrent
registrations on one counter queue up and concurrent updates of one card let exactly one win.
On SQLite it is a ``BEGIN IMMEDIATE`` transaction: writers are serialised by the database lock
(waiting up to the driver's busy timeout), readers in WAL mode are not blocked.
"""

from __future__ import annotations

import hashlib
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool

from edmscore.errors import EdmsError, StateError, ValidationError
from edmscore.registry import RegistrationCard
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
from edmscore.storage.sql._text import fold, fts_words, stem_query

if TYPE_CHECKING:
    from edmscore.storage.sql._appeals import SqlAppeals
    from edmscore.storage.sql._approval import SqlDrafts, SqlRouteTemplates, SqlSubstitutions
    from edmscore.storage.sql._control import SqlAssignments, SqlResolutions

__all__ = ["SqlStorage", "SqlUnitOfWork"]

_FTS = sa.table("edms_cards_fts", sa.column("card_id"), sa.column("words"))
_RUSSIAN: sa.ColumnElement[Any] = sa.literal_column("'russian'::regconfig")


class SqlUnitOfWork:
    """A unit of work over a :class:`SqlStorage`: one transaction on one connection."""

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
        self._tx: sa.RootTransaction | None = None
        self._in_tx = False
        self._file_session = storage.blob_store.session() if storage.blob_store else None
        self.cards = SqlCards(self)
        self.journals = SqlJournals(self)
        self.numbers = SqlNumbers(self)
        self.nomenclatures = SqlNomenclatures(self)
        self.directory = SqlDirectory(self)
        self.audit = SqlAudit(self)
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
    def substitutions(self) -> SqlSubstitutions:
        """Substitutions of officials (замещение)."""
        from edmscore.storage.sql._approval import SqlSubstitutions

        return SqlSubstitutions(self)

    # --- the transaction -------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._conn is None:
            raise StateError("the unit of work is not open: use it in a `with` block")

    def _connection(self) -> sa.Connection:
        conn = self._conn
        if conn is None:
            raise StateError("the unit of work is not open: use it in a `with` block")
        if not self._in_tx:
            try:
                if self._sqlite:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
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
            conn = self._storage.engine.connect()
            if self._sqlite:
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
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
                if conn is not None:
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
            if self._sqlite:
                assert self._conn is not None
                self._conn.exec_driver_sql("COMMIT")
            else:
                assert self._tx is not None
                self._tx.commit()
        except sa_exc.SQLAlchemyError as exc:
            self.rollback()
            raise translate(exc) from exc
        self._in_tx = False
        self._tx = None

    def rollback(self) -> None:
        """Undo everything done since the last commit."""
        if self._file_session is not None:
            self._file_session.discard()
        if not self._in_tx or self._conn is None:
            return
        self._in_tx = False
        try:
            if self._sqlite:
                self._conn.exec_driver_sql("ROLLBACK")
            elif self._tx is not None:
                self._tx.rollback()
        except sa_exc.SQLAlchemyError as exc:
            self._conn.invalidate()
            raise translate(exc) from exc
        finally:
            self._tx = None

    # --- helpers the repositories use -------------------------------------------------------

    def execute(self, statement: Any, parameters: Any = None) -> sa.CursorResult[Any]:
        """Run a statement in the transaction, translating driver errors."""
        conn = self._connection()
        try:
            return conn.execute(statement, parameters)
        except sa_exc.SQLAlchemyError as exc:
            raise translate(exc) from exc

    def scalar(self, statement: Any) -> Any:
        """The first column of the first row, or None."""
        return self.execute(statement).scalar()

    def _insert(self, table: sa.Table) -> Any:
        return (sqlite.insert if self._sqlite else postgresql.insert)(table)

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

        statement = self._cached(f"insert-ignoring:{table.name}", build)
        return self.execute(statement, row).first() is not None

    def insert_returning_key(self, table: sa.Table, row: dict[str, Any]) -> int:
        """Insert a row and return its generated integer key."""

        def build() -> Any:
            return sa.insert(table).returning(next(iter(table.primary_key.columns)))

        statement = self._cached(f"insert-returning:{table.name}", build)
        return int(self.execute(statement, row).scalar_one())

    def select_by_key(self, column: sa.Column[Any], key_column: sa.Column[Any], key: Any) -> Any:
        """The value of ``column`` in the row whose ``key_column`` is ``key``, or None."""

        def build() -> Any:
            return sa.select(column).where(key_column == sa.bindparam("key"))

        statement = self._cached(
            f"select:{column.table.name}.{column.name}/{key_column.name}", build
        )
        return self.execute(statement, {"key": key}).scalar()

    def increment(self, counter_key: str) -> int:
        """Add one to a counter row (creating it at 1) and return the new value."""
        if not isinstance(counter_key, str) or not counter_key or len(counter_key) > 1000:
            raise ValidationError("counter_key", "must be a non-empty string of ≤1000 characters")

        def build() -> Any:
            insert = self._insert(t.counters).values(key=sa.bindparam("key"), value=1)
            return insert.on_conflict_do_update(
                index_elements=[t.counters.c.key], set_={"value": t.counters.c.value + 1}
            ).returning(t.counters.c.value)

        statement = self._cached("increment", build)
        return int(self.execute(statement, {"key": counter_key}).scalar_one())

    def contains(self, column: sa.ColumnElement[str], needle: str) -> sa.ColumnElement[bool]:
        """``column`` contains the case-folded ``needle``."""
        folded = fold(needle)
        if self._sqlite:
            return sa.func.instr(column, folded) > 0
        return sa.func.strpos(column, folded) > 0

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
            )
        )
        statement = self._cached("fts-insert", lambda: sa.insert(_FTS))
        self.execute(statement, {"card_id": card.id, "words": fts_words(text)})


class SqlStorage:
    """Storage in a SQL database (SQLite or PostgreSQL) through a host's SQLAlchemy engine.

    The schema is checked on construction and created when the database has none
    (``create_schema=False`` refuses instead); an older schema must be migrated first with
    :func:`~edmscore.storage.sql.migrate`, and an unknown or newer one is refused
    (:class:`~edmscore.errors.SchemaVersionError`). File contents go to ``blob_store`` when one
    is given, otherwise to the ``edms_blobs`` table; ``max_blob_size`` bounds one blob there.
    """

    def __init__(
        self,
        engine: sa.Engine,
        *,
        blob_store: FileBlobStore | None = None,
        create_schema: bool = True,
        max_blob_size: int = 512 * 1024 * 1024,
    ) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.blob_store = blob_store
        self.max_blob_size = max_blob_size
        self.schema_version = check_schema(engine, create=create_schema)
        # A single shared connection (an in-memory SQLite database) serves one unit at a time.
        self._lock = threading.RLock() if isinstance(engine.pool, StaticPool) else None
        self._statements: dict[str, Any] = {}

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
            with self.engine.connect() as conn:
                rows = conn.execute(sa.select(t.blobs.c.sha256, t.blobs.c.content))
                for sha256, content in rows:
                    checked += 1
                    present.add(sha256)
                    if hashlib.sha256(bytes(content)).hexdigest() != sha256:
                        corrupt.append(sha256)
        except sa_exc.SQLAlchemyError as exc:
            raise translate(exc) from exc
        return BlobReport(checked, tuple(sorted(corrupt)), tuple(sorted(expected - present)))
