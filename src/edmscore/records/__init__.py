"""Records, the core capability: registration cards in journals, their use cases and ports.

- :mod:`edmscore.records.ports` — what the use cases need from storage (:class:`UnitOfWork`,
  :class:`Storage`, the repositories, :class:`CardQuery`), as protocols;
- :mod:`edmscore.records.service` — :class:`RecordsService`: register, read, search, update,
  link, file and delete cards;
- :mod:`edmscore.records.admin` — :class:`AdminService`: the directory, journals and the
  nomenclature of cases;
- :mod:`edmscore.records.signature_records` and :mod:`edmscore.records.signature_service` — a
  card's signature details and check results (:class:`SignatureRecord`, :class:`CardSignatures`);
- :mod:`edmscore.records.memory` — the core in-memory repositories, which the capabilities'
  in-memory repositories build on (hosts use :class:`edmscore.storage.MemoryStorage`).
"""

from __future__ import annotations

from edmscore.records.admin import AdminService
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
from edmscore.records.service import EDITABLE_FIELDS, RecordsService, RegistrationRequest
from edmscore.records.signature_records import (
    EvidenceNote,
    SignatureOrigin,
    SignatureRecord,
    SignatureRecordRepository,
)
from edmscore.records.signature_service import CardSignatures

__all__ = [
    "EDITABLE_FIELDS",
    "MAX_PAGE_SIZE",
    "AdminService",
    "AuditLog",
    "BlobStore",
    "CardCursor",
    "CardPage",
    "CardQuery",
    "CardRepository",
    "CardSignatures",
    "Directory",
    "EvidenceNote",
    "JournalRepository",
    "NomenclatureRepository",
    "NumberAllocator",
    "RecordsService",
    "RegistrationRequest",
    "SignatureOrigin",
    "SignatureRecord",
    "SignatureRecordRepository",
    "Storage",
    "UnitOfWork",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
