"""The control storage contract, run against the in-memory adapter.

Memory only by design: the SQL adapters run the same contract in tests/storage.
"""

from __future__ import annotations

import pytest

from edmscore.storage import MemoryStorage
from edmscore.testing.control_contract import ControlStorageContract

pytestmark = pytest.mark.memory_only


class TestMemoryControlStorage(ControlStorageContract):
    """MemoryStorage keeps resolutions and assignments in its undo-logged units of work."""

    def make_storage(self) -> MemoryStorage:
        """A fresh in-memory storage."""
        return MemoryStorage()
