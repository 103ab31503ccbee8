"""The directory: organisations, departments, officials, users and their clearance."""

from __future__ import annotations

from edmscore.directory._model import (
    Clearance,
    Department,
    Official,
    Organisation,
    PersonName,
    RoleGrant,
    User,
    is_valid_inn,
    is_valid_ogrn,
)

__all__ = [
    "Clearance",
    "Department",
    "Official",
    "Organisation",
    "PersonName",
    "RoleGrant",
    "User",
    "is_valid_inn",
    "is_valid_ogrn",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
