"""The adapter parametrisation of the use-case tests gives what it promises (tests/_adapters.py)."""

from __future__ import annotations

import pytest

from edmscore.errors import NotFound
from edmscore.storage import MemoryStorage
from edmscore.storage.sql import SqlStorage
from edmscore.testing import make_world, store_world
from tests._adapters import AnyStorage, StorageFactory

_DIALECTS = {"sqlite": "sqlite", "postgres": "postgresql"}


def test_each_adapter_gives_a_fresh_storage_of_its_kind(
    storage: AnyStorage, new_storage: StorageFactory, storage_adapter: str
) -> None:
    if storage_adapter == "memory":
        assert isinstance(storage, MemoryStorage)
    else:
        assert isinstance(storage, SqlStorage)
        assert storage.dialect == _DIALECTS[storage_adapter]
    world = store_world(storage, make_world())
    other = new_storage()
    assert type(other) is type(storage)
    with storage.unit_of_work() as uow:
        assert uow.journals.get(world.journal.id) == world.journal
    with other.unit_of_work() as uow, pytest.raises(NotFound):  # the next one is empty
        uow.journals.get(world.journal.id)


@pytest.mark.memory_only
def test_a_memory_only_test_runs_on_memory_alone(storage: AnyStorage, storage_adapter: str) -> None:
    assert storage_adapter == "memory"
    assert isinstance(storage, MemoryStorage)
