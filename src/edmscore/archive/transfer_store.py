"""Where acceptance acts are kept: the port and the in-memory adapter.

A storage that keeps transfers offers, in its unit of work, ``archive_transfers`` — a
:class:`TransferRepository`. The in-memory adapter keeps them in its state's ``extensions`` slot
``edmscore.archive_transfers``, every write through the undo log; the SQL adapter in the table
``edms_archive_transfers``. Acts are versioned as the other archive records are: ``put`` with
``expected_version`` 0 stores a new one, otherwise only over the stored version (else
:class:`~edmscore.errors.ConflictError`); listings are by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import attrs

from edmscore.archive._transfer import TransferAct
from edmscore.archive.ports import ArchiveUnitOfWork
from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.records.memory import _Journaled

if TYPE_CHECKING:
    from edmscore.records.memory import MemoryRecordsUnitOfWork

__all__ = [
    "MemoryTransfers",
    "TransferRepository",
    "TransferStorage",
    "TransferUnitOfWork",
    "next_transfer_version",
]

_KEY = "edmscore.archive_transfers"


class TransferRepository(Protocol):
    """Acceptance acts of the organisations."""

    def transfer(self, act_id: str) -> TransferAct:
        """The acceptance act, or NotFound."""
        ...

    def put_transfer(self, act: TransferAct, expected_version: int) -> TransferAct:
        """Store a new (0) or changed act; return it with its new version."""
        ...

    def transfers(self, organisation_id: str) -> Sequence[TransferAct]:
        """The organisation's acceptance acts, by id."""
        ...


class TransferUnitOfWork(ArchiveUnitOfWork, Protocol):
    """A unit of work that keeps the archive and its transfers."""

    @property
    def archive_transfers(self) -> TransferRepository:
        """Acceptance acts."""
        ...


class TransferStorage(Protocol):
    """A storage whose units of work keep transfers."""

    def unit_of_work(self) -> TransferUnitOfWork:
        """Open a unit of work (use it as a context manager)."""
        ...


def next_transfer_version(
    act: TransferAct, stored_version: int | None, expected_version: int
) -> TransferAct:
    """``act`` at its next version, if ``expected_version`` is the stored one (0: none)."""
    if not isinstance(act, TransferAct):
        raise ValidationError("act", "must be a TransferAct")
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise ValidationError("expected_version", "must be an integer")
    actual = stored_version or 0
    if actual != expected_version:
        raise ConflictError("acceptance act", act.id, expected_version, actual)
    return attrs.evolve(act, version=expected_version + 1)


class MemoryTransfers(_Journaled):
    """The in-memory :class:`TransferRepository`."""

    def __init__(self, uow: MemoryRecordsUnitOfWork) -> None:
        super().__init__(uow)
        self._t: dict[str, TransferAct] = self._extension(_KEY, dict)

    def transfer(self, act_id: str) -> TransferAct:
        """The acceptance act, or NotFound."""
        found = self._t.get(act_id)
        if found is None:
            raise NotFound("acceptance act", act_id)
        return found

    def put_transfer(self, act: TransferAct, expected_version: int) -> TransferAct:
        """Store a new (0) or changed act."""
        stored = self._t.get(act.id) if isinstance(act, TransferAct) else None
        new = next_transfer_version(act, None if stored is None else stored.version,
                                    expected_version)  # fmt: skip
        self._set(self._t, new.id, new)
        return new

    def transfers(self, organisation_id: str) -> Sequence[TransferAct]:
        """The organisation's acceptance acts, by id."""
        found = (a for a in self._t.values() if a.organisation_id == organisation_id)
        return sorted(found, key=lambda a: a.id)

    def restore(self, act: TransferAct) -> None:
        """Store ``act`` as given, its version kept (the backup's import)."""
        self._set(self._t, act.id, act)
