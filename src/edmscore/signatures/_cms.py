"""CMS SignedData (RFC 5652) decoded eagerly into plain values, with bounds on every count.

Everything asn1crypto parses lazily is touched here, inside one guard, so malformed input fails
here with :class:`~edmscore.errors.CmsFormatError` and nowhere later.
"""

from __future__ import annotations

from typing import Any

import attrs
import pendulum
from asn1crypto import cms, core, tsp

from edmscore.errors import CmsFormatError, SignatureError
from edmscore.signatures import _oids
from edmscore.signatures._certificate import (
    AlgorithmRef,
    Certificate,
    Crl,
    certificate_from_asn1,
    load_crl,
)
from edmscore.signatures._decode import guarded, to_der

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


@attrs.frozen
class SignedData:
    """A CMS SignedData: the encapsulated content (if attached), certificates, CRLs, signers."""

    content_type: str
    content: bytes | None = attrs.field(repr=False)
    certificates: tuple[Certificate, ...]
    crls: tuple[Crl, ...]
    signers: tuple[SignerData, ...]


def parse_signed_data(data: bytes) -> SignedData:
    """Decode a CMS ContentInfo holding SignedData (DER, PEM or base64).

    Raises :class:`~edmscore.errors.CmsFormatError` for anything malformed or beyond the bounds.
    """
    der = to_der(data, what="signature", limit=MAX_SIGNATURE_BYTES, error=CmsFormatError)
    with guarded("signature", CmsFormatError):
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].dotted != _oids.SIGNED_DATA:
            raise CmsFormatError(
                f"signature: content type {info['content_type'].dotted} is not SignedData"
            )
        return _signed_data(info["content"])


def _signed_data(signed: cms.SignedData) -> SignedData:
    encap = signed["encap_content_info"]
    content_value = encap["content"]
    content: bytes | None = None
    if not isinstance(content_value, core.Void):
        content = _octets(content_value)
    certificates: list[Certificate] = []
    raw_certs = signed["certificates"]
    if not isinstance(raw_certs, core.Void):
        if len(raw_certs) > MAX_CERTIFICATES:
            raise CmsFormatError(f"signature: more than {MAX_CERTIFICATES} certificates")
        for choice in raw_certs:
            if choice.name == "certificate":
                try:
                    certificates.append(certificate_from_asn1(choice.chosen.dump(), None))
                except SignatureError as exc:
                    raise CmsFormatError(f"signature: an embedded {exc}") from None
    crls: list[Crl] = []
    raw_crls = signed["crls"]
    if not isinstance(raw_crls, core.Void):
        if len(raw_crls) > MAX_CRLS:
            raise CmsFormatError(f"signature: more than {MAX_CRLS} CRLs")
        for choice in raw_crls:
            if choice.name == "crl":
                try:
                    crls.append(load_crl(choice.chosen.dump()))
                except SignatureError as exc:
                    raise CmsFormatError(f"signature: an embedded {exc}") from None
    infos = signed["signer_infos"]
    if len(infos) > MAX_SIGNERS:
        raise CmsFormatError(f"signature: more than {MAX_SIGNERS} signers")
    return SignedData(
        content_type=encap["content_type"].dotted,
        content=content,
        certificates=tuple(certificates),
        crls=tuple(crls),
        signers=tuple(_signer(info, 0) for info in infos),
    )


def _octets(value: Any) -> bytes:
    if isinstance(value, core.ParsableOctetString | core.OctetString):
        return bytes(value)
    return bytes(value.contents)


def _signer(info: cms.SignerInfo, depth: int) -> SignerData:
    sid = info["sid"]
    issuer_key: bytes | None = None
    serial: int | None = None
    ski: bytes | None = None
    if sid.name == "issuer_and_serial_number":
        issuer_key = sid.chosen["issuer"].hashable.encode("utf-8")
        serial = int(sid.chosen["serial_number"].native)
    else:
        ski = bytes(sid.chosen.native)
    sig_alg = info["signature_algorithm"]
    params = sig_alg["parameters"]
    attrs_value = info["signed_attrs"]
    signed_der: bytes | None = None
    values: dict[str, list[Any]] = {}
    if not isinstance(attrs_value, core.Void):
        raw = attrs_value.dump()
        signed_der = b"\x31" + raw[1:]
        values = _attributes(attrs_value, signed=True)
    unsigned = info["unsigned_attrs"]
    unsigned_values = {} if isinstance(unsigned, core.Void) else _attributes(unsigned, signed=False)
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
        digest_algorithm=info["digest_algorithm"]["algorithm"].dotted,
        signature_algorithm=AlgorithmRef(
            sig_alg["algorithm"].dotted, None if isinstance(params, core.Void) else params.dump()
        ),
        signature=bytes(info["signature"].native),
        signed_attrs=signed_der,
        content_type=_single(values, _oids.ATTR_CONTENT_TYPE, lambda v: v.dotted),
        message_digest=_single(values, _oids.ATTR_MESSAGE_DIGEST, lambda v: bytes(v.native)),
        signing_time=_single(
            values,
            _oids.ATTR_SIGNING_TIME,
            lambda v: pendulum.instance(v.native).in_tz("UTC"),
        ),
        ess_cert_ids=_ess(values),
        countersigners=tuple(_signer(cms.SignerInfo.load(v.dump()), depth + 1) for v in counters),
        timestamp_tokens=tuple(v.dump() for v in tokens),
    )


def _attributes(attributes: Any, *, signed: bool) -> dict[str, list[Any]]:
    if len(attributes) > MAX_ATTRIBUTES:
        raise CmsFormatError(f"signature: more than {MAX_ATTRIBUTES} attributes in a signer")
    found: dict[str, list[Any]] = {}
    for attribute in attributes:
        oid = attribute["type"].dotted
        if oid in found and signed:
            raise CmsFormatError(f"signature: signed attribute {oid} appears twice")
        values = list(attribute["values"])
        if len(values) > MAX_ATTRIBUTES:
            raise CmsFormatError(f"signature: attribute {oid} has too many values")
        found.setdefault(oid, []).extend(values)
    return found


def _single(values: dict[str, list[Any]], oid: str, convert: Any) -> Any:
    found = values.get(oid)
    if found is None:
        return None
    if len(found) != 1:
        raise CmsFormatError(f"signature: attribute {oid} must have exactly one value")
    return convert(found[0])


def _ess(values: dict[str, list[Any]]) -> tuple[EssCertId, ...]:
    ids: list[EssCertId] = []
    v2 = values.get(_oids.ATTR_SIGNING_CERTIFICATE_V2)
    v1 = values.get(_oids.ATTR_SIGNING_CERTIFICATE)
    if v2:
        parsed = tsp.SigningCertificateV2.load(v2[0].dump())
        for cert_id in parsed["certs"]:
            ids.append(
                EssCertId(
                    cert_id["hash_algorithm"]["algorithm"].dotted,
                    bytes(cert_id["cert_hash"].native),
                    _issuer_serial(cert_id["issuer_serial"]),
                )
            )
    elif v1:
        parsed = tsp.SigningCertificate.load(v1[0].dump())
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
