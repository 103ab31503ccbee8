"""Registration cards (регистрационные карточки) and the values they are made of.

A :class:`RegistrationCard` is what the storage keeps: identity, organisation, the registration
(journal, number, date), the status, a version for optimistic concurrency, and the descriptive
:class:`CardDetails`. Everything is frozen; a change is a new value (``attrs.evolve``) that the
service layer stores with a version check. Validation happens at construction and names the field.
"""

from __future__ import annotations

import re
from typing import Any

import attrs
import pendulum

from edmscore._validate import (
    aware_datetime,
    date_value,
    field_name,
    frozenset_of,
    instance_of,
    non_empty_text,
    non_negative_int,
    optional,
    optional_text,
    positive_int,
    sha256_hex,
    text,
    to_date,
    to_frozenset,
    to_tuple,
    tuple_of,
)
from edmscore.directory import PersonName
from edmscore.errors import ValidationError
from edmscore.registry._enums import AccessMark, CardKind, CardStatus, DeliveryMethod, LinkType

__all__ = [
    "Applicant",
    "CardDetails",
    "CardLink",
    "Correspondent",
    "Enclosure",
    "FileRef",
    "Registration",
    "RegistrationCard",
    "Signatory",
]

_FILE_NAME_FORBIDDEN = re.compile(r"[\x00-\x1f/\\]")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@attrs.frozen
class Correspondent:
    """A sender or an addressee: an organisation (by directory id when known) and a person in it.

    ``name`` is what is printed (the organisation's name, or a person's for private senders);
    ``person`` the official there («Министр финансов Иванов И.И.»), may be empty.
    """

    name: str = attrs.field(validator=non_empty_text(1000))
    organisation_id: str | None = attrs.field(default=None, validator=optional_text(64))
    person: str = attrs.field(default="", validator=text(500))


@attrs.frozen
class Signatory:
    """Who signed the document: position and name, with the directory id when known."""

    name: str = attrs.field(validator=non_empty_text(300))
    position: str = attrs.field(default="", validator=text(500))
    official_id: str | None = attrs.field(default=None, validator=optional_text(64))


@attrs.frozen
class Enclosure:
    """An enclosure (приложение) and its sheets."""

    title: str = attrs.field(validator=non_empty_text(1000))
    sheets: int = attrs.field(default=0, validator=non_negative_int)
    copies: int = attrs.field(default=1, validator=positive_int)


