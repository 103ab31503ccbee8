"""Signature records in the in-memory adapter, inside its undo-logged units of work.

The table lives in the memory state's ``extensions`` slot (``edmscore.signature_records``); every
write goes through :meth:`~edmscore.records.memory._Journaled._set`, so a rollback undoes it with
the cards and audit events of the same unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.records.memory import _Journaled
from edmscore.records.signature_records import SignatureRecord

if TYPE_CHECKING:
    from edmscore.records.memory import MemoryRecordsUnitOfWork

__all__ = ["MemorySignatureRecords"]

_KEY = "edmscore.signature_records"


class MemorySignatureRecords(_Journaled):
    """The in-memory :class:`~edmscore.records.SignatureRecordRepository`."""

    def __init__(self, uow: MemoryRecordsUnitOfWork) -> None:
        super().__init__(uow)
        self._records: dict[str, SignatureRecord] = self._extension(_KEY, dict)

    def add(self, record: SignatureRecord) -> None:
        """Store a new record."""
        if not isinstance(record, SignatureRecord):
            raise ValidationError("record", "must be a SignatureRecord")
        if record.id in self._records:
            raise ConflictError("signature record", record.id, 0, 1)
        self._set(self._records, record.id, record)

    def get(self, record_id: str) -> SignatureRecord:
        """The record, or NotFound."""
        found = self._records.get(record_id)
        if found is None:
            raise NotFound("signature record", record_id)
        return found

    def for_card(self, card_id: str) -> Sequence[SignatureRecord]:
        """The card's records, oldest check first."""
        found = [r for r in self._records.values() if r.card_id == card_id]
        return sorted(found, key=lambda r: (r.checked_at, r.id))
