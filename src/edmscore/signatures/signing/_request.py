"""The pending signing request: what the external signer must sign, and what assembly needs back.

A :class:`SigningRequest` is a plain value: the DER of the signed attributes (a SET OF, tag
0x31, exactly the bytes the signature value covers), their hash for signers that take a hash,
the signer's certificate, the content's digest and the request's id and expiry. It carries no
secret and no content, so it may be stored (:meth:`to_json`) and sent to a signing service.
"""

from __future__ import annotations

import base64
import enum
import json
from typing import Any

import attrs
import pendulum

from edmscore._validate import aware_datetime, instance_of, non_empty_text
from edmscore.errors import SignatureError, UnsupportedSigningKey, ValidationError
from edmscore.signatures import _digests, _oids
from edmscore.signatures._certificate import Certificate, load_certificate

__all__ = ["KeyAlgorithm", "RequestKind", "SigningRequest", "key_algorithm"]

#: The largest JSON form of a request :meth:`SigningRequest.from_json` reads.
MAX_REQUEST_JSON = 1 << 20


class KeyAlgorithm(enum.Enum):
    """The key algorithm of the signer's certificate, which fixes the digest and the encoding."""

    GOST2012_256 = "gost2012_256"
    GOST2012_512 = "gost2012_512"
    RSA = "rsa"
    ECDSA = "ecdsa"

    @property
    def digest_oid(self) -> str:
        """The digest algorithm: Streebog-256/512 for GOST R 34.10-2012 keys, else SHA-256."""
        return {
            KeyAlgorithm.GOST2012_256: _oids.STREEBOG256,
            KeyAlgorithm.GOST2012_512: _oids.STREEBOG512,
        }.get(self, _oids.SHA256)

    @property
    def signature_oid(self) -> str:
        """The SignerInfo's signatureAlgorithm, in the form OpenSSL writes (the key's OID)."""
        return {
            KeyAlgorithm.GOST2012_256: _oids.GOST2012_256,
            KeyAlgorithm.GOST2012_512: _oids.GOST2012_512,
            KeyAlgorithm.RSA: _oids.RSA,
            KeyAlgorithm.ECDSA: _oids.ECDSA_SHA256,
        }[self]


_BY_KEY_OID = {
    _oids.GOST2012_256: KeyAlgorithm.GOST2012_256,
    _oids.GOST2012_512: KeyAlgorithm.GOST2012_512,
    _oids.RSA: KeyAlgorithm.RSA,
    "1.2.840.10045.2.1": KeyAlgorithm.ECDSA,  # id-ecPublicKey
}


def key_algorithm(certificate: Certificate) -> KeyAlgorithm:
    """The signing key algorithm of ``certificate``; :class:`UnsupportedSigningKey` otherwise."""
    found = _BY_KEY_OID.get(certificate.public_key_algorithm)
    if found is None:
        name = _oids.digest_name(certificate.public_key_algorithm)
        raise UnsupportedSigningKey(
            f"the certificate's key ({name}) cannot make a CAdES signature here: GOST R "
            "34.10-2012, RSA and ECDSA keys can"
        )
    return found


class RequestKind(enum.Enum):
    """What the assembled value becomes: a signature, a co-signature or a countersignature."""

    SIGNATURE = "signature"
    COSIGNATURE = "cosignature"  # one more SignerInfo in an existing SignedData
    COUNTERSIGNATURE = "countersignature"  # a SignerInfo over another signer's value


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


@attrs.frozen
class SigningRequest:
    """A prepared CAdES-BES signature waiting for its signature value.

    ``signed_attributes`` is the DER SET OF attributes the value covers (:attr:`to_be_signed`);
    signers that take a hash sign :attr:`to_be_signed_digest`. ``content_digest`` is the hash of
    the content (or, for a countersignature, of the parent signer's value). ``parent`` holds the
    existing CMS a co-signature or countersignature joins; ``parent_index`` the signer a
    countersignature covers.
    """

    id: str = attrs.field(validator=non_empty_text(64))
    kind: RequestKind = attrs.field(validator=instance_of(RequestKind))
    certificate: bytes = attrs.field(repr=False, validator=instance_of(bytes))
    signed_attributes: bytes = attrs.field(repr=False, validator=instance_of(bytes))
    content_digest: bytes = attrs.field(repr=False, validator=instance_of(bytes))
    signing_time: pendulum.DateTime = attrs.field(validator=aware_datetime)
    expires_at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    detached: bool = attrs.field(default=True, validator=instance_of(bool))
    parent: bytes = attrs.field(default=b"", repr=False, validator=instance_of(bytes))
    parent_index: int = attrs.field(default=0, validator=instance_of(int))

    @property
    def algorithm(self) -> KeyAlgorithm:
        """The signer's key algorithm (from the certificate)."""
        return key_algorithm(load_certificate(self.certificate))

    @property
    def digest_oid(self) -> str:
        """The digest algorithm's OID (Streebog for GOST keys, SHA-256 otherwise)."""
        return self.algorithm.digest_oid

    @property
    def to_be_signed(self) -> bytes:
        """The exact bytes the signature value covers: the DER of the signed attributes."""
        return self.signed_attributes

    @property
    def to_be_signed_digest(self) -> bytes:
        """The hash of :attr:`to_be_signed`, for signers that take a hash (GOST byte order as
        ``openssl dgst`` prints it)."""
        found = _digests.digest(self.digest_oid, self.signed_attributes)
        assert found is not None  # every digest of KeyAlgorithm is supported
        return found

    def expired(self, at: pendulum.DateTime) -> bool:
        """Whether the request has expired at ``at``."""
        return at >= self.expires_at

    def to_json(self) -> str:
        """The request as JSON (bytes in base64), for storage or for a signing service."""
        return json.dumps(
            {
                "id": self.id,
                "kind": self.kind.value,
                "certificate": _b64(self.certificate),
                "signed_attributes": _b64(self.signed_attributes),
                "to_be_signed_digest": self.to_be_signed_digest.hex(),
                "digest_algorithm": self.digest_oid,
                "content_digest": self.content_digest.hex(),
                "signing_time": self.signing_time.in_tz("UTC").isoformat(),
                "expires_at": self.expires_at.in_tz("UTC").isoformat(),
                "detached": self.detached,
                "parent": _b64(self.parent),
                "parent_index": self.parent_index,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> SigningRequest:
        """A request read back from :meth:`to_json`; :class:`ValidationError` when it is not."""
        if len(text) > MAX_REQUEST_JSON:
            raise ValidationError("request", "larger than a signing request can be")
        try:
            data: dict[str, Any] = json.loads(text)
            request = cls(
                id=data["id"],
                kind=RequestKind(data["kind"]),
                certificate=base64.b64decode(data["certificate"], validate=True),
                signed_attributes=base64.b64decode(data["signed_attributes"], validate=True),
                content_digest=bytes.fromhex(data["content_digest"]),
                signing_time=_instant(data["signing_time"]),
                expires_at=_instant(data["expires_at"]),
                detached=data["detached"],
                parent=base64.b64decode(data.get("parent", ""), validate=True),
                parent_index=data.get("parent_index", 0),
            )
        except ValidationError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ValidationError("request", f"not a signing request: {error}") from None
        try:
            request.algorithm  # noqa: B018  (the certificate must read and have a usable key)
        except SignatureError as error:
            raise ValidationError("request.certificate", str(error)) from None
        return request


def _instant(text: str) -> pendulum.DateTime:
    value = pendulum.parse(text)
    if not isinstance(value, pendulum.DateTime):
        raise ValueError(f"not a date and time: {text!r}")
    return value.in_tz("UTC")
