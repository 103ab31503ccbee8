"""The storage contract: one suite every adapter must pass, shipped for hosts' own adapters.

Subclass :class:`StorageContract` in a pytest module, name the subclass ``Test…`` and implement
the one factory hook::

    from edmscore.testing.contract import StorageContract

    class TestMyStorage(StorageContract):
        def make_storage(self):
            return MyStorage(dsn=...)      # a fresh, empty storage for each test

Every test builds what it needs through the storage's own units of work. Needs the ``testing``
extra (pytest).
"""

from __future__ import annotations

from edmscore.errors import MissingDependency

try:  # the testing extra
    import pytest
except ModuleNotFoundError as exc:
    raise MissingDependency(exc.name or "hypothesis", "testing") from exc

import threading
from typing import Any

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import AccessScope
from edmscore.audit import AuditEvent
from edmscore.clock import FixedClock
from edmscore.directory import Clearance, User
from edmscore.errors import (
    ConflictError,
    DuplicateNumber,
    NotFound,
)
from edmscore.records import AdminService, RecordsService, RegistrationRequest
from edmscore.records.ports import CardQuery, Storage
from edmscore.registry import AccessMark, CardKind, CardStatus, Journal, RegistrationCard
from edmscore.testing._builders import (
    World,
    make_card,
    make_details,
    make_nomenclature,
    make_world,
    store_world,
)

__all__ = ["StorageContract"]

_T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Yakutsk")


