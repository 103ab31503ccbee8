"""The SQL adapter on SQLite (a WAL database file) passes the contract suite, plus its own tests."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from edmscore.clock import FixedClock
from edmscore.errors import StateError, StorageUnavailable, TransactionConflict
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import CardKind
from edmscore.storage.sql import FileBlobStore, SqlStorage, sqlite_engine
from edmscore.testing import make_details, make_world, store_world
from edmscore.testing.appeals_contract import AppealsContract
from edmscore.testing.approval_contract import ApprovalStorageContract
from edmscore.testing.archive_contract import ArchiveContract
from edmscore.testing.bulk_contract import BulkContract
from edmscore.testing.contract import StorageContract
from edmscore.testing.control_contract import ControlStorageContract
from edmscore.testing.dispatch_contract import DispatchContract
from edmscore.testing.transfer_contract import TransferContract

from ._sql_cases import T0, SqlAdapterCases


class _OnSqliteFiles:
    """A fresh SQLite database file in the test's folder for each storage a contract asks for."""

    @pytest.fixture(autouse=True)
    def _folder(self, tmp_path: Path) -> None:
        self.folder = tmp_path
        self.count = 0

    def make_storage(self) -> SqlStorage:
        self.count += 1
        return SqlStorage(sqlite_engine(self.folder / f"db{self.count}.sqlite", durable=False))


class TestSqliteStorage(_OnSqliteFiles, StorageContract, SqlAdapterCases):
    """The storage contract and the SQL adapter's own cases on SQLite files."""


class TestSqliteWatchedByTheHost(StorageContract, SqlAdapterCases):
    """The same suites when the host listens to statements: all go through SQLAlchemy."""

    @pytest.fixture(autouse=True)
    def _folder(self, tmp_path: Path) -> None:
        self.folder = tmp_path
        self.count = 0
        self.seen: list[str] = []

    def make_storage(self) -> SqlStorage:
        self.count += 1
        engine = sqlite_engine(self.folder / f"edms{self.count}.sqlite", durable=False)

        def watch(*args: object) -> None:
            self.seen.append(str(args[2]))

        sa.event.listen(engine, "before_cursor_execute", watch)
        return SqlStorage(engine)

    def test_the_host_sees_every_statement_of_a_registration(self) -> None:
        storage = self.make_storage()
        world = store_world(storage, make_world())
        records = RecordsService(storage, FixedClock(T0))
        self.seen.clear()
        details = make_details(CardKind.INCOMING, received_on=T0.date())
        records.register(world.clerk, RegistrationRequest(world.journal.id, details))
        seen = " | ".join(self.seen)
        for statement in ("BEGIN IMMEDIATE", "INSERT INTO edms_counters", "INSERT INTO edms_cards"):
            assert statement in seen
        assert "INSERT INTO edms_audit" in seen and self.seen[-1] == "COMMIT"


class TestSqliteWithFileBlobs(StorageContract, SqlAdapterCases):
    """The same suites with file contents in a FileBlobStore instead of the database."""

    @pytest.fixture(autouse=True)
    def _folder(self, tmp_path: Path) -> None:
        self.folder = tmp_path
        self.count = 0

    def make_storage(self) -> SqlStorage:
        self.count += 1
        engine = sqlite_engine(self.folder / f"edms{self.count}.sqlite", durable=False)
        return SqlStorage(engine, blob_store=FileBlobStore(self.folder / f"blobs{self.count}"))


class TestSqliteControlStorage(_OnSqliteFiles, ControlStorageContract):
    """Resolutions and assignments (execution control) on SQLite."""


class TestSqliteApprovalStorage(_OnSqliteFiles, ApprovalStorageContract):
    """Drafts, route templates and substitutions (approval) on SQLite."""


class TestSqliteAppeals(_OnSqliteFiles, AppealsContract):
    """Citizens' appeals on SQLite."""


class TestSqliteDispatches(_OnSqliteFiles, DispatchContract):
    """Delivery records of sent MEDO letters on SQLite."""


class TestSqliteArchive(_OnSqliteFiles, ArchiveContract):
    """Case files, inventories and destruction acts on SQLite."""


class TestSqliteTransfers(_OnSqliteFiles, TransferContract):
    """Acceptance acts on SQLite."""


class TestSqliteInMemory(StorageContract):
    def make_storage(self) -> SqlStorage:
        return SqlStorage(sqlite_engine())


