"""Who is who in a MEDO message: participants, persons and bodies, numbers and references."""

from __future__ import annotations

import pendulum
from attrs import field, frozen

from edmscore.exchange.medo._checks import (
    check_guid,
    check_min_items,
    check_text,
    optional,
)

__all__ = [
    "Addressee",
    "AddresseeList",
    "Correspondent",
    "DocumentNumber",
    "DocumentReference",
    "Partner",
    "Party",
    "QualifiedValue",
    "Signatory",
]

_COMMENT = optional(check_text("comment", 1, 2047))


@frozen
class QualifiedValue:
    """A value the sender may have taken from its own classifier (``qualifiedValue``)."""

    value: str = field(validator=check_text("value", 1, 511, "normalized"))
    id: str | None = field(default=None, validator=optional(check_text("@id", 1, 127, "token")))
    retro: bool | None = None
    modified: pendulum.DateTime | None = None


@frozen
class Partner:
    """A MEDO participant (``communicationPartner``): its MEDO id and its name."""

    uid: str = field(validator=check_guid("@uid"))
    organization: str = field(validator=check_text("organization", 1, 511, "normalized"))
    comment: str | None = field(default=None, validator=_COMMENT)

    def same_participant(self, other: Partner) -> bool:
        """Whether both name the same MEDO id (GUIDs compare case-insensitively)."""
        return self.uid.lower() == other.uid.lower()


@frozen
class Party:
    """A person or body as MEDO describes one (``anyone``); every part is optional."""

    region: QualifiedValue | None = None
    organization: QualifiedValue | None = None
    person: QualifiedValue | None = None
    department: QualifiedValue | None = None
    post: QualifiedValue | None = None
    contact_info: str | None = field(
        default=None, validator=optional(check_text("contactInfo", 1, 511))
    )

    def display(self) -> str:
        """A one-line description: organisation, post, person."""
        parts = [self.organization, self.department, self.post, self.person]
        return ", ".join(p.value for p in parts if p is not None)


@frozen
class Addressee:
    """An addressee or executor: a party, an optional MEDO id and a comment."""

    party: Party = Party()
    comment: str | None = field(default=None, validator=_COMMENT)
    uid: str | None = field(default=None, validator=optional(check_guid("@uid")))


@frozen
class AddresseeList:
    """A named list of addressees (``addresseeList``), used for the executors of a clause."""

    name: str = field(validator=check_text("name", 0, 250, "normalized"))
    contents: tuple[Addressee, ...] = field(validator=check_min_items("contents/addressee", 1))
    id: str | None = field(default=None, validator=optional(check_text("@id", 1, 127, "token")))


@frozen
class DocumentNumber:
    """A document's number (a token of 1–31 characters) and its date."""

    number: str = field(validator=check_text("number", 1, 31, "token"))
    date: pendulum.Date | None = None


@frozen
class Signatory:
    """A person who signed the document, and the date of signing."""

    party: Party
    signed: pendulum.Date
    comment: str | None = field(default=None, validator=_COMMENT)


@frozen
class Correspondent:
    """A correspondent of the document, with its own number where it has one."""

    party: Party = Party()
    num: DocumentNumber | None = None
    comment: str | None = field(default=None, validator=_COMMENT)


@frozen
class DocumentReference:
    """A reference to some document: its number and who issued it (``documentReference``).

    The party's ``contact_info`` has no place in a reference and must stay ``None``.
    """

    num: DocumentNumber
    party: Party = field(default=Party())
    comment: str | None = field(default=None, validator=_COMMENT)

    @party.validator
    def _no_contact(self, _attr: object, value: Party) -> None:
        if value.contact_info is not None:
            from edmscore.errors import ValidationError

            raise ValidationError("contactInfo", "a document reference has no contact info")
