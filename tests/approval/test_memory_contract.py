"""The in-memory adapter passes the approval storage contract."""

from __future__ import annotations

from edmscore.storage import MemoryStorage
from edmscore.testing.approval_contract import ApprovalStorageContract


class TestMemoryApprovalStorage(ApprovalStorageContract):
    def make_storage(self) -> MemoryStorage:
        return MemoryStorage()
