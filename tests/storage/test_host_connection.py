"""SqlStorage on a host's own connection: the library's work inside the host's transaction.

Every case runs on a SQLite database file and on a real PostgreSQL server; the contract suite
runs on a storage whose every unit of work is a savepoint in one open host transaction.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from edmscore.clock import FixedClock
from edmscore.errors import (
    NotFound,
    SchemaVersionError,
    StateError,
    StorageError,
    TransactionConflict,
    UnknownActor,
    ValidationError,
)
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import CardKind
from edmscore.storage.sql import (
    SCHEMA_VERSION,
    FileBlobStore,
    SqlStorage,
    migrate,
    schema_version,
    sqlite_engine,
)
from edmscore.storage.sql import _schema as schema
from edmscore.testing import World, make_details, make_world, store_world
from edmscore.testing.appeals_contract import AppealsContract
from edmscore.testing.approval_contract import ApprovalStorageContract
from edmscore.testing.contract import StorageContract
from edmscore.testing.control_contract import ControlStorageContract
from edmscore.testing.dispatch_contract import DispatchContract

from ._sql_cases import T0

_KEY = "k"
_HOST_LOG = sa.table("host_log", sa.column("note", sa.String))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    """An engine on an empty database: a SQLite file (WAL) or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        made = sqlite_engine(tmp_path / "host.sqlite", durable=False)
        yield made
        made.dispose()
        return
    factory: Callable[[], sa.Engine] = request.getfixturevalue("postgres_schema")
    yield factory()


@pytest.fixture
def host(engine: sa.Engine) -> Iterator[sa.Connection]:
    """The host's own connection (closed, rolling back whatever is open, after the test)."""
    conn = engine.connect()
    yield conn
    conn.close()


def _seen(engine: sa.Engine, statement: sa.Executable) -> object:
    """What another connection sees (only what is committed)."""
    with engine.connect() as other:
        return other.execute(statement).scalar()


def _counter(engine: sa.Engine, key: str = _KEY) -> object:
    c = schema.counters.c
    return _seen(engine, sa.select(c.value).where(c.key == key))


def _cards(engine: sa.Engine) -> object:
    return _seen(engine, sa.select(sa.func.count()).select_from(schema.cards))


def _setup(storage: SqlStorage) -> tuple[World, RecordsService, RegistrationRequest, str]:
    world = store_world(storage, make_world())
    details = make_details(CardKind.INCOMING, received_on=T0.date())
    request = RegistrationRequest(world.journal.id, details)
    return (
        world,
        RecordsService(storage, FixedClock(T0)),
        request,
        world.journal.counter_key(2026, {}),
    )


def test_without_a_host_transaction_each_unit_commits_its_own(
    engine: sa.Engine, host: sa.Connection
) -> None:
    storage = SqlStorage(host)
    assert storage.connection is host and storage.engine is engine
    assert not host.in_transaction()
    with storage.unit_of_work() as uow:
        assert uow.numbers.next(_KEY) == 1
        assert _counter(engine) is None
        uow.commit()
        assert _counter(engine) == 1
    assert not host.in_transaction() and not host.closed
    with storage.unit_of_work() as uow:
        assert uow.numbers.next(_KEY) == 2  # left without commit: rolled back
    assert not host.in_transaction() and not host.closed
    assert _counter(engine) == 1
    with storage.unit_of_work() as uow:
        assert uow.numbers.next(_KEY) == 2


def test_the_host_rollback_undoes_a_committed_registration_and_leaves_no_gap(
    engine: sa.Engine, host: sa.Connection
) -> None:
    storage = SqlStorage(host)
    world, records, request, key = _setup(storage)
    # SQLAlchemy's transaction is open, but SQLite's driver has not sent BEGIN yet: the unit's
    # savepoint must still land inside the host's transaction, not commit on its own.
    outer = host.begin()
    card = records.register(world.clerk, request)
    assert card.number == "вх-1"
    assert outer.is_active and host.in_transaction()  # the unit ended only its savepoint
    assert _cards(engine) == 0
    outer.rollback()
    with storage.unit_of_work() as uow:
        with pytest.raises(NotFound):
            uow.cards.get(card.id)
        assert uow.numbers.current(key) == 0
    again = records.register(world.clerk, request)
    assert again.number == "вх-1"
    assert _cards(engine) == 1


