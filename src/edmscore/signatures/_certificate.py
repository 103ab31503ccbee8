"""X.509 certificates and CRLs, decoded once into plain values.

The structure is walked with :mod:`edmscore.signatures._tlv`, so the signed parts are slices of
the input; asn1crypto reads only the leaf values (times, extensions, key parameters).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
import pendulum
from asn1crypto import core

from edmscore.errors import CertificateFormatError, CrlFormatError
from edmscore.signatures import _tlv
from edmscore.signatures._decode import guarded, to_der
from edmscore.signatures._subject import (
    SubjectFields,
    name_parts,
    name_text,
    subject_fields,
)

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

    DER followed by line ends or NUL bytes, PEM after other text and base64 with a byte order
    mark are read too. Raises :class:`~edmscore.errors.CertificateFormatError` on anything else.
    """
    if isinstance(data, Certificate):
        return data
    der = to_der(
        data, what="certificate", limit=MAX_CERTIFICATE_BYTES, error=CertificateFormatError
    )
    return certificate_from_der(der)


def certificate_from_der(der: bytes) -> Certificate:
    """Decode one certificate's DER (BER with indefinite lengths is made definite first).

    The TBSCertificate and the SubjectPublicKeyInfo are slices of ``der``: what was signed is
    never re-encoded. Raises :class:`~edmscore.errors.CertificateFormatError`.
    """
    with guarded("certificate", CertificateFormatError):
        outer = _tlv.read(der)
        if outer.end != len(der):
            raise CertificateFormatError("certificate: data after the certificate")
        if outer.has_indefinite():
            der = outer.der()
            outer = _tlv.read(der)
        parts = _tlv.expect(outer, _tlv.SEQUENCE, "certificate").children()
        if len(parts) != 3:
            raise CertificateFormatError("certificate: expected TBSCertificate, algorithm, value")
        tbs_tlv, alg_tlv, value_tlv = parts
        fields = _tlv.expect(tbs_tlv, _tlv.SEQUENCE, "TBSCertificate").children()
        if fields and fields[0].tag == 0xA0:  # [0] version
            fields = fields[1:]
        if len(fields) < 6:
            raise CertificateFormatError("certificate: TBSCertificate is missing fields")
        serial_tlv, _inner_alg, issuer_tlv, validity_tlv, subject_tlv, spki_tlv = fields[:6]
        extensions = _extensions(fields[6:])
        key_alg_tlv = _tlv.expect(spki_tlv, _tlv.SEQUENCE, "public key info").children()[0]
        key_algorithm = algorithm_ref(key_alg_tlv).oid
        validity = _tlv.expect(validity_tlv, _tlv.SEQUENCE, "validity").children()
        if len(validity) != 2:
            raise CertificateFormatError("certificate: validity must hold two times")
        subject_pairs, subject_key = name_parts(subject_tlv)
        issuer_pairs, issuer_key = name_parts(issuer_tlv)
        return Certificate(
            der=der,
            tbs_der=tbs_tlv.raw,
            serial=_tlv.decode_integer(_tlv.expect(serial_tlv, _tlv.INTEGER, "serial").content),
            subject=name_text(subject_pairs),
            issuer=name_text(issuer_pairs),
            subject_key=subject_key,
            issuer_key=issuer_key,
            not_before=_time(validity[0]),
            not_after=_time(validity[1]),
            signature_algorithm=algorithm_ref(alg_tlv),
            signature=_tlv.bit_string_bytes(_tlv.expect(value_tlv, _tlv.BIT_STRING, "signature")),
            public_key_info=spki_tlv.raw,
            public_key_algorithm=key_algorithm,
            is_ca=extensions.is_ca,
            path_length=extensions.path_length,
            key_usage=extensions.key_usage,
            extended_key_usage=extensions.extended_key_usage,
            subject_key_id=extensions.subject_key_id,
            authority_key_id=extensions.authority_key_id,
            fields=subject_fields(subject_pairs),
        )