def _file_name(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    non_empty_text(255)(owner, attribute, value)
    assert isinstance(value, str)
    if _FILE_NAME_FORBIDDEN.search(value) or value in (".", ".."):
        raise ValidationError(field_name(attribute, owner), f"not a plain file name: {value!r}")


def _media_type(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _MEDIA_TYPE.fullmatch(value):
        raise ValidationError(field_name(attribute, owner), f"not a media type: {value!r}")


#: The most recognised text one file keeps for search (characters).
MAX_FILE_TEXT = 200_000


@attrs.frozen
class FileRef:
    """A file of a card; its content lives in the blob store under ``sha256``.

    ``text`` is the file's recognised text (OCR of a scan), which card search finds; empty when
    the file has none.
    """

    name: str = attrs.field(validator=_file_name)
    size: int = attrs.field(validator=non_negative_int)
    sha256: str = attrs.field(validator=sha256_hex)
    media_type: str = attrs.field(default="application/octet-stream", validator=_media_type)
    text: str = attrs.field(default="", validator=text(MAX_FILE_TEXT), repr=False)


@attrs.frozen
class CardLink:
    """A link to another card (связка): «в ответ на», «во исполнение», «дубликат», …"""

    target_id: str = attrs.field(validator=non_empty_text(64))
    link_type: LinkType = attrs.field(validator=instance_of(LinkType))
    note: str = attrs.field(default="", validator=text(500))


def _email(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    text(254)(owner, attribute, value)
    if value and not _EMAIL.fullmatch(str(value)):
        raise ValidationError(field_name(attribute, owner), f"not an e-mail address: {value!r}")


@attrs.frozen
class Applicant:
    """The author of a citizens' appeal (заявитель); a collective appeal has several."""

    name: PersonName = attrs.field(validator=instance_of(PersonName))
    postal_address: str = attrs.field(default="", validator=text(1000))
    email: str = attrs.field(default="", validator=_email)
    phone: str = attrs.field(default="", validator=text(50))


@attrs.frozen
class Registration:
    """The registration of a card: journal, number, date and the counter value behind the number.

    ``seq`` is None for a manual number (ручной номер). ``period`` is the counter's period (the
    registration year for a journal that restarts yearly, 0 for one that never does): a number is
    unique within its journal and period.
    """

    journal_id: str = attrs.field(validator=non_empty_text(64))
    number: str = attrs.field(validator=non_empty_text(64))
    date: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    period: int = attrs.field(validator=non_negative_int)
    seq: int | None = attrs.field(default=None, validator=optional(positive_int))


def _dates(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        date_value(owner, attribute, value)


@attrs.frozen
class CardDetails:
    """What a card says about its document: the registration data of the 2019 rules.

    Required by kind: incoming — a correspondent and the date received; outgoing — an addressee
    and a signatory; internal — a signatory; appeal — an applicant.
    """

    kind: CardKind = attrs.field(validator=instance_of(CardKind))
    document_kind: str = attrs.field(validator=non_empty_text(200))
    summary: str = attrs.field(validator=non_empty_text(4000))
    document_date: pendulum.Date | None = attrs.field(
        default=None, converter=to_date, validator=_dates
    )
    correspondents: tuple[Correspondent, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Correspondent)
    )
    sender_number: str | None = attrs.field(default=None, validator=optional_text(64))
    sender_date: pendulum.Date | None = attrs.field(
        default=None, converter=to_date, validator=_dates
    )
    received_on: pendulum.Date | None = attrs.field(
        default=None, converter=to_date, validator=_dates
    )
    addressees: tuple[Correspondent, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Correspondent)
    )
    signatories: tuple[Signatory, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Signatory)
    )
    executor_id: str | None = attrs.field(default=None, validator=optional_text(64))
    department_id: str | None = attrs.field(default=None, validator=optional_text(64))
    sheets: int = attrs.field(default=0, validator=non_negative_int)
    enclosures: tuple[Enclosure, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Enclosure)
    )
    delivery_method: DeliveryMethod | None = attrs.field(
        default=None, validator=optional(instance_of(DeliveryMethod))
    )
    case_id: str | None = attrs.field(default=None, validator=optional_text(64))
    case_index: str | None = attrs.field(default=None, validator=optional_text(50))
    access: AccessMark = attrs.field(default=AccessMark.OPEN, validator=instance_of(AccessMark))
    access_list: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=frozenset_of(str)
    )
    #: Organisations of the installation the card was shared with (delivered to): their users see
    #: it as if it were their own, ДСП clearance still applying.
    shared_with: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=frozenset_of(str)
    )
    links: tuple[CardLink, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(CardLink)
    )
    files: tuple[FileRef, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(FileRef)
    )
    applicants: tuple[Applicant, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Applicant)
    )
    on_control: bool = attrs.field(default=False, validator=instance_of(bool))
    notes: str = attrs.field(default="", validator=text(4000))

    def __attrs_post_init__(self) -> None:
        kind = self.kind
        if kind is CardKind.INCOMING:
            if not self.correspondents:
                raise ValidationError("correspondents", "an incoming document needs its sender")
            if self.received_on is None:
                raise ValidationError("received_on", "an incoming document needs the date received")
        if kind is CardKind.OUTGOING and not self.addressees:
            raise ValidationError("addressees", "an outgoing document needs an addressee")
        if kind in (CardKind.OUTGOING, CardKind.INTERNAL) and not self.signatories:
            raise ValidationError("signatories", f"an {kind.value} document needs a signatory")
        if kind is CardKind.APPEAL and not self.applicants:
            raise ValidationError("applicants", "a citizens' appeal needs an applicant")
        if (
            self.sender_date is not None
            and self.received_on is not None
            and self.sender_date > self.received_on
        ):
            raise ValidationError("sender_date", "the sender's date is after the date received")
        if self.case_index is not None and self.case_id is None:
            raise ValidationError("case_index", "a case index needs the case's id")
        for user_id in self.access_list:
            if not isinstance(user_id, str) or not user_id:
                raise ValidationError("access_list", f"not a user id: {user_id!r}")
        names = [f.name for f in self.files]
        if len(set(names)) != len(names):
            raise ValidationError("files", "two files with the same name")
        targets = [(link.target_id, link.link_type) for link in self.links]
        if len(set(targets)) != len(targets):
            raise ValidationError("links", "the same link twice")


def _card_id(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    non_empty_text(64)(owner, attribute, value)


@attrs.frozen
class RegistrationCard:
    """A registered document's card (РК): identity, registration, status, version and details."""

    id: str = attrs.field(validator=_card_id)
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    registration: Registration = attrs.field(validator=instance_of(Registration))
    details: CardDetails = attrs.field(validator=instance_of(CardDetails))
    registered_at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    registered_by: str = attrs.field(validator=non_empty_text(64))
    status: CardStatus = attrs.field(
        default=CardStatus.REGISTERED, validator=instance_of(CardStatus)
    )
    version: int = attrs.field(default=1, validator=positive_int)

    def __attrs_post_init__(self) -> None:
        if any(link.target_id == self.id for link in self.details.links):
            raise ValidationError("links", "a card cannot link to itself")
        received = self.details.received_on
        if received is not None and received > self.registration.date:
            raise ValidationError("received_on", "the date received is after the registration date")

    @property
    def kind(self) -> CardKind:
        """The card's kind."""
        return self.details.kind

    @property
    def number(self) -> str:
        """The registration number."""
        return self.registration.number

    @property
    def access(self) -> AccessMark:
        """The access mark."""
        return self.details.access

    @property
    def is_deleted(self) -> bool:
        """Whether the card was deleted (moved to the deleted state)."""
        return self.status is CardStatus.DELETED