def test_the_host_commit_makes_the_work_durable_and_visible_to_others(
    engine: sa.Engine, host: sa.Connection
) -> None:
    storage = SqlStorage(host)
    outer = host.begin()
    world, records, request, key = _setup(storage)
    cards = [records.register(world.clerk, request) for _ in range(2)]
    assert _cards(engine) == 0 and _counter(engine, key) is None
    outer.commit()
    assert _cards(engine) == 2 and _counter(engine, key) == 2
    with SqlStorage(engine).unit_of_work() as uow:
        assert uow.cards.get(cards[1].id) == cards[1]
        assert uow.journals.get(world.journal.id) == world.journal


def test_a_journal_the_host_rolled_back_is_not_remembered(
    engine: sa.Engine, host: sa.Connection
) -> None:
    storage = SqlStorage(host)
    outer = host.begin()
    world, records, request, _ = _setup(storage)  # the journal's unit released its savepoint
    with storage.unit_of_work() as uow:
        assert uow.journals.get(world.journal.id) == world.journal
        uow.commit()
    outer.rollback()
    with storage.unit_of_work() as uow, pytest.raises(NotFound):
        uow.journals.get(world.journal.id)
    with pytest.raises(UnknownActor):  # the clerk was rolled back with the journal
        records.register(world.clerk, request)
    assert _cards(engine) == 0


def test_a_failing_unit_rolls_back_only_itself_and_the_host_transaction_stays_usable(
    engine: sa.Engine, host: sa.Connection
) -> None:
    with host.begin():
        host.execute(sa.text("CREATE TABLE host_log (note VARCHAR(50))"))
    storage = SqlStorage(host)
    world, records, request, key = _setup(storage)
    outer = host.begin()
    host.execute(sa.insert(_HOST_LOG).values(note="before"))
    first = records.register(world.clerk, request)

    def host_step_fails() -> None:
        with storage.unit_of_work() as uow:
            uow.numbers.next(key)
            raise RuntimeError("the host's step failed")

    with pytest.raises(RuntimeError):
        host_step_fails()
    # A driver error aborts a PostgreSQL transaction; rolling back to the savepoint revives it.
    with pytest.raises(StorageError), storage.unit_of_work() as uow:
        uow.execute(sa.text("SELECT * FROM edms_no_such_table"))
    with storage.unit_of_work() as uow, pytest.raises(StorageError):
        uow.execute(sa.text("SELECT * FROM edms_no_such_table"))
    details = make_details(CardKind.INCOMING, received_on=T0.date().add(days=1))
    with pytest.raises(
        ValidationError
    ):  # received after its registration: refused after allocating
        records.register(world.clerk, RegistrationRequest(world.journal.id, details))
    assert outer.is_active
    host.execute(sa.insert(_HOST_LOG).values(note="after"))
    second = records.register(world.clerk, request)
    assert (first.number, second.number) == ("вх-1", "вх-2")
    outer.commit()
    with engine.connect() as other:
        notes = other.execute(sa.select(_HOST_LOG.c.note)).scalars().all()
    assert sorted(notes) == ["after", "before"]
    assert _cards(engine) == 2 and _counter(engine, key) == 2


def test_a_second_unit_on_one_connection_in_the_same_thread_is_a_state_error(
    engine: sa.Engine, host: sa.Connection
) -> None:
    storage, other = SqlStorage(host), SqlStorage(host)
    with storage.unit_of_work() as uow:
        uow.numbers.next(_KEY)
        with pytest.raises(StateError, match="one at a time"), storage.unit_of_work():
            pass
        with pytest.raises(StateError, match="one at a time"), other.unit_of_work():
            pass
        with pytest.raises(StateError):  # referenced_blobs opens a unit of work too
            storage.referenced_blobs()
        uow.commit()
    with other.unit_of_work() as uow:
        assert uow.numbers.next(_KEY) == 2
        uow.commit()
    assert _counter(engine) == 2


def test_units_from_other_threads_wait_for_the_open_one(
    engine: sa.Engine, host: sa.Connection
) -> None:
    storage = SqlStorage(host)
    order: list[tuple[str, int]] = []

    def theirs() -> None:
        with storage.unit_of_work() as uow:
            order.append(("theirs", uow.numbers.next(_KEY)))
            uow.commit()

    thread = threading.Thread(target=theirs)
    with storage.unit_of_work() as uow:
        order.append(("mine", uow.numbers.next(_KEY)))
        thread.start()
        time.sleep(0.3)
        assert thread.is_alive() and len(order) == 1
        uow.commit()
    thread.join(timeout=30)
    assert order == [("mine", 1), ("theirs", 2)]
    assert _counter(engine) == 2


