"""The fields of an e-signature mark read from an X.509 certificate (PEM or DER, with
``cryptography``) or a verification report; :class:`~edmscore.pdf.SignatureMarkData` is built
from them (this module does not know the class, so the two do not import each other)."""

from __future__ import annotations

from typing import Any

import pendulum
from cryptography import x509
from cryptography.x509.oid import NameOID

from edmscore._validate import expect
from edmscore.errors import ValidationError, WrongType

__all__ = [
    "MarkFields",
    "mark_fields_from_certificate",
    "mark_fields_from_report",
    "mark_fields_from_signer_report",
]

#: The keyword arguments of a ``SignatureMarkData``.
MarkFields = dict[str, Any]

_MAX_CERTIFICATE = 64 * 1024
_MOSCOW = "Europe/Moscow"

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
    expect(data, (bytes, bytearray), "certificate")
    data = bytes(data)
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


def mark_fields_from_certificate(data: bytes) -> MarkFields:
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
    moscow = _MOSCOW
    return {
        "serial_hex": format(serial, "x"),
        "owner": owner,
        "valid_from": pendulum.instance(not_before).in_timezone(moscow).date(),
        "valid_to": pendulum.instance(not_after).in_timezone(moscow).date(),
        "organisation": _attr(subject, NameOID.ORGANIZATION_NAME),
        "position": _attr(subject, NameOID.TITLE),
    }


def mark_fields_from_report(report: Any) -> list[MarkFields]:
    """The mark fields of each signer of a verification report (``edmscore.signatures``).

    Read by shape, not by type: each of ``report.signers`` has a ``certificate`` with
    ``serial`` (hex), ``subject``, ``not_before``/``not_after`` and ``fields`` (``full_name``,
    ``common_name``, ``organization``, ``position``). Each signer's countersigners
    (``countersignatures``: a countersignature, заверительная подпись, is a signature of the
    document too) follow it. Signers without a certificate are left out; whether the report is
    valid is the caller's decision.
    """
    poa_reports = getattr(report, "poa_reports", None)
    if poa_reports is not None:  # a signature with its МЧД: the signature's report inside
        report = getattr(report, "signature", None)
    signers = getattr(report, "signers", None)
    if signers is None:
        raise WrongType("report", "VerificationReport", report)
    numbers: list[str | None] = [
        poa.number if getattr(poa, "representative", None) else None for poa in (poa_reports or ())
    ]
    numbers += [None] * (len(signers) - len(numbers))
    found: list[MarkFields] = []
    for signer, number in zip(signers, numbers, strict=True):
        if getattr(signer, "certificate", None) is not None:
            found.append({**mark_fields_from_signer_report(signer), "power_of_attorney": number})
        found.extend(
            mark_fields_from_signer_report(counter)
            for counter in _countersigners(signer)
            if getattr(counter, "certificate", None) is not None
        )
    return found


def _countersigners(signer: Any) -> list[Any]:
    """The countersigners of ``signer`` and of their countersignatures, depth first."""
    found = []
    for counter in getattr(signer, "countersignatures", ()) or ():
        found.append(counter)
        found.extend(_countersigners(counter))
    return found


def mark_fields_from_signer_report(signer: Any) -> MarkFields:
    """The mark fields of one signer of a verification report (its ``certificate``)."""
    cert = signer.certificate
    if cert is None:
        raise ValidationError("signer.certificate", "the signer's certificate is unknown")
    fields = cert.fields
    full_name = fields.full_name
    if callable(full_name):
        full_name = full_name()
    return {
        "serial_hex": cert.serial,
        "owner": full_name or fields.common_name or cert.subject,
        "valid_from": pendulum.instance(cert.not_before).in_timezone(_MOSCOW).date(),
        "valid_to": pendulum.instance(cert.not_after).in_timezone(_MOSCOW).date(),
        "organisation": fields.organization,
        "position": fields.position,
    }
