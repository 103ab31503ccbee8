"""edmscore: the domain logic of an electronic document management system for state bodies.

Start with :class:`Edms`, the one entry point: it wires storage, calendar, clock, signature
checks and the access policy, and exposes every capability's use cases. The names below are the
stable public surface for the common case; the subpackages (``edmscore.registry``,
``edmscore.directory``, ``edmscore.access``, ``edmscore.records``, ``edmscore.storage``,
``edmscore.control``, ``edmscore.testing``, …) carry the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from edmscore.access import AccessPolicy, Permission, Principal, Role
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

if TYPE_CHECKING:
    from edmscore.app import Edms

__version__ = "0.1.0.dev0"


def __getattr__(name: str) -> Any:
    # The entry point imports every capability; load it on first use, so that
    # ``import edmscore`` stays light for hosts that use one capability alone.
    if name == "Edms":
        from edmscore.app import Edms

        return Edms
    raise AttributeError(f"module 'edmscore' has no attribute {name!r}")


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
