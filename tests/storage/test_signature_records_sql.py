"""The SQL side of signature records: schema version 5 migrates from 4 on both dialects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pendulum
import pytest
import sqlalchemy as sa

from edmscore.errors import ConflictError, NotFound, SchemaVersionError
from edmscore.records import EvidenceNote, SignatureOrigin, SignatureRecord
from edmscore.storage.sql import SCHEMA_VERSION, SqlStorage, migrate, schema_version, sqlite_engine
from edmscore.storage.sql import _migrate as migrations
from edmscore.storage.sql import _schema as schema
from edmscore.testing import make_card

STEP = next(k for k, f in migrations.MIGRATIONS.items() if f is migrations._add_signature_records)
AT = pendulum.datetime(2026, 3, 2, 9, 0, tz="UTC")


def _record(card_id: str, record_id: str, minutes: int) -> SignatureRecord:
    return SignatureRecord(
        id=record_id,
        card_id=card_id,
        organisation_id="org",
        origin=SignatureOrigin.MEDO,
        signer="Иванов Иван Иванович",
        certificate_serial="1A2B",
        certificate_issuer="CN=Тестовый УЦ",
        certificate_sha256="ab" * 32,
        certificate_not_before=AT.subtract(years=1),
        certificate_not_after=AT.add(years=1),
        verdict="valid",
        checked_at=AT.add(minutes=minutes),
        signing_time=AT.subtract(days=1),
        signing_time_source="timestamp",
        level="CAdES-X Long Type 1",
        proof="the signature timestamp of «CN=TSA» proves …",
        evidence=(EvidenceNote("signature_timestamp", "valid", AT.subtract(days=1), "CN=TSA"),),
    )


def _check_migration(engine: sa.Engine) -> None:
    storage = SqlStorage(engine)
    card = make_card("j", "1")
    with storage.unit_of_work() as uow:
        uow.cards.add(card)
        uow.commit()
    with engine.begin() as conn:
        schema.signature_records.drop(conn)
        conn.execute(sa.update(schema.schema_version).values(version=STEP))
    with pytest.raises(SchemaVersionError):
        SqlStorage(engine)
    assert migrate(engine) == (STEP, SCHEMA_VERSION)
    assert schema_version(engine) == SCHEMA_VERSION
    storage = SqlStorage(engine)
    with storage.unit_of_work() as uow:
        assert uow.signature_records.for_card(card.id) == []
        uow.signature_records.add(_record(card.id, "r2", 5))
        uow.signature_records.add(_record(card.id, "r1", 1))
        uow.commit()
    with storage.unit_of_work() as uow:
        assert [r.id for r in uow.signature_records.for_card(card.id)] == ["r1", "r2"]
        assert uow.signature_records.get("r1") == _record(card.id, "r1", 1)
        with pytest.raises(ConflictError):
            uow.signature_records.add(_record(card.id, "r1", 1))
        with pytest.raises(NotFound):
            uow.signature_records.get("missing")


def test_a_sqlite_database_of_version_4_migrates(tmp_path: Path) -> None:
    _check_migration(sqlite_engine(tmp_path / "old.sqlite", durable=False))


@pytest.mark.postgres
def test_a_postgres_database_of_version_4_migrates(
    postgres_schema: Callable[[], sa.Engine],
) -> None:
    _check_migration(postgres_schema())
