"""Use cases over a unit of work: what hosts call."""

from __future__ import annotations

from edmscore.services.admin import AdminService
from edmscore.services.records import EDITABLE_FIELDS, RecordsService, RegistrationRequest

__all__ = ["EDITABLE_FIELDS", "AdminService", "RecordsService", "RegistrationRequest"]
