"""X.509 certificates and CRLs, decoded once into plain values."""

from __future__ import annotations

from datetime import datetime

import attrs
import pendulum
from asn1crypto import core, x509
from asn1crypto import crl as asn1_crl

from edmscore.errors import CertificateFormatError, CrlFormatError
from edmscore.signatures import _asn1
from edmscore.signatures._decode import guarded, to_der
from edmscore.signatures._subject import SubjectFields, attribute_pairs, name_text, subject_fields

MAX_CERTIFICATE_BYTES = 1 << 20
MAX_CRL_BYTES = 32 << 20


@attrs.frozen
class AlgorithmRef:
    """An algorithm identifier: its dotted OID and the DER of its parameters (if any)."""

    oid: str
    parameters: bytes | None = None


def _instant(value: datetime) -> pendulum.DateTime:
    return pendulum.instance(value).in_tz("UTC")


@attrs.frozen(eq=False)
class Certificate:
    """A decoded X.509 certificate. Equality is equality of the DER encoding."""

    der: bytes = attrs.field(repr=False)
    tbs_der: bytes = attrs.field(repr=False)
    serial: int
    subject: str
    issuer: str
    subject_key: bytes = attrs.field(repr=False)
    issuer_key: bytes = attrs.field(repr=False)
    not_before: pendulum.DateTime
    not_after: pendulum.DateTime
    signature_algorithm: AlgorithmRef
    signature: bytes = attrs.field(repr=False)
    public_key_info: bytes = attrs.field(repr=False)
    public_key_algorithm: str
    is_ca: bool
    path_length: int | None
    key_usage: frozenset[str] | None
    extended_key_usage: frozenset[str] | None
    subject_key_id: bytes | None
    authority_key_id: bytes | None
    fields: SubjectFields

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Certificate) and other.der == self.der

    def __hash__(self) -> int:
        return hash(self.der)

    @property
    def serial_hex(self) -> str:
        """The serial number in upper-case hexadecimal, as certificate viewers show it."""
        return format(self.serial, "X")

    @property
    def self_issued(self) -> bool:
        """Whether subject and issuer are the same name."""
        return self.subject_key == self.issuer_key

    def valid_at(self, moment: pendulum.DateTime) -> bool:
        """Whether ``moment`` lies within the validity period."""
        return self.not_before <= moment <= self.not_after


def load_certificate(data: bytes | Certificate) -> Certificate:
    """Decode a certificate given as DER, PEM or base64 (a :class:`Certificate` passes through).

    Raises :class:`~edmscore.errors.CertificateFormatError` on anything else.
    """
    if isinstance(data, Certificate):
        return data
    der = to_der(
        data, what="certificate", limit=MAX_CERTIFICATE_BYTES, error=CertificateFormatError
    )
    return certificate_from_asn1(der, None)


def certificate_from_asn1(der: bytes, parsed: x509.Certificate | None) -> Certificate:
    """Decode ``der`` (already parsed as ``parsed`` when given) into a :class:`Certificate`."""
    with guarded("certificate", CertificateFormatError):
        cert = parsed if parsed is not None else x509.Certificate.load(der, strict=True)
        tbs = cert["tbs_certificate"]
        spki = _asn1.PublicKeyInfo.load(tbs["subject_public_key_info"].dump())
        sig_alg = cert["signature_algorithm"]
        params = sig_alg["parameters"]
        validity = tbs["validity"]
        subject_pairs = attribute_pairs(tbs["subject"])
        issuer_pairs = attribute_pairs(tbs["issuer"])
        basic = cert.basic_constraints_value
        key_usage = cert.key_usage_value
        eku = cert.extended_key_usage_value
        skid = cert.key_identifier_value
        akid = cert.authority_key_identifier_value
        return Certificate(
            der=der,
            tbs_der=tbs.dump(),
            serial=int(tbs["serial_number"].native),
            subject=name_text(subject_pairs),
            issuer=name_text(issuer_pairs),
            subject_key=_name_key(tbs["subject"]),
            issuer_key=_name_key(tbs["issuer"]),
            not_before=_instant(validity["not_before"].native),
            not_after=_instant(validity["not_after"].native),
            signature_algorithm=AlgorithmRef(
                sig_alg["algorithm"].dotted,
                None if isinstance(params, core.Void) else params.dump(),
            ),
            signature=bytes(cert["signature_value"].native),
            public_key_info=spki.dump(),
            public_key_algorithm=spki["algorithm"]["algorithm"].dotted,
            is_ca=bool(basic is not None and basic["ca"].native),
            path_length=None if basic is None else basic["path_len_constraint"].native,
            key_usage=None if key_usage is None else frozenset(key_usage.native),
            extended_key_usage=None if eku is None else frozenset(p.dotted for p in eku),
            subject_key_id=None if skid is None else bytes(skid.native),
            authority_key_id=(
                None
                if akid is None or akid["key_identifier"].native is None
                else bytes(akid["key_identifier"].native)
            ),
            fields=subject_fields(subject_pairs),
        )


def _name_key(name: x509.Name) -> bytes:
    # asn1crypto's normalised, hashable form of a name (RFC 5280 comparison rules).
    return str(name.hashable).encode("utf-8")


@attrs.frozen(eq=False)
class Crl:
    """A decoded certificate revocation list."""

    der: bytes = attrs.field(repr=False)
    tbs_der: bytes = attrs.field(repr=False)
    issuer: str
    issuer_key: bytes = attrs.field(repr=False)
    this_update: pendulum.DateTime
    next_update: pendulum.DateTime | None
    signature_algorithm: AlgorithmRef
    signature: bytes = attrs.field(repr=False)
    revoked: dict[int, pendulum.DateTime] = attrs.field(repr=False)
    authority_key_id: bytes | None


def load_crl(data: bytes | Crl) -> Crl:
    """Decode a CRL given as DER, PEM or base64 (a :class:`Crl` passes through).

    Raises :class:`~edmscore.errors.CrlFormatError` on anything else.
    """
    if isinstance(data, Crl):
        return data
    der = to_der(data, what="CRL", limit=MAX_CRL_BYTES, error=CrlFormatError)
    with guarded("CRL", CrlFormatError):
        parsed = asn1_crl.CertificateList.load(der, strict=True)
        tbs = parsed["tbs_cert_list"]
        sig_alg = parsed["signature_algorithm"]
        params = sig_alg["parameters"]
        next_update = tbs["next_update"].native
        revoked: dict[int, pendulum.DateTime] = {}
        for entry in tbs["revoked_certificates"]:
            serial = int(entry["user_certificate"].native)
            when = _instant(entry["revocation_date"].native)
            # A serial listed twice counts from its earliest revocation.
            revoked[serial] = min(when, revoked.get(serial, when))
        akid = parsed.authority_key_identifier_value
        return Crl(
            der=der,
            tbs_der=tbs.dump(),
            issuer=name_text(attribute_pairs(tbs["issuer"])),
            issuer_key=_name_key(tbs["issuer"]),
            this_update=_instant(tbs["this_update"].native),
            next_update=None if next_update is None else _instant(next_update),
            signature_algorithm=AlgorithmRef(
                sig_alg["algorithm"].dotted,
                None if isinstance(params, core.Void) else params.dump(),
            ),
            signature=bytes(parsed["signature"].native),
            revoked=revoked,
            authority_key_id=(
                None
                if akid is None or akid["key_identifier"].native is None
                else bytes(akid["key_identifier"].native)
            ),
        )
