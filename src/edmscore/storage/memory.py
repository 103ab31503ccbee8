"""The in-memory adapter: the embedded default, a real adapter that passes the contract suites.

:class:`MemoryStorage` assembles the core repositories of :mod:`edmscore.records.memory` with the
in-memory repositories of every capability (``edmscore.control.memory``,
``edmscore.approval.memory``, ``edmscore.appeals.memory``, ``edmscore.exchange.dispatch.memory``),
all on one state and one undo log, so a unit of work commits or rolls back all of them together.
A capability's repositories are imported the first time a unit of work asks for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from edmscore.records.memory import MemoryRecordsStorage, MemoryRecordsUnitOfWork

if TYPE_CHECKING:
    from edmscore.appeals.memory import MemoryAppeals
    from edmscore.approval.memory import MemoryDrafts, MemoryRouteTemplates, MemorySubstitutions
    from edmscore.archive.memory import MemoryArchive
    from edmscore.archive.transfer_store import MemoryTransfers
    from edmscore.control.memory import (
        MemoryAcquaintances,
        MemoryAssignments,
        MemoryResolutionDrafts,
        MemoryResolutions,
    )
    from edmscore.events.memory import MemoryOutbox
    from edmscore.exchange.dispatch.memory import MemoryDispatches

__all__ = ["MemoryStorage", "MemoryUnitOfWork"]


class MemoryUnitOfWork(MemoryRecordsUnitOfWork):
    """A unit of work over a :class:`MemoryStorage`: the core and every capability's repos."""

    def __init__(self, storage: MemoryStorage) -> None:
        super().__init__(storage)
        self._extension_repos: dict[str, object] = {}

    @property
    def assignments(self) -> MemoryAssignments:
        """Assignments (execution control), in this unit of work."""
        from edmscore.control.memory import MemoryAssignments

        repo = self._extension_repos.get("assignments")
        if repo is None:
            repo = self._extension_repos["assignments"] = MemoryAssignments(self)
        assert isinstance(repo, MemoryAssignments)
        return repo

    @property
    def resolutions(self) -> MemoryResolutions:
        """Resolutions (execution control), in this unit of work."""
        from edmscore.control.memory import MemoryResolutions

        repo = self._extension_repos.get("resolutions")
        if repo is None:
            repo = self._extension_repos["resolutions"] = MemoryResolutions(self)
        assert isinstance(repo, MemoryResolutions)
        return repo

    @property
    def resolution_drafts(self) -> MemoryResolutionDrafts:
        """Draft resolutions (execution control), in this unit of work."""
        from edmscore.control.memory import MemoryResolutionDrafts

        return MemoryResolutionDrafts(self)

    @property
    def acquaintances(self) -> MemoryAcquaintances:
        """Acquaintance sheets (execution control), in this unit of work."""
        from edmscore.control.memory import MemoryAcquaintances

        return MemoryAcquaintances(self)

    @property
    def appeals(self) -> MemoryAppeals:
        """Citizens' appeals (:mod:`edmscore.appeals`), in this unit of work."""
        from edmscore.appeals.memory import MemoryAppeals

        return MemoryAppeals(self)

    @property
    def dispatches(self) -> MemoryDispatches:
        """Delivery records of letters sent over MEDO (:mod:`edmscore.exchange.dispatch`)."""
        from edmscore.exchange.dispatch.memory import MemoryDispatches

        return MemoryDispatches(self)

    @property
    def drafts(self) -> MemoryDrafts:
        """Drafts under approval (:mod:`edmscore.approval`)."""
        from edmscore.approval.memory import MemoryDrafts

        return MemoryDrafts(self)

    @property
    def route_templates(self) -> MemoryRouteTemplates:
        """Approval route templates."""
        from edmscore.approval.memory import MemoryRouteTemplates

        return MemoryRouteTemplates(self)

    @property
    def substitutions(self) -> MemorySubstitutions:
        """Substitutions of officials (замещение)."""
        from edmscore.approval.memory import MemorySubstitutions

        return MemorySubstitutions(self)

    @property
    def outbox(self) -> MemoryOutbox:
        """The outbox of domain events (:mod:`edmscore.events`), in this unit of work."""
        from edmscore.events.memory import MemoryOutbox

        return MemoryOutbox(self)

    #: ``import_records("cards", …)`` also takes cards in their canonical primitive form.
    takes_card_primitives = True

    @property
    def archive(self) -> MemoryArchive:
        """Case files, inventories and destruction acts (:mod:`edmscore.archive`)."""
        from edmscore.archive.memory import MemoryArchive

        return MemoryArchive(self)

    @property
    def archive_transfers(self) -> MemoryTransfers:
        """Acceptance acts of the archive (:mod:`edmscore.archive.transfer_store`)."""
        from edmscore.archive.transfer_store import MemoryTransfers

        return MemoryTransfers(self)

    def export_records(self, kind: str) -> Iterator[Any]:
        """Every record of ``kind`` in key order (:class:`edmscore.backup.ports.BulkUnitOfWork`)."""
        from edmscore.storage import _memory_bulk

        return _memory_bulk.export_records(self, kind)

    def import_records(self, kind: str, records: Iterable[Any]) -> int:
        """Store records as given, versions kept, replacing those with the same key."""
        from edmscore.storage import _memory_bulk

        return _memory_bulk.import_records(self, kind, records)

    def stored_blobs(self) -> Iterator[str]:
        """The hash of every stored file, in order."""
        from edmscore.storage import _memory_bulk

        return _memory_bulk.stored_blobs(self)


class MemoryStorage(MemoryRecordsStorage):
    """The in-memory storage: all repositories in plain dicts, one lock, undo-log transactions.

    ``max_blob_size`` bounds one file's content (default 512 MiB).
    """

    def unit_of_work(self) -> MemoryUnitOfWork:
        """Open a unit of work."""
        return MemoryUnitOfWork(self)
