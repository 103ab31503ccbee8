"""The marks a page can carry: what each one says, independent of where it goes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import attrs
import pendulum

from edmscore.errors import ValidationError, WrongType
from edmscore.pdf._fonts import check_text

__all__ = [
    "CodeMark",
    "ESignatureMark",
    "Facsimile",
    "Mark",
    "RegistrationMark",
    "RestrictionMark",
    "SignatureMarkData",
    "SignerLike",
]


@runtime_checkable
class SignerLike(Protocol):
    """What the e-signature mark needs from a signer (a verification report's signer fits).

    Any object with these attributes plugs in: :meth:`SignatureMarkData.from_signer` reads them.
    """

    @property
    def certificate_serial_hex(self) -> str:
        """The signing certificate's serial number in hexadecimal."""
        ...

    @property
    def owner_full_name(self) -> str:
        """The certificate owner's full name (surname, name, patronymic)."""
        ...

    @property
    def valid_from(self) -> pendulum.Date | pendulum.DateTime:
        """The first day of the certificate's validity."""
        ...

    @property
    def valid_to(self) -> pendulum.Date | pendulum.DateTime:
        """The last day of the certificate's validity."""
        ...

    @property
    def organisation(self) -> str | None:
        """The owner's organisation, when the certificate names one."""
        ...

    @property
    def position(self) -> str | None:
        """The owner's position (title), when the certificate names one."""
        ...


def _as_date(value: datetime.date | str) -> pendulum.Date:
    """A date from a date, a date-time (its own calendar day) or an ISO 8601 string."""
    if isinstance(value, str):
        try:
            parsed = pendulum.parse(value, exact=True)
        except (ValueError, TypeError) as exc:
            raise ValidationError("date", f"not an ISO 8601 date: {value!r}") from exc
        if isinstance(parsed, pendulum.DateTime | pendulum.Date):
            return _as_date(parsed)
        raise ValidationError("date", f"not a date: {value!r}")
    if isinstance(value, pendulum.DateTime):
        return value.date()
    if isinstance(value, datetime.datetime):
        return pendulum.instance(value).date()
    if isinstance(value, datetime.date) and not isinstance(value, pendulum.Date):
        return pendulum.date(value.year, value.month, value.day)
    if not isinstance(value, pendulum.Date):
        raise ValidationError("date", f"not a date: {value!r}")
    return value


def _check_text(field: str, value: str, *, limit: int = 200) -> None:
    if not value.strip():
        raise ValidationError(field, "must not be empty")
    if len(value) > limit:
        raise ValidationError(field, f"longer than {limit} characters")
    if any(ord(ch) < 32 for ch in value):
        raise ValidationError(field, "contains control characters")
    check_text(field, value)


def _normalise_serial(value: str) -> str:
    serial = value.strip().replace(":", "").replace(" ", "").lower()
    if serial.startswith("0x"):
        serial = serial[2:]
    if not serial or any(ch not in "0123456789abcdef" for ch in serial):
        raise ValidationError("serial_hex", f"not a hexadecimal serial number: {value!r}")
    if len(serial) > 80:
        raise ValidationError("serial_hex", "longer than 40 bytes")
    return serial


@attrs.frozen
class SignatureMarkData:
    """The content of an e-signature mark: certificate serial, owner, validity period."""

    serial_hex: str = attrs.field(converter=_normalise_serial)
    owner: str
    valid_from: pendulum.Date = attrs.field(converter=_as_date)
    valid_to: pendulum.Date = attrs.field(converter=_as_date)
    organisation: str | None = None
    position: str | None = None
    #: The number of the machine-readable power of attorney (МЧД) the signer signed under.
    power_of_attorney: str | None = None

    def __attrs_post_init__(self) -> None:
        _check_text("owner", self.owner)
        if self.power_of_attorney is not None:
            _check_text("power_of_attorney", self.power_of_attorney, limit=100)
        if self.organisation is not None:
            _check_text("organisation", self.organisation)
        if self.position is not None:
            _check_text("position", self.position)
        if self.valid_to < self.valid_from:
            raise ValidationError("valid_to", "the validity period ends before it starts")

    @classmethod
    def from_signer(cls, signer: SignerLike) -> SignatureMarkData:
        """Take the mark's data from a signer: a verification report's signer
        (``report.signers[0]``, read from its certificate) or any :class:`SignerLike`."""
        if not isinstance(signer, SignerLike):
            if hasattr(signer, "certificate") and hasattr(signer, "status"):
                from edmscore.pdf._certs import mark_fields_from_signer_report

                return cls(**mark_fields_from_signer_report(signer))
            raise WrongType("signer", "SignerReport or SignerLike", signer)
        return cls(
            serial_hex=signer.certificate_serial_hex,
            owner=signer.owner_full_name,
            valid_from=signer.valid_from,
            valid_to=signer.valid_to,
            organisation=signer.organisation,
            position=signer.position,
        )

    @classmethod
    def from_certificate(cls, data: bytes) -> SignatureMarkData:
        """Read the mark's data from an X.509 certificate in PEM or DER (GOST ones too)."""
        from edmscore.pdf._certs import mark_fields_from_certificate

        return cls(**mark_fields_from_certificate(data))

    @classmethod
    def from_report(cls, report: Any) -> list[SignatureMarkData]:
        """The data of each signer of an ``edmscore.signatures`` verification report, each
        followed by its countersigners: a mark per signature of a jointly signed document.

        A report with МЧД (``edmscore.signatures.mchd.PoaVerification``) adds the МЧД number
        to the signers it names as representatives.

        Whether the report is valid is the caller's decision: check ``report.valid`` first.
        """
        from edmscore.pdf._certs import mark_fields_from_report

        return [cls(**fields) for fields in mark_fields_from_report(report)]

    def lines(self) -> tuple[str, ...]:
        """The mark's data lines, in Russian, as printed: certificate, owner, validity, and the
        МЧД number when the signer signed under a power of attorney."""
        lines = (
            f"Сертификат {self.serial_hex}",
            f"Владелец {self.owner}",
            f"Действителен с {self.valid_from.format('DD.MM.YYYY')}"
            f" по {self.valid_to.format('DD.MM.YYYY')}",
        )
        if self.power_of_attorney:
            return (*lines, f"Доверенность № {self.power_of_attorney}")
        return lines


def _positive_mm(limit: float) -> Callable[[object, attrs.Attribute[float], float], None]:
    def check(instance: object, attribute: attrs.Attribute[float], value: float) -> None:
        if not 0 < value <= limit:
            raise ValidationError(attribute.name, f"must be in (0, {limit}] mm, got {value}")

    return check


@attrs.frozen
class ESignatureMark:
    """The e-signature mark (отметка об электронной подписи, GOST R 7.0.97 requisite 23).

    A framed block: «ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ», the certificate, the owner and the
    validity period; optionally an emblem image (PNG/JPEG bytes) left of the heading.
    ``width_mm`` is the smallest width: the frame grows to fit long lines.
    """

    data: SignatureMarkData
    emblem: bytes | None = None
    width_mm: float = attrs.field(default=75.0, validator=_positive_mm(200))
    color: tuple[int, int, int] = (31, 60, 136)


@attrs.frozen
class Facsimile:
    """A facsimile of a handwritten signature: a PNG (alpha kept) or JPEG image.

    The image is trimmed of its empty margin and scaled to ``width_mm``.
    """

    image: bytes = attrs.field(repr=lambda value: f"<{len(value)} bytes>")
    width_mm: float = attrs.field(default=40.0, validator=_positive_mm(200))


@attrs.frozen
class RegistrationMark:
    """A registration mark: «№ … от …» of the document, or the receipt mark «Вх. № …».

    With ``received=True`` it is the framed receipt mark (отметка о поступлении, requisite 27):
    the organisation's short name, «Вх. № <number>» and the date.
    """

    number: str
    date: pendulum.Date = attrs.field(converter=_as_date)
    organisation: str | None = None
    received: bool = False

    def __attrs_post_init__(self) -> None:
        _check_text("number", self.number, limit=64)
        if self.organisation is not None:
            _check_text("organisation", self.organisation)

    def lines(self) -> tuple[str, ...]:
        """The mark's lines, in Russian, as printed."""
        date = self.date.format("DD.MM.YYYY")
        if self.received:
            head = (self.organisation,) if self.organisation else ()
            return (*head, f"Вх. № {self.number}", f"от {date}")
        head = (self.organisation,) if self.organisation else ()
        return (*head, f"№ {self.number} от {date}")


@attrs.frozen
class RestrictionMark:
    """The ДСП mark: «Для служебного пользования» and «Экз. № N» (top right of the first page)."""

    copy_number: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.copy_number is not None and not 0 < self.copy_number < 1_000_000:
            raise ValidationError("copy_number", "must be a positive number")

    def lines(self) -> tuple[str, ...]:
        """The mark's lines, in Russian, as printed."""
        copy = "__" if self.copy_number is None else str(self.copy_number)
        return ("Для служебного пользования", f"Экз. № {copy}")


@attrs.frozen
class CodeMark:
    """A QR code of the document's card (GOST R 7.0.97-2025: bottom right of the first page).

    Needs the ``qr`` extra (segno). ``caption`` is printed under the code when given.
    """

    data: str
    size_mm: float = attrs.field(default=20.0, validator=_positive_mm(100))
    caption: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.data:
            raise ValidationError("data", "must not be empty")
        if len(self.data) > 2000:
            raise ValidationError("data", "longer than 2000 characters")
        if self.caption is not None:
            _check_text("caption", self.caption, limit=80)


Mark = ESignatureMark | Facsimile | RegistrationMark | RestrictionMark | CodeMark
"""Any mark the stamper can place."""
