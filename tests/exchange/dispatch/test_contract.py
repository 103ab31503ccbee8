"""The dispatch repository contract on the in-memory adapter."""

from __future__ import annotations

from edmscore.storage import MemoryStorage
from edmscore.testing.dispatch_contract import DispatchContract


class TestMemoryDispatches(DispatchContract):
    def make_storage(self) -> MemoryStorage:
        return MemoryStorage()
