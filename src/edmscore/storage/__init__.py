"""The storage adapters: the in-memory one (the embedded default) and the SQL one (``sql``).

The ports they implement live with the use cases, in :mod:`edmscore.records.ports` and each
capability's ``ports`` module; the names below are re-exported for convenience.
"""

from __future__ import annotations

from edmscore.records.ports import (
    MAX_PAGE_SIZE,
    AuditLog,
    BlobStore,
    CardCursor,
    CardPage,
    CardQuery,
    CardRepository,
    Directory,
    JournalRepository,
    NomenclatureRepository,
    NumberAllocator,
    Storage,
    UnitOfWork,
)
from edmscore.storage.memory import MemoryStorage

__all__ = [
    "MAX_PAGE_SIZE",
    "AuditLog",
    "BlobStore",
    "CardCursor",
    "CardPage",
    "CardQuery",
    "CardRepository",
    "Directory",
    "JournalRepository",
    "MemoryStorage",
    "NomenclatureRepository",
    "NumberAllocator",
    "Storage",
    "UnitOfWork",
]
