"""edmscore: the domain logic of an electronic document management system for state bodies.

The names below are the stable public surface for the common case; the subpackages
(``edmscore.registry``, ``edmscore.directory``, ``edmscore.records``, ``edmscore.storage``,
``edmscore.control``, ``edmscore.testing``, …) carry the rest.
"""

from __future__ import annotations

from edmscore.clock import Clock, FixedClock, SystemClock
from edmscore.directory import Clearance, Organisation, User
from edmscore.errors import (
    AccessDenied,
    ConflictError,
    DuplicateNumber,
    EdmsError,
    NotFound,
    StateError,
    ValidationError,
)
from edmscore.records import AdminService, CardQuery, RecordsService, RegistrationRequest
from edmscore.registry import CardDetails, CardKind, Journal, RegistrationCard
from edmscore.storage import MemoryStorage

__version__ = "0.1.0.dev0"

__all__ = [
    "AccessDenied",
    "AdminService",
    "CardDetails",
    "CardKind",
    "CardQuery",
    "Clearance",
    "Clock",
    "ConflictError",
    "DuplicateNumber",
    "EdmsError",
    "FixedClock",
    "Journal",
    "MemoryStorage",
    "NotFound",
    "Organisation",
    "RecordsService",
    "RegistrationCard",
    "RegistrationRequest",
    "StateError",
    "SystemClock",
    "User",
    "ValidationError",
    "__version__",
]
