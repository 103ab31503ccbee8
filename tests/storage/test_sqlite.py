"""The SQL adapter on SQLite (a WAL database file) passes the contract suite, plus its own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from edmscore.storage.sql import SqlStorage, sqlite_engine
from edmscore.testing.contract import StorageContract


class TestSqliteStorage(StorageContract):
    @pytest.fixture(autouse=True)
    def _folder(self, tmp_path: Path) -> None:
        self.folder = tmp_path
        self.count = 0

    def make_storage(self) -> SqlStorage:
        self.count += 1
        return SqlStorage(sqlite_engine(self.folder / f"edms{self.count}.sqlite"))
