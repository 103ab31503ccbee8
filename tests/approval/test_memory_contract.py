"""The in-memory adapter passes the approval storage contract.

Memory only by design: the SQL adapters run the same contract in tests/storage.
"""

from __future__ import annotations

import pytest

from edmscore.storage import MemoryStorage
from edmscore.testing.approval_contract import ApprovalStorageContract

pytestmark = pytest.mark.memory_only


class TestMemoryApprovalStorage(ApprovalStorageContract):
    def make_storage(self) -> MemoryStorage:
        return MemoryStorage()
