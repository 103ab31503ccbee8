"""The appeals repository contract on the in-memory adapter."""

from __future__ import annotations

from edmscore.storage import MemoryStorage
from edmscore.testing.appeals_contract import AppealsContract


class TestMemoryAppeals(AppealsContract):
    def make_storage(self) -> MemoryStorage:
        return MemoryStorage()
