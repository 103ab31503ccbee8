"""Tests every dialect of the SQL adapter runs, beyond the contract suite (a mixin)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import attrs
import pendulum
import pytest
import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edmscore.access import AccessScope
from edmscore.clock import FixedClock
from edmscore.errors import (
    ConflictError,
    EdmsError,
    IntegrityError,
    NotFound,
    SchemaVersionError,
    StorageError,
    ValidationError,
)
from edmscore.records import RecordsService, RegistrationRequest
from edmscore.registry import AccessMark, CardKind, CardLink, CardStatus, Correspondent, LinkType
from edmscore.registry import RegistrationCard as Card
from edmscore.storage import CardQuery
from edmscore.storage.sql import SCHEMA_VERSION, SqlStorage, migrate, schema_version
from edmscore.storage.sql import _migrate as migrations
from edmscore.storage.sql import _schema as schema
from edmscore.testing import World, make_card, make_details, make_world, store_world

T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Yakutsk")
_WORDS = ("дорог", "бюджет", "О ремонте", "ДОРОГАХ", "школ", "№ 5")


@st.composite
def _population(draw: st.DrawFn, org: str) -> tuple[list[Card], list[str]]:
    """Cards of one organisation with overlapping values, and the ids of its users."""
    users = [f"{org}-u{i}" for i in range(3)]
    cards: list[Card] = []
    for index in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from((CardKind.INCOMING, CardKind.OUTGOING)))
        at = T0.add(minutes=draw(st.integers(0, 3)))
        summary = " ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3)))
        details = make_details(
            kind,
            summary=summary,
            access=draw(st.sampled_from(AccessMark)),
            received_on=at.date(),
            access_list=frozenset(draw(st.lists(st.sampled_from(users), max_size=2))),
        )
        parties = tuple(
            Correspondent(draw(st.sampled_from(_WORDS)), organisation_id=party)
            for party in draw(st.lists(st.sampled_from(("p1", "p2")), min_size=1, max_size=2))
        )
        field = "correspondents" if kind is CardKind.INCOMING else "addressees"
        links = tuple(
            CardLink(target, next(iter(LinkType)))
            for target in draw(st.sets(st.sampled_from([c.id for c in cards] or ["x"])))
        )
        sides: dict[str, Any] = {field: parties}
        details = attrs.evolve(
            details,
            **sides,
            executor_id=draw(st.sampled_from((None, "e1", "e2"))),
            case_id=draw(st.sampled_from((None, "c1"))),
            links=links,
        )
        journal = draw(st.sampled_from((f"{org}-j1", f"{org}-j2")))
        card = make_card(journal, str(index + 1), organisation_id=org)
        cards.append(
            attrs.evolve(
                card,
                details=details,
                registered_at=at,
                registration=attrs.evolve(card.registration, date=at.date()),
                status=draw(st.sampled_from(CardStatus)),
            )
        )
    return cards, users


def _query(draw: Callable[[st.SearchStrategy[Any]], Any], org: str, cards: list[Card]) -> CardQuery:
    def maybe(strategy: st.SearchStrategy[Any]) -> Any:
        return draw(st.none() | strategy)

    return CardQuery(
        organisation_id=org,
        journal_ids=maybe(st.frozensets(st.sampled_from((f"{org}-j1", f"{org}-j2")))),
        kinds=maybe(st.frozensets(st.sampled_from(CardKind), min_size=1)),
        statuses=draw(st.frozensets(st.sampled_from(CardStatus), min_size=1)),
        registered_from=maybe(st.just(T0.date())),
        registered_to=maybe(st.just(T0.date().subtract(days=1))),
        number=maybe(st.sampled_from(("1", "2", "3"))),
        text=maybe(st.sampled_from(("дорог", "ДОРОГ", "о р", "№ 5", "Минфин", "вх"))),
        executor_id=maybe(st.sampled_from(("e1", "e2"))),
        case_id=maybe(st.just("c1")),
        correspondent_organisation_id=maybe(st.sampled_from(("p1", "p2"))),
        access=maybe(st.sampled_from(AccessMark)),
        linked_to=maybe(st.sampled_from([c.id for c in cards])),
        limit=draw(st.integers(1, 5)),
    )


class SqlAdapterCases:
    """Mixed into a ``StorageContract`` subclass whose ``make_storage`` returns a SqlStorage."""

    def make_storage(self) -> SqlStorage:
        raise NotImplementedError

    def _registered_world(self, storage: SqlStorage) -> World:
        return store_world(storage, make_world())

    # --- numbers -------------------------------------------------------------------------------

    def test_registrations_failing_after_allocation_leave_no_gap(self) -> None:
        storage = self.make_storage()
        world = self._registered_world(storage)
        records = RecordsService(storage, FixedClock(T0))
        details = make_details(CardKind.INCOMING, received_on=T0.date())
        first = records.register(world.clerk, RegistrationRequest(world.journal.id, details))
        # The id is taken: the number is allocated, then the card is refused, all rolled back.
        with pytest.raises(ConflictError):
            records.register(
                world.clerk, RegistrationRequest(world.journal.id, details, card_id=first.id)
            )

        # The card is invalid (received after its registration date): refused after allocating.
        later = attrs.evolve(details, received_on=T0.date().add(days=1))
        with pytest.raises(ValidationError):
            records.register(world.clerk, RegistrationRequest(world.journal.id, later))

        # A host's own work fails after allocating in the same unit of work.
        def host_step_fails() -> None:
            with storage.unit_of_work() as uow:
                uow.numbers.next(world.journal.counter_key(2026, {}))
                raise RuntimeError("the host's step failed")

        with pytest.raises(RuntimeError):
            host_step_fails()
        second = records.register(world.clerk, RegistrationRequest(world.journal.id, details))
        assert (first.number, second.number) == ("вх-1", "вх-2")

    def test_only_committed_journals_are_remembered(self) -> None:
        storage = self.make_storage()
        world = make_world()
        with storage.unit_of_work() as uow:
            uow.journals.add(world.journal)
            assert uow.journals.get(world.journal.id) == world.journal
            # rolled back on leaving the block
        with storage.unit_of_work() as uow, pytest.raises(NotFound):
            uow.journals.get(world.journal.id)
        with storage.unit_of_work() as uow:
            uow.journals.add(world.journal)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.journals.get(world.journal.id) == world.journal
            with pytest.raises(ConflictError):
                uow.journals.add(world.journal)  # remembered, still refused a second time
        # Another storage on the same database reads it from the database.
        other = SqlStorage(storage.engine)
        with other.unit_of_work() as uow:
            assert uow.journals.get(world.journal.id) == world.journal

    def test_the_hot_statements_give_what_the_general_path_gives(self) -> None:
        storage = self.make_storage()
        world = self._registered_world(storage)
        records = RecordsService(storage, FixedClock(T0))
        details = make_details(CardKind.INCOMING, received_on=T0.date())
        cards = [
            records.register(world.clerk, RegistrationRequest(world.journal.id, details))
            for _ in range(3)
        ]
        c = schema.cards.c
        with storage.unit_of_work() as uow:
            assert uow.cards.number_holder(world.journal.id, 2026, "вх-2") == cards[1].id
            assert uow.cards.number_holder(world.journal.id, 2026, "вх-9") is None
            rows = uow.execute(sa.select(c.reg_date, c.on_control, c.seq).order_by(c.seq)).all()
            assert [tuple(r) for r in rows] == [(T0.date(), False, n) for n in (1, 2, 3)]
            assert uow.numbers.current(world.journal.counter_key(2026, {})) == 3
            assert [uow.cards.get(card.id) for card in cards] == cards

    def test_concurrent_updates_of_one_card_let_exactly_one_win(self) -> None:
        storage = self.make_storage()
        world = self._registered_world(storage)
        records = RecordsService(storage, FixedClock(T0))
        details = make_details(CardKind.INCOMING, received_on=T0.date())
        card = records.register(world.clerk, RegistrationRequest(world.journal.id, details))
        outcomes: list[object] = []
        start = threading.Barrier(4)

        def edit(index: int) -> None:
            start.wait()
            try:
                stored = records.update(world.clerk, card.id, 1, {"summary": f"Правка {index}"})
                outcomes.append(stored)
            except EdmsError as exc:
                outcomes.append(exc)

        threads = [threading.Thread(target=edit, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        winners = [o for o in outcomes if isinstance(o, Card)]
        assert len(winners) == 1
        assert all(isinstance(o, ConflictError) for o in outcomes if o not in winners)
        stored = records.get(world.clerk, card.id)
        assert stored == winners[0]
        assert stored.version == 2

    # --- schema --------------------------------------------------------------------------------

    def test_the_schema_version_is_recorded_and_newer_or_unknown_ones_refused(self) -> None:
        storage = self.make_storage()
        engine = storage.engine
        assert schema_version(engine) == SCHEMA_VERSION
        assert migrate(engine) == (SCHEMA_VERSION, SCHEMA_VERSION)
        with engine.begin() as conn:
            conn.execute(sa.update(schema.schema_version).values(version=SCHEMA_VERSION + 1))
        with pytest.raises(SchemaVersionError, match="upgrade edmscore"):
            SqlStorage(engine)
        with pytest.raises(SchemaVersionError):
            migrate(engine)
        with engine.begin() as conn:
            conn.execute(sa.delete(schema.schema_version))
        with pytest.raises(SchemaVersionError, match="no edmscore version"):
            SqlStorage(engine)
        with engine.begin() as conn:
            schema.schema_version.drop(conn)
        with pytest.raises(SchemaVersionError, match="unknown schema"):
            SqlStorage(engine)

    def test_an_older_schema_is_refused_until_migrated(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        storage = self.make_storage()
        engine = storage.engine
        steps: list[int] = []

        def add_a_column(conn: sa.Connection) -> None:
            steps.append(1)
            conn.exec_driver_sql("ALTER TABLE edms_journals ADD COLUMN archived INTEGER")

        monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
        monkeypatch.setitem(migrations.MIGRATIONS, SCHEMA_VERSION, add_a_column)
        with pytest.raises(SchemaVersionError, match=r"run edmscore\.storage\.sql\.migrate"):
            SqlStorage(engine)
        assert migrate(engine) == (SCHEMA_VERSION, SCHEMA_VERSION + 1)
        assert steps == [1]
        assert SqlStorage(engine).schema_version == SCHEMA_VERSION + 1
        columns = {c["name"] for c in sa.inspect(engine).get_columns("edms_journals")}
        assert "archived" in columns

    # --- audit, errors -------------------------------------------------------------------------

    def test_the_audit_table_refuses_updates_and_deletes(self) -> None:
        storage = self.make_storage()
        world = self._registered_world(storage)
        records = RecordsService(storage, FixedClock(T0))
        details = make_details(CardKind.INCOMING, received_on=T0.date())
        card = records.register(world.clerk, RegistrationRequest(world.journal.id, details))
        for statement in (
            sa.update(schema.audit).values(entity_id="forged"),
            sa.delete(schema.audit),
        ):
            with pytest.raises(sa_exc.DBAPIError, match="append-only"), storage.engine.begin() as c:
                c.execute(statement)
        assert [e.action for e in records.history(world.clerk, card.id)] == ["card.registered"]
        with storage.unit_of_work() as uow:
            assert not any(hasattr(uow.audit, name) for name in ("update", "delete", "remove"))

    def test_driver_errors_come_out_as_edmscore_errors(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow, pytest.raises(StorageError) as info:
            uow.execute(sa.text("SELECT * FROM edms_no_such_table"))
        assert not isinstance(info.value, sa_exc.SQLAlchemyError)

    # --- blobs ---------------------------------------------------------------------------------

    def test_a_shared_blob_outlives_the_deletion_of_one_card(self) -> None:
        storage = self.make_storage()
        world = self._registered_world(storage)
        records = RecordsService(storage, FixedClock(T0))
        details = make_details(CardKind.INCOMING, received_on=T0.date())
        first, second = (
            records.register(world.clerk, RegistrationRequest(world.journal.id, details))
            for _ in range(2)
        )
        for card in (first, second):
            records.attach_file(world.clerk, card.id, 1, "скан.pdf", b"%PDF-1.7 same content")
        records.delete(world.clerk, first.id, 2, "ошибочная регистрация")
        assert records.read_file(world.clerk, second.id, "скан.pdf") == b"%PDF-1.7 same content"
        report = storage.verify_blobs()
        assert report.ok and report.checked == 1

    def test_tampered_and_missing_blobs_are_reported(self) -> None:
        storage = self.make_storage()
        world = self._registered_world(storage)
        records = RecordsService(storage, FixedClock(T0))
        details = make_details(CardKind.INCOMING, received_on=T0.date())
        card = records.register(world.clerk, RegistrationRequest(world.journal.id, details))
        card = records.attach_file(world.clerk, card.id, 1, "a.txt", b"original")
        card = records.attach_file(world.clerk, card.id, 2, "b.txt", b"second")
        digest_a, digest_b = (f.sha256 for f in card.details.files)
        self._tamper(storage, digest_a, b"tampered")
        self._remove(storage, digest_b)
        with storage.unit_of_work() as uow, pytest.raises(IntegrityError):
            uow.blobs.get(digest_a)
        report = storage.verify_blobs()
        assert report.corrupt == (digest_a,)
        assert report.missing == (digest_b,)
        assert not report.ok

    def _tamper(self, storage: SqlStorage, digest: str, content: bytes) -> None:
        if storage.blob_store is not None:
            storage.blob_store.path_of(digest).write_bytes(content)
            return
        with storage.engine.begin() as conn:
            conn.execute(
                sa.update(schema.blobs)
                .where(schema.blobs.c.sha256 == digest)
                .values(content=content)
            )

    def _remove(self, storage: SqlStorage, digest: str) -> None:
        if storage.blob_store is not None:
            storage.blob_store.path_of(digest).unlink()
            return
        with storage.engine.begin() as conn:
            conn.execute(sa.delete(schema.blobs).where(schema.blobs.c.sha256 == digest))

    # --- queries -------------------------------------------------------------------------------

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(st.data())
    def test_every_query_returns_exactly_the_permitted_matching_cards(
        self, data: st.DataObject
    ) -> None:
        storage = self._shared_storage()
        org = uuid.uuid4().hex
        cards, users = data.draw(_population(org))
        with storage.unit_of_work() as uow:
            for card in cards:
                uow.cards.add(card)
            uow.commit()
        scope = AccessScope(data.draw(st.sampled_from(users)), data.draw(st.booleans()))
        query = _query(data.draw, org, cards)
        seen: list[str] = []
        with storage.unit_of_work() as uow:
            while True:
                page = uow.cards.query(query, scope)
                assert len(page.items) <= query.limit
                seen.extend(card.id for card in page.items)
                if page.next_cursor is None:
                    break
                query = attrs.evolve(query, after=page.next_cursor)
        reference = attrs.evolve(query, after=None)
        expected = [
            c.id
            for c in sorted(cards, key=lambda c: (c.registered_at, c.id))
            if reference.matches(c) and scope.permits(c)
        ]
        assert seen == expected

    def _shared_storage(self) -> SqlStorage:
        storage: SqlStorage | None = getattr(self, "_shared", None)
        if storage is None:
            storage = self.make_storage()
            self._shared = storage
        return storage

    def test_full_text_search_finds_inflected_forms(self) -> None:
        storage = self.make_storage()
        road = make_card("j1", "1", summary="О ремонте дорог")
        roads = make_card("j1", "2", summary="О ДОРОГАХ области и мостах")
        budget = make_card("j1", "3", summary="О бюджете на 2026 год")
        secret = make_card("j1", "4", summary="О дороге", access=AccessMark.DSP)
        with storage.unit_of_work() as uow:
            for card in (road, roads, budget, secret):
                uow.cards.add(card)
            uow.commit()
        scope = AccessScope("u", dsp_cleared=False)
        with storage.unit_of_work() as uow:

            def found(words: str, **filters: Any) -> set[str]:
                page = uow.cards.search(words, CardQuery(**filters), scope)
                return {card.id for card in page.items}

            assert found("дорога") == {road.id, roads.id}
            assert found("Дороги ремонт") == {road.id}
            assert found("мост") == {roads.id}
            assert found("бюджетов") == {budget.id}
            assert found("министерство финансов") == {road.id, roads.id, budget.id}
            assert found("дорога", number="2") == {roads.id}
            assert found("школа") == set()
            cleared = AccessScope("boss", dsp_cleared=True)
            assert {c.id for c in uow.cards.search("дорога", CardQuery(), cleared).items} == {
                road.id,
                roads.id,
                secret.id,
            }
            with pytest.raises(ValueError, match="words"):
                uow.cards.search(" ,. ", CardQuery(), scope)
