"""The directory: organisations, departments, officials and users, referenced by id."""

from __future__ import annotations

import enum
import re
from typing import Any

import attrs
import pendulum

from edmscore._validate import (
    field_name,
    frozenset_of,
    non_empty_text,
    optional_text,
    text,
    to_frozenset,
    to_tuple,
)
from edmscore.errors import ValidationError

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


class Clearance(enum.Enum):
    """A user's clearance for restricted documents (допуск)."""

    NONE = "none"
    #: Clearance for documents marked «Для служебного пользования».
    DSP = "dsp"


def _digits_checksum(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def is_valid_inn(value: str) -> bool:
    """Whether ``value`` is a taxpayer number (ИНН) with correct check digits (10 or 12 digits)."""
    if not value.isdigit() or not value.isascii():
        return False
    if len(value) == 10:
        return _digits_checksum(value, (2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(value[9])
    if len(value) == 12:
        first = _digits_checksum(value, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
        second = _digits_checksum(value, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
        return first == int(value[10]) and second == int(value[11])
    return False


def is_valid_ogrn(value: str) -> bool:
    """Whether ``value`` is a state registration number (ОГРН, 13 digits; ОГРНИП, 15 digits)."""
    if not value.isdigit() or not value.isascii():
        return False
    if len(value) == 13:
        return int(value[:12]) % 11 % 10 == int(value[12])
    if len(value) == 15:
        return int(value[:14]) % 13 % 10 == int(value[14])
    return False


def _inn(owner: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not is_valid_inn(value):
        raise ValidationError(field_name(attribute, owner), f"not a valid ИНН: {value!r}")


def _ogrn(owner: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not is_valid_ogrn(value):
        raise ValidationError(field_name(attribute, owner), f"not a valid ОГРН: {value!r}")


def _timezone(owner: object, attribute: attrs.Attribute[Any], value: str) -> None:
    try:
        pendulum.timezone(value)
    except Exception as exc:  # pendulum raises its own error types for unknown zones
        raise ValidationError(field_name(attribute, owner), f"unknown time zone {value!r}") from exc


_MEDO_ID = re.compile(r"[0-9A-Za-z{}\-._@]{1,64}")


def _medo_id(owner: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not _MEDO_ID.fullmatch(value):
        raise ValidationError(field_name(attribute, owner), f"not a MEDO participant id: {value!r}")


# A MEDO mailbox address as envelopes carry it (``GOSD_S~MEDOGU``): one token, no INI syntax.
_MEDO_ADDRESS = re.compile(r"[^\s=\[\];#\x00-\x1f]{1,64}")


def _medo_address(owner: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and not _MEDO_ADDRESS.fullmatch(value):
        raise ValidationError(
            field_name(attribute, owner), f"not a MEDO mailbox address: {value!r}"
        )


@attrs.frozen
class Organisation:
    """An organisation: a state body, a municipality, a subordinate institution or a correspondent.

    ``timezone`` is where its clerks work (the seed region is ``Asia/Yakutsk``); registration dates
    are taken in it. ``medo_id`` is its MEDO participant id (a GUID, the ``communicationPartner``
    uid of its messages); ``medo_address`` its MEDO mailbox address (``GOSD_S~MEDOGU``), which
    transport envelopes carry in ``[АДРЕСАТЫ]``. ``dsp_electronic`` says whether its ДСП policy
    allows electronic images of restricted documents (the federal rules keep them on paper).
    """

    id: str = attrs.field(validator=non_empty_text(64))
    name: str = attrs.field(validator=non_empty_text(1000))
    short_name: str = attrs.field(default="", validator=text(255))
    inn: str | None = attrs.field(default=None, validator=_inn)
    ogrn: str | None = attrs.field(default=None, validator=_ogrn)
    medo_id: str | None = attrs.field(default=None, validator=_medo_id)
    medo_address: str | None = attrs.field(default=None, validator=_medo_address)
    parent_id: str | None = attrs.field(default=None, validator=optional_text(64))
    timezone: str = attrs.field(default="Europe/Moscow", validator=_timezone)
    code: str = attrs.field(default="", validator=text(32))
    dsp_electronic: bool = False


@attrs.frozen
class Department:
    """A structural unit of an organisation (структурное подразделение); ``code`` feeds numbers."""

    id: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    code: str = attrs.field(validator=non_empty_text(32))
    name: str = attrs.field(validator=non_empty_text(1000))
    parent_id: str | None = attrs.field(default=None, validator=optional_text(64))


@attrs.frozen
class PersonName:
    """A person's full name (ФИО): surname, given name, patronymic (may be empty)."""

    surname: str = attrs.field(validator=non_empty_text(100))
    given_name: str = attrs.field(validator=non_empty_text(100))
    patronymic: str = attrs.field(default="", validator=text(100))

    @property
    def full(self) -> str:
        """«Иванов Иван Иванович»."""
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    @property
    def initials(self) -> str:
        """«И.И.» (or «И.» without a patronymic)."""
        return "".join(f"{p[0]}." for p in (self.given_name, self.patronymic) if p)

    @property
    def surname_initials(self) -> str:
        """«Иванов И.И.», as in journals and lists."""
        return f"{self.surname} {self.initials}"

    @property
    def initials_surname(self) -> str:
        """«И.И. Иванов», as under a signature."""
        return f"{self.initials} {self.surname}"

    @classmethod
    def parse(cls, full_name: str) -> PersonName:
        """Split «Фамилия Имя Отчество» (two or more words; the rest goes to the patronymic)."""
        parts = full_name.split()
        if len(parts) < 2:
            raise ValidationError(
                "PersonName", f"need at least a surname and a name: {full_name!r}"
            )
        return cls(parts[0], parts[1], " ".join(parts[2:]))


@attrs.frozen
class Official:
    """An official (должностное лицо): a person in a position of an organisation."""

    id: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    name: PersonName = attrs.field()
    position: str = attrs.field(validator=non_empty_text(500))
    department_id: str | None = attrs.field(default=None, validator=optional_text(64))
    #: The official's own clearance for ДСП (checked when a ДСП draft's route names them).
    clearance: Clearance = attrs.field(default=Clearance.NONE)

    @clearance.validator
    def _check_clearance(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, Clearance):
            raise ValidationError(field_name(attribute, self), "must be a Clearance")

    @name.validator
    def _check_name(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, PersonName):
            raise ValidationError(field_name(attribute, self), "must be a PersonName")


@attrs.frozen
class RoleGrant:
    """A role given to a user, optionally only within one department (картотека).

    ``role`` names a role of the installation's access policy (a built-in one such as
    ``"registrar"`` or one the host defined); ``department_id`` limits the grant to that
    department's journals and cards.
    """

    role: str = attrs.field(validator=non_empty_text(64))
    department_id: str | None = attrs.field(default=None, validator=optional_text(64))


def _role_grants(value: object) -> object:
    """Accept role names as well as grants: ``("registrar",)`` means the whole organisation."""
    items = to_tuple(value)
    if isinstance(items, tuple):
        return tuple(RoleGrant(v) if isinstance(v, str) else v for v in items)
    return items


@attrs.frozen
class User:
    """A user of the system, acting for an official, as the directory stores them.

    ``clearance`` is the admission to ДСП (допуск); ``roles`` are what the user may do (see
    :mod:`edmscore.access`); ``deputy_for`` names the users this one may replace (исполняющий
    обязанности); ``active`` False blocks the user and ``dismissed_on`` ends their access from
    that date on. Use cases never trust a ``User`` a host builds: they load it from the directory
    by id.
    """

    id: str = attrs.field(validator=non_empty_text(64))
    login: str = attrs.field(validator=non_empty_text(128))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    official_id: str | None = attrs.field(default=None, validator=optional_text(64))
    clearance: Clearance = attrs.field(default=Clearance.NONE)
    active: bool = True
    roles: tuple[RoleGrant, ...] = attrs.field(default=(), converter=_role_grants)
    deputy_for: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset, validator=frozenset_of(str)
    )
    dismissed_on: pendulum.Date | None = attrs.field(default=None)

    @clearance.validator
    def _check_clearance(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, Clearance):
            raise ValidationError(field_name(attribute, self), "must be a Clearance")

    @roles.validator
    def _check_roles(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple) or not all(isinstance(g, RoleGrant) for g in value):
            raise ValidationError(field_name(attribute, self), "must be role names or RoleGrants")

    @dismissed_on.validator
    def _check_dismissed(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and (
            not isinstance(value, pendulum.Date) or isinstance(value, pendulum.DateTime)
        ):
            raise ValidationError(field_name(attribute, self), "must be a date")

    def may_act_on(self, day: pendulum.Date) -> bool:
        """Whether the user is active and not dismissed on ``day``."""
        return self.active and (self.dismissed_on is None or day < self.dismissed_on)
