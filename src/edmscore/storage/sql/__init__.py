"""The SQL storage adapter: SQLite (nothing to install) and PostgreSQL (``edmscore[postgres]``).

A host builds a SQLAlchemy engine — or lets :func:`sqlite_engine` / :func:`postgres_engine`
build one — and passes it to :class:`SqlStorage`, or passes one of its open connections to do
the library's work inside its own transaction; the adapter keeps its tables (prefixed
``edms_``) beside the host's own. The schema is versioned: :func:`migrate` installs or upgrades
it, :func:`schema_version` reads it, :func:`has_text_index` tells whether an index serves
substring search. File contents go to the database (``edms_blobs``) or to a
:class:`FileBlobStore` on disk.
"""

from __future__ import annotations

from edmscore.storage.sql._blobs import BlobReport, FileBlobStore
from edmscore.storage.sql._engines import postgres_engine, sqlite_engine
from edmscore.storage.sql._migrate import (
    MIGRATIONS,
    check_schema,
    has_text_index,
    migrate,
    schema_version,
)
from edmscore.storage.sql._schema import SCHEMA_VERSION, metadata
from edmscore.storage.sql._storage import SqlStorage, SqlUnitOfWork
from edmscore.storage.sql._text import stem

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "BlobReport",
    "FileBlobStore",
    "SqlStorage",
    "SqlUnitOfWork",
    "check_schema",
    "has_text_index",
    "metadata",
    "migrate",
    "postgres_engine",
    "schema_version",
    "sqlite_engine",
    "stem",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
