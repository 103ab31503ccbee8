"""The old import paths of moved modules still work for one release, with a warning.

The rest of the suite turns these warnings into errors (``filterwarnings`` in pyproject.toml),
so nothing in the repository uses an old path; only this module reads them, on purpose.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

from edmscore.exchange import service as exchange_service
from edmscore.records import admin, ports, service

MOVED = [
    ("edmscore.services", "RecordsService", service),
    ("edmscore.services", "RegistrationRequest", service),
    ("edmscore.services", "EDITABLE_FIELDS", service),
    ("edmscore.services", "AdminService", admin),
    ("edmscore.services.records", "RecordsService", service),
    ("edmscore.services.records", "RegistrationRequest", service),
    ("edmscore.services.records", "EDITABLE_FIELDS", service),
    ("edmscore.services.admin", "AdminService", admin),
    ("edmscore.services.exchange", "ExchangeService", exchange_service),
    ("edmscore.services.exchange", "Received", exchange_service),
    ("edmscore.services.exchange", "ReplyLink", exchange_service),
    ("edmscore.services.exchange", "Sent", exchange_service),
    ("edmscore.services.exchange", "Stuck", exchange_service),
    *(
        ("edmscore.storage.ports", name, ports)
        for name in (
            "AuditLog",
            "BlobStore",
            "CardCursor",
            "CardPage",
            "CardQuery",
            "CardRepository",
            "Directory",
            "JournalRepository",
            "MAX_PAGE_SIZE",
            "NomenclatureRepository",
            "NumberAllocator",
            "Storage",
            "UnitOfWork",
            "page_of",
        )
    ),
]


@pytest.mark.parametrize(("old", "name", "new"), MOVED, ids=lambda v: getattr(v, "__name__", v))
def test_an_old_path_warns_and_gives_the_same_object(old: str, name: str, new: ModuleType) -> None:
    shim = importlib.import_module(old)
    with pytest.warns(DeprecationWarning, match=f"{old}.{name} moved to {new.__name__}.{name}"):
        found = getattr(shim, name)
    assert found is getattr(new, name)


def test_from_import_of_an_old_path_warns_at_the_caller() -> None:
    moved = "edmscore.services.RecordsService moved to edmscore.records.service.RecordsService"
    with pytest.warns(DeprecationWarning, match=moved) as caught:
        from edmscore.services import RecordsService
    assert RecordsService is service.RecordsService
    assert caught[0].filename == __file__


def test_an_unknown_name_is_an_attribute_error_without_a_warning() -> None:
    shim = importlib.import_module("edmscore.services")
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        _ = shim.Nothing
