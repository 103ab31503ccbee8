"""What backup, restore and bulk import need from an adapter, beyond the capability ports.

A unit of work that offers :class:`BulkUnitOfWork` lists every record of a kind and stores
records as they are, versions included: what a restore and a bulk import need and the
repositories' ``add`` (which starts every record at version 1) cannot give. Both shipped
adapters (:class:`~edmscore.storage.MemoryStorage`, :class:`~edmscore.storage.sql.SqlStorage`)
implement it; a host's adapter implements it to be backed up and restored. The contract suite
(:func:`edmscore.testing.check_bulk_contract`) checks it on every adapter.

Records are the values :mod:`edmscore.backup` names per kind (see
:data:`~edmscore.backup.RECORD_KINDS`); files go through the unit of work's ``blobs``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from edmscore.records.ports import UnitOfWork

__all__ = ["BulkStorage", "BulkUnitOfWork"]


class BulkUnitOfWork(UnitOfWork, Protocol):
    """A unit of work that lists and stores whole record kinds (see the module docstring)."""

    def export_records(self, kind: str) -> Iterator[Any]:
        """Every record of ``kind``, ordered by key (code-point order of the id; audit by
        sequence), read in batches so memory stays bounded."""
        ...

    def import_records(self, kind: str, records: Iterable[Any]) -> int:
        """Store ``records`` of ``kind`` as given (versions kept), replacing any stored record
        with the same key; audit events are appended in order. Return how many were stored.

        Cards come as :class:`~edmscore.registry.RegistrationCard` values; a unit of work that
        sets ``takes_card_primitives = True`` is handed them, already checked, in their
        canonical primitive form (``registry.codec.card_to_primitive``) by imports and restores,
        so it can build its rows without the objects (both shipped adapters do)."""
        ...

    def stored_blobs(self) -> Iterator[str]:
        """The hash of every stored file, in code-point order."""
        ...


class BulkStorage(Protocol):
    """A storage whose units of work are :class:`BulkUnitOfWork`."""

    def unit_of_work(self) -> BulkUnitOfWork:
        """Open a unit of work."""
        ...
