"""The outbox contract on every adapter (memory, SQLite, PostgreSQL marked ``postgres``)."""

from __future__ import annotations

import pytest

from edmscore.testing.outbox_contract import OutboxContract
from tests._adapters import AnyStorage, StorageFactory


class TestOutbox(OutboxContract):
    @pytest.fixture(autouse=True)
    def _factory(self, new_storage: StorageFactory) -> None:
        self.factory = new_storage

    def make_storage(self) -> AnyStorage:
        return self.factory()
