"""The long-term data of one signer, read from a CMS signature as it was encoded.

Timestamps over a signature hash pieces of its encoding (the signature value, whole unsigned
attributes, the SignedData's certificates and CRLs), so everything here is taken from the original
bytes by offset, never re-encoded.
"""

from __future__ import annotations

import attrs
import pendulum
from asn1crypto import cms, core

from edmscore.errors import CmsFormatError, SignatureError
from edmscore.signatures import _ets
from edmscore.signatures._certificate import Certificate, Crl, load_certificate, load_crl
from edmscore.signatures._decode import guarded, to_der
from edmscore.signatures.ocsp import OcspResponse, load_ocsp_response

MAX_SIGNATURE_BYTES = 64 << 20
MAX_VALUES = 256


def raw(value: core.Asn1Value) -> bytes:
    """The bytes of ``value`` as read: header and contents (and an indefinite form's end)."""
    if isinstance(value, core.Choice):
        value = value.chosen
    trailer = getattr(value, "_trailer", b"") or b""
    return bytes(value._header) + bytes(value.contents) + bytes(trailer)


@attrs.frozen
class UnsignedAttribute:
    """One unsigned attribute: OID, the attribute's own encoding and each value's."""

    oid: str
    der: bytes = attrs.field(repr=False)
    values: tuple[bytes, ...] = attrs.field(repr=False)

    @property
    def inner(self) -> bytes:
        """The attribute's type and values: its encoding without the outer SEQUENCE header."""
        return bytes(core.Sequence.load(self.der).contents)


@attrs.frozen
class SignerLtvData:
    """What a signer's long-term attributes hold, plus the encodings archive timestamps hash."""

    attributes: tuple[UnsignedAttribute, ...]
    certificates: tuple[Certificate, ...]
    crls: tuple[Crl, ...]
    ocsp_responses: tuple[OcspResponse, ...]
    certificate_refs: tuple[tuple[str, bytes], ...]
    crl_refs: tuple[tuple[str, bytes], ...]
    ocsp_refs: tuple[tuple[str | None, bytes | None, pendulum.DateTime], ...]
    encap_content_info: bytes = attrs.field(repr=False)
    content_type_der: bytes = attrs.field(repr=False)
    e_content: bytes | None = attrs.field(repr=False)
    certificates_field: bytes | None = attrs.field(repr=False)
    crls_field: bytes | None = attrs.field(repr=False)
    signer_fields: tuple[bytes, ...] = attrs.field(repr=False)

    def values_of(self, oid: str) -> tuple[bytes, ...]:
        """Every value of every unsigned attribute ``oid``, in order."""
        return tuple(v for a in self.attributes if a.oid == oid for v in a.values)

    def attributes_of(self, oid: str) -> tuple[UnsignedAttribute, ...]:
        """Every unsigned attribute ``oid``, in order."""
        return tuple(a for a in self.attributes if a.oid == oid)

    def has(self, oid: str) -> bool:
        """Whether the signer carries the unsigned attribute ``oid``."""
        return any(a.oid == oid for a in self.attributes)


def read_signers(signature: bytes) -> tuple[SignerLtvData, ...]:
    """The long-term data of every signer of ``signature`` (DER, PEM or base64)."""
    der = to_der(signature, what="signature", limit=MAX_SIGNATURE_BYTES, error=CmsFormatError)
    with guarded("signature", CmsFormatError):
        info = cms.ContentInfo.load(der, strict=True)
        signed = info["content"]
        encap = signed["encap_content_info"]
        content = encap["content"]
        e_content = None if isinstance(content, core.Void) else bytes(content)
        certs = signed["certificates"]
        crls = signed["crls"]
        return tuple(
            _signer(
                signer,
                encap_content_info=raw(encap),
                content_type_der=raw(encap["content_type"]),
                e_content=e_content,
                certificates_field=None if isinstance(certs, core.Void) else raw(certs),
                crls_field=None if isinstance(crls, core.Void) else raw(crls),
            )
            for signer in signed["signer_infos"]
        )


def _signer(
    signer: cms.SignerInfo,
    *,
    encap_content_info: bytes,
    content_type_der: bytes,
    e_content: bytes | None,
    certificates_field: bytes | None,
    crls_field: bytes | None,
) -> SignerLtvData:
    unsigned = signer["unsigned_attrs"]
    attributes: list[UnsignedAttribute] = []
    if not isinstance(unsigned, core.Void):
        for attribute in unsigned:
            values = attribute["values"]
            attributes.append(
                UnsignedAttribute(
                    attribute["type"].dotted, raw(attribute), tuple(raw(v) for v in values)
                )
            )
    fields = tuple(
        raw(signer[name])
        for name in (
            "version",
            "sid",
            "digest_algorithm",
            "signed_attrs",
            "signature_algorithm",
            "signature",
        )
        if not isinstance(signer[name], core.Void)
    )
    data = SignerLtvData(
        attributes=tuple(attributes),
        certificates=(),
        crls=(),
        ocsp_responses=(),
        certificate_refs=(),
        crl_refs=(),
        ocsp_refs=(),
        encap_content_info=encap_content_info,
        content_type_der=content_type_der,
        e_content=e_content,
        certificates_field=certificates_field,
        crls_field=crls_field,
        signer_fields=fields,
    )
    return _values(data)


def _other_hash(value: _ets.OtherHash) -> tuple[str, bytes]:
    if value.name == "sha1_hash":
        return "1.3.14.3.2.26", bytes(value.chosen.native)
    return value.chosen["hash_algorithm"]["algorithm"].dotted, bytes(
        value.chosen["hash_value"].native
    )


