"""The SQL adapter on a real PostgreSQL server passes the contract suite, plus its own tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from edmscore.storage.sql import SqlStorage
from edmscore.testing.contract import StorageContract

pytestmark = pytest.mark.postgres


class TestPostgresStorage(StorageContract):
    @pytest.fixture(autouse=True)
    def _engines(self, postgres_schema: Callable[[], sa.Engine]) -> None:
        self.new_engine = postgres_schema

    def make_storage(self) -> SqlStorage:
        return SqlStorage(self.new_engine())
