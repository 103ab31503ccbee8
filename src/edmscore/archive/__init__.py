"""The archive: case files, inventories, destruction acts, legal holds and deleted cards.

Built on the records rules and the rules for keeping archival documents in state bodies in force
now (приказ Росархива от 31.07.2023 № 77, which replaced the 2015 rules of приказ Минкультуры
№ 526), with the retention notation of the standard list (приказ Росархива от 20.12.2019 № 236):

- :class:`CaseFile` — a case of the nomenclature as a file: documents, sheets, dates, volumes,
  internal inventory, state (:class:`CaseState`), legal hold;
- :class:`Inventory` — an inventory of cases (опись дел) of one :class:`InventoryKind`, with its
  closing note in figures and words and the commission's :class:`CommissionApproval`;
- :class:`DestructionAct` — the act on selecting cases for destruction, its eight columns, total
  and reference to the approved inventories; :func:`select_for_destruction` picks the cases;
- :class:`ArchiveService` — the use cases (close the year, draw up and approve inventories and
  acts, holds, destruction, the deleted cards), for the ``archive`` permission;
- :mod:`edmscore.archive.ports` — what storage must offer; :mod:`edmscore.archive.render` — the
  forms as PDF, XLSX and DOCX, and typed rows;
- :class:`TransferService` — transfer to the organisation's and the state archive on approved
  inventories, the acceptance act (:class:`TransferAct`, forms in
  :mod:`edmscore.archive.transfer_render`), kept by :mod:`edmscore.archive.transfer_store`.
"""

from __future__ import annotations

from edmscore.archive._case_file import (
    DEFAULT_VOLUME_SHEETS,
    CaseFile,
    CaseState,
    FiledDocument,
    InternalInventoryRow,
    Volume,
)
from edmscore.archive._destruction import (
    ACT_HEADERS,
    ActRow,
    ActState,
    Blocked,
    BlockReason,
    DestructionAct,
    DestructionSelection,
    select_for_destruction,
)
from edmscore.archive._inventory import (
    HEADERS_PERMANENT,
    HEADERS_TEMPORARY,
    Commission,
    CommissionApproval,
    Inventory,
    InventoryKind,
    InventoryRow,
    inventory_kind_of,
    years_text,
)
from edmscore.archive._transfer import (
    DEFAULT_HOLDING_YEARS,
    TRANSFER_HEADERS,
    TransferAct,
    TransferDestination,
    TransferRow,
    TransferState,
    check_transferable,
)
from edmscore.archive._words import Gender, counted, in_words, plural
from edmscore.archive.ports import ArchiveRepository, ArchiveStorage, ArchiveUnitOfWork
from edmscore.archive.service import ArchiveService, YearEnd
from edmscore.archive.transfer import TransferService

__all__ = [
    "ACT_HEADERS",
    # transfer to the archive (acceptance acts)
    "DEFAULT_HOLDING_YEARS",
    "DEFAULT_VOLUME_SHEETS",
    "HEADERS_PERMANENT",
    "HEADERS_TEMPORARY",
    "TRANSFER_HEADERS",
    "ActRow",
    "ActState",
    "ArchiveRepository",
    "ArchiveService",
    "ArchiveStorage",
    "ArchiveUnitOfWork",
    "BlockReason",
    "Blocked",
    "CaseFile",
    "CaseState",
    "Commission",
    "CommissionApproval",
    "DestructionAct",
    "DestructionSelection",
    "FiledDocument",
    "Gender",
    "InternalInventoryRow",
    "Inventory",
    "InventoryKind",
    "InventoryRow",
    "TransferAct",
    "TransferDestination",
    "TransferRow",
    "TransferService",
    "TransferState",
    "Volume",
    "YearEnd",
    "check_transferable",
    "counted",
    "in_words",
    "inventory_kind_of",
    "plural",
    "select_for_destruction",
    "years_text",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
