"""The SQL side of access: schema version 4 (cards shared with organisations) migrates from 3 on
both dialects, and the access condition reads the cards' indexes on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa

from edmscore.access import AccessScope
from edmscore.errors import SchemaVersionError
from edmscore.storage import CardQuery
from edmscore.storage.sql import SCHEMA_VERSION, SqlStorage, migrate, schema_version, sqlite_engine
from edmscore.storage.sql import _migrate as migrations
from edmscore.storage.sql import _schema as schema
from edmscore.testing import make_card

STEP = next(k for k, f in migrations.MIGRATIONS.items() if f is migrations._add_card_shares)


def _check_migration(engine: sa.Engine) -> None:
    storage = SqlStorage(engine)
    theirs = make_card("j", "1", organisation_id="b")
    with storage.unit_of_work() as uow:
        uow.cards.add(theirs)
        uow.commit()
    with engine.begin() as conn:
        schema.card_shares.drop(conn)
        conn.execute(sa.update(schema.schema_version).values(version=STEP))
    with pytest.raises(SchemaVersionError):
        SqlStorage(engine)
    assert migrate(engine) == (STEP, SCHEMA_VERSION)
    assert schema_version(engine) == SCHEMA_VERSION
    storage = SqlStorage(engine)
    scope = AccessScope("u", False, organisation_id="a")
    with storage.unit_of_work() as uow:
        assert uow.cards.query(CardQuery(), scope).items == ()
        shared = attrs.evolve(
            theirs, details=attrs.evolve(theirs.details, shared_with=frozenset({"a"}))
        )
        uow.cards.update(shared, 1)
        uow.commit()
    with storage.unit_of_work() as uow:
        assert [c.id for c in uow.cards.query(CardQuery(), scope).items] == [theirs.id]


def test_a_sqlite_database_of_version_3_migrates(tmp_path: Path) -> None:
    _check_migration(sqlite_engine(tmp_path / "old.sqlite", durable=False))


@pytest.mark.postgres
def test_a_postgres_database_of_version_3_migrates(
    postgres_schema: Callable[[], sa.Engine],
) -> None:
    _check_migration(postgres_schema())
