"""CMS SignedData (RFC 5652) decoded eagerly into plain values, with bounds on every count.

The structure is walked with :mod:`edmscore.signatures._tlv`, eagerly and inside one guard, so
malformed input fails here with :class:`~edmscore.errors.CmsFormatError` and nowhere later, and
every signed part is a slice of the input (BER with indefinite lengths is read as well).
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum
from asn1crypto import core, tsp

from edmscore.errors import CmsFormatError, SignatureError
from edmscore.signatures import _oids, _tlv
from edmscore.signatures._certificate import (
    AlgorithmRef,
    Certificate,
    Crl,
    algorithm_ref,
    certificate_from_der,
    load_crl,
)
from edmscore.signatures._decode import guarded, to_der
from edmscore.signatures._subject import name_key

MAX_SIGNATURE_BYTES = 64 << 20
MAX_SIGNERS = 64
MAX_ATTRIBUTES = 64
MAX_CERTIFICATES = 256
MAX_CRLS = 64
MAX_COUNTERSIGNATURE_DEPTH = 4
MAX_TIMESTAMPS = 4


@attrs.frozen
class EssCertId:
    """An ESSCertID(v2) from signingCertificate(V2): a hash of the signer's certificate."""

    hash_algorithm: str
    cert_hash: bytes
    serial: int | None


@attrs.frozen
class SignerData:
    """One SignerInfo, decoded."""

    issuer_key: bytes | None
    serial: int | None
    subject_key_id: bytes | None
    digest_algorithm: str
    signature_algorithm: AlgorithmRef
    signature: bytes = attrs.field(repr=False)
    signed_attrs: bytes | None = attrs.field(repr=False)
    content_type: str | None
    message_digest: bytes | None
    signing_time: pendulum.DateTime | None
    ess_cert_ids: tuple[EssCertId, ...]
    countersigners: tuple[SignerData, ...]
    timestamp_tokens: tuple[bytes, ...] = attrs.field(repr=False)
    # Every unsigned attribute as (OID, DER of one value), in order, for evidence readers.
    unsigned: tuple[tuple[str, bytes], ...] = attrs.field(default=(), repr=False)


@attrs.frozen
class Unreadable:
    """A certificate or CRL inside a signature that could not be read, and why.

    ``serial`` and ``issuer_key`` are filled when the outer layers of the certificate still
    read, so a signer that names it can be told apart from an unrelated certificate.
    """

    what: str
    message: str
    serial: int | None = None
    issuer_key: bytes | None = attrs.field(default=None, repr=False)


@attrs.frozen
class SignedData:
    """A CMS SignedData: the encapsulated content (if attached), certificates, CRLs, signers.

    ``unreadable`` lists the embedded certificates and CRLs that were skipped.
    """

    content_type: str
    content: bytes | None = attrs.field(repr=False)
    certificates: tuple[Certificate, ...]
    crls: tuple[Crl, ...]
    signers: tuple[SignerData, ...]
    unreadable: tuple[Unreadable, ...] = ()


def parse_signed_data(data: bytes) -> SignedData:
    """Decode a CMS ContentInfo holding SignedData (DER, BER, PEM or base64).

    Every signed part (signed attributes, certificates, CRLs) is a slice of the input. An
    embedded certificate or CRL that cannot be read is skipped and listed in ``unreadable``.
    Raises :class:`~edmscore.errors.CmsFormatError` for anything else malformed or beyond the
    bounds.
    """
    der = to_der(data, what="signature", limit=MAX_SIGNATURE_BYTES, error=CmsFormatError)
    with guarded("signature", CmsFormatError):
        info = _tlv.read(der)
        if info.end != len(der):
            raise CmsFormatError("signature: data after the ContentInfo")
        parts = _tlv.expect(info, _tlv.SEQUENCE, "ContentInfo").children()
        if len(parts) != 2 or parts[1].tag != 0xA0:
            raise CmsFormatError("signature: a ContentInfo holds a type and [0] content")
        content_type = _tlv.decode_oid(_tlv.expect(parts[0], _tlv.OID, "content type").content)
        if content_type != _oids.SIGNED_DATA:
            raise CmsFormatError(f"signature: content type {content_type} is not SignedData")
        inner = parts[1].children()
        if len(inner) != 1:
            raise CmsFormatError("signature: [0] must hold one SignedData")
        return _signed_data(inner[0])


