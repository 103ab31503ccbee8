"""Preparing a CAdES-BES signature: the signed attributes and the bytes the signer must sign.

The attributes are those of CAdES-BES (ETSI EN 319 122-1): contentType (not in a
countersignature), signingTime, messageDigest and signingCertificateV2 with the certificate's
hash in the key's digest algorithm and its issuer and serial. They are encoded in DER — each
attribute by asn1crypto, the SET OF sorted by encoding as DER requires — so the bytes signed are
the bytes later carried in the SignerInfo.
"""

from __future__ import annotations

from collections.abc import Iterable

import pendulum

from edmscore._ids import new_id
from edmscore.errors import ValidationError
from edmscore.signatures import _digests, _oids
from edmscore.signatures._certificate import Certificate, load_certificate
from edmscore.signatures._cms import parse_signed_data
from edmscore.signatures.signing import _der
from edmscore.signatures.signing._request import RequestKind, SigningRequest, key_algorithm

__all__ = ["DEFAULT_VALIDITY", "prepare", "prepare_countersignature", "signed_attributes"]

#: How long a request waits for its value unless told otherwise.
DEFAULT_VALIDITY = pendulum.duration(minutes=15)
_ATTR_CONTENT_TYPE = "1.2.840.113549.1.9.3"
_ATTR_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
_ATTR_SIGNING_TIME = "1.2.840.113549.1.9.5"
_ATTR_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"


def signed_attributes(
    certificate: Certificate,
    digest_oid: str,
    message_digest: bytes,
    signing_time: pendulum.DateTime,
    *,
    content_type: str | None = _oids.DATA,
) -> bytes:
    """The DER SET OF CAdES-BES signed attributes (tag 0x31), sorted as DER requires.

    signingCertificateV2's ESSCertIDv2 names the hash algorithm unless it is SHA-256, the
    DEFAULT that DER leaves out (RFC 5035), and carries the issuer and serial.
    """
    cert_hash = _digests.digest(digest_oid, certificate.der)
    assert cert_hash is not None
    issuer, serial = _der.issuer_and_serial(certificate.der)
    hash_algorithm = b"" if digest_oid == _oids.SHA256 else _der.sequence(_der.oid(digest_oid))
    ess_cert_id = _der.sequence(
        hash_algorithm,
        _der.tlv(0x04, cert_hash),
        _der.sequence(_der.sequence(_der.tlv(0xA4, issuer)), serial),
    )
    values = {
        _ATTR_SIGNING_TIME: _der.signing_time(signing_time),
        _ATTR_MESSAGE_DIGEST: _der.tlv(0x04, message_digest),
        _ATTR_SIGNING_CERTIFICATE_V2: _der.sequence(_der.sequence(ess_cert_id)),
    }
    if content_type is not None:
        values[_ATTR_CONTENT_TYPE] = _der.oid(content_type)
    return _der.set_of(
        [_der.sequence(_der.oid(kind), _der.set_of([value])) for kind, value in values.items()]
    )


def _content_digest(content: bytes | Iterable[bytes], digest_oid: str) -> bytes:
    hasher = _digests.new_hasher(digest_oid)
    assert hasher is not None
    if isinstance(content, bytes | bytearray | memoryview):
        hasher.update(bytes(content))
    else:
        for chunk in content:
            hasher.update(chunk)
    return hasher.digest()


def _times(
    at: pendulum.DateTime | None, valid_for: pendulum.Duration | None
) -> tuple[pendulum.DateTime, pendulum.DateTime]:
    moment = (at or pendulum.now("UTC")).in_tz("UTC")
    validity = DEFAULT_VALIDITY if valid_for is None else valid_for
    if validity.total_seconds() <= 0:
        raise ValidationError("valid_for", "a request must stay valid for some time")
    return moment, moment + validity


def prepare(
    content: bytes | Iterable[bytes],
    certificate: bytes | Certificate,
    *,
    detached: bool = True,
    at: pendulum.DateTime | None = None,
    valid_for: pendulum.Duration | None = None,
    cosign: bytes | None = None,
    request_id: str | None = None,
) -> SigningRequest:
    """Prepare a CAdES-BES signature over ``content`` for the holder of ``certificate``.

    ``content`` is bytes or an iterable of chunks (hashed as it goes; it is not kept). The
    digest follows the key: Streebog-256/512 for GOST R 34.10-2012, SHA-256 for RSA and ECDSA.
    ``at`` is the signing time (now by default), ``valid_for`` how long the request waits (15
    minutes by default). With ``cosign`` (an existing CMS over the same content) the value
    becomes one more signer of that SignedData. Raises
    :class:`~edmscore.errors.UnsupportedSigningKey` for a key that cannot sign CAdES here.
    """
    cert = load_certificate(certificate)
    algorithm = key_algorithm(cert)
    moment, expires = _times(at, valid_for)
    digest = _content_digest(content, algorithm.digest_oid)
    if cosign is not None:
        parent = parse_signed_data(cosign)
        if parent.content_type != _oids.DATA:
            raise ValidationError("cosign", "co-signing needs a signature over id-data content")
        detached = parent.content is None
    return SigningRequest(
        id=request_id or new_id(),
        kind=RequestKind.SIGNATURE if cosign is None else RequestKind.COSIGNATURE,
        certificate=cert.der,
        signed_attributes=signed_attributes(cert, algorithm.digest_oid, digest, moment),
        content_digest=digest,
        signing_time=moment,
        expires_at=expires,
        detached=detached,
        parent=b"" if cosign is None else cosign,
    )


def prepare_countersignature(
    signature: bytes,
    certificate: bytes | Certificate,
    *,
    index: int = 0,
    at: pendulum.DateTime | None = None,
    valid_for: pendulum.Duration | None = None,
    request_id: str | None = None,
) -> SigningRequest:
    """Prepare a countersignature by ``certificate``'s holder on signer ``index`` of
    ``signature`` (RFC 5652 11.4: the message digest covers that signer's value; no
    contentType)."""
    cert = load_certificate(certificate)
    algorithm = key_algorithm(cert)
    parent = parse_signed_data(signature)
    if not 0 <= index < len(parent.signers):
        raise ValidationError("index", f"the signature has {len(parent.signers)} signer(s)")
    moment, expires = _times(at, valid_for)
    digest = _content_digest(parent.signers[index].signature, algorithm.digest_oid)
    return SigningRequest(
        id=request_id or new_id(),
        kind=RequestKind.COUNTERSIGNATURE,
        certificate=cert.der,
        signed_attributes=signed_attributes(
            cert, algorithm.digest_oid, digest, moment, content_type=None
        ),
        content_digest=digest,
        signing_time=moment,
        expires_at=expires,
        detached=parent.content is None,
        parent=signature,
        parent_index=index,
    )
