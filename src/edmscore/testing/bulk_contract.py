"""The bulk port's contract (:class:`edmscore.backup.ports.BulkUnitOfWork`), for every adapter.

Subclass :class:`BulkContract` in a pytest module (name it ``Test…``) and implement
:meth:`~BulkContract.make_storage`, returning a fresh, empty storage whose units of work offer
the bulk port (and every capability's repositories, as the shipped adapters do). It checks that
records come back as stored (versions included) in key order, that a stored record with the
same key is replaced, that the import rolls back with its unit of work, that a number taken
twice is refused, and that every record kind of :data:`edmscore.backup.RECORD_KINDS` is served.
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum
import pytest

from edmscore.audit import AuditEvent
from edmscore.backup import RECORD_KINDS
from edmscore.errors import DuplicateNumber, ValidationError
from edmscore.testing._builders import make_card, make_nomenclature
from edmscore.testing.control_builders import make_assignment
from edmscore.testing.dispatch_contract import make_dispatch

__all__ = ["BulkContract"]

_T0 = pendulum.datetime(2026, 3, 2, 9, 0, tz="Asia/Yakutsk")


def _event(entity_id: str, minute: int) -> AuditEvent:
    return AuditEvent(_T0.add(minutes=minute), "user", "update", "card", entity_id)


class BulkContract:
    """The bulk port's contract; subclasses implement :meth:`make_storage`."""

    def make_storage(self) -> Any:
        """Return a fresh, empty storage offering the bulk port."""
        raise NotImplementedError

    def _export(self, storage: Any, kind: str) -> list[Any]:
        with storage.unit_of_work() as uow:
            return list(uow.export_records(kind))

    def test_every_kind_of_an_empty_store_is_empty(self) -> None:
        storage = self.make_storage()
        for kind in RECORD_KINDS:
            assert self._export(storage, kind.name) == [], kind.name
        with storage.unit_of_work() as uow:
            assert list(uow.stored_blobs()) == []

    def test_an_unknown_kind_is_refused(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow, pytest.raises(ValidationError):
            list(uow.export_records("no-such-kind"))
        with storage.unit_of_work() as uow, pytest.raises(ValidationError):
            uow.import_records("no-such-kind", [])

    def test_cards_come_back_as_stored_in_id_order(self) -> None:
        storage = self.make_storage()
        ids = ["b-2", "B-1", "a-9", "Z", "ё-1", "10", "9"]
        cards = [
            attrs.evolve(make_card("j1", str(n), card_id=card_id), version=n + 1)
            for n, card_id in enumerate(ids)
        ]
        with storage.unit_of_work() as uow:
            assert uow.import_records("cards", cards) == len(cards)
            uow.commit()
        got = self._export(storage, "cards")
        assert [c.id for c in got] == sorted(ids)
        assert {c.id: c for c in got} == {c.id: c for c in cards}
        with storage.unit_of_work() as uow:
            assert uow.cards.number_holder("j1", 2026, "3") == "Z"
            assert uow.cards.get("a-9").version == 3

    def test_a_stored_card_is_replaced_and_its_number_moves(self) -> None:
        storage = self.make_storage()
        card = make_card("j1", "1")
        with storage.unit_of_work() as uow:
            uow.import_records("cards", [card])
            uow.commit()
        moved = attrs.evolve(
            card, registration=attrs.evolve(card.registration, number="7"), version=5
        )
        with storage.unit_of_work() as uow:
            uow.import_records("cards", [moved])
            uow.commit()
        assert self._export(storage, "cards") == [moved]
        with storage.unit_of_work() as uow:
            assert uow.cards.number_holder("j1", 2026, "1") is None
            assert uow.cards.number_holder("j1", 2026, "7") == card.id

    def test_a_number_taken_twice_is_refused(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow:
            uow.import_records("cards", [make_card("j1", "1")])
            uow.commit()
        with storage.unit_of_work() as uow, pytest.raises(DuplicateNumber):
            uow.import_records("cards", [make_card("j1", "1")])
        with storage.unit_of_work() as uow, pytest.raises(DuplicateNumber):
            uow.import_records("cards", [make_card("j2", "1"), make_card("j2", "1")])

    def test_an_import_rolls_back_with_its_unit_of_work(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow:
            uow.import_records("cards", [make_card("j1", str(n)) for n in range(1, 30)])
            uow.import_records("counters", [("j1|2026", 29)])
            uow.import_records("audit", [(1, _event("x", 1))])
            uow.blobs.put(b"content")
        for kind in ("cards", "counters", "audit"):
            assert self._export(storage, kind) == []
        with storage.unit_of_work() as uow:
            assert list(uow.stored_blobs()) == []

    def test_versions_counters_audit_and_capability_records_are_kept(self) -> None:
        storage = self.make_storage()
        nomenclature = make_nomenclature("org")
        assignment = attrs.evolve(make_assignment("card-1"), version=4)
        dispatch = attrs.evolve(make_dispatch(), version=3)
        events = [(n, _event(f"card-{n}", n)) for n in range(1, 6)]
        with storage.unit_of_work() as uow:
            uow.import_records("nomenclatures", [(nomenclature, 6)])
            uow.import_records("counters", [("j1|2026", 41), ("j1|2025", 7)])
            uow.import_records("assignments", [assignment])
            uow.import_records("dispatches", [dispatch])
            uow.import_records("audit", events)
            uow.commit()
        assert self._export(storage, "nomenclatures") == [(nomenclature, 6)]
        assert self._export(storage, "counters") == [("j1|2025", 7), ("j1|2026", 41)]
        assert self._export(storage, "assignments") == [assignment]
        assert self._export(storage, "dispatches") == [dispatch]
        assert self._export(storage, "audit") == events
        with storage.unit_of_work() as uow:
            assert uow.numbers.next("j1|2026") == 42
            assert uow.nomenclatures.get(nomenclature.id)[1] == 6
            assert uow.assignments.get(assignment.id).version == 4
            assert uow.dispatches.get(dispatch.id).version == 3

    def test_stored_blobs_are_listed_in_order(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow:
            hashes = [uow.blobs.put(f"file {n}".encode()) for n in range(20)]
            uow.commit()
        with storage.unit_of_work() as uow:
            assert list(uow.stored_blobs()) == sorted(hashes)