def _signed_data(signed: _tlv.Tlv) -> SignedData:
    fields = _tlv.expect(signed, _tlv.SEQUENCE, "SignedData").children()
    if len(fields) < 4:
        raise CmsFormatError("signature: SignedData is missing fields")
    _tlv.expect(fields[0], _tlv.INTEGER, "version")
    _tlv.expect(fields[1], _tlv.SET, "digestAlgorithms")
    encap = _tlv.expect(fields[2], _tlv.SEQUENCE, "encapContentInfo").children()
    if not encap or len(encap) > 2:
        raise CmsFormatError("signature: encapContentInfo holds a type and optional content")
    content_type = _tlv.decode_oid(_tlv.expect(encap[0], _tlv.OID, "eContentType").content)
    content: bytes | None = None
    if len(encap) == 2:
        wrapped = _tlv.expect(encap[1], 0xA0, "eContent").children()
        if len(wrapped) != 1 or wrapped[0].tag not in (_tlv.OCTET_STRING, 0x24):
            raise CmsFormatError("signature: eContent must be one OCTET STRING")
        content = _tlv.octets(wrapped[0])
    rest = fields[3:]
    certificates: list[Certificate] = []
    crls: list[Crl] = []
    unreadable: list[Unreadable] = []
    if rest and rest[0].tag == 0xA0:
        items = rest.pop(0).children()
        if len(items) > MAX_CERTIFICATES:
            raise CmsFormatError(f"signature: more than {MAX_CERTIFICATES} certificates")
        for number, item in enumerate(items, start=1):
            if item.tag != _tlv.SEQUENCE:
                continue  # attribute certificates and other formats are not used here
            try:
                certificates.append(certificate_from_der(item.raw))
            except SignatureError as exc:
                unreadable.append(_unreadable_certificate(item, number, exc))
    if rest and rest[0].tag == 0xA1:
        items = rest.pop(0).children()
        if len(items) > MAX_CRLS:
            raise CmsFormatError(f"signature: more than {MAX_CRLS} CRLs")
        for number, item in enumerate(items, start=1):
            if item.tag != _tlv.SEQUENCE:
                continue
            try:
                crls.append(load_crl(item.der()))
            except SignatureError as exc:
                unreadable.append(Unreadable(f"embedded CRL #{number}", str(exc)))
    if len(rest) != 1:
        raise CmsFormatError("signature: SignedData must end with its signerInfos")
    infos = _tlv.expect(rest[0], _tlv.SET, "signerInfos").children()
    if len(infos) > MAX_SIGNERS:
        raise CmsFormatError(f"signature: more than {MAX_SIGNERS} signers")
    return SignedData(
        content_type=content_type,
        content=content,
        certificates=tuple(certificates),
        crls=tuple(crls),
        signers=tuple(_signer(info, 0) for info in infos),
        unreadable=tuple(unreadable),
    )


def _unreadable_certificate(item: _tlv.Tlv, number: int, exc: SignatureError) -> Unreadable:
    """What is known of a certificate that did not read: its issuer and serial, if they read."""
    serial: int | None = None
    issuer_key: bytes | None = None
    try:
        tbs = item.children()[0].children()
        if tbs and tbs[0].tag == 0xA0:
            tbs = tbs[1:]
        serial = _tlv.decode_integer(_tlv.expect(tbs[0], _tlv.INTEGER, "serial").content)
        issuer_key = name_key(tbs[2])
    except (_tlv.TlvError, IndexError):
        pass
    what = f"embedded certificate #{number}"
    if serial is not None:
        what += f" (serial {serial:X})"
    return Unreadable(what, str(exc), serial, issuer_key)


def _signer(info: _tlv.Tlv, depth: int) -> SignerData:
    fields = _tlv.expect(info, _tlv.SEQUENCE, "SignerInfo").children()
    if len(fields) < 5:
        raise CmsFormatError("signature: SignerInfo is missing fields")
    _tlv.expect(fields[0], _tlv.INTEGER, "SignerInfo version")
    sid = fields[1]
    issuer_key: bytes | None = None
    serial: int | None = None
    ski: bytes | None = None
    if sid.tag == _tlv.SEQUENCE:
        parts = sid.children()
        if len(parts) != 2:
            raise CmsFormatError("signature: issuerAndSerialNumber holds a name and a serial")
        issuer_key = name_key(parts[0])
        serial = _tlv.decode_integer(_tlv.expect(parts[1], _tlv.INTEGER, "serial").content)
    elif sid.tag in (0x80, 0xA0):
        ski = _tlv.octets(sid)
    else:
        raise CmsFormatError(f"signature: unknown signer identifier tag 0x{sid.tag:02x}")
    digest_algorithm = algorithm_ref(fields[2]).oid
    rest = fields[3:]
    signed_der: bytes | None = None
    values: dict[str, list[_tlv.Tlv]] = {}
    if rest and rest[0].tag == 0xA0:
        signed = rest.pop(0)
        raw = signed.der()
        signed_der = b"\x31" + raw[1:]
        values = _attributes(signed, signed=True)
    if len(rest) < 2:
        raise CmsFormatError("signature: SignerInfo is missing its signature")
    signature_algorithm = algorithm_ref(rest[0])
    signature = _tlv.octets(_tlv.expect(rest[1], _tlv.OCTET_STRING, "signature value"))
    unsigned_values: dict[str, list[_tlv.Tlv]] = {}
    if len(rest) > 2 and rest[2].tag == 0xA1:
        unsigned_values = _attributes(rest[2], signed=False)
    counters = unsigned_values.get(_oids.ATTR_COUNTERSIGNATURE, [])
    if counters and depth >= MAX_COUNTERSIGNATURE_DEPTH:
        raise CmsFormatError("signature: countersignatures nested too deeply")
    tokens = unsigned_values.get(_oids.ATTR_TIMESTAMP_TOKEN, [])
    if len(tokens) > MAX_TIMESTAMPS:
        raise CmsFormatError(f"signature: more than {MAX_TIMESTAMPS} timestamp tokens")
    return SignerData(
        issuer_key=issuer_key,
        serial=serial,
        subject_key_id=ski,
        digest_algorithm=digest_algorithm,
        signature_algorithm=signature_algorithm,
        signature=signature,
        signed_attrs=signed_der,
        content_type=_single(
            values,
            _oids.ATTR_CONTENT_TYPE,
            lambda v: _tlv.decode_oid(_tlv.expect(v, _tlv.OID, "contentType").content),
        ),
        message_digest=_single(
            values,
            _oids.ATTR_MESSAGE_DIGEST,
            lambda v: _tlv.octets(_tlv.expect(v, _tlv.OCTET_STRING, "messageDigest")),
        ),
        signing_time=_single(values, _oids.ATTR_SIGNING_TIME, _signing_time),
        ess_cert_ids=_ess(values),
        countersigners=tuple(_signer(v, depth + 1) for v in counters),
        timestamp_tokens=tuple(v.der() for v in tokens),
        unsigned=tuple(
            (oid, value.der()) for oid, found in unsigned_values.items() for value in found
        ),
    )


