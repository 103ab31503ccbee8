"""``edmscore storage``: migrate, version and verify on a SQLite database."""

from __future__ import annotations

from pathlib import Path

import pytest

from edmscore.cli import main
from edmscore.clock import FixedClock
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import CardKind
from edmscore.storage.sql import SCHEMA_VERSION, FileBlobStore, SqlStorage, sqlite_engine
from edmscore.testing import make_details, make_world, store_world

from ._sql_cases import T0


def test_migrate_then_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = str(tmp_path / "edms.sqlite")
    assert main(["storage", "version", database]) == 0
    assert "no edmscore schema" in capsys.readouterr().out
    assert main(["storage", "migrate", database]) == 0
    assert f"no schema -> version {SCHEMA_VERSION}" in capsys.readouterr().out
    assert main(["storage", "migrate", database]) == 0
    assert f"version {SCHEMA_VERSION} -> version {SCHEMA_VERSION}" in capsys.readouterr().out
    assert main(["storage", "version", database]) == 0
    out = capsys.readouterr().out
    assert f"schema version {SCHEMA_VERSION}" in out
    assert "substring search (CardQuery.text): table scan" in out


def test_verify_reports_a_damaged_blob(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database, blobs = tmp_path / "edms.sqlite", FileBlobStore(tmp_path / "blobs")
    engine = sqlite_engine(database)
    storage = SqlStorage(engine, blob_store=blobs)
    world = store_world(storage, make_world())
    records = RecordsService(storage, FixedClock(T0))
    details = make_details(CardKind.INCOMING, received_on=T0.date())
    card = records.register(world.clerk, RegistrationRequest(world.journal.id, details))
    card = records.attach_file(world.clerk, card.id, 1, "a.txt", b"content")
    engine.dispose()
    arguments = ["storage", "verify", str(database), "--blobs", str(tmp_path / "blobs")]
    assert main(arguments) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "ok"
    blobs.path_of(card.details.files[0].sha256).write_bytes(b"damaged")
    assert main(arguments) == 1
    out = capsys.readouterr().out
    assert f"corrupt: {card.details.files[0].sha256}" in out


def test_a_database_of_another_kind_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["storage", "version", "mysql://host/db"]) == 2
    assert "not a SQLite file or a PostgreSQL URL" in capsys.readouterr().err
