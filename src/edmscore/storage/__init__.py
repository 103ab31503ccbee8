"""Storage ports (protocols) and the in-memory adapter, the embedded default."""

from __future__ import annotations

from edmscore.storage.memory import MemoryStorage
from edmscore.storage.ports import (
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