@pytest.mark.slow
def test_four_threads_registering_500_each_get_2000_gapless_numbers(tmp_path: Path) -> None:
    storage = SqlStorage(sqlite_engine(tmp_path / "edms.sqlite", durable=False))
    world = TestSqliteStorage()._registered_world(storage)
    records = RecordsService(storage, FixedClock(T0))
    details = make_details(CardKind.INCOMING, received_on=T0.date())
    numbers: list[list[int]] = [[] for _ in range(4)]
    errors: list[BaseException] = []

    def work(mine: list[int]) -> None:
        try:
            for _ in range(500):
                card = records.register(world.clerk, RegistrationRequest(world.journal.id, details))
                assert card.registration.seq is not None
                mine.append(card.registration.seq)
        except BaseException as exc:  # re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(mine,)) for mine in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    every = sorted(n for mine in numbers for n in mine)
    assert every == list(range(1, 2001))
    assert all(mine == sorted(mine) for mine in numbers)
    with storage.unit_of_work() as uow:
        assert uow.numbers.current(world.journal.counter_key(2026, {})) == 2000


def test_a_held_write_lock_is_a_transaction_conflict(tmp_path: Path) -> None:
    path = tmp_path / "edms.sqlite"
    storage = SqlStorage(sqlite_engine(path, busy_timeout=0.2))
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with storage.unit_of_work() as uow, pytest.raises(TransactionConflict):
            uow.numbers.next("k")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with storage.unit_of_work() as uow:
        assert uow.numbers.next("k") == 1


def test_an_unopenable_database_is_storage_unavailable(tmp_path: Path) -> None:
    with pytest.raises(StorageUnavailable):
        SqlStorage(sqlite_engine(tmp_path / "no" / "such" / "folder" / "edms.sqlite"))


def test_file_blobs_are_staged_until_commit_and_discarded_on_rollback(tmp_path: Path) -> None:
    blobs = FileBlobStore(tmp_path / "blobs")
    storage = SqlStorage(sqlite_engine(tmp_path / "edms.sqlite"), blob_store=blobs)
    with storage.unit_of_work() as uow:
        digest = uow.blobs.put(b"draft")
        assert uow.blobs.get(digest) == b"draft"
        assert not blobs.contains(digest)
        assert len(list((tmp_path / "blobs" / "tmp").iterdir())) == 1
    assert not blobs.contains(digest)
    assert list((tmp_path / "blobs" / "tmp").iterdir()) == []
    with storage.unit_of_work() as uow:
        digest = uow.blobs.put(b"final")
        uow.commit()
    assert blobs.path_of(digest).read_bytes() == b"final"
    assert list((tmp_path / "blobs" / "tmp").iterdir()) == []
    assert blobs.verify().checked == 1


def test_the_default_engine_is_durable_wal(tmp_path: Path) -> None:
    engine = sqlite_engine(tmp_path / "edms.sqlite")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    fast = sqlite_engine(tmp_path / "edms.sqlite", durable=False)
    with fast.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_the_unit_of_work_refuses_work_outside_its_block(tmp_path: Path) -> None:
    for blob_store in (None, FileBlobStore(tmp_path / "blobs")):
        storage = SqlStorage(sqlite_engine(tmp_path / "edms.sqlite"), blob_store=blob_store)
        uow = storage.unit_of_work()
        with pytest.raises(StateError):
            uow.numbers.next("k")
        with pytest.raises(StateError):
            uow.blobs.put(b"x")
        with uow, pytest.raises(StateError):
            uow.__enter__()


def test_a_unit_of_work_gives_the_pooled_connection_back_in_the_drivers_own_mode(
    tmp_path: Path,
) -> None:
    # A host sharing the engine keeps the driver's transactions: its rolled-back write is gone.
    engine = sqlite_engine(tmp_path / "shared.sqlite", durable=False)
    storage = SqlStorage(engine)
    world = store_world(storage, make_world())
    RecordsService(storage, FixedClock(T0)).register(
        world.clerk, RegistrationRequest(world.journal.id, make_details(kind=CardKind.INCOMING))
    )
    with engine.connect() as conn:
        assert conn.connection.dbapi_connection.isolation_level == ""  # type: ignore[union-attr]
        conn.exec_driver_sql("CREATE TABLE host_notes (note TEXT)")
        conn.commit()
        conn.exec_driver_sql("INSERT INTO host_notes VALUES ('draft')")
        conn.rollback()
        assert conn.exec_driver_sql("SELECT count(*) FROM host_notes").scalar() == 0


class TestSqliteBulk(_OnSqliteFiles, BulkContract):
    """The bulk port (backup, restore, import) on SQLite files."""


class TestSqliteBulkWatchedByTheHost(_OnSqliteFiles, BulkContract):
    """The bulk port when the host listens to statements (no driver shortcut)."""

    def make_storage(self) -> SqlStorage:
        storage = super().make_storage()
        sa.event.listen(storage.engine, "before_cursor_execute", lambda *args: None)
        return SqlStorage(storage.engine)
