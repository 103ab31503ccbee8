"""Assembling the CMS around a returned signature value, upgrading it to CAdES-T, verifying it.

The SignerInfo is written from parts whose bytes are fixed — the signed attributes exactly as
prepared — so nothing the value covers is re-encoded. The signature is then verified through
:func:`edmscore.signatures.verify`; a value that does not verify is refused with
:class:`~edmscore.errors.SignatureValueInvalid`, and nothing half-made is returned.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import attrs
import pendulum
from asn1crypto import algos, cms, core, x509
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from edmscore.errors import (
    SignatureValueInvalid,
    SignerCertificateMismatch,
    SignerFailed,
    SigningRequestExpired,
    UnsupportedSigningKey,
    ValidationError,
)
from edmscore.signatures import _digests, _oids
from edmscore.signatures._anchors import TrustAnchors
from edmscore.signatures._certificate import Certificate, Crl, load_certificate
from edmscore.signatures._report import Reason, SignerReport, VerificationReport
from edmscore.signatures._verify import verify
from edmscore.signatures.signing import _der
from edmscore.signatures.signing._ports import TimestampAuthority
from edmscore.signatures.signing._request import KeyAlgorithm, RequestKind, SigningRequest
from edmscore.signatures.timestamps import load_timestamp_token

__all__ = ["AssembledSignature", "assemble"]

#: The largest signature value accepted (an RSA-16384 value is 2 KiB).
MAX_VALUE = 4096
_TIMESTAMP_ATTRIBUTE = "1.2.840.113549.1.9.16.2.14"
_COUNTERSIGNATURE_ATTRIBUTE = "1.2.840.113549.1.9.6"
# Findings about the value itself: the assembled signature is refused.
_VALUE_REASONS = frozenset(
    {
        Reason.BAD_SIGNATURE,
        Reason.MISSING_ATTRIBUTE,
        Reason.CONTENT_TYPE_MISMATCH,
        Reason.SIGNING_CERTIFICATE_MISMATCH,
    }
)


@attrs.frozen
class AssembledSignature:
    """The assembled CMS (DER) with the verification report and the new signer's part of it.

    Without trust anchors the report is ``indeterminate`` (no chain to check), yet the value was
    checked against the certificate: a value that does not verify never gets this far.
    """

    signature: bytes = attrs.field(repr=False)
    report: VerificationReport
    signer: SignerReport
    timestamped: bool = False


def _normalised_value(algorithm: KeyAlgorithm, value: bytes) -> bytes:
    if not isinstance(value, bytes) or not 0 < len(value) <= MAX_VALUE:
        raise SignatureValueInvalid("the signature value is empty or too long")
    if algorithm is KeyAlgorithm.ECDSA and value[:1] != b"\x30" and len(value) % 2 == 0:
        # Mobile and cloud signers often answer with the bare r || s (IEEE P1363).
        half = len(value) // 2
        value = encode_dss_signature(
            int.from_bytes(value[:half], "big"), int.from_bytes(value[half:], "big")
        )
    size = {KeyAlgorithm.GOST2012_256: 64, KeyAlgorithm.GOST2012_512: 128}.get(algorithm)
    if size is not None and len(value) != size:
        raise SignatureValueInvalid(
            f"a GOST R 34.10-2012 value is {size} bytes, this one is {len(value)}"
        )
    return value


def _attribute(oid: str, value_der: bytes) -> bytes:
    return _der.sequence(_der.oid(oid), _der.set_of([value_der]))


def _signer_info(
    request: SigningRequest, certificate: Certificate, value: bytes, unsigned: Sequence[bytes]
) -> bytes:
    algorithm = request.algorithm
    issuer, serial = _der.issuer_and_serial(certificate.der)
    signature_algorithm = _der.oid(algorithm.signature_oid)
    if algorithm is KeyAlgorithm.RSA:
        signature_algorithm += b"\x05\x00"
    parts = [
        b"\x02\x01\x01",
        _der.sequence(issuer, serial),
        _der.sequence(_der.oid(algorithm.digest_oid)),
        b"\xa0" + request.signed_attributes[1:],
        _der.sequence(signature_algorithm),
        _der.tlv(0x04, value),
    ]
    if unsigned:
        parts.append(_der.tlv(0xA1, b"".join(sorted(unsigned))))
    return _der.sequence(*parts)


def _timestamp_attribute(
    request: SigningRequest, value: bytes, timestamper: TimestampAuthority
) -> bytes:
    imprint = _digests.digest(request.digest_oid, value)
    assert imprint is not None
    token_der = timestamper.timestamp(imprint, request.digest_oid)
    if not isinstance(token_der, bytes):
        raise SignerFailed("the time-stamp authority gave no token")
    try:
        token = load_timestamp_token(token_der)
    except ValidationError:
        raise
    except Exception as error:  # a malformed answer of the TSA port is the TSA's failure
        raise SignerFailed(f"the time-stamp authority's token cannot be read: {error}") from None
    if token.imprint != imprint:
        raise SignerFailed("the time-stamp authority's token stamps other data")
    return _attribute(_TIMESTAMP_ATTRIBUTE, token.der)


def _add_certificates(signed: cms.SignedData, certificates: Iterable[Certificate]) -> None:
    existing = signed["certificates"]
    current = [] if isinstance(existing, core.Void) else [c.chosen for c in existing]
    present = {c.dump() for c in current}
    for cert in certificates:
        if cert.der not in present:
            current.append(x509.Certificate.load(cert.der))
            present.add(cert.der)
    signed["certificates"] = current


def _signed_data(
    request: SigningRequest,
    signer_info: bytes,
    content: bytes | None,
    certificates: Sequence[Certificate],
) -> bytes:
    if request.kind is RequestKind.SIGNATURE:
        encapsulated = [_der.oid(_oids.DATA)]
        if not request.detached:
            assert content is not None
            encapsulated.append(_der.tlv(0xA0, _der.tlv(0x04, content)))
        unique = list(dict.fromkeys(c.der for c in certificates))
        signed_data = _der.sequence(
            b"\x02\x01\x01",
            _der.set_of([_der.sequence(_der.oid(request.digest_oid))]),
            _der.sequence(*encapsulated),
            _der.tlv(0xA0, b"".join(unique)),
            _der.set_of([signer_info]),
        )
        return _der.sequence(_der.oid(_oids.SIGNED_DATA), _der.tlv(0xA0, signed_data))
    info = cms.SignerInfo.load(signer_info)
    outer = cms.ContentInfo.load(request.parent)
    signed = outer["content"]
    if request.kind is RequestKind.COSIGNATURE:
        digests = list(signed["digest_algorithms"])
        if request.digest_oid not in {d["algorithm"].dotted for d in digests}:
            digests.append(algos.DigestAlgorithm({"algorithm": request.digest_oid}))
            signed["digest_algorithms"] = digests
        signed["signer_infos"] = [*signed["signer_infos"], info]
    else:
        parent = signed["signer_infos"][request.parent_index]
        unsigned = parent["unsigned_attrs"]
        existing = [] if isinstance(unsigned, core.Void) else list(unsigned)
        existing.append(cms.CMSAttribute({"type": "counter_signature", "values": [info]}))
        parent["unsigned_attrs"] = cms.CMSAttributes(existing)
    _add_certificates(signed, certificates)
    return bytes(outer.dump())


def _new_signer(request: SigningRequest, report: VerificationReport) -> SignerReport:
    if request.kind is RequestKind.SIGNATURE:
        return report.signers[0]
    if request.kind is RequestKind.COSIGNATURE:
        return report.signers[-1]
    # A SET OF signer infos is written in DER order, so the countersigned signer may stand at
    # another index than in the parent: it is the one holding the request's countersigner.
    own = hashlib.sha256(request.certificate).hexdigest()
    for signer in report.signers:
        for counter in reversed(signer.countersignatures):
            if counter.certificate is not None and counter.certificate.sha256 == own:
                return counter
    return report.signers[request.parent_index].countersignatures[-1]


def assemble(
    request: SigningRequest,
    value: bytes,
    content: bytes | None = None,
    *,
    at: pendulum.DateTime | None = None,
    certificate: bytes | Certificate | None = None,
    chain: Iterable[bytes | Certificate] = (),
    trust_anchors: TrustAnchors | Iterable[bytes | Certificate] = (),
    crls: Iterable[bytes | Crl] = (),
    timestamper: TimestampAuthority | None = None,
    accelerated: bool | None = None,
) -> AssembledSignature:
    """Put the signer's ``value`` into a CMS SignedData, verify it and return it.

    ``content`` is the signed content: needed for a signature (attached into the CMS unless the
    request is detached, and hashed again by the verification) and a co-signature of a detached
    signature. ``certificate`` is the one the signer says it used (refused with
    :class:`~edmscore.errors.SignerCertificateMismatch` if it is not the request's). ``chain``
    certificates are embedded; ``trust_anchors`` and ``crls`` go to the verification. With a
    ``timestamper`` the signature is upgraded to CAdES-T (a signature-time-stamp over the value).

    Raises :class:`~edmscore.errors.SigningRequestExpired` at or after the request's expiry,
    :class:`~edmscore.errors.SignatureValueInvalid` for a value that does not verify over the
    prepared attributes with the certificate's key, and
    :class:`~edmscore.errors.ValidationError` (field ``content``) for content other than the
    prepared.
    """
    moment = (at or pendulum.now("UTC")).in_tz("UTC")
    if request.expired(moment):
        raise SigningRequestExpired(
            f"the signing request {request.id} expired at {request.expires_at.isoformat()}"
        )
    own = load_certificate(request.certificate)
    if certificate is not None and load_certificate(certificate) != own:
        raise SignerCertificateMismatch(
            f"the signer used another certificate than the one request {request.id} names"
        )
    algorithm = request.algorithm
    value = _normalised_value(algorithm, value)
    needs_content = request.kind is RequestKind.SIGNATURE or (
        request.kind is RequestKind.COSIGNATURE and request.detached
    )
    if needs_content and not isinstance(content, bytes):
        raise ValidationError("content", "the signed content is needed to assemble")
    unsigned = []
    if timestamper is not None and request.kind is not RequestKind.COUNTERSIGNATURE:
        unsigned.append(_timestamp_attribute(request, value, timestamper))
    info = _signer_info(request, own, value, unsigned)
    chain_certs = [load_certificate(c) for c in chain]
    der = _signed_data(request, info, content, [own, *chain_certs])
    report = verify(
        content if request.detached else None,
        der,
        trust_anchors=trust_anchors,
        crls=crls,
        intermediates=chain_certs,
        at=moment,
        accelerated=accelerated,
    )
    try:
        signer = _new_signer(request, report)
    except IndexError:  # a detached signature's signers are not read without the content
        raise ValidationError("content", "the signed content is needed to assemble") from None
    reasons = {f.reason for f in signer.findings}
    if Reason.DIGEST_MISMATCH in reasons:
        raise ValidationError("content", "not the content the request was prepared for")
    if Reason.UNSUPPORTED_ALGORITHM in reasons:
        raise UnsupportedSigningKey("the verifier does not support this key's algorithm here")
    if reasons & _VALUE_REASONS:
        raise SignatureValueInvalid(
            f"the value returned for request {request.id} does not verify with its certificate"
        )
    return AssembledSignature(der, report, signer, timestamped=bool(unsigned))
