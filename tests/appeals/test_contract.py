"""The appeals repository contract on the in-memory adapter.

Memory only by design: the SQL adapters run the same contract in tests/storage.
"""

from __future__ import annotations

import pytest

from edmscore.storage import MemoryStorage
from edmscore.testing.appeals_contract import AppealsContract

pytestmark = pytest.mark.memory_only


class TestMemoryAppeals(AppealsContract):
    def make_storage(self) -> MemoryStorage:
        return MemoryStorage()
