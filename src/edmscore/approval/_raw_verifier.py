"""A verifier of raw (not CMS) signatures with the public keys of known certificates.

Some signing tools return a bare RSA-PSS or ECDSA signature over the document's SHA-256 rather
than a CMS container. :class:`CertificateKeyVerifier` checks such a signature against each
certificate it was given and reports the one whose key verifies it, with its validity checked
at the signing moment. It is a real verifier for hosts in that situation and for tests; the CMS
verifier of :mod:`edmscore.signatures` replaces it for qualified signatures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pendulum
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.x509 import Certificate, ObjectIdentifier
from cryptography.x509.oid import NameOID

from edmscore.approval._verifier import FailureReason, SignerInfo, VerificationFailure
from edmscore.errors import ValidationError

__all__ = ["CertificateKeyVerifier"]

#: The largest raw signature accepted (an RSA-16384 signature is 2048 bytes).
MAX_SIGNATURE = 4096


_SNILS = ObjectIdentifier("1.2.643.100.3")


def _attribute(certificate: Certificate, oid: ObjectIdentifier) -> str | None:
    found = certificate.subject.get_attributes_for_oid(oid)
    value = found[0].value if found else None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value.strip() or None if isinstance(value, str) else None


def _signer(certificate: Certificate) -> SignerInfo:
    der = certificate.public_bytes(serialization.Encoding.DER)
    return SignerInfo(
        subject=certificate.subject.rfc4514_string() or "(no subject)",
        serial_number=f"{certificate.serial_number:x}",
        issuer=certificate.issuer.rfc4514_string(),
        not_before=pendulum.instance(certificate.not_valid_before_utc),
        not_after=pendulum.instance(certificate.not_valid_after_utc),
        certificate_sha256=hashlib.sha256(der).hexdigest(),
        surname=_attribute(certificate, NameOID.SURNAME),
        given_names=_attribute(certificate, NameOID.GIVEN_NAME),
        snils=_attribute(certificate, _SNILS),
    )


def _verifies(certificate: Certificate, signature: bytes, digest: bytes) -> bool:
    key = certificate.public_key()
    prehashed = utils.Prehashed(hashes.SHA256())
    try:
        if isinstance(key, rsa.RSAPublicKey):
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
            key.verify(signature, digest, pss, prehashed)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, digest, ec.ECDSA(prehashed))
        else:
            return False
    except InvalidSignature:
        return False
    return True


class CertificateKeyVerifier:
    """Verifies raw RSA-PSS or ECDSA signatures over SHA-256 with known certificates' keys."""

    def __init__(self, certificates: Iterable[Certificate]) -> None:
        self._certificates = tuple(certificates)
        for certificate in self._certificates:
            if not isinstance(certificate, Certificate):
                raise ValidationError("certificates", "must be cryptography x509 certificates")

    def verify_detached(
        self, signature: bytes, content: bytes, at: pendulum.DateTime
    ) -> SignerInfo | VerificationFailure:
        """The signer whose certificate's key verifies ``signature`` over ``content``."""
        if not isinstance(signature, bytes) or not 0 < len(signature) <= MAX_SIGNATURE:
            return VerificationFailure(FailureReason.MALFORMED, "not a raw signature")
        digest = hashlib.sha256(content).digest()
        for certificate in self._certificates:
            if not _verifies(certificate, signature, digest):
                continue
            signer = _signer(certificate)
            if at < signer.not_before:
                return VerificationFailure(
                    FailureReason.CERTIFICATE_NOT_YET_VALID,
                    f"certificate {signer.serial_number} is valid from {signer.not_before}",
                )
            if at > signer.not_after:
                return VerificationFailure(
                    FailureReason.CERTIFICATE_EXPIRED,
                    f"certificate {signer.serial_number} expired {signer.not_after}",
                )
            return signer
        return VerificationFailure(
            FailureReason.INVALID_SIGNATURE, "no known certificate's key verifies the signature"
        )
