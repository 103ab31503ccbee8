"""Every table and every piece of in-memory state is covered by a record kind of the backup.

When a capability adds a table (or a memory table), these tests fail until the backup learns
the new kind: a :class:`~edmscore.backup.RecordKind`, its export and import in both adapters
and its tables in ``SQL_TABLES`` / ``MEMORY_TABLES``.
"""

from __future__ import annotations

from typing import Any

import pytest

from edmscore.backup import RECORD_KINDS
from edmscore.storage import MemoryStorage
from edmscore.storage._memory_bulk import MEMORY_TABLES
from edmscore.storage.sql._bulk import SQL_TABLES
from edmscore.storage.sql._schema import metadata

from .conftest import populate

#: Tables that hold no record: the schema's own version.
NOT_RECORDS = {"edms_schema_version"}
FILES = "<files>"


def test_every_sql_table_belongs_to_one_kind() -> None:
    covered = [table for tables in SQL_TABLES.values() for table in tables]
    assert len(covered) == len(set(covered)), "a table listed under two kinds"
    missing = set(metadata.tables) - set(covered) - NOT_RECORDS
    assert not missing, f"tables no backup kind covers: {sorted(missing)}"
    assert set(covered) <= set(metadata.tables)


def test_the_kinds_are_the_adapters_kinds() -> None:
    names = {kind.name for kind in RECORD_KINDS}
    assert names == set(SQL_TABLES) - {FILES}
    assert names == set(MEMORY_TABLES) - {FILES}
    assert len(names) == len(RECORD_KINDS)
    assert RECORD_KINDS[-1].name == "audit"  # written last: the manifest's audit sequence


def _memory_state(storage: MemoryStorage) -> set[str]:
    """Every table of a memory storage's state, capability tables as ``<slot>.<table>``."""
    state: Any = storage._state
    names = {name for name in vars(state) if name != "extensions"}
    for slot, tables in state.extensions.items():
        if isinstance(tables, dict):  # a capability keeping one table in its slot
            names.add(slot)
        else:
            names.update(f"{slot}.{name}" for name in vars(tables))
    return names


@pytest.mark.memory_only
def test_every_memory_table_belongs_to_one_kind(storage: MemoryStorage) -> None:
    populate(storage)
    with storage.unit_of_work() as uow:  # open every capability's tables
        for name in ("assignments", "drafts", "appeals", "dispatches"):
            getattr(uow, name)
    covered = [table for tables in MEMORY_TABLES.values() for table in tables]
    assert len(covered) == len(set(covered))
    missing = _memory_state(storage) - set(covered)
    assert not missing, f"memory tables no backup kind covers: {sorted(missing)}"
