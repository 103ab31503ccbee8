"""edmscore: the domain logic of an electronic document management system for state bodies.

The names below are the stable public surface; subpackages (``edmscore.registry``,
``edmscore.storage``, ``edmscore.services``, ``edmscore.calendar``, …) carry the rest.
"""

from __future__ import annotations

from edmscore.errors import (
    AccessDenied,
    ConflictError,
    DuplicateNumber,
    EdmsError,
    NotFound,
    ValidationError,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "AccessDenied",
    "ConflictError",
    "DuplicateNumber",
    "EdmsError",
    "NotFound",
    "ValidationError",
    "__version__",
]
