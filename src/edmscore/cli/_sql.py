"""``edmscore storage``: install or upgrade the SQL schema, read its version (and what serves
substring search), verify the blobs."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from edmscore.errors import EdmsError


def _engine(target: str) -> Any:
    from edmscore.storage.sql import postgres_engine, sqlite_engine

    if target.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        return postgres_engine(target.replace("postgres://", "postgresql://", 1))
    if "://" in target:
        raise EdmsError(f"not a SQLite file or a PostgreSQL URL: {target!r}")
    return sqlite_engine(target)


def register(subparsers: Any) -> None:
    """Add the ``storage`` subcommand and its ``migrate``, ``version`` and ``verify`` commands."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "storage", help="SQL storage: schema migrations, schema version, blob verification"
    )
    commands = parser.add_subparsers(dest="storage_command", required=True)
    database = "a SQLite database file or a postgresql:// URL"

    migrate = commands.add_parser("migrate", help="install the schema or upgrade it")
    migrate.add_argument("database", metavar="DATABASE", help=database)
    migrate.set_defaults(handler=_run_migrate)

    version = commands.add_parser("version", help="print the database's schema version")
    version.add_argument("database", metavar="DATABASE", help=database)
    version.set_defaults(handler=_run_version)

    verify = commands.add_parser(
        "verify", help="read every blob back against its sha256; exit 1 if any is bad or missing"
    )
    verify.add_argument("database", metavar="DATABASE", help=database)
    verify.add_argument("--blobs", metavar="DIR", help="the FileBlobStore folder, if one is used")
    verify.set_defaults(handler=_run_verify)


def _guarded(run: Any, args: argparse.Namespace) -> int:
    engine = None
    try:
        engine = _engine(args.database)
        code: int = run(engine, args)
        return code
    except EdmsError as exc:
        print(f"edmscore storage: {exc}", file=sys.stderr)
        return 2
    finally:
        if engine is not None:
            engine.dispose()


def _run_migrate(args: argparse.Namespace) -> int:
    from edmscore.storage.sql import migrate

    def run(engine: Any, _: argparse.Namespace) -> int:
        found, now = migrate(engine)
        before = "no schema" if found is None else f"version {found}"
        print(f"schema: {before} -> version {now}")
        return 0

    return _guarded(run, args)


def _run_version(args: argparse.Namespace) -> int:
    from edmscore.storage.sql import SCHEMA_VERSION, schema_version

    def run(engine: Any, _: argparse.Namespace) -> int:
        version = schema_version(engine)
        print("no edmscore schema" if version is None else f"schema version {version}")
        print(f"this edmscore runs schema version {SCHEMA_VERSION}")
        if version is not None:
            print(f"substring search (CardQuery.text): {_text_search(engine)}")
        return 0

    return _guarded(run, args)


def _text_search(engine: Any) -> str:
    from edmscore.storage.sql import has_text_index

    if engine.dialect.name == "sqlite":
        return "table scan (SQLite has no index for substrings)"
    if has_text_index(engine):
        return "trigram index edms_cards_text_ix (pg_trgm)"
    return (
        "table scan: no trigram index; have a privileged role run CREATE EXTENSION pg_trgm, "
        "then run `edmscore storage migrate` again"
    )


def _run_verify(args: argparse.Namespace) -> int:
    from edmscore.storage.sql import FileBlobStore, SqlStorage

    def run(engine: Any, options: argparse.Namespace) -> int:
        store = FileBlobStore(options.blobs) if options.blobs else None
        report = SqlStorage(engine, blob_store=store, create_schema=False).verify_blobs()
        print(f"blobs checked: {report.checked}")
        for sha256 in report.corrupt:
            print(f"corrupt: {sha256}")
        for sha256 in report.missing:
            print(f"missing: {sha256}")
        print("ok" if report.ok else "PROBLEMS FOUND")
        return 0 if report.ok else 1

    return _guarded(run, args)
