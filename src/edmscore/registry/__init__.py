"""Registration cards, journals and numbers, the case nomenclature and retention."""

from __future__ import annotations

from edmscore.registry._enums import AccessMark, CardKind, CardStatus, DeliveryMethod, LinkType
from edmscore.registry.cards import (
    Applicant,
    CardDetails,
    CardLink,
    Correspondent,
    Enclosure,
    FileRef,
    Registration,
    RegistrationCard,
    Signatory,
)
from edmscore.registry.journals import Journal, ResetPeriod
from edmscore.registry.numbering import TEMPLATE_FIELDS, NumberTemplate

__all__ = [
    "TEMPLATE_FIELDS",
    "AccessMark",
    "Applicant",
    "CardDetails",
    "CardKind",
    "CardLink",
    "CardStatus",
    "Correspondent",
    "DeliveryMethod",
    "Enclosure",
    "FileRef",
    "Journal",
    "LinkType",
    "NumberTemplate",
    "Registration",
    "RegistrationCard",
    "ResetPeriod",
    "Signatory",
]
