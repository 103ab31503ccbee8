"""What a machine-readable power of attorney (МЧД) says: attrs values read from its XML."""

from __future__ import annotations

import enum
import re

import attrs
import pendulum


class PoaFormat(enum.Enum):
    """The XML format of a МЧД file."""

    #: The unified format (единый формат, ``ВерсФорм="EMCHD_1"``, files ``ON_EMCHD_…``).
    EMCHD_1 = "EMCHD_1"
    #: The earlier ФНС format (``ВерсФорм="002"``, files ``ON_DOVBB_…``), still met in archives.
    FNS_002 = "002"


class Substitution(enum.Enum):
    """Whether the representative may pass the powers on (признак передоверия, ``ПрПередов``)."""

    FORBIDDEN = "1"  # без права передоверия
    ONCE = "2"  # однократное передоверие
    ALLOWED = "3"  # с правом последующего передоверия


def digits(value: str | None) -> str | None:
    """The digits of an identifier (СНИЛС «041-855-494 65» → ``04185549465``), ``None`` if none."""
    if value is None:
        return None
    found = re.sub(r"\D", "", value)
    return found or None


@attrs.frozen
class PoaPerson:
    """A natural person named in a МЧД: the representative or the person acting without one."""

    surname: str | None = None
    given_name: str | None = None
    patronymic: str | None = None
    inn: str | None = None
    snils: str | None = None
    position: str | None = None

    @property
    def full_name(self) -> str | None:
        """«Фамилия Имя Отчество» when a name is present."""
        parts = [p for p in (self.surname, self.given_name, self.patronymic) if p]
        return " ".join(parts) if parts else None


@attrs.frozen
class Principal:
    """The principal (доверитель): an organisation, an entrepreneur or a person.

    ``heads`` are the persons acting for an organisation without a power of attorney
    (лицо, действующее без доверенности): the ones who may sign the МЧД itself.
    """

    kind: str  # "organisation", "foreign_organisation", "entrepreneur", "person"
    name: str | None
    inn: str | None = None
    kpp: str | None = None
    ogrn: str | None = None
    heads: tuple[PoaPerson, ...] = ()


@attrs.frozen
class Power:
    """One power granted: a code from the classifier of powers with its name, or free text.

    ``restrictions`` are the names of the limits on a coded power (the document types it covers).
    """

    code: str | None
    name: str
    restrictions: tuple[str, ...] = ()


@attrs.frozen
class ParentPoa:
    """The power of attorney a substituted one (передоверие) rests on, by number."""

    number: str
    original_number: str | None = None


@attrs.frozen
class PowerOfAttorney:
    """A parsed МЧД: its number, dates, principal, representatives and powers.

    ``valid_until`` is the last day of validity (the date ``СрокДейст`` / ``ДатаКонДовер``).
    ``parent`` is set on a substitution (передоверие): the number of the МЧД it rests on.
    ``status_url`` is the registry's address for its status, as the МЧД states it.
    """

    format: PoaFormat
    number: str
    internal_number: str | None
    file_id: str | None
    issued: pendulum.Date
    valid_until: pendulum.Date
    principals: tuple[Principal, ...]
    representatives: tuple[PoaPerson, ...]
    powers: tuple[Power, ...]
    substitution: Substitution
    parent: ParentPoa | None = None
    status_url: str | None = None

    @property
    def principal(self) -> Principal:
        """The first principal (most МЧД have exactly one)."""
        return self.principals[0]

    @property
    def is_substitution(self) -> bool:
        """Whether this МЧД passes on powers received by another (передоверие)."""
        return self.parent is not None