def test_the_schema_is_created_inside_the_host_transaction(
    engine: sa.Engine, host: sa.Connection
) -> None:
    outer = host.begin()
    storage = SqlStorage(host)
    assert storage.schema_version == SCHEMA_VERSION
    assert schema_version(host) == SCHEMA_VERSION
    assert schema_version(engine) is None  # nobody else sees it before the host commits
    with storage.unit_of_work() as uow:
        uow.numbers.next(_KEY)
        uow.commit()
    outer.rollback()
    assert schema_version(host) is None and schema_version(engine) is None
    with pytest.raises(SchemaVersionError, match="run migrate"):
        SqlStorage(host, create_schema=False)
    assert not host.in_transaction()
    with host.begin():
        assert migrate(host) == (None, SCHEMA_VERSION)
        assert migrate(host) == (SCHEMA_VERSION, SCHEMA_VERSION)
        assert schema_version(engine) is None
    assert schema_version(engine) == SCHEMA_VERSION
    assert SqlStorage(host, create_schema=False).schema_version == SCHEMA_VERSION
    assert not host.in_transaction()


def test_in_autocommit_mode_every_unit_is_a_transaction_of_its_own(
    engine: sa.Engine, host: sa.Connection
) -> None:
    host.execution_options(isolation_level="AUTOCOMMIT")
    storage = SqlStorage(host)
    nominal = host.begin()  # autocommit: SQLAlchemy's transaction holds nothing back
    with storage.unit_of_work() as uow:
        uow.numbers.next(_KEY)
        assert _counter(engine) is None  # a real transaction, not statement by statement
        uow.commit()
    assert _counter(engine) == 1
    with storage.unit_of_work() as uow:
        uow.numbers.next(_KEY)  # rolled back on leaving
    nominal.rollback()
    assert _counter(engine) == 1
    with storage.unit_of_work() as uow:
        assert uow.numbers.next(_KEY) == 2
        uow.commit()
    assert _counter(engine) == 2 and not host.in_transaction()


def test_blob_checks_read_inside_the_host_transaction(
    engine: sa.Engine, host: sa.Connection
) -> None:
    storage = SqlStorage(host)
    world, records, request, _ = _setup(storage)
    outer = host.begin()
    card = records.register(world.clerk, request)
    card = records.attach_file(world.clerk, card.id, 1, "скан.pdf", b"%PDF-1.7 host")
    digest = card.details.files[0].sha256
    assert storage.referenced_blobs() == {digest}
    report = storage.verify_blobs()
    assert report.ok and report.checked == 1
    blobs = sa.select(sa.func.count()).select_from(schema.blobs)
    assert _seen(engine, blobs) == 0
    outer.commit()
    assert _seen(engine, blobs) == 1


def test_file_blobs_are_published_at_the_unit_commit_and_outlive_a_host_rollback(
    engine: sa.Engine, host: sa.Connection, tmp_path: Path
) -> None:
    store = FileBlobStore(tmp_path / "blobs")
    storage = SqlStorage(host, blob_store=store)
    world, records, request, _ = _setup(storage)
    card = records.register(world.clerk, request)
    outer = host.begin()
    attached = records.attach_file(world.clerk, card.id, 1, "скан.pdf", b"%PDF-1.7 host")
    digest = attached.details.files[0].sha256
    assert store.contains(digest)  # published when the unit released its savepoint
    assert storage.referenced_blobs() == {digest}
    outer.rollback()
    assert storage.referenced_blobs() == set()
    assert set(store.stored()) - storage.referenced_blobs() == {digest}  # unreferenced
    report = storage.verify_blobs()
    assert report.ok and report.checked == 1  # an unreferenced file is not an error


def test_a_listener_on_the_host_connection_sees_every_statement(
    engine: sa.Engine, host: sa.Connection
) -> None:
    assert SqlStorage(host)._driver_path
    seen: list[str] = []

    def watch(*args: object) -> None:
        seen.append(str(args[2]))

    sa.event.listen(host, "before_cursor_execute", watch)
    storage = SqlStorage(host)
    assert not storage._driver_path
    world, records, request, _ = _setup(storage)
    seen.clear()
    with host.begin():
        records.register(world.clerk, request)
    joined = " | ".join(seen)
    for statement in ("SAVEPOINT", "INSERT INTO edms_counters", "INSERT INTO edms_cards"):
        assert statement in joined


