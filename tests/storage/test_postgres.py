"""The SQL adapter on a real PostgreSQL server passes the contract suite, plus its own tests."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable

import attrs
import pytest
import sqlalchemy as sa

from edmscore.clock import FixedClock
from edmscore.errors import (
    ConflictError,
    DuplicateNumber,
    EdmsError,
    StorageUnavailable,
    TransactionConflict,
)
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import CardKind
from edmscore.storage.sql import SqlStorage, postgres_engine, stem
from edmscore.storage.sql import _schema as schema
from edmscore.testing import make_card, make_details
from edmscore.testing.appeals_contract import AppealsContract
from edmscore.testing.approval_contract import ApprovalStorageContract
from edmscore.testing.archive_contract import ArchiveContract
from edmscore.testing.bulk_contract import BulkContract
from edmscore.testing.contract import StorageContract
from edmscore.testing.control_contract import ControlStorageContract
from edmscore.testing.dispatch_contract import DispatchContract
from edmscore.testing.transfer_contract import TransferContract

from ._sql_cases import T0, SqlAdapterCases

pytestmark = pytest.mark.postgres


class TestPostgresStorage(StorageContract, SqlAdapterCases):
    @pytest.fixture(autouse=True)
    def _engines(self, postgres_schema: Callable[[], sa.Engine]) -> None:
        self.new_engine = postgres_schema

    def make_storage(self) -> SqlStorage:
        return SqlStorage(self.new_engine())


class TestPostgresControlStorage(ControlStorageContract):
    """Resolutions and assignments (execution control) on PostgreSQL."""

    @pytest.fixture(autouse=True)
    def _engines(self, postgres_schema: Callable[[], sa.Engine]) -> None:
        self.new_engine = postgres_schema

    def make_storage(self) -> SqlStorage:
        return SqlStorage(self.new_engine())


class TestPostgresApprovalStorage(ApprovalStorageContract):
    """Drafts, route templates and substitutions (approval) on PostgreSQL."""

    @pytest.fixture(autouse=True)
    def _engines(self, postgres_schema: Callable[[], sa.Engine]) -> None:
        self.new_engine = postgres_schema

    def make_storage(self) -> SqlStorage:
        return SqlStorage(self.new_engine())


class TestPostgresAppeals(AppealsContract):
    """Citizens' appeals on PostgreSQL."""

    @pytest.fixture(autouse=True)
    def _engines(self, postgres_schema: Callable[[], sa.Engine]) -> None:
        self.new_engine = postgres_schema

    def make_storage(self) -> SqlStorage:
        return SqlStorage(self.new_engine())


class TestPostgresArchive(ArchiveContract):
    """Case files, inventories and destruction acts on PostgreSQL."""

    @pytest.fixture(autouse=True)
    def _engines(self, postgres_schema: Callable[[], sa.Engine]) -> None:
        self.new_engine = postgres_schema

    def make_storage(self) -> SqlStorage:
        return SqlStorage(self.new_engine())


class TestPostgresTransfers(TransferContract):
    """Acceptance acts on PostgreSQL."""

    @pytest.fixture(autouse=True)
    def _engines(self, postgres_schema: Callable[[], sa.Engine]) -> None:
        self.new_engine = postgres_schema

    def make_storage(self) -> SqlStorage:
        return SqlStorage(self.new_engine())


class TestPostgresDispatches(DispatchContract):
    """Delivery records of sent MEDO letters on PostgreSQL."""

    @pytest.fixture(autouse=True)
    def _engines(self, postgres_schema: Callable[[], sa.Engine]) -> None:
        self.new_engine = postgres_schema

    def make_storage(self) -> SqlStorage:
        return SqlStorage(self.new_engine())


def _register_many(url: str, schema_name: str, journal_id: str, clerk: object, count: int) -> None:
    engine = postgres_engine(url, connect_args={"options": f"-c search_path={schema_name}"})
    storage = SqlStorage(engine, create_schema=False)
    records = RecordsService(storage, FixedClock(T0))
    details = make_details(CardKind.INCOMING, received_on=T0.date())
    for _ in range(count):
        records.register(clerk, RegistrationRequest(journal_id, details))  # type: ignore[arg-type]
    engine.dispose()


@pytest.mark.slow
def test_eight_processes_registering_500_each_get_4000_gapless_numbers(
    postgres_url: str, postgres_schema: Callable[[], sa.Engine]
) -> None:
    engine = postgres_schema()
    storage = SqlStorage(engine)
    world = TestPostgresStorage()._registered_world(storage)
    with engine.connect() as conn:
        schema_name = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    engine.dispose()
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(
            target=_register_many,
            args=(postgres_url, schema_name, world.journal.id, world.clerk, 500),
        )
        for _ in range(8)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=600)
    assert [worker.exitcode for worker in workers] == [0] * 8
    with engine.connect() as conn:
        rows = conn.execute(sa.select(schema.cards.c.seq, schema.cards.c.number)).all()
    assert sorted(seq for seq, _ in rows) == list(range(1, 4001))
    assert len({number for _, number in rows}) == 4000


