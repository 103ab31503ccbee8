"""E-signature mark data from an X.509 certificate (PEM or DER), read with ``cryptography``."""

from __future__ import annotations

import pendulum
from cryptography import x509
from cryptography.x509.oid import NameOID

from edmscore.errors import ValidationError
from edmscore.pdf._marks import SignatureMarkData

__all__ = ["mark_data_from_certificate"]

_MAX_CERTIFICATE = 64 * 1024

# Russian qualified certificates name the person in SN (surname) + GN (name and patronymic);
# CN is the fallback (for an organisation's certificate it holds the organisation's name).
_SURNAME = NameOID.SURNAME
_GIVEN = NameOID.GIVEN_NAME


def _attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    if not values:
        return None
    value = values[0].value
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return text.strip() or None


def _load(data: bytes) -> x509.Certificate:
    if not data:
        raise ValidationError("certificate", "empty input")
    if len(data) > _MAX_CERTIFICATE:
        raise ValidationError("certificate", f"larger than {_MAX_CERTIFICATE} bytes")
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise ValidationError("certificate", f"not an X.509 certificate: {exc}") from exc


def mark_data_from_certificate(data: bytes) -> SignatureMarkData:
    """Read serial, owner, validity, organisation and position from a certificate."""
    cert = _load(data)
    try:
        subject = cert.subject
        surname = _attr(subject, _SURNAME)
        given = _attr(subject, _GIVEN)
        common = _attr(subject, NameOID.COMMON_NAME)
        not_before = cert.not_valid_before_utc
        not_after = cert.not_valid_after_utc
        serial = cert.serial_number
    except ValueError as exc:  # an undecodable name or time
        raise ValidationError("certificate", f"unreadable certificate field: {exc}") from exc
    if surname and given:
        owner = f"{surname} {given}"
    elif common:
        owner = common
    else:
        raise ValidationError("certificate", "the subject names no owner (no SN+GN, no CN)")
    moscow = "Europe/Moscow"
    return SignatureMarkData(
        serial_hex=format(serial, "x"),
        owner=owner,
        valid_from=pendulum.instance(not_before).in_timezone(moscow).date(),
        valid_to=pendulum.instance(not_after).in_timezone(moscow).date(),
        organisation=_attr(subject, NameOID.ORGANIZATION_NAME),
        position=_attr(subject, NameOID.TITLE),
    )
