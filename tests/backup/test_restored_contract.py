"""The storage contracts run on stores restored from a bundle of the demo's day: a restored
store behaves as any other (indexes, numbers and versions restored along with the records)."""

from __future__ import annotations

from pathlib import Path

import pytest

from edmscore.backup import restore_bundles, write_bundle
from edmscore.storage import MemoryStorage
from edmscore.storage.sql import SqlStorage, sqlite_engine
from edmscore.testing.contract import StorageContract
from edmscore.testing.control_contract import ControlStorageContract

from .conftest import CREATED, populate


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bundle") / "demo"
    write_bundle(populate(MemoryStorage()).storage, root, created_at=CREATED)
    return root


#: Contract cases that count everything in the store (every card a listing returns, the audit log
#: from sequence 1, what a rollback leaves): they assume an empty store, so a restored one —
#: which holds the demo's day — is not theirs. Every other case runs.
_ASSUME_EMPTY = (
    "test_leaving_without_commit_rolls_back_everything",
    "test_keyset_pages_cover_every_match_once_in_order",
    "test_filters_select_exactly_the_matching_cards",
    "test_a_dsp_card_is_returned_only_to_cleared_or_listed_users",
    "test_audit_is_append_only_and_ordered",
    "test_query_filters_by_each_field",
    "test_query_pages_cover_every_match_once_in_order",
    "test_query_hides_assignments_on_restricted_cards",
)


def _without_empty_store_cases(cls: type) -> type:
    for name in _ASSUME_EMPTY:
        if hasattr(cls, name):
            setattr(cls, name, None)
    return cls


class _Restored:
    @pytest.fixture(autouse=True)
    def _bundle(self, bundle: Path, tmp_path: Path) -> None:
        self.bundle = bundle
        self.folder = tmp_path
        self.count = 0


@_without_empty_store_cases
class TestRestoredMemory(_Restored, StorageContract):
    def make_storage(self) -> MemoryStorage:
        storage = MemoryStorage()
        restore_bundles(storage, [self.bundle])
        return storage


@_without_empty_store_cases
class TestRestoredSqlite(_Restored, StorageContract):
    def make_storage(self) -> SqlStorage:
        self.count += 1
        engine = sqlite_engine(self.folder / f"db{self.count}.sqlite", durable=False)
        storage = SqlStorage(engine)
        restore_bundles(storage, [self.bundle])
        return storage


@_without_empty_store_cases
class TestRestoredControl(_Restored, ControlStorageContract):
    def make_storage(self) -> MemoryStorage:
        storage = MemoryStorage()
        restore_bundles(storage, [self.bundle])
        return storage
