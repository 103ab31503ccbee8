"""The acceptance-act repository contract: one suite every storage that keeps transfers passes.

Subclass :class:`TransferContract` in a pytest module, name the subclass ``Test…`` and implement
``make_storage`` (a fresh, empty storage whose units of work have ``archive_transfers``), as for
:class:`edmscore.testing.archive_contract.ArchiveContract`. Needs the ``testing`` extra (pytest).
"""

from __future__ import annotations

from edmscore.errors import MissingDependency

try:  # the testing extra
    import pytest
except ModuleNotFoundError as exc:
    raise MissingDependency(exc.name or "pytest", "testing") from exc

import pendulum

from edmscore.archive import TransferAct, TransferDestination, TransferRow, TransferState
from edmscore.archive.transfer_store import TransferStorage
from edmscore.errors import ConflictError, NotFound

__all__ = ["TransferContract", "make_transfer_act"]


def make_transfer_act(act_id: str = "tr-1", organisation_id: str = "org") -> TransferAct:
    """A valid draft acceptance act of one inventory of two cases."""
    row = TransferRow(
        1,
        "inv-1",
        "Опись № 1 дел постоянного хранения за 2024 год",
        2,
        ("case-1", "case-2"),
        "Утверждена: ЭК (протокол от 03.02.2025 № 1)",
    )
    return TransferAct(
        act_id,
        organisation_id,
        "1",
        TransferDestination.DEPARTMENTAL,
        "Архив министерства",
        pendulum.date(2026, 2, 2),
        (row,),
    )


class TransferContract:
    """Acceptance acts: stored, versioned, listed by organisation and id, undone on rollback."""

    def make_storage(self) -> TransferStorage:
        """A fresh, empty storage that keeps transfers."""
        raise NotImplementedError

    def test_an_act_round_trips_with_its_version(self) -> None:
        storage = self.make_storage()
        act = make_transfer_act()
        with storage.unit_of_work() as uow:
            stored = uow.archive_transfers.put_transfer(act, 0)
            uow.commit()
        assert stored.version == 1
        with storage.unit_of_work() as uow:
            assert uow.archive_transfers.transfer(act.id) == stored
        accepted = stored.accepted("Иванова", "Петров", pendulum.date(2026, 2, 3))
        with storage.unit_of_work() as uow:
            again = uow.archive_transfers.put_transfer(accepted, 1)
            uow.commit()
        with storage.unit_of_work() as uow:
            found = uow.archive_transfers.transfer(act.id)
        assert found == again and found.version == 2 and found.state is TransferState.ACCEPTED

    def test_stale_versions_conflict_and_missing_acts_are_not_found(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow:
            uow.archive_transfers.put_transfer(make_transfer_act(), 0)
            uow.commit()
        with storage.unit_of_work() as uow, pytest.raises(ConflictError):
            uow.archive_transfers.put_transfer(make_transfer_act(), 0)
        with storage.unit_of_work() as uow, pytest.raises(NotFound):
            uow.archive_transfers.transfer("nothing")

    def test_listing_by_organisation_and_id_and_rollback(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow:
            for act_id, org in (("b", "org"), ("a", "org"), ("c", "other")):
                uow.archive_transfers.put_transfer(make_transfer_act(act_id, org), 0)
            uow.commit()
        with storage.unit_of_work() as uow:
            uow.archive_transfers.put_transfer(make_transfer_act("d", "org"), 0)
            # no commit: rolled back
        with storage.unit_of_work() as uow:
            assert [a.id for a in uow.archive_transfers.transfers("org")] == ["a", "b"]
            assert [a.id for a in uow.archive_transfers.transfers("other")] == ["c"]
