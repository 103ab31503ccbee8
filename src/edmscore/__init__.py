"""edmscore: the domain logic of an electronic document management system for state bodies.

Start with :class:`Edms`, the one entry point: it wires storage, calendar, clock, signature
checks and the access policy, and exposes every capability's use cases. The names below are the
stable public surface for the common case; the subpackages (``edmscore.registry``,
``edmscore.directory``, ``edmscore.access``, ``edmscore.records``, ``edmscore.storage``,
``edmscore.control``, ``edmscore.testing``, …) carry the rest.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from edmscore.access import AccessPolicy, Permission, Principal, Role
    from edmscore.app import Edms
    from edmscore.clock import Clock, FixedClock, SystemClock
    from edmscore.directory import (
        Clearance,
        Department,
        Official,
        Organisation,
        PersonName,
        RoleGrant,
        User,
    )
    from edmscore.errors import (
        AccessDenied,
        ActorBlocked,
        ConflictError,
        DuplicateNumber,
        EdmsError,
        NotFound,
        PermissionDenied,
        StateError,
        UnknownActor,
        ValidationError,
    )
    from edmscore.records import AdminService, CardQuery, RecordsService, RegistrationRequest
    from edmscore.registry import CardDetails, CardKind, Journal, RegistrationCard
    from edmscore.storage import MemoryStorage

__version__ = "0.1.0.dev0"

# Library logs (one logger per package: edmscore.records, edmscore.exchange…) print nothing
# unless the host configures logging.
logging.getLogger("edmscore").addHandler(logging.NullHandler())

# Each public name and the module that defines it. They are imported on first use, so that
# ``import edmscore`` (and the command line's start) stays light for hosts that use one
# capability alone.
_WHERE: dict[str, str] = {
    "AccessDenied": "edmscore.errors",
    "AccessPolicy": "edmscore.access",
    "ActorBlocked": "edmscore.errors",
    "AdminService": "edmscore.records",
    "CardDetails": "edmscore.registry",
    "CardKind": "edmscore.registry",
    "CardQuery": "edmscore.records",
    "Clearance": "edmscore.directory",
    "Clock": "edmscore.clock",
    "ConflictError": "edmscore.errors",
    "Department": "edmscore.directory",
    "DuplicateNumber": "edmscore.errors",
    "Edms": "edmscore.app",
    "EdmsError": "edmscore.errors",
    "FixedClock": "edmscore.clock",
    "Journal": "edmscore.registry",
    "MemoryStorage": "edmscore.storage",
    "NotFound": "edmscore.errors",
    "Official": "edmscore.directory",
    "Organisation": "edmscore.directory",
    "Permission": "edmscore.access",
    "PermissionDenied": "edmscore.errors",
    "PersonName": "edmscore.directory",
    "Principal": "edmscore.access",
    "RecordsService": "edmscore.records",
    "RegistrationCard": "edmscore.registry",
    "RegistrationRequest": "edmscore.records",
    "Role": "edmscore.access",
    "RoleGrant": "edmscore.directory",
    "StateError": "edmscore.errors",
    "SystemClock": "edmscore.clock",
    "UnknownActor": "edmscore.errors",
    "User": "edmscore.directory",
    "ValidationError": "edmscore.errors",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'edmscore' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


__all__ = [
    "AccessDenied",
    "AccessPolicy",
    "ActorBlocked",
    "AdminService",
    "CardDetails",
    "CardKind",
    "CardQuery",
    "Clearance",
    "Clock",
    "ConflictError",
    "Department",
    "DuplicateNumber",
    "Edms",
    "EdmsError",
    "FixedClock",
    "Journal",
    "MemoryStorage",
    "NotFound",
    "Official",
    "Organisation",
    "Permission",
    "PermissionDenied",
    "PersonName",
    "Principal",
    "RecordsService",
    "RegistrationCard",
    "RegistrationRequest",
    "Role",
    "RoleGrant",
    "StateError",
    "SystemClock",
    "UnknownActor",
    "User",
    "ValidationError",
    "__version__",
]
