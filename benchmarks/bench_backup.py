"""Backup, restore and bulk import on PostgreSQL, side by side with the raw limits.

1. **Import** of a legacy registry of ``--cards`` cards (default 1,000,000; ten yearly periods
   of one journal, original numbers and dates, statuses, correspondents) from JSON Lines through
   ``Edms.backups.import_registry`` (reading, validating every row, the adapter's COPY path,
   counters, the audit event, one transaction) against raw ``COPY … FROM STDIN`` of the very
   rows the import stored (every table it wrote: cards, their side tables, counters, audit),
   taken from the imported schema with ``COPY … TO STDOUT`` beforehand, in one transaction too.
   The aim: ≤ 1.5×.
2. **Backup** of that store (``write_bundle``: every kind as JSON Lines with hashes and the
   manifest) against ``pg_dump -Fc`` of its schema, and **restore** of the bundle into an empty
   schema (``restore_bundles``: verify, load, read back and compare, commit) against
   ``pg_restore`` of the dump into an empty database.

3. With ``--sqlite``, first the same **import into a SQLite file** against raw ``executemany``
   of the rows it stored (every table it wrote, the FTS5 rows included) in one transaction.

PostgreSQL: ``EDMS_PG_DSN`` if set, else a throw-away cluster (see ``bench_storage``). Run:
``python benchmarks/bench_backup.py [--cards N] [--sqlite]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import sqlalchemy as sa
from bench_storage import fresh_schema, postgres_server

from edmscore import Edms
from edmscore.access import Principal
from edmscore.backup import restore_bundles, write_bundle
from edmscore.clock import FixedClock
from edmscore.directory import Clearance, Organisation, User
from edmscore.registry import CardKind, Journal
from edmscore.storage.sql import SqlStorage
from edmscore.storage.sql._bulk import SQL_TABLES

PLACES = ("Администрация Благовещенска", "Министерство финансов", "Прокуратура области",
          "Управление ФНС", "Администрация Зеи", "Гражданин Петров П. П.")  # fmt: skip


def legacy_registry(folder: Path, cards: int) -> None:
    """A legacy registry folder: one journal's cards over ten years, numbered per year."""
    folder.mkdir()
    per_year = -(-cards // 10)
    with (folder / "cards.jsonl").open("w", encoding="utf-8") as out:
        for n in range(cards):
            year, seq = 2015 + n // per_year, n % per_year + 1
            day = pendulum.date(year, 1, 1).add(days=seq * 365 // (per_year + 1))
            row = {
                "id": f"legacy-{n}",
                "registration": {
                    "journal": "ВХ",
                    "number": f"{seq}-вх",
                    "date": day.isoformat(),
                    "seq": seq,
                },
                "status": "registered" if n % 50 else "deleted",
                "details": {
                    "kind": "incoming",
                    "document_kind": "Письмо",
                    "summary": f"О предоставлении сведений по запросу № {n}",
                    "correspondents": [{"name": PLACES[n % len(PLACES)]}],
                    "sender_number": f"{n % 997}-{n % 89}",
                    "received_on": day.isoformat(),
                },
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def installation(engine: sa.Engine) -> Edms:
    """An empty installation with its organisation, administrator and journal."""
    edms = Edms(SqlStorage(engine), clock=FixedClock(pendulum.datetime(2026, 3, 2, tz="UTC")))
    edms.setup(
        Organisation("org", "Министерство"), User("admin", "admin", "org", None, Clearance.DSP)
    )
    journal = Journal("j-in", "org", "ВХ", "Входящие", "{seq}-вх", {CardKind.INCOMING})
    edms.admin.create_journal(Principal("admin"), journal)
    return edms


def timed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _tables_written() -> list[str]:
    return [*SQL_TABLES["cards"], "edms_counters", "edms_audit"]


def raw_copy(url: str, source: sa.Engine, folder: Path, audit_before: int) -> float:
    """COPY the rows the import stored into a fresh schema; seconds for the COPY FROM only."""
    dumps: dict[str, Path] = {}
    with source.connect() as conn:
        raw: Any = conn.connection.dbapi_connection
        with raw.cursor() as cursor:
            for table in _tables_written():
                path = dumps[table] = folder / f"{table}.copy"
                query = table
                if table == "edms_audit":  # the import's events (seq is the target's own)
                    query = (
                        f"(SELECT entity_id, document FROM edms_audit WHERE seq > {audit_before})"
                    )
                with path.open("wb") as out, cursor.copy(f"COPY {query} TO STDOUT") as copy:
                    for chunk in copy:
                        out.write(chunk)
    target, _ = fresh_schema(url)
    installation(target)  # the same schema and set-up rows as the import's target
    with target.connect() as conn:
        raw = conn.connection.dbapi_connection
        start = time.perf_counter()
        with raw.cursor() as cursor:
            for table, path in dumps.items():
                columns = " (entity_id, document)" if table == "edms_audit" else ""
                statement = f"COPY {table}{columns} FROM STDIN"
                with path.open("rb") as data, cursor.copy(statement) as copy:
                    while chunk := data.read(1 << 20):
                        copy.write(chunk)
        raw.commit()
        elapsed = time.perf_counter() - start
    target.dispose()
    return elapsed


def sqlite_side_by_side(folder: Path, cards: int) -> None:
    """The import into a SQLite file against raw ``executemany`` of the rows it stored.

    The raw side reads every table the import wrote (the cards, their side tables, the FTS5
    index rows, counters, the import's audit rows) and inserts them into a fresh database with
    the same schema and set-up, in one transaction, with the driver's ``executemany``.
    """
    from edmscore.storage.sql import sqlite_engine

    source_path, target_path = folder / "import.sqlite", folder / "raw.sqlite"
    engine = sqlite_engine(source_path)
    edms = installation(engine)
    with engine.connect() as conn:
        audit_before = int(conn.exec_driver_sql("SELECT max(seq) FROM edms_audit").scalar() or 0)
    took_import = timed(lambda: edms.backups.import_registry(Principal("admin"), folder / "legacy"))
    engine.dispose()
    target = sqlite_engine(target_path)
    installation(target)
    target.dispose()
    import sqlite3

    tables = [*SQL_TABLES["cards"], "edms_cards_fts", "edms_counters", "edms_audit"]
    with sqlite3.connect(source_path) as read:
        rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
        for table in tables:
            where = f" WHERE seq > {audit_before}" if table == "edms_audit" else ""
            cursor = read.execute(f"SELECT * FROM {table}{where}")
            columns = [d[0] for d in cursor.description]
            if table == "edms_audit":
                columns = [c for c in columns if c != "seq"]
                cursor = read.execute(f"SELECT {', '.join(columns)} FROM {table}{where}")
            rows[table] = (columns, cursor.fetchall())
    raw = sqlite3.connect(target_path, isolation_level=None)
    raw.execute("DELETE FROM edms_counters")  # the import's counters replace the set-up's
    start = time.perf_counter()
    raw.execute("BEGIN IMMEDIATE")
    for table, (columns, values) in rows.items():
        marks = ", ".join("?" for _ in columns)
        raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
    raw.execute("COMMIT")
    took_raw = time.perf_counter() - start
    raw.close()
    print(
        f"SQLite import {cards:>9,} cards  {took_import:8.1f} s  ({cards / took_import:,.0f} "
        f"cards/s)   raw executemany {took_raw:8.1f} s   ratio {took_import / took_raw:.2f}x"
    )


def pg_dump_restore(url: str, schema: str, folder: Path) -> tuple[float, float]:
    """Seconds of ``pg_dump -Fc`` of the schema and of ``pg_restore`` into a new database."""
    parsed = sa.engine.make_url(url)
    env = {**os.environ, "PGPASSWORD": parsed.password or ""}
    common = ["-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432),
              "-U", parsed.username or "postgres"]  # fmt: skip
    dump = folder / "dump.pgc"
    took_dump = timed(
        lambda: subprocess.run(
            ["pg_dump", *common, "-Fc", "-n", schema, "-f", str(dump), parsed.database or ""],
            check=True,
            env=env,
        )
    )
    database = f"restored_{schema}"
    subprocess.run(["createdb", *common, database], check=True, env=env)
    # The trigram operator class lives in the dumped schema's pg_trgm extension, which a dump of
    # one schema leaves out: create both first and restore everything but the schema entry.
    setup = f"CREATE SCHEMA {schema}; CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA {schema};"
    subprocess.run(["psql", *common, "-q", "-d", database, "-c", setup], check=True, env=env)
    listing = subprocess.run(
        ["pg_restore", "-l", str(dump)], check=True, env=env, capture_output=True, text=True
    ).stdout
    kept = "\n".join(line for line in listing.splitlines() if " SCHEMA - " not in line)
    (folder / "toc.list").write_text(kept + "\n")
    took_restore = timed(
        lambda: subprocess.run(
            ["pg_restore", *common, "-L", str(folder / "toc.list"), "-d", database, str(dump)],
            check=True,
            env=env,
        )
    )
    subprocess.run(["dropdb", *common, database], check=True, env=env)
    return took_dump, took_restore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument(
        "--sqlite", action="store_true", help="also import into SQLite against executemany"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="edms-bench-backup-"))
    try:
        print(f"writing a legacy registry of {args.cards:,} cards …", flush=True)
        legacy_registry(folder / "legacy", args.cards)
        if args.sqlite:
            sqlite_side_by_side(folder, args.cards)
        with postgres_server() as url:
            engine, schema = fresh_schema(url)
            edms = installation(engine)
            with engine.connect() as conn:
                audit_before = int(
                    conn.exec_driver_sql("SELECT max(seq) FROM edms_audit").scalar() or 0
                )
            cpu_before = time.process_time()
            took_import = timed(
                lambda: edms.backups.import_registry(Principal("admin"), folder / "legacy")
            )
            cpu = time.process_time() - cpu_before
            took_copy = raw_copy(url, engine, folder, audit_before)
            # The import's Python work overlaps the server's: on a busy machine the two share
            # what CPU is free, so the Python CPU time says how much of the wall time is ours.
            print(
                f"import   {args.cards:>9,} cards  {took_import:8.1f} s  "
                f"({args.cards / took_import:,.0f} cards/s; Python CPU {cpu:.1f} s)"
            )
            print(
                f"raw COPY {args.cards:>9,} rows   {took_copy:8.1f} s  "
                f"ratio {took_import / took_copy:.2f}x (aim <= 1.5x)"
            )
            storage: Any = edms.storage
            took_backup = timed(
                lambda: write_bundle(storage, folder / "bundle", created_at="2026-03-02")
            )
            took_dump, took_pg_restore = pg_dump_restore(url, schema, folder)
            target, _ = fresh_schema(url)
            took_restore = timed(lambda: restore_bundles(SqlStorage(target), [folder / "bundle"]))
            size = sum(p.stat().st_size for p in (folder / "bundle").rglob("*") if p.is_file())
            dump_size = (folder / "dump.pgc").stat().st_size
            print(
                f"backup   {took_backup:8.1f} s ({size / 1e6:,.0f} MB)   pg_dump -Fc "
                f"{took_dump:8.1f} s ({dump_size / 1e6:,.0f} MB)   ratio "
                f"{took_backup / took_dump:.2f}x"
            )
            print(
                f"restore  {took_restore:8.1f} s   pg_restore {took_pg_restore:8.1f} s   "
                f"ratio {took_restore / took_pg_restore:.2f}x"
            )
            target.dispose()
            engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
