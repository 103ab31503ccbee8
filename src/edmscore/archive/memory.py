"""The archive in the in-memory adapter, inside its undo-logged units of work.

The tables live in ``MemoryStorage``'s state (its ``extensions`` slot, under
``edmscore.archive``); every write goes through the journal, so a rollback undoes it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from edmscore.archive._case_file import CaseFile, CaseState, FiledDocument
from edmscore.archive._destruction import DestructionAct
from edmscore.archive._inventory import Inventory
from edmscore.archive._records import batch_of, case_order, document_of, next_version
from edmscore.errors import NotFound
from edmscore.records.memory import _Journaled
from edmscore.registry import CardStatus

if TYPE_CHECKING:
    from edmscore.records.memory import MemoryRecordsUnitOfWork

__all__ = ["MemoryArchive"]

_KEY = "edmscore.archive"


class _Tables:
    def __init__(self) -> None:
        self.case_files: dict[str, CaseFile] = {}
        self.inventories: dict[str, Inventory] = {}
        self.acts: dict[str, DestructionAct] = {}


class MemoryArchive(_Journaled):
    """The in-memory :class:`~edmscore.archive.ports.ArchiveRepository`."""

    def __init__(self, uow: MemoryRecordsUnitOfWork) -> None:
        super().__init__(uow)
        self._t = self._extension(_KEY, _Tables)

    def case_file(self, case_id: str) -> CaseFile:
        """The case file, or NotFound."""
        found = self._t.case_files.get(case_id)
        if found is None:
            raise NotFound("case file", case_id)
        return found

    def find_case_file(self, case_id: str) -> CaseFile | None:
        """The case file, if any."""
        return self._t.case_files.get(case_id)

    def put_case_file(self, case_file: CaseFile, expected_version: int) -> CaseFile:
        """Store a new (0) or changed case file."""
        stored = self._t.case_files.get(case_file.case_id)
        new = next_version(case_file, None if stored is None else stored.version, expected_version)
        self._set(self._t.case_files, new.case_id, new)
        return new

    def find_case_files(self, case_ids: Collection[str]) -> Mapping[str, CaseFile]:
        """The stored case files of ``case_ids``, by case id."""
        files = self._t.case_files
        return {k: files[k] for k in dict.fromkeys(case_ids) if k in files}

    def put_case_files(self, changes: Sequence[tuple[CaseFile, int]]) -> Sequence[CaseFile]:
        """Store several case files over their expected versions."""
        return [self.put_case_file(case, expected) for case, expected in batch_of(changes)]

    def case_files(
        self,
        organisation_id: str,
        *,
        years: Collection[int] | None = None,
        states: Collection[CaseState] | None = None,
    ) -> Sequence[CaseFile]:
        """The organisation's case files of ``years`` in ``states``."""
        found = [
            c
            for c in self._t.case_files.values()
            if c.organisation_id == organisation_id
            and (years is None or c.year in years)
            and (states is None or c.state in states)
        ]
        return sorted(found, key=case_order)

    def inventory(self, inventory_id: str) -> Inventory:
        """The inventory, or NotFound."""
        found = self._t.inventories.get(inventory_id)
        if found is None:
            raise NotFound("inventory", inventory_id)
        return found

    def put_inventory(self, inventory: Inventory, expected_version: int) -> Inventory:
        """Store a new (0) or changed inventory."""
        stored = self._t.inventories.get(inventory.id)
        new = next_version(inventory, None if stored is None else stored.version, expected_version)
        self._set(self._t.inventories, new.id, new)
        return new

    def inventories(self, organisation_id: str) -> Sequence[Inventory]:
        """The organisation's inventories, by id."""
        found = (i for i in self._t.inventories.values() if i.organisation_id == organisation_id)
        return sorted(found, key=lambda i: i.id)

    def act(self, act_id: str) -> DestructionAct:
        """The act, or NotFound."""
        found = self._t.acts.get(act_id)
        if found is None:
            raise NotFound("destruction act", act_id)
        return found

    def put_act(self, act: DestructionAct, expected_version: int) -> DestructionAct:
        """Store a new (0) or changed act."""
        stored = self._t.acts.get(act.id)
        new = next_version(act, None if stored is None else stored.version, expected_version)
        self._set(self._t.acts, new.id, new)
        return new

    def acts(self, organisation_id: str) -> Sequence[DestructionAct]:
        """The organisation's acts, by id."""
        found = (a for a in self._t.acts.values() if a.organisation_id == organisation_id)
        return sorted(found, key=lambda a: a.id)

    def filed_documents(
        self, organisation_id: str, case_ids: Collection[str]
    ) -> Mapping[str, Sequence[FiledDocument]]:
        """The registered cards filed into ``case_ids``, by case id, in filing order."""
        wanted = set(case_ids)
        found: dict[str, list[FiledDocument]] = {case_id: [] for case_id in wanted}
        for card in self._s.cards.values():
            case_id = card.details.case_id
            if (
                case_id in wanted
                and card.organisation_id == organisation_id
                and card.status is CardStatus.REGISTERED
            ):
                found[case_id].append(document_of(card))
        return {k: sorted(v, key=lambda d: d.order) for k, v in found.items()}

    def cases_under_control(
        self, organisation_id: str, case_ids: Collection[str]
    ) -> frozenset[str]:
        """Which of ``case_ids`` have a registered card under open control."""
        wanted = set(case_ids)
        return frozenset(
            card.details.case_id
            for card in self._s.cards.values()
            if card.details.case_id in wanted
            and card.organisation_id == organisation_id
            and card.status is CardStatus.REGISTERED
            and card.details.on_control
        )
