"""Driver errors translated into edmscore's errors, so hosts never import sqlite3 or psycopg.

PostgreSQL errors are told apart by SQLSTATE (psycopg's ``sqlstate``), SQLite errors by their
message; repositories turn a unique violation into :class:`~edmscore.errors.DuplicateNumber` or
:class:`~edmscore.errors.ConflictError` where they know which key clashed.
"""

from __future__ import annotations

import sqlalchemy.exc as sa_exc

from edmscore.errors import (
    EdmsError,
    StorageError,
    StorageUnavailable,
    TransactionConflict,
    ValidationError,
)

__all__ = ["UniqueViolation", "translate"]

_RETRYABLE_STATES = {
    "40001": "serialization failure",
    "40P01": "deadlock detected",
    "55P03": "lock not available",
}
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


class UniqueViolation(StorageError):
    """A unique constraint refused a row; ``constraint`` names it (or the columns, on SQLite)."""

    def __init__(self, constraint: str, message: str) -> None:
        self.constraint = constraint
        super().__init__(f"unique constraint {constraint} violated: {message}")


def _sqlstate(exc: sa_exc.DBAPIError) -> str | None:
    state = getattr(exc.orig, "sqlstate", None)
    return state if isinstance(state, str) else None


def translate(exc: sa_exc.SQLAlchemyError) -> EdmsError:
    """The edmscore error for a driver or SQLAlchemy error."""
    if not isinstance(exc, sa_exc.DBAPIError):
        return StorageError(f"storage failure: {exc}")
    message = str(exc.orig)
    state = _sqlstate(exc)
    if state in _RETRYABLE_STATES:
        return TransactionConflict(_RETRYABLE_STATES[state])
    if state == "23505":
        diag = getattr(exc.orig, "diag", None)
        name = getattr(diag, "constraint_name", None) or "?"
        return UniqueViolation(str(name), message)
    if isinstance(exc, sa_exc.IntegrityError) and "UNIQUE constraint failed" in message:
        return UniqueViolation(message.split(":", 1)[-1].strip(), message)
    if "cannot contain NUL" in message:  # psycopg refuses a NUL in a query's text parameter
        return ValidationError("text", "contains a NUL character")
    if any(busy in message for busy in _SQLITE_BUSY):
        return TransactionConflict(message)
    from_psycopg = type(exc.orig).__module__.startswith("psycopg")
    if exc.connection_invalidated or (
        isinstance(exc, sa_exc.OperationalError)
        and from_psycopg
        and (state is None or state.startswith(("08", "57P")))
    ):
        return StorageUnavailable(f"the database cannot be reached: {message}")
    if isinstance(exc, sa_exc.OperationalError) and state is None and "unable to open" in message:
        return StorageUnavailable(f"the database cannot be opened: {message}")
    return StorageError(f"storage failure: {message}")
