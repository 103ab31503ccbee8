"""Units of work on a host's own connection: a savepoint in the host's transaction, or their own.

A host that passes its open :class:`sqlalchemy.Connection` to ``SqlStorage`` gets the library's
work inside its own transaction. :class:`HostTransaction` decides, for one unit of work, how to
begin, commit and roll back on that connection without ever closing it, changing its isolation
level, or ending a transaction the host began:

- the host has a transaction open (``connection.in_transaction()``) → the unit is a SAVEPOINT in
  it: the unit's commit releases the savepoint (the host's commit makes the work durable, the
  host's rollback undoes it), the unit's rollback rolls back to the savepoint and leaves the
  host's transaction usable;
- the host has none → the unit begins its own transaction on the connection and commits or rolls
  it back, leaving the connection as it found it (no transaction open);
- the connection is in driver autocommit mode (SQLAlchemy's ``AUTOCOMMIT`` isolation level) and
  no database transaction is actually open → the host's "transaction", if any, is nominal, so the
  unit runs a transaction of its own with an explicit ``BEGIN`` … ``COMMIT``.

SQLite's stdlib driver, in its default (legacy) mode, does not send ``BEGIN`` when SQLAlchemy
begins a transaction, only before the first INSERT, UPDATE or DELETE. A SAVEPOINT sent while no
database transaction is open would itself be the outermost transaction, and releasing it would
commit the unit's work behind the host's back. So on SQLite, whenever the driver has no
transaction open, the unit first sends ``BEGIN IMMEDIATE`` (taking the write lock, as units on an
engine do): inside the host's transaction this is the ``BEGIN`` the driver would have sent at the
host's next write, and the host's commit or rollback ends it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from edmscore.errors import StateError

__all__ = ["ConnectionGuard", "HostTransaction", "guard_for", "host_transaction", "usable"]


def _driver_state(conn: sa.Connection) -> tuple[bool, bool]:
    """(whether the database has a transaction open, whether the driver is in autocommit mode)."""
    raw: Any = conn.connection.dbapi_connection
    if conn.dialect.name == "sqlite":
        # Python 3.12's ``autocommit=True`` is autocommit whatever ``isolation_level`` says.
        autocommit = raw.isolation_level is None or getattr(raw, "autocommit", None) is True
        return bool(raw.in_transaction), autocommit
    info = getattr(raw, "info", None)
    status = getattr(info, "transaction_status", None)  # psycopg 3: 0 is IDLE
    autocommit = bool(getattr(raw, "autocommit", False))
    if status is None:  # another driver: trust SQLAlchemy's view
        return conn.in_transaction() and not autocommit, autocommit
    return int(status) != 0, autocommit


class HostTransaction:
    """The transaction of one unit of work on a host's connection (see the module docstring).

    ``durable`` tells whether the unit's commit makes its work durable (its own transaction) or
    only releases a savepoint in the host's transaction, which the host may still roll back.
    """

    __slots__ = ("_conn", "_own", "_root", "_savepoint", "durable")

    def __init__(
        self,
        conn: sa.Connection,
        root: sa.RootTransaction | None,
        savepoint: sa.NestedTransaction | None,
        own: bool,
    ) -> None:
        self._conn = conn
        self._root = root
        self._savepoint = savepoint
        self._own = own
        self.durable = savepoint is None

    @classmethod
    def begin(cls, conn: sa.Connection) -> HostTransaction:
        """Begin a unit's transaction on ``conn`` (SQLAlchemy's errors: callers translate)."""
        begin = "BEGIN IMMEDIATE" if conn.dialect.name == "sqlite" else "BEGIN"
        root = None if conn.in_transaction() else conn.begin()
        try:
            in_database, autocommit = _driver_state(conn)
            if root is not None:  # our own transaction
                own = not in_database and (autocommit or conn.dialect.name == "sqlite")
                if own:  # ended by our COMMIT, not by the driver's commit(), a no-op in autocommit
                    conn.exec_driver_sql(begin)
                return cls(conn, root, None, own=own)
            if not in_database and autocommit:
                conn.exec_driver_sql(begin)  # the host's transaction is nominal: run our own
                return cls(conn, None, None, own=True)
            if not in_database and conn.dialect.name == "sqlite":
                conn.exec_driver_sql(begin)  # the BEGIN pysqlite defers; the host's ends it
            return cls(conn, None, conn.begin_nested(), own=False)
        except BaseException:
            if root is not None and root.is_active:
                root.rollback()
            raise

    def commit(self) -> None:
        """Release the savepoint, or commit the unit's own transaction."""
        if self._savepoint is not None:
            self._savepoint.commit()
            return
        if self._own:
            self._conn.exec_driver_sql("COMMIT")
        if self._root is not None:
            self._root.commit()

    def rollback(self) -> None:
        """Roll back to the savepoint, or roll back the unit's own transaction."""
        if self._savepoint is not None:
            if self._savepoint.is_active:
                self._savepoint.rollback()
            return
        try:
            if self._own:
                self._conn.exec_driver_sql("ROLLBACK")
        finally:
            if self._root is not None and self._root.is_active:
                self._root.rollback()


@contextmanager
def host_transaction(conn: sa.Connection) -> Iterator[sa.Connection]:
    """A :class:`HostTransaction` as a block: committed on leaving it, rolled back on an error."""
    tx = HostTransaction.begin(conn)
    try:
        yield conn
    except BaseException:
        tx.rollback()
        raise
    tx.commit()


def usable(conn: sa.Connection) -> sa.Connection:
    """``conn`` itself; StateError when the host has closed or invalidated it."""
    if conn.closed or conn.invalidated:
        raise StateError("the host's connection is closed or invalidated")
    return conn


class ConnectionGuard:
    """Lets one unit of work at a time run on a host's connection.

    Another thread waits for the open unit to finish; the thread that holds the open unit gets
    :class:`~edmscore.errors.StateError` (a unit of work inside another on one connection would
    wait for itself, or would silently become a savepoint of the outer unit).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: int | None = None

    def acquire(self) -> bool:
        """Wait for the connection; StateError if this thread already has a unit open on it."""
        me = threading.get_ident()
        if self._owner == me:
            raise StateError(
                "a unit of work is already open on this connection: units of work on a "
                "host's connection run one at a time, finish the open one first"
            )
        self._lock.acquire()
        self._owner = me
        return True

    def release(self) -> None:
        """Let the next unit of work run."""
        self._owner = None
        self._lock.release()


_GUARDS: weakref.WeakKeyDictionary[sa.Connection, ConnectionGuard] = weakref.WeakKeyDictionary()
_GUARDS_LOCK = threading.Lock()


def guard_for(conn: sa.Connection) -> ConnectionGuard:
    """The one guard of ``conn``, shared by every storage built on it."""
    with _GUARDS_LOCK:
        guard = _GUARDS.get(conn)
        if guard is None:
            guard = _GUARDS[conn] = ConnectionGuard()
        return guard
