"""The directory: organisations, departments, officials, users, their clearance, and who
stands in for whom (substitutions)."""

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
from edmscore.directory._substitution import (
    MAX_CHAIN,
    Power,
    Substitution,
    SubstitutionSource,
    acting_official,
)

__all__ = [
    "MAX_CHAIN",
    "Clearance",
    "Department",
    "Official",
    "Organisation",
    "PersonName",
    "Power",
    "RoleGrant",
    "Substitution",
    "SubstitutionSource",
    "User",
    "acting_official",
    "is_valid_inn",
    "is_valid_ogrn",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
