"""The control storage contract, run against the in-memory adapter."""

from __future__ import annotations

from edmscore.storage import MemoryStorage
from edmscore.testing.control_contract import ControlStorageContract


class TestMemoryControlStorage(ControlStorageContract):
    """MemoryStorage keeps resolutions and assignments in its undo-logged units of work."""

    def make_storage(self) -> MemoryStorage:
        """A fresh in-memory storage."""
        return MemoryStorage()