def certificate_from_asn1(der: bytes, parsed: object = None) -> Certificate:
    """:func:`certificate_from_der` under its earlier name (``parsed`` is not used)."""
    return certificate_from_der(der)


def algorithm_ref(tlv: _tlv.Tlv) -> AlgorithmRef:
    """An AlgorithmIdentifier read from its element (parameters kept as received)."""
    parts = _tlv.expect(tlv, _tlv.SEQUENCE, "algorithm identifier").children()
    if not parts or len(parts) > 2:
        raise _tlv.TlvError("algorithm identifier: expected an OID and optional parameters")
    oid = _tlv.decode_oid(_tlv.expect(parts[0], _tlv.OID, "algorithm").content)
    params = None if len(parts) == 1 else parts[1].raw
    return AlgorithmRef(oid, params)


_KEY_USAGE_BITS = (
    "digital_signature",
    "non_repudiation",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


@attrs.frozen
class _Extensions:
    is_ca: bool = False
    path_length: int | None = None
    key_usage: frozenset[str] | None = None
    extended_key_usage: frozenset[str] | None = None
    subject_key_id: bytes | None = None
    authority_key_id: bytes | None = None


def _extensions(rest: list[_tlv.Tlv]) -> _Extensions:
    """The extensions the verifier reads (the first of each kind); others are left alone."""
    values: dict[str, Any] = {}
    for item in rest:
        if item.tag != 0xA3:  # [1] and [2] unique identifiers are skipped
            continue
        inner = item.children()
        if len(inner) != 1:
            raise _tlv.TlvError("extensions: expected one SEQUENCE")
        for ext in _tlv.expect(inner[0], _tlv.SEQUENCE, "extensions").children():
            parts = _tlv.expect(ext, _tlv.SEQUENCE, "extension").children()
            if len(parts) not in (2, 3):
                raise _tlv.TlvError("extension: expected an OID, criticality and a value")
            oid = _tlv.decode_oid(_tlv.expect(parts[0], _tlv.OID, "extension id").content)
            reader = _EXTENSION_READERS.get(oid)
            if reader is None or reader[0] in values:
                continue
            value = _tlv.read(_tlv.expect(parts[-1], _tlv.OCTET_STRING, "extension value").content)
            values.update(reader[1](value))
    return _Extensions(**values)


def _basic_constraints(value: _tlv.Tlv) -> dict[str, Any]:
    parts = _tlv.expect(value, _tlv.SEQUENCE, "basicConstraints").children()
    is_ca = False
    path_length: int | None = None
    for part in parts:
        if part.tag == 0x01:
            is_ca = part.content != b"\x00"
        elif part.tag == _tlv.INTEGER:
            path_length = _tlv.decode_integer(part.content)
    return {"is_ca": is_ca, "path_length": path_length}


def _key_usage(value: _tlv.Tlv) -> dict[str, Any]:
    bits = _tlv.expect(value, _tlv.BIT_STRING, "keyUsage")
    data = _tlv.bit_string_bytes(bits)
    names = {
        name
        for index, name in enumerate(_KEY_USAGE_BITS)
        if index // 8 < len(data) and data[index // 8] & (0x80 >> (index % 8))
    }
    return {"key_usage": frozenset(names)}


def _extended_key_usage(value: _tlv.Tlv) -> dict[str, Any]:
    items = _tlv.expect(value, _tlv.SEQUENCE, "extKeyUsage").children()
    oids = frozenset(
        _tlv.decode_oid(_tlv.expect(i, _tlv.OID, "key purpose").content) for i in items
    )
    return {"extended_key_usage": oids}


def _subject_key_id(value: _tlv.Tlv) -> dict[str, Any]:
    return {"subject_key_id": _tlv.expect(value, _tlv.OCTET_STRING, "subjectKeyIdentifier").content}


def authority_key_id(value: _tlv.Tlv) -> bytes | None:
    """The keyIdentifier of an AuthorityKeyIdentifier extension value, if it has one."""
    for part in _tlv.expect(value, _tlv.SEQUENCE, "authorityKeyIdentifier").children():
        if part.tag == 0x80:
            return part.content
    return None


_EXTENSION_READERS: dict[str, tuple[str, Any]] = {
    "2.5.29.19": ("is_ca", _basic_constraints),
    "2.5.29.15": ("key_usage", _key_usage),
    "2.5.29.37": ("extended_key_usage", _extended_key_usage),
    "2.5.29.14": ("subject_key_id", _subject_key_id),
    "2.5.29.35": ("authority_key_id", lambda v: {"authority_key_id": authority_key_id(v)}),
}


def _time(tlv: _tlv.Tlv) -> pendulum.DateTime:
    if tlv.tag == 0x17:
        value = core.UTCTime.load(tlv.raw).native
    elif tlv.tag == 0x18:
        value = core.GeneralizedTime.load(tlv.raw).native
    else:
        raise _tlv.TlvError(f"a time of tag 0x{tlv.tag:02x}")
    if not isinstance(value, datetime):
        raise _tlv.TlvError("a time without a time zone")
    return _instant(value)


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

    The TBSCertList is a slice of the input, never re-encoded. Raises
    :class:`~edmscore.errors.CrlFormatError` on anything else.
    """
    if isinstance(data, Crl):
        return data
    der = to_der(data, what="CRL", limit=MAX_CRL_BYTES, error=CrlFormatError)
    with guarded("CRL", CrlFormatError):
        outer = _tlv.read(der)
        if outer.end != len(der):
            raise CrlFormatError("CRL: data after the CRL")
        if outer.has_indefinite():
            der = outer.der()
            outer = _tlv.read(der)
        parts = _tlv.expect(outer, _tlv.SEQUENCE, "CRL").children()
        if len(parts) != 3:
            raise CrlFormatError("CRL: expected TBSCertList, algorithm, value")
        tbs_tlv, alg_tlv, value_tlv = parts
        fields = _tlv.expect(tbs_tlv, _tlv.SEQUENCE, "TBSCertList").children()
        if fields and fields[0].tag == _tlv.INTEGER:  # version
            fields = fields[1:]
        if len(fields) < 3:
            raise CrlFormatError("CRL: TBSCertList is missing fields")
        issuer_pairs, issuer_key = name_parts(fields[1])
        this_update = _time(fields[2])
        rest = fields[3:]
        next_update = None
        if rest and rest[0].tag in (0x17, 0x18):
            next_update = _time(rest[0])
            rest = rest[1:]
        revoked: dict[int, pendulum.DateTime] = {}
        akid: bytes | None = None
        for item in rest:
            if item.tag == _tlv.SEQUENCE:
                for entry in item.children():
                    entry_fields = _tlv.expect(entry, _tlv.SEQUENCE, "revoked entry").children()
                    if len(entry_fields) < 2:
                        raise CrlFormatError("CRL: a revoked entry without serial and date")
                    serial = _tlv.decode_integer(
                        _tlv.expect(entry_fields[0], _tlv.INTEGER, "revoked serial").content
                    )
                    when = _time(entry_fields[1])
                    # A serial listed twice counts from its earliest revocation.
                    revoked[serial] = min(when, revoked.get(serial, when))
            elif item.tag == 0xA0:  # [0] crlExtensions
                for ext in item.children()[0].children():
                    parts = ext.children()
                    if parts and _tlv.decode_oid(parts[0].content) == "2.5.29.35":
                        akid = authority_key_id(_tlv.read(parts[-1].content))
        return Crl(
            der=der,
            tbs_der=tbs_tlv.raw,
            issuer=name_text(issuer_pairs),
            issuer_key=issuer_key,
            this_update=this_update,
            next_update=next_update,
            signature_algorithm=algorithm_ref(alg_tlv),
            signature=_tlv.bit_string_bytes(_tlv.expect(value_tlv, _tlv.BIT_STRING, "signature")),
            revoked=revoked,
            authority_key_id=akid,
        )
