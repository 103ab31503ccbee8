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
from edmscore.registry.nomenclature import (
    Case,
    Nomenclature,
    NomenclatureSection,
    NomenclatureSummary,
    render_nomenclature_table,
)
from edmscore.registry.numbering import TEMPLATE_FIELDS, NumberTemplate
from edmscore.registry.retention import (
    RetentionCategory,
    RetentionKind,
    RetentionPeriod,
    format_retention,
    parse_retention,
)

__all__ = [
    "TEMPLATE_FIELDS",
    "AccessMark",
    "Applicant",
    "CardDetails",
    "CardKind",
    "CardLink",
    "CardStatus",
    "Case",
    "Correspondent",
    "DeliveryMethod",
    "Enclosure",
    "FileRef",
    "Journal",
    "LinkType",
    "Nomenclature",
    "NomenclatureSection",
    "NomenclatureSummary",
    "NumberTemplate",
    "Registration",
    "RegistrationCard",
    "ResetPeriod",
    "RetentionCategory",
    "RetentionKind",
    "RetentionPeriod",
    "Signatory",
    "format_retention",
    "parse_retention",
    "render_nomenclature_table",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
