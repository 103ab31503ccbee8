"""Engines configured the way the SQL adapter works best (hosts may build their own)."""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from edmscore.errors import MissingDependency

__all__ = ["postgres_engine", "sqlite_engine"]


def _pragmas(synchronous: str) -> Any:
    def apply(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={synchronous}")
        finally:
            cursor.close()

    return apply


def sqlite_engine(
    path: str | os.PathLike[str] | None = None,
    *,
    busy_timeout: float = 60.0,
    durable: bool = True,
) -> sa.Engine:
    """A SQLite engine on the database file ``path`` in WAL mode; in memory when ``path`` is None.

    Writers wait up to ``busy_timeout`` seconds for the database lock. ``durable`` (the default)
    syncs every commit to disk (``synchronous=FULL``): a number given to a clerk survives a power
    cut. ``durable=False`` (``synchronous=NORMAL``) is much faster and still never corrupts the
    database, but the last commits before a power cut may be lost — for tests and caches. An
    in-memory database lives in one shared connection, so its units of work run one at a time.
    """
    if path is None:
        return sa.create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    url = sa.URL.create("sqlite+pysqlite", database=os.fspath(path))
    engine = sa.create_engine(
        url, connect_args={"timeout": busy_timeout, "check_same_thread": False}
    )
    sa.event.listen(engine, "connect", _pragmas("FULL" if durable else "NORMAL"))
    return engine


def postgres_engine(url: str, **options: Any) -> sa.Engine:
    """A PostgreSQL engine through psycopg 3 (the ``postgres`` extra).

    ``url`` is a SQLAlchemy URL (``postgresql+psycopg://user:pass@host/db``) or a libpq URI
    (``postgresql://…``, which is given the psycopg driver); ``options`` go to
    :func:`sqlalchemy.create_engine`.
    """
    parsed = sa.make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername == "postgresql+psycopg":
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise MissingDependency("psycopg", "postgres") from exc
    return sa.create_engine(parsed, **options)
