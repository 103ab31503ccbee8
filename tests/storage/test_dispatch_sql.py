"""Delivery records on SQL: the schema step that adds their tables, and the indexes they read.

The migrated database is made as the release before made it: the schema installed, without the
``edms_dispatches`` / ``edms_dispatch_messages`` tables, its version the one the step starts
from. A card registered there survives the migration, and the new tables work afterwards. The
overdue listing and the message-uid lookup are served by indexes on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from edmscore.clock import FixedClock
from edmscore.errors import SchemaVersionError
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import CardKind
from edmscore.storage.sql import SCHEMA_VERSION, SqlStorage, migrate, schema_version, sqlite_engine
from edmscore.storage.sql import _migrate as migrations
from edmscore.storage.sql import _schema as schema
from edmscore.storage.sql._views import drop_views
from edmscore.testing import make_details, make_world, store_world
from edmscore.testing.dispatch_contract import make_dispatch

from ._sql_cases import T0

#: The schema version the dispatch step upgrades from (the lead may renumber the steps).
STEP = next(k for k, f in migrations.MIGRATIONS.items() if f is migrations._add_dispatches)
NEW_TABLES = ("edms_dispatch_messages", "edms_dispatches")


def _database_before_the_step(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> str:
    """Install the schema as of version ``STEP`` with one registered card; return the card id."""
    storage = SqlStorage(engine)
    world = store_world(storage, make_world())
    records = RecordsService(storage, FixedClock(T0))
    details = make_details(CardKind.INCOMING, received_on=T0.date())
    card = records.register(world.clerk, RegistrationRequest(world.journal.id, details))
    with engine.begin() as conn:
        drop_views(conn)  # version 6's analytics views read the tables dropped here
        for name in NEW_TABLES:
            conn.exec_driver_sql(f"DROP TABLE {name}")
        conn.execute(sa.update(schema.schema_version).values(version=STEP))
    # steps after this one are already in the installed schema
    for later in range(STEP + 1, SCHEMA_VERSION):
        monkeypatch.setitem(migrations.MIGRATIONS, later, lambda conn: None)
    return card.id


def _check_migration(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    card_id = _database_before_the_step(engine, monkeypatch)
    assert not any(sa.inspect(engine).has_table(name) for name in NEW_TABLES)
    with pytest.raises(SchemaVersionError, match="run edmscore"):
        SqlStorage(engine)
    assert migrate(engine) == (STEP, SCHEMA_VERSION)
    assert schema_version(engine) == SCHEMA_VERSION
    indexes = {i["name"] for i in sa.inspect(engine).get_indexes("edms_dispatches")}
    assert "edms_dispatches_state_ix" in indexes
    storage = SqlStorage(engine)
    record = make_dispatch(card_id=card_id)
    with storage.unit_of_work() as uow:
        assert uow.cards.get(card_id).id == card_id
        uow.dispatches.add(record)
        uow.commit()
    with storage.unit_of_work() as uow:
        assert uow.dispatches.by_message(record.last.message_uid) == record


def test_sqlite_database_of_the_previous_version_migrates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _check_migration(sqlite_engine(tmp_path / "old.sqlite", durable=False), monkeypatch)


@pytest.mark.postgres
def test_postgres_database_of_the_previous_version_migrates(
    postgres_schema: Callable[[], sa.Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    _check_migration(postgres_schema(), monkeypatch)


def _listing(engine: sa.Engine) -> str:
    d = schema.dispatches.c
    statement = (
        sa.select(d.document)
        .where(d.organisation_id == "org", d.state == "sent", d.since_us < 1)
        .order_by(d.since_us, d.id)
        .limit(10)
    )
    return str(statement.compile(engine, compile_kwargs={"literal_binds": True}))


@pytest.mark.postgres
def test_the_overdue_listing_and_the_uid_lookup_use_indexes_on_postgres(
    postgres_schema: Callable[[], sa.Engine],
) -> None:
    engine = postgres_schema()
    SqlStorage(engine)
    lookup = str(
        sa.select(schema.dispatch_messages.c.dispatch_id)
        .where(schema.dispatch_messages.c.message_uid == "x")
        .compile(engine, compile_kwargs={"literal_binds": True})
    )
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")  # empty tables: ask what is usable
        listing = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {_listing(engine)}"))
        by_uid = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {lookup}"))
    assert "edms_dispatches_state_ix" in listing and "Sort" not in listing
    assert "edms_dispatch_messages_pkey" in by_uid


def test_the_overdue_listing_reads_an_index_on_sqlite(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "plan.sqlite", durable=False)
    SqlStorage(engine)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {_listing(engine)}")
        plan = " ".join(str(row[-1]) for row in rows)
    assert "edms_dispatches_state_ix" in plan and "TEMP B-TREE" not in plan
    lookup = str(
        sa.select(schema.dispatch_messages.c.dispatch_id)
        .where(schema.dispatch_messages.c.message_uid == "x")
        .compile(engine, compile_kwargs={"literal_binds": True})
    )
    with engine.connect() as conn:
        plan = " ".join(
            str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {lookup}")
        )
    assert "USING" in plan and "INDEX" in plan
