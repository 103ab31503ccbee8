"""Deprecated: the storage ports moved to :mod:`edmscore.records.ports`.

Every name still reads from here for one release, with a :class:`DeprecationWarning`.
"""

from __future__ import annotations

from typing import Any

from edmscore import _deprecated
from edmscore.records import ports as _ports

_NAMES = [
    "AuditLog",
    "BlobStore",
    "CardCursor",
    "CardPage",
    "CardQuery",
    "CardRepository",
    "Directory",
    "JournalRepository",
    "NomenclatureRepository",
    "NumberAllocator",
    "Storage",
    "UnitOfWork",
]

_MOVED = dict.fromkeys((*_NAMES, "MAX_PAGE_SIZE", "page_of"), _ports)


def __getattr__(name: str) -> Any:
    return _deprecated.moved(__name__, name, _MOVED)
