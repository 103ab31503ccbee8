"""The signature-verifier port: detached signature bytes and content in, a signer or a failure out.

The library holds no keys: the host obtains the signatory's detached signature (from a token, a
signing server, a mobile signature app…) and hands the bytes to
:meth:`~edmscore.approval.ApprovalService.sign`, which asks a :class:`SignatureVerifier`.
``edmscore.signatures`` provides the CMS verifier (GOST, RSA, ECDSA); until a host plugs it in,
any object with this method will do, such as :class:`~edmscore.approval.CertificateKeyVerifier`.

The outcome is a value — :class:`SignerInfo` or :class:`VerificationFailure` — never an
exception; an exception from a verifier means it could not work at all.
"""

from __future__ import annotations

import enum
from typing import Protocol

import attrs
import pendulum

from edmscore._validate import aware_datetime, instance_of, non_empty_text, sha256_hex, text

__all__ = ["FailureReason", "SignatureVerifier", "SignerInfo", "VerificationFailure"]


@attrs.frozen
class SignerInfo:
    """Who signed, as the verifier read it from the signer's certificate.

    ``serial_number`` is the certificate's serial in hex; ``certificate_sha256`` its fingerprint;
    the validity period is printed in the electronic-signature mark.
    """

    subject: str = attrs.field(validator=non_empty_text(1000))
    serial_number: str = attrs.field(validator=non_empty_text(128))
    issuer: str = attrs.field(validator=text(1000))
    not_before: pendulum.DateTime = attrs.field(validator=aware_datetime)
    not_after: pendulum.DateTime = attrs.field(validator=aware_datetime)
    certificate_sha256: str = attrs.field(validator=sha256_hex)


class FailureReason(enum.Enum):
    """Why a verifier did not accept a signature."""

    INVALID_SIGNATURE = "invalid_signature"
    MALFORMED = "malformed"
    UNKNOWN_SIGNER = "unknown_signer"
    CERTIFICATE_NOT_YET_VALID = "certificate_not_yet_valid"
    CERTIFICATE_EXPIRED = "certificate_expired"
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
    OTHER = "other"


@attrs.frozen
class VerificationFailure:
    """A verifier's refusal: the reason and a readable detail."""

    reason: FailureReason = attrs.field(validator=instance_of(FailureReason))
    detail: str = attrs.field(default="", validator=text(2000))


class SignatureVerifier(Protocol):
    """Verifies a detached signature over ``content`` as of the moment ``at``."""

    def verify_detached(
        self, signature: bytes, content: bytes, at: pendulum.DateTime
    ) -> SignerInfo | VerificationFailure:
        """The signer when the signature is valid for ``content`` at ``at``; else the failure."""
        ...
