"""The archive contract on the in-memory adapter (SQLite and PostgreSQL: tests/storage)."""

from __future__ import annotations

from edmscore.storage import MemoryStorage
from edmscore.testing.archive_contract import ArchiveContract
from edmscore.testing.transfer_contract import TransferContract


class TestMemoryArchive(ArchiveContract):
    def make_storage(self) -> MemoryStorage:
        return MemoryStorage()


class TestMemoryTransfers(TransferContract):
    def make_storage(self) -> MemoryStorage:
        return MemoryStorage()
