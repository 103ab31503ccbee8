"""The in-memory adapter passes the whole contract suite, plus its own integrity checks."""

from __future__ import annotations

import pytest

from edmscore.errors import IntegrityError, StateError
from edmscore.storage import MemoryStorage
from edmscore.testing.bulk_contract import BulkContract
from edmscore.testing.contract import StorageContract


class TestMemoryStorage(StorageContract):
    def make_storage(self) -> MemoryStorage:
        return MemoryStorage()


def test_a_tampered_blob_is_detected_on_read() -> None:
    storage = MemoryStorage()
    with storage.unit_of_work() as uow:
        digest = uow.blobs.put(b"original")
        uow.commit()
    storage._state.blobs[digest] = b"tampered"
    with storage.unit_of_work() as uow, pytest.raises(IntegrityError):
        uow.blobs.get(digest)


def test_blob_size_is_bounded() -> None:
    storage = MemoryStorage(max_blob_size=4)
    with storage.unit_of_work() as uow, pytest.raises(ValueError, match="limit"):
        uow.blobs.put(b"12345")


def test_writes_outside_a_with_block_are_refused() -> None:
    storage = MemoryStorage()
    uow = storage.unit_of_work()
    with pytest.raises(StateError):
        uow.numbers.next("k")


class TestMemoryBulk(BulkContract):
    """The bulk port (backup, restore, import) in memory."""

    def make_storage(self) -> MemoryStorage:
        return MemoryStorage()
