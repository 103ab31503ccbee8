"""What the archive needs from storage, as protocols beside the core ones.

A storage that keeps the archive offers an :class:`ArchiveUnitOfWork` — the core unit of work with
an ``archive`` repository — through an :class:`ArchiveStorage`. The in-memory and SQL adapters
do; the contract suite :mod:`edmscore.testing.archive_contract` checks any other.

Rules every adapter keeps:

- case files, inventories and destruction acts are versioned: ``put_*`` with
  ``expected_version`` 0 stores a new one, otherwise only over the stored version; the stored
  object comes back with version + 1; a mismatch raises :class:`~edmscore.errors.ConflictError`;
  ``get`` of a missing one raises :class:`~edmscore.errors.NotFound`;
- listings are ordered: case files by year, case index, id; inventories and acts by id;
- ``find_case_files`` and ``put_case_files`` read and write many case files at once and give
  exactly what ``find_case_file`` and ``put_case_file`` one by one give (the year end writes
  thousands of cases a step);
- ``filed_documents`` reads the registered (not deleted) cards filed into the given cases in one
  pass, keyed by case id, each case's documents in filing order; ``cases_under_control`` which
  of the cases have a registered card under open control now;
- writes belong to the unit of work: a rollback undoes them with everything else.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

from edmscore.archive._case_file import CaseFile, CaseState, FiledDocument
from edmscore.archive._destruction import DestructionAct
from edmscore.archive._inventory import Inventory
from edmscore.records.ports import UnitOfWork

__all__ = ["ArchiveRepository", "ArchiveStorage", "ArchiveUnitOfWork"]


class ArchiveRepository(Protocol):
    """Case files, inventories and destruction acts of the organisations."""

    def case_file(self, case_id: str) -> CaseFile:
        """The case file, or NotFound."""
        ...

    def find_case_file(self, case_id: str) -> CaseFile | None:
        """The case file, if there is one."""
        ...

    def put_case_file(self, case_file: CaseFile, expected_version: int) -> CaseFile:
        """Store a new (0) or changed case file; return it with its new version."""
        ...

    def find_case_files(self, case_ids: Collection[str]) -> Mapping[str, CaseFile]:
        """The stored case files of ``case_ids`` (those there are), by case id, in one read."""
        ...

    def put_case_files(self, changes: Sequence[tuple[CaseFile, int]]) -> Sequence[CaseFile]:
        """Store several case files, each over its expected version as :meth:`put_case_file`
        does, in one write; return them with their new versions, in the order given.

        A case appears at most once in ``changes`` (ValidationError otherwise). A stale version
        raises ConflictError, as the first stale one would one by one; the batch may then be
        partly written, and the unit of work is to be rolled back.
        """
        ...

    def case_files(
        self,
        organisation_id: str,
        *,
        years: Collection[int] | None = None,
        states: Collection[CaseState] | None = None,
    ) -> Sequence[CaseFile]:
        """The organisation's case files of ``years`` in ``states`` (None: any)."""
        ...

    def inventory(self, inventory_id: str) -> Inventory:
        """The inventory, or NotFound."""
        ...

    def put_inventory(self, inventory: Inventory, expected_version: int) -> Inventory:
        """Store a new (0) or changed inventory; return it with its new version."""
        ...

    def inventories(self, organisation_id: str) -> Sequence[Inventory]:
        """The organisation's inventories, by id."""
        ...

    def act(self, act_id: str) -> DestructionAct:
        """The destruction act, or NotFound."""
        ...

    def put_act(self, act: DestructionAct, expected_version: int) -> DestructionAct:
        """Store a new (0) or changed act; return it with its new version."""
        ...

    def acts(self, organisation_id: str) -> Sequence[DestructionAct]:
        """The organisation's destruction acts, by id."""
        ...

    def filed_documents(
        self, organisation_id: str, case_ids: Collection[str]
    ) -> Mapping[str, Sequence[FiledDocument]]:
        """The registered cards filed into ``case_ids``, as documents, by case id."""
        ...

    def cases_under_control(
        self, organisation_id: str, case_ids: Collection[str]
    ) -> frozenset[str]:
        """Which of ``case_ids`` have a registered card under open control now."""
        ...


class ArchiveUnitOfWork(UnitOfWork, Protocol):
    """A unit of work that also keeps the archive."""

    @property
    def archive(self) -> ArchiveRepository:
        """Case files, inventories and destruction acts."""
        ...


class ArchiveStorage(Protocol):
    """A storage whose units of work keep the archive."""

    def unit_of_work(self) -> ArchiveUnitOfWork:
        """Open a unit of work (use it as a context manager)."""
        ...