class StorageContract:
    """The adapter contract; subclasses implement :meth:`make_storage`."""

    def make_storage(self) -> Storage:
        """Return a fresh, empty storage (the one hook a host implements)."""
        raise NotImplementedError

    # --- helpers -------------------------------------------------------------------------------

    def _stored_world(self, storage: Storage) -> World:
        return store_world(storage, make_world())

    # --- cards ---------------------------------------------------------------------------------

    def test_card_add_then_get_returns_an_equal_card(self) -> None:
        storage = self.make_storage()
        card = make_card("j1", "1")
        with storage.unit_of_work() as uow:
            uow.cards.add(card)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.cards.get(card.id) == card

    def test_get_of_a_missing_card_raises_not_found(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow, pytest.raises(NotFound):
            uow.cards.get("no-such-card")

    def test_adding_an_existing_id_is_a_conflict(self) -> None:
        storage = self.make_storage()
        card = make_card("j1", "1")
        with storage.unit_of_work() as uow:
            uow.cards.add(card)
            uow.commit()
        with storage.unit_of_work() as uow, pytest.raises(ConflictError):
            uow.cards.add(
                attrs.evolve(card, registration=attrs.evolve(card.registration, number="2"))
            )

    def test_update_bumps_the_version_and_a_stale_update_is_refused(self) -> None:
        storage = self.make_storage()
        card = make_card("j1", "1")
        with storage.unit_of_work() as uow:
            uow.cards.add(card)
            uow.commit()
        changed = attrs.evolve(card, details=attrs.evolve(card.details, summary="Новое"))
        with storage.unit_of_work() as uow:
            stored = uow.cards.update(changed, expected_version=1)
            uow.commit()
        assert stored.version == 2
        with storage.unit_of_work() as uow:
            assert uow.cards.get(card.id).details.summary == "Новое"
            with pytest.raises(ConflictError) as info:
                uow.cards.update(changed, expected_version=1)
        assert info.value.expected == 1
        assert info.value.actual == 2

    def test_a_number_is_unique_within_journal_and_period(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow:
            uow.cards.add(make_card("j1", "7"))
            uow.cards.add(make_card("j2", "7"))  # another journal: allowed
            uow.cards.add(make_card("j1", "7", period=2027))  # another period: allowed
            uow.commit()
        with storage.unit_of_work() as uow, pytest.raises(DuplicateNumber):
            uow.cards.add(make_card("j1", "7"))
        with storage.unit_of_work() as uow:
            assert uow.cards.number_holder("j1", 2026, "7") is not None
            assert uow.cards.number_holder("j1", 2026, "8") is None

    def test_the_unit_stays_usable_after_a_duplicate_number(self) -> None:
        storage = self.make_storage()
        holder = make_card("j1", "7")
        with storage.unit_of_work() as uow:
            uow.cards.add(holder)
            uow.commit()
        refused, taken = make_card("j1", "7"), make_card("j1", "8")
        with storage.unit_of_work() as uow:
            with pytest.raises(DuplicateNumber):
                uow.cards.add(refused)
            uow.cards.add(taken)  # the same unit of work goes on
            uow.commit()
        with storage.unit_of_work() as uow:
            with pytest.raises(NotFound):
                uow.cards.get(refused.id)
            assert uow.cards.number_holder("j1", 2026, "7") == holder.id
            assert uow.cards.get(taken.id) == taken

    def test_changing_a_number_frees_the_old_one_and_claims_the_new(self) -> None:
        storage = self.make_storage()
        first, second = make_card("j1", "1"), make_card("j1", "2")
        with storage.unit_of_work() as uow:
            uow.cards.add(first)
            uow.cards.add(second)
            uow.commit()
        renumbered = attrs.evolve(first, registration=attrs.evolve(first.registration, number="3"))
        with storage.unit_of_work() as uow:
            uow.cards.update(renumbered, 1)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.cards.number_holder("j1", 2026, "1") is None
            assert uow.cards.number_holder("j1", 2026, "3") == first.id
            clash = attrs.evolve(second, registration=attrs.evolve(second.registration, number="3"))
            with pytest.raises(DuplicateNumber):
                uow.cards.update(clash, 1)

    # --- units of work -------------------------------------------------------------------------

    def test_leaving_without_commit_rolls_back_everything(self) -> None:
        storage = self.make_storage()
        world = make_world()
        card = make_card("j1", "1")
        with storage.unit_of_work() as uow:
            uow.directory.put_organisation(world.organisation)
            uow.journals.add(world.journal)
            uow.cards.add(card)
            assert uow.numbers.next("k") == 1
            uow.audit.append(_event(card.id))
            digest = uow.blobs.put(b"content")
        with storage.unit_of_work() as uow:
            with pytest.raises(NotFound):
                uow.cards.get(card.id)
            with pytest.raises(NotFound):
                uow.journals.get(world.journal.id)
            with pytest.raises(NotFound):
                uow.directory.organisation(world.organisation.id)
            assert uow.numbers.current("k") == 0
            assert list(uow.audit.events()) == []
            assert not uow.blobs.exists(digest)
            assert uow.cards.number_holder("j1", 2026, "1") is None

    def test_an_exception_inside_the_block_rolls_back(self) -> None:
        storage = self.make_storage()
        card = make_card("j1", "1")

        def fail_midway() -> None:
            with storage.unit_of_work() as uow:
                uow.cards.add(card)
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            fail_midway()
        with storage.unit_of_work() as uow, pytest.raises(NotFound):
            uow.cards.get(card.id)

    def test_counters_are_gapless_across_rollbacks(self) -> None:
        storage = self.make_storage()
        seen = []
        for attempt in range(6):
            with storage.unit_of_work() as uow:
                value = uow.numbers.next("journal|2026")
                if attempt % 2 == 0:
                    seen.append(value)
                    uow.commit()
        assert seen == [1, 2, 3]
        with storage.unit_of_work() as uow:
            assert uow.numbers.current("journal|2026") == 3
            assert uow.numbers.next("other") == 1

    # --- queries and access --------------------------------------------------------------------

    def test_keyset_pages_cover_every_match_once_in_order(self) -> None:
        storage = self.make_storage()
        cards = [
            make_card("j1", str(i), registered_at=_T0.add(minutes=i % 7, seconds=i))
            for i in range(1, 24)
        ]
        with storage.unit_of_work() as uow:
            for card in cards:
                uow.cards.add(card)
            uow.commit()
        scope = AccessScope("u", dsp_cleared=True)
        seen: list[str] = []
        query = CardQuery(limit=5)
        with storage.unit_of_work() as uow:
            while True:
                page = uow.cards.query(query, scope)
                seen.extend(card.id for card in page.items)
                if page.next_cursor is None:
                    break
                query = attrs.evolve(query, after=page.next_cursor)
        expected = [c.id for c in sorted(cards, key=lambda c: (c.registered_at, c.id))]
        assert seen == expected

    def test_filters_select_exactly_the_matching_cards(self) -> None:
        storage = self.make_storage()
        a = make_card("j1", "1", summary="О ремонте дорог")
        b = make_card("j2", "1", kind=CardKind.OUTGOING, summary="О бюджете")
        c = make_card("j1", "2", organisation_id="other", summary="О ДОРОГАХ области")
        with storage.unit_of_work() as uow:
            for card in (a, b, c):
                uow.cards.add(card)
            uow.commit()
        scope = AccessScope("u", dsp_cleared=False)

        def ids(**filters: Any) -> set[str]:
            with storage.unit_of_work() as uow:
                return {card.id for card in uow.cards.query(CardQuery(**filters), scope).items}

        assert ids() == {a.id, b.id, c.id}
        assert ids(journal_ids={"j1"}) == {a.id, c.id}
        assert ids(kinds={CardKind.OUTGOING}) == {b.id}
        assert ids(organisation_id="org") == {a.id, b.id}
        assert ids(text="дорог") == {a.id, c.id}
        assert ids(number="2") == {c.id}
        assert ids(statuses={CardStatus.DELETED}) == set()

    def test_a_dsp_card_is_returned_only_to_cleared_or_listed_users(self) -> None:
        storage = self.make_storage()
        open_card = make_card("j1", "1")
        dsp = make_card("j1", "2", access=AccessMark.DSP)
        listed = make_card("j1", "3", access=AccessMark.DSP, access_list=frozenset({"reader"}))
        with storage.unit_of_work() as uow:
            for card in (open_card, dsp, listed):
                uow.cards.add(card)
            uow.commit()
        with storage.unit_of_work() as uow:

            def visible(scope: AccessScope) -> set[str]:
                return {c.id for c in uow.cards.query(CardQuery(), scope).items}

            assert visible(AccessScope("nobody", False)) == {open_card.id}
            assert visible(AccessScope("reader", False)) == {open_card.id, listed.id}
            assert visible(AccessScope("boss", True)) == {open_card.id, dsp.id, listed.id}

    def test_a_scope_keeps_organisations_apart_and_lets_shared_and_supervised_cards_in(
        self,
    ) -> None:
        storage = self.make_storage()

        def card(number: str, org: str, **details: Any) -> RegistrationCard:
            made = make_card("j1", number, organisation_id=org)
            return attrs.evolve(made, details=attrs.evolve(made.details, **details))

        own = card("1", "a", department_id="d1")
        other_department = card("2", "a", department_id="d2")
        foreign = card("3", "b")
        shared = card("4", "b", shared_with=frozenset({"a"}))
        listed = card("5", "c", access_list=frozenset({"reader"}))
        supervised = card("6", "s")
        dsp_shared = card("7", "b", shared_with=frozenset({"a"}), access=AccessMark.DSP)
        with storage.unit_of_work() as uow:
            for item in (own, other_department, foreign, shared, listed, supervised, dsp_shared):
                uow.cards.add(item)
            uow.commit()
        with storage.unit_of_work() as uow:

            def visible(scope: AccessScope) -> set[str]:
                return {c.id for c in uow.cards.query(CardQuery(), scope).items}

            reader = AccessScope("reader", False, organisation_id="a")
            assert visible(reader) == {own.id, other_department.id, shared.id, listed.id}
            cleared = AccessScope("x", True, organisation_id="a")
            assert visible(cleared) == {own.id, other_department.id, shared.id, dsp_shared.id}
            narrowed = AccessScope("x", False, organisation_id="a", department_ids={"d1"})
            assert visible(narrowed) == {own.id, shared.id}
            overseer = AccessScope("x", False, organisation_id="a", supervised_ids={"s"})
            assert supervised.id in visible(overseer)
            deputy = AccessScope("x", False, organisation_id="z", also_reader_ids={"reader"})
            assert visible(deputy) == {listed.id}

    # --- journals, directory, audit, blobs -----------------------------------------------------

    def test_journals_are_stored_and_listed_by_code(self) -> None:
        storage = self.make_storage()
        world = make_world()
        second = attrs.evolve(world.journal, id=new_id(), code="АА", name="Другой")
        with storage.unit_of_work() as uow:
            uow.journals.add(world.journal)
            uow.journals.add(second)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.journals.get(world.journal.id) == world.journal
            assert [j.code for j in uow.journals.list(world.organisation.id)] == ["АА", "ВХ"]
            with pytest.raises(ConflictError):
                uow.journals.add(world.journal)

    def test_directory_round_trips_and_finds_medo_ids_case_insensitively(self) -> None:
        storage = self.make_storage()
        world = self._stored_world(storage)
        with storage.unit_of_work() as uow:
            assert uow.directory.organisation(world.organisation.id) == world.organisation
            medo_id = world.organisation.medo_id
            assert medo_id is not None
            assert uow.directory.organisation_by_medo_id(medo_id.upper()) == world.organisation
            assert uow.directory.organisation_by_medo_id("unknown") is None
            assert uow.directory.user(world.plain.id) == world.plain
            assert set(uow.directory.departments(world.organisation.id)) == set(world.departments)
            assert uow.directory.official(world.officials[0].id) == world.officials[0]
            renamed = attrs.evolve(world.plain, login="renamed")
            uow.directory.put_user(renamed)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.directory.user(world.plain.id).login == "renamed"
            with pytest.raises(NotFound):
                uow.directory.user("nobody")

    def test_audit_is_append_only_and_ordered(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow:
            first = uow.audit.append(_event("a"))
            second = uow.audit.append(_event("b"))
            third = uow.audit.append(_event("a"))
            uow.commit()
        assert first < second < third
        with storage.unit_of_work() as uow:
            assert [e.entity_id for _, e in uow.audit.events()] == ["a", "b", "a"]
            assert [seq for seq, _ in uow.audit.events("a")] == [first, third]
            assert [seq for seq, _ in uow.audit.events(after=first)] == [second, third]
            assert not hasattr(uow.audit, "delete")

    def test_blobs_are_addressed_by_sha256(self) -> None:
        import hashlib

        storage = self.make_storage()
        data = "Текст документа".encode()
        with storage.unit_of_work() as uow:
            digest = uow.blobs.put(data)
            assert uow.blobs.put(data) == digest
            uow.commit()
        assert digest == hashlib.sha256(data).hexdigest()
        with storage.unit_of_work() as uow:
            assert uow.blobs.get(digest) == data
            with pytest.raises(NotFound):
                uow.blobs.get("0" * 64)

    # --- signature records ---------------------------------------------------------------------

    def test_signature_records_are_kept_per_card_and_roll_back(self) -> None:
        from edmscore.records.signature_records import (
            EvidenceNote,
            SignatureOrigin,
            SignatureRecord,
        )
        from edmscore.records.signature_service import signature_records

        def record(card_id: str, record_id: str, minutes: int) -> SignatureRecord:
            return SignatureRecord(
                id=record_id,
                card_id=card_id,
                organisation_id="org",
                origin=SignatureOrigin.MEDO,
                signer="Иванов Иван Иванович",
                certificate_serial="1A2B",
                certificate_issuer="CN=Тестовый УЦ",
                certificate_sha256="ab" * 32,
                certificate_not_before=_T0.subtract(years=1),
                certificate_not_after=_T0.add(years=1),
                verdict="valid",
                checked_at=_T0.add(minutes=minutes),
                signing_time=_T0,
                signing_time_source="timestamp",
                level="CAdES-T",
                evidence=(EvidenceNote("signature_timestamp", "valid", _T0, "CN=TSA"),),
            )

        storage = self.make_storage()
        with storage.unit_of_work() as uow:
            repo = signature_records(uow)
            repo.add(record("c1", "r2", 5))
            repo.add(record("c1", "r1", 1))
            repo.add(record("c2", "r3", 1))
            uow.commit()
        with storage.unit_of_work() as uow:
            repo = signature_records(uow)
            assert [r.id for r in repo.for_card("c1")] == ["r1", "r2"]
            assert repo.get("r3") == record("c2", "r3", 1)
            with pytest.raises(ConflictError):
                repo.add(record("c1", "r1", 1))
            with pytest.raises(NotFound):
                repo.get("missing")
            repo.add(record("c1", "r4", 9))  # not committed
        with storage.unit_of_work() as uow:
            assert [r.id for r in signature_records(uow).for_card("c1")] == ["r1", "r2"]

    # --- nomenclature ----------------------------------------------------------------------------

    def test_nomenclatures_are_found_by_year_and_cases_by_id(self) -> None:
        storage = self.make_storage()
        nomenclature = make_nomenclature("org", 2026)
        with storage.unit_of_work() as uow:
            uow.nomenclatures.add(nomenclature)
            uow.commit()
        case = nomenclature.cases[1]
        with storage.unit_of_work() as uow:
            assert uow.nomenclatures.get(nomenclature.id) == (nomenclature, 1)
            assert uow.nomenclatures.find("org", 2026) == (nomenclature, 1)
            assert uow.nomenclatures.find("org", 2027) is None
            assert uow.nomenclatures.find_case(case.id) == (nomenclature, case)
            with pytest.raises(NotFound):
                uow.nomenclatures.find_case("no-such-case")

    def test_one_nomenclature_per_organisation_and_year(self) -> None:
        from edmscore.errors import EdmsError

        storage = self.make_storage()
        with storage.unit_of_work() as uow:
            uow.nomenclatures.add(make_nomenclature("org", 2026))
            uow.commit()
        with storage.unit_of_work() as uow, pytest.raises(EdmsError):
            uow.nomenclatures.add(make_nomenclature("org", 2026))

    def test_nomenclature_updates_are_versioned(self) -> None:
        storage = self.make_storage()
        nomenclature = make_nomenclature("org", 2026)
        with storage.unit_of_work() as uow:
            uow.nomenclatures.add(nomenclature)
            uow.commit()
        case = nomenclature.cases[0]
        closed = nomenclature.close_case(case.id, pendulum.Date(2026, 12, 30))
        with storage.unit_of_work() as uow:
            assert uow.nomenclatures.update(closed, 1) == 2
            uow.commit()
        with storage.unit_of_work() as uow:
            stored, version = uow.nomenclatures.get(nomenclature.id)
            assert version == 2
            assert stored.case_by_id(case.id).is_closed
            assert uow.nomenclatures.find_case(case.id)[1].is_closed
            with pytest.raises(ConflictError):
                uow.nomenclatures.update(closed, 1)

    # --- through the service layer -------------------------------------------------------------

    def test_registrations_through_the_service_are_numbered_gaplessly(self) -> None:
        storage = self.make_storage()
        world = self._stored_world(storage)
        records = RecordsService(storage, FixedClock(_T0))
        details = make_details(CardKind.INCOMING, received_on=_T0.date())
        numbers = [
            records.register(world.clerk, RegistrationRequest(world.journal.id, details)).number
            for _ in range(5)
        ]
        assert numbers == [f"вх-{i}" for i in range(1, 6)]

    def test_concurrent_registrations_get_distinct_gapless_numbers(self) -> None:
        storage = self.make_storage()
        world = self._stored_world(storage)
        records = RecordsService(storage, FixedClock(_T0))
        details = make_details(CardKind.INCOMING, received_on=_T0.date())
        numbers: list[str] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def work() -> None:
            for _ in range(25):
                try:
                    card = records.register(
                        world.clerk, RegistrationRequest(world.journal.id, details)
                    )
                except BaseException as exc:  # collected and re-raised in the test thread
                    errors.append(exc)
                    return
                with lock:
                    numbers.append(card.number)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sorted(numbers, key=lambda n: int(n[3:])) == [f"вх-{i}" for i in range(1, 101)]

    def test_admin_and_records_services_run_on_the_adapter(self) -> None:
        storage = self.make_storage()
        world = self._stored_world(storage)
        admin = AdminService(storage, FixedClock(_T0))
        journal = Journal(
            id=new_id(),
            organisation_id=world.organisation.id,
            code="ИСХ",
            name="Исходящие",
            template="{seq}-{dept}",
            kinds={CardKind.OUTGOING},
        )
        admin.create_journal(world.clerk, journal)
        records = RecordsService(storage, FixedClock(_T0))
        details = attrs.evolve(
            make_details(CardKind.OUTGOING), department_id=world.departments[1].id
        )
        card = records.register(world.clerk, RegistrationRequest(journal.id, details))
        assert card.number == "1-02"
        history = records.history(world.clerk, card.id)
        assert [event.action for event in history] == ["card.registered"]
        plain: User = attrs.evolve(world.plain, clearance=Clearance.NONE)
        assert records.get(plain, card.id) == card


def _event(entity_id: str) -> AuditEvent:
    return AuditEvent(
        at=_T0, actor_id="actor", action="test", entity_type="card", entity_id=entity_id
    )