def test_a_closed_host_connection_is_a_state_error(engine: sa.Engine) -> None:
    conn = engine.connect()
    storage = SqlStorage(conn)
    conn.close()
    with pytest.raises(StateError, match="closed"), storage.unit_of_work():
        pass
    with pytest.raises(StateError, match="closed"):
        SqlStorage(conn)
    with pytest.raises(StateError, match="closed"):  # the guard was released
        storage.referenced_blobs()


def test_sqlite_a_deferred_host_transaction_that_read_before_another_write_conflicts(
    tmp_path: Path,
) -> None:
    engine = sqlite_engine(tmp_path / "deferred.sqlite", busy_timeout=0.5, durable=False)
    host = engine.connect()
    storage = SqlStorage(host)
    outer = host.begin()
    host.exec_driver_sql("BEGIN")  # the host's own deferred transaction …
    host.execute(sa.select(sa.func.count()).select_from(schema.counters))  # … which reads
    with SqlStorage(engine).unit_of_work() as uow:  # another writer commits meanwhile
        uow.numbers.next("other")
        uow.commit()
    with pytest.raises(TransactionConflict), storage.unit_of_work() as uow:
        uow.numbers.next(_KEY)  # WAL cannot upgrade a stale read snapshot to a write
    assert outer.is_active
    outer.rollback()
    with storage.unit_of_work() as uow:  # a fresh transaction of its own works
        assert uow.numbers.next(_KEY) == 1
        uow.commit()
    host.close()
    engine.dispose()


class _InsideOneHostTransaction:
    """Contract suites on storages whose units are savepoints in one open host transaction.

    The concurrency cases run too: their threads take turns on the one connection.
    """

    new_engine: Callable[[], sa.Engine]
    connections: list[sa.Connection]

    def make_storage(self) -> SqlStorage:
        conn = self.new_engine().connect()
        self.connections.append(conn)
        conn.begin()
        storage = SqlStorage(conn)
        assert conn.in_transaction()
        return storage

    def _close(self) -> None:
        for conn in self.connections:
            assert conn.in_transaction()  # no unit ended the host's transaction
            conn.close()


class _OnSqlite(_InsideOneHostTransaction):
    @pytest.fixture(autouse=True)
    def _engines(self, tmp_path: Path) -> Iterator[None]:
        count = iter(range(1000))
        engines: list[sa.Engine] = []

        def new_engine() -> sa.Engine:
            engines.append(sqlite_engine(tmp_path / f"h{next(count)}.sqlite", durable=False))
            return engines[-1]

        self.new_engine, self.connections = new_engine, []
        yield
        self._close()
        for made in engines:
            made.dispose()


class _OnPostgres(_InsideOneHostTransaction):
    @pytest.fixture(autouse=True)
    def _engines(self, postgres_schema: Callable[[], sa.Engine]) -> Iterator[None]:
        self.new_engine, self.connections = postgres_schema, []
        yield
        self._close()


class TestSqliteInsideAHostTransaction(_OnSqlite, StorageContract):
    """The storage contract suite, each unit a savepoint in the host's SQLite transaction."""


class TestSqliteControlInsideAHostTransaction(_OnSqlite, ControlStorageContract):
    """Execution control's suite inside a host's SQLite transaction."""


class TestSqliteApprovalInsideAHostTransaction(_OnSqlite, ApprovalStorageContract):
    """Approval's suite inside a host's SQLite transaction."""


class TestSqliteAppealsInsideAHostTransaction(_OnSqlite, AppealsContract):
    """Citizens' appeals' suite inside a host's SQLite transaction."""


class TestSqliteDispatchesInsideAHostTransaction(_OnSqlite, DispatchContract):
    """Delivery records' suite inside a host's SQLite transaction."""


@pytest.mark.postgres
class TestPostgresInsideAHostTransaction(_OnPostgres, StorageContract):
    """The storage contract suite, each unit a savepoint in the host's PostgreSQL transaction."""


@pytest.mark.postgres
class TestPostgresControlInsideAHostTransaction(_OnPostgres, ControlStorageContract):
    """Execution control's suite inside a host's PostgreSQL transaction."""


@pytest.mark.postgres
class TestPostgresApprovalInsideAHostTransaction(_OnPostgres, ApprovalStorageContract):
    """Approval's suite inside a host's PostgreSQL transaction."""


@pytest.mark.postgres
class TestPostgresAppealsInsideAHostTransaction(_OnPostgres, AppealsContract):
    """Citizens' appeals' suite inside a host's PostgreSQL transaction."""


@pytest.mark.postgres
class TestPostgresDispatchesInsideAHostTransaction(_OnPostgres, DispatchContract):
    """Delivery records' suite inside a host's PostgreSQL transaction."""