def _values(data: SignerLtvData) -> SignerLtvData:
    certificates: list[Certificate] = []
    for value in data.values_of(_ets.CERTIFICATE_VALUES):
        for cert in _ets.CertificateValues.load(value, strict=True):
            try:
                certificates.append(load_certificate(raw(cert)))
            except SignatureError:
                continue  # an unreadable extra certificate is skipped; the path shows the gap
    crls: list[Crl] = []
    responses: list[OcspResponse] = []
    for value in data.values_of(_ets.REVOCATION_VALUES):
        parsed = _ets.RevocationValues.load(value, strict=True)
        crl_values = parsed["crl_vals"]
        if not isinstance(crl_values, core.Void):
            for crl in crl_values:
                crls.append(load_crl(raw(crl)))
        ocsp_values = parsed["ocsp_vals"]
        if not isinstance(ocsp_values, core.Void):
            for response in ocsp_values:
                responses.append(load_ocsp_response(raw(response)))
    cert_refs: list[tuple[str, bytes]] = []
    for value in data.values_of(_ets.CERTIFICATE_REFS):
        for ref in _ets.CompleteCertificateRefs.load(value, strict=True):
            cert_refs.append(_other_hash(ref["other_cert_hash"]))
    crl_refs: list[tuple[str, bytes]] = []
    ocsp_refs: list[tuple[str | None, bytes | None, pendulum.DateTime]] = []
    for value in data.values_of(_ets.REVOCATION_REFS):
        for ref in _ets.CompleteRevocationRefs.load(value, strict=True):
            crl_ids = ref["crlids"]
            if not isinstance(crl_ids, core.Void):
                for crl_id in crl_ids["crls"]:
                    crl_refs.append(_other_hash(crl_id["crl_hash"]))
            ocsp_ids = ref["ocspids"]
            if not isinstance(ocsp_ids, core.Void):
                for ocsp_id in ocsp_ids["ocsp_responses"]:
                    rep_hash = ocsp_id["ocsp_rep_hash"]
                    algorithm, digest = (
                        (None, None) if isinstance(rep_hash, core.Void) else _other_hash(rep_hash)
                    )
                    produced = pendulum.instance(
                        ocsp_id["ocsp_identifier"]["produced_at"].native
                    ).in_tz("UTC")
                    ocsp_refs.append((algorithm, digest, produced))
    total = len(certificates) + len(crls) + len(responses) + len(cert_refs) + len(crl_refs)
    if total > MAX_VALUES * 4:
        raise CmsFormatError("signature: too many long-term values")
    return attrs.evolve(
        data,
        certificates=tuple(certificates),
        crls=tuple(crls),
        ocsp_responses=tuple(responses),
        certificate_refs=tuple(cert_refs),
        crl_refs=tuple(crl_refs),
        ocsp_refs=tuple(ocsp_refs),
    )


def esc_timestamp_data(data: SignerLtvData, signature_value: bytes) -> bytes:
    """What a CAdES-C timestamp (Type 1) hashes: the signature value, then whole attributes.

    RFC 5126 6.3.5: the signature value's octets, then the signature-time-stamp attribute(s),
    the complete-certificate-references and the complete-revocation-references attributes, each
    as its type and values without the attribute's outer SEQUENCE (note 2 of the clause).
    """
    parts = [signature_value]
    for oid in (_ets.SIGNATURE_TIMESTAMP, _ets.CERTIFICATE_REFS, _ets.REVOCATION_REFS):
        parts += [a.inner for a in data.attributes_of(oid)]
    return b"".join(parts)


def refs_timestamp_data(data: SignerLtvData) -> bytes:
    """What a time-stamped-certs-crls-references timestamp (Type 2) hashes."""
    parts: list[bytes] = []
    for oid in (_ets.CERTIFICATE_REFS, _ets.REVOCATION_REFS):
        parts += [a.inner for a in data.attributes_of(oid)]
    return b"".join(parts)


def _tlv(tag: int, contents: bytes) -> bytes:
    size = len(contents)
    if size < 0x80:
        return bytes([tag, size]) + contents
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(octets)]) + octets + contents


def archive_v2_data(
    data: SignerLtvData,
    later: set[int],
    content: bytes | None,
) -> tuple[bytes, bytes]:
    """What an archive-time-stamp-v2 hashes (ETSI TS 101 733 6.4.1), in its two readings.

    The encapContentInfo (with the external content after it for a detached signature), the
    certificates and CRLs fields, the SignerInfo's fields, then its unsigned attributes but the
    archive timestamps not older than this one (``later``: their indexes in
    ``data.attributes``). Version 2.2.1 of the standard hashes those attributes as one
    ``[1]``-tagged field, version 1.8.3 one after another: both readings are returned, 2.2.1
    first.
    """
    parts = [data.encap_content_info]
    if data.e_content is None and content is not None:
        parts.append(content)
    if data.certificates_field is not None:
        parts.append(data.certificates_field)
    if data.crls_field is not None:
        parts.append(data.crls_field)
    parts += list(data.signer_fields)
    kept = b"".join(a.der for i, a in enumerate(data.attributes) if i not in later)
    head = b"".join(parts)
    return head + _tlv(0xA1, kept), head + kept


def archive_v3_data(data: SignerLtvData, content_digest: bytes, hash_index: bytes) -> bytes:
    """What an archive-time-stamp-v3 hashes (ETSI EN 319 122-1 5.5.3).

    The eContentType, the hash of the signed content (with the timestamp's hash algorithm),
    the SignerInfo's fields up to the signature as encoded, and the timestamp's own
    ats-hash-index value.
    """
    return b"".join((data.content_type_der, content_digest, *data.signer_fields, hash_index))