def _in_thread(work: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except EdmsError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_blocked_concurrent_update_gets_a_conflict_not_an_overwrite(
    postgres_schema: Callable[[], sa.Engine],
) -> None:
    storage = SqlStorage(postgres_schema())
    card = make_card("j1", "1")
    with storage.unit_of_work() as uow:
        uow.cards.add(card)
        uow.commit()
    mine = attrs.evolve(card, details=attrs.evolve(card.details, summary="Первая правка"))
    theirs = attrs.evolve(card, details=attrs.evolve(card.details, summary="Вторая правка"))

    def their_update() -> object:
        with storage.unit_of_work() as uow:
            stored = uow.cards.update(theirs, 1)
            uow.commit()
            return stored

    with storage.unit_of_work() as uow:
        uow.cards.update(mine, 1)
        thread, outcome = _in_thread(their_update)
        time.sleep(0.3)
        assert thread.is_alive()  # waiting for the row lock
        uow.commit()
    thread.join(timeout=30)
    assert isinstance(outcome[0], ConflictError)
    assert (outcome[0].expected, outcome[0].actual) == (1, 2)
    with storage.unit_of_work() as uow:
        assert uow.cards.get(card.id).details.summary == "Первая правка"


def test_the_same_number_taken_concurrently_is_a_duplicate(
    postgres_schema: Callable[[], sa.Engine],
) -> None:
    storage = SqlStorage(postgres_schema())
    first, second = make_card("j1", "7"), make_card("j1", "7")

    def add_second() -> object:
        with storage.unit_of_work() as uow:
            uow.cards.add(second)
            uow.commit()
        return None

    with storage.unit_of_work() as uow:
        uow.cards.add(first)
        thread, outcome = _in_thread(add_second)
        time.sleep(0.3)
        uow.commit()
    thread.join(timeout=30)
    assert isinstance(outcome[0], DuplicateNumber)


def test_a_serialization_failure_is_a_transaction_conflict(
    postgres_url: str, postgres_schema: Callable[[], sa.Engine]
) -> None:
    engine = postgres_schema()
    with engine.connect() as conn:
        schema_name = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    serializable = postgres_engine(
        postgres_url,
        isolation_level="SERIALIZABLE",
        connect_args={"options": f"-c search_path={schema_name}"},
    )
    storage = SqlStorage(serializable)
    with storage.unit_of_work() as uow:
        uow.numbers.next("k")
        uow.commit()

    def next_value() -> object:
        with storage.unit_of_work() as uow:
            value = uow.numbers.next("k")
            uow.commit()
            return value

    with storage.unit_of_work() as uow:
        assert uow.numbers.next("k") == 2
        thread, outcome = _in_thread(next_value)
        time.sleep(0.3)
        uow.commit()
    thread.join(timeout=30)
    serializable.dispose()
    assert isinstance(outcome[0], TransactionConflict)
    assert isinstance(outcome[0], ConflictError)


def test_an_unreachable_server_is_storage_unavailable(postgres_url: str) -> None:
    url = sa.make_url(postgres_url).set(port=1, host="127.0.0.1")
    engine = postgres_engine(url.render_as_string(hide_password=False))
    with pytest.raises(StorageUnavailable):
        SqlStorage(engine)


_TEXT = (
    "дорога дороги дорогах дорогой ремонте ремонтировать бюджете бюджетов информации "
    "предоставлении предоставить области областной министерство министерства финансов "
    "финансовый исполнение исполнения исполнителю письмо письма письмами обращение обращений "
    "гражданина граждан администрация администрации города городской района районного "
    "постановление постановлением распоряжение распоряжения приказ приказом утверждении "
    "утверждённый ёлка ёлками красивейший красивейшая длинную длиннее хорошенько бегавшись "
    "прочитавши улыбнулся стекло стеклянный мостах школами учреждений учреждению "
    "сообщаем просим направляем рассмотреть рассмотрение контроле контрольный срочно "
    "подписано подписавший зарегистрированный регистрация"
)
_WORDS = tuple(_TEXT.split())


def test_the_stemmer_agrees_with_postgresql_russian_stemmer(
    postgres_schema: Callable[[], sa.Engine],
) -> None:
    engine = postgres_schema()
    with engine.connect() as conn:
        theirs = {
            word: conn.execute(
                sa.text("SELECT (ts_lexize('russian_stem', :w))[1]"), {"w": word}
            ).scalar_one()
            for word in _WORDS
        }
    assert {word: stem(word) for word in _WORDS} == theirs


def _kill_backend(engine: sa.Engine, pid: int) -> None:
    with engine.connect() as other:
        other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    time.sleep(0.2)


def test_a_lost_connection_is_unavailable_and_never_hides_the_blocks_error(
    postgres_schema: Callable[[], sa.Engine],
) -> None:
    engine = postgres_schema()
    storage = SqlStorage(engine)

    def lose_then(fail: bool) -> None:
        with storage.unit_of_work() as uow:
            uow.numbers.next("k")
            _kill_backend(engine, uow.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())
            if fail:
                raise RuntimeError("the host's own step failed")
            uow.numbers.next("k")

    with pytest.raises(RuntimeError, match="own step"):
        lose_then(fail=True)
    with pytest.raises(StorageUnavailable):
        lose_then(fail=False)
    with storage.unit_of_work() as uow:  # the pool recovers
        assert uow.numbers.next("k") == 1


class TestPostgresBulk(BulkContract):
    """The bulk port (backup, restore, import; COPY for cards and audit) on PostgreSQL."""

    @pytest.fixture(autouse=True)
    def _engines(self, postgres_schema: Callable[[], sa.Engine]) -> None:
        self.new_engine = postgres_schema

    def make_storage(self) -> SqlStorage:
        return SqlStorage(self.new_engine())