def _signing_time(value: _tlv.Tlv) -> pendulum.DateTime:
    if value.tag == 0x17:
        native = core.UTCTime.load(value.raw).native
    elif value.tag == 0x18:
        native = core.GeneralizedTime.load(value.raw).native
    else:
        raise CmsFormatError("signature: signingTime is not a time")
    moment: pendulum.DateTime = pendulum.instance(native).in_tz("UTC")
    return moment


def _attributes(attributes: _tlv.Tlv, *, signed: bool) -> dict[str, list[_tlv.Tlv]]:
    items = attributes.children()
    if len(items) > MAX_ATTRIBUTES:
        raise CmsFormatError(f"signature: more than {MAX_ATTRIBUTES} attributes in a signer")
    found: dict[str, list[_tlv.Tlv]] = {}
    for attribute in items:
        parts = _tlv.expect(attribute, _tlv.SEQUENCE, "attribute").children()
        if len(parts) != 2:
            raise CmsFormatError("signature: an attribute holds a type and a set of values")
        oid = _tlv.decode_oid(_tlv.expect(parts[0], _tlv.OID, "attribute type").content)
        if oid in found and signed:
            raise CmsFormatError(f"signature: signed attribute {oid} appears twice")
        values = _tlv.expect(parts[1], _tlv.SET, "attribute values").children()
        if len(values) > MAX_ATTRIBUTES:
            raise CmsFormatError(f"signature: attribute {oid} has too many values")
        found.setdefault(oid, []).extend(values)
    return found


def _single(values: dict[str, list[_tlv.Tlv]], oid: str, convert: Any) -> Any:
    found = values.get(oid)
    if found is None:
        return None
    if len(found) != 1:
        raise CmsFormatError(f"signature: attribute {oid} must have exactly one value")
    return convert(found[0])


def _ess(values: dict[str, list[_tlv.Tlv]]) -> tuple[EssCertId, ...]:
    ids: list[EssCertId] = []
    v2 = values.get(_oids.ATTR_SIGNING_CERTIFICATE_V2)
    v1 = values.get(_oids.ATTR_SIGNING_CERTIFICATE)
    if v2:
        parsed = tsp.SigningCertificateV2.load(v2[0].der())
        for cert_id in parsed["certs"]:
            ids.append(
                EssCertId(
                    cert_id["hash_algorithm"]["algorithm"].dotted,
                    bytes(cert_id["cert_hash"].native),
                    _issuer_serial(cert_id["issuer_serial"]),
                )
            )
    elif v1:
        parsed = tsp.SigningCertificate.load(v1[0].der())
        for cert_id in parsed["certs"]:
            ids.append(
                EssCertId(
                    _oids.SHA1,
                    bytes(cert_id["cert_hash"].native),
                    _issuer_serial(cert_id["issuer_serial"]),
                )
            )
    return tuple(ids)


def _issuer_serial(value: Any) -> int | None:
    if isinstance(value, core.Void):
        return None
    return int(value["serial_number"].native)


def parse_tst_info(content: bytes) -> tuple[str, bytes, pendulum.DateTime]:
    """The message imprint (hash OID, hashed message) and genTime of a TSTInfo."""
    with guarded("timestamp token", CmsFormatError):
        info = tsp.TSTInfo.load(content, strict=True)
        imprint = info["message_imprint"]
        return (
            imprint["hash_algorithm"]["algorithm"].dotted,
            bytes(imprint["hashed_message"].native),
            pendulum.instance(info["gen_time"].native).in_tz("UTC"),
        )
