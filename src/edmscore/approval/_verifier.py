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

from edmscore._validate import (
    aware_datetime,
    instance_of,
    non_empty_text,
    optional_text,
    sha256_hex,
    text,
)

__all__ = [
    "CountersignatureVerifier",
    "FailureReason",
    "SignatureVerifier",
    "SignerInfo",
    "VerificationFailure",
]


@attrs.frozen
class SignerInfo:
    """Who signed, as the verifier read it from the signer's certificate.

    ``serial_number`` is the certificate's serial in hex; ``certificate_sha256`` its fingerprint;
    the validity period is printed in the electronic-signature mark. ``surname``, ``given_names``
    («Имя Отчество», the certificate's givenName) and ``snils`` are the certificate holder's, when
    the certificate carries them (a qualified certificate of a person does): signing compares them
    with the official who signs (see ``docs/approval.md``, «The signer is the official»).
    """

    subject: str = attrs.field(validator=non_empty_text(1000))
    serial_number: str = attrs.field(validator=non_empty_text(128))
    issuer: str = attrs.field(validator=text(1000))
    not_before: pendulum.DateTime = attrs.field(validator=aware_datetime)
    not_after: pendulum.DateTime = attrs.field(validator=aware_datetime)
    certificate_sha256: str = attrs.field(validator=sha256_hex)
    surname: str | None = attrs.field(default=None, validator=optional_text(200))
    given_names: str | None = attrs.field(default=None, validator=optional_text(400))
    snils: str | None = attrs.field(default=None, validator=optional_text(32))


class FailureReason(enum.Enum):
    """Why a verifier did not accept a signature."""

    INVALID_SIGNATURE = "invalid_signature"
    MALFORMED = "malformed"
    UNKNOWN_SIGNER = "unknown_signer"
    CERTIFICATE_NOT_YET_VALID = "certificate_not_yet_valid"
    CERTIFICATE_EXPIRED = "certificate_expired"
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
    UNTRUSTED = "untrusted"
    REVOKED = "revoked"
    REVOCATION_UNKNOWN = "revocation_unknown"
    SIGNER_MISMATCH = "signer_mismatch"
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


class CountersignatureVerifier(SignatureVerifier, Protocol):
    """A verifier that also checks countersignatures (заверительная подпись) inside a CMS.

    Drafts whose route names a countersigner need one (:class:`CmsSignatureVerifier` is).
    """

    def verify_countersignature(
        self, signature: bytes, content: bytes, at: pendulum.DateTime, *, signer: int, counter: int
    ) -> SignerInfo | VerificationFailure:
        """The countersigner when countersignature ``counter`` on signer ``signer`` of the CMS
        ``signature`` over ``content`` is valid at ``at``; else the failure."""
        ...
