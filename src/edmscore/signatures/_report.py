"""The verification report: attrs values and their JSON form."""

from __future__ import annotations

import enum
import hashlib
import json
from typing import Any

import attrs
import pendulum

from edmscore.signatures._certificate import Certificate
from edmscore.signatures._subject import SubjectFields


class Status(enum.Enum):
    """The verdict on a whole signature or on one signer."""

    VALID = "valid"
    INVALID = "invalid"
    INDETERMINATE = "indeterminate"


class Reason(enum.Enum):
    """Why a verdict is not ``valid``."""

    NO_SIGNERS = "no_signers"
    NO_SIGNER_CERTIFICATE = "no_signer_certificate"
    CONTENT_MISSING = "content_missing"
    MISSING_ATTRIBUTE = "missing_attribute"
    CONTENT_TYPE_MISMATCH = "content_type_mismatch"
    DIGEST_MISMATCH = "digest_mismatch"
    BAD_SIGNATURE = "bad_signature"
    SIGNING_CERTIFICATE_MISMATCH = "signing_certificate_mismatch"
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
    NO_CHAIN_TO_TRUST_ANCHOR = "no_chain_to_trust_anchor"
    BAD_CERTIFICATE_SIGNATURE = "bad_certificate_signature"
    NOT_A_CA = "not_a_ca"
    KEY_USAGE = "key_usage"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    REVOCATION_UNKNOWN = "revocation_unknown"
    EVIDENCE_INVALID = "evidence_invalid"  # long-term evidence that does not hold (see ltv)


# The reasons that make a signature invalid; every other reason leaves it indeterminate.
INVALID_REASONS = frozenset(
    {
        Reason.CONTENT_TYPE_MISMATCH,
        Reason.DIGEST_MISMATCH,
        Reason.BAD_SIGNATURE,
        Reason.SIGNING_CERTIFICATE_MISMATCH,
        Reason.MISSING_ATTRIBUTE,
        Reason.REVOKED,
        Reason.BAD_CERTIFICATE_SIGNATURE,
        Reason.NOT_A_CA,
        Reason.KEY_USAGE,
    }
)


class TimeSource(enum.Enum):
    """Where a signer's signing time comes from."""

    TIMESTAMP = "timestamp"  # an RFC 3161 token that verified: a trusted time
    SIGNED_ATTRIBUTE = "signed_attribute"  # the signer's own claim (signingTime)
    NONE = "none"


@attrs.frozen
class Finding:
    """One problem found: a reason code and a readable message."""

    reason: Reason
    message: str


@attrs.frozen
class CertificateInfo:
    """What the report tells about a certificate; ``sha256`` is the fingerprint of its DER."""

    subject: str
    issuer: str
    serial: str
    not_before: pendulum.DateTime
    not_after: pendulum.DateTime
    public_key_algorithm: str
    fields: SubjectFields
    sha256: str = ""

    @classmethod
    def of(cls, cert: Certificate, key_algorithm_name: str) -> CertificateInfo:
        """Describe ``cert``."""
        return cls(
            subject=cert.subject,
            issuer=cert.issuer,
            serial=cert.serial_hex,
            not_before=cert.not_before,
            not_after=cert.not_after,
            public_key_algorithm=key_algorithm_name,
            fields=cert.fields,
            sha256=hashlib.sha256(cert.der).hexdigest(),
        )


@attrs.frozen
class SignerReport:
    """The verdict on one signer (or countersigner) of a CMS signature."""

    status: Status
    findings: tuple[Finding, ...]
    certificate: CertificateInfo | None
    chain: tuple[CertificateInfo, ...]
    digest_algorithm: str
    signature_algorithm: str
    signing_time: pendulum.DateTime | None
    signing_time_source: TimeSource
    claimed_signing_time: pendulum.DateTime | None
    countersignatures: tuple[SignerReport, ...] = ()

    @property
    def reason(self) -> Reason | None:
        """The first reason behind the verdict, ``None`` when valid."""
        if self.status is Status.VALID:
            return None
        for finding in self.findings:
            if (finding.reason in INVALID_REASONS) == (self.status is Status.INVALID):
                return finding.reason
        return self.findings[0].reason


@attrs.frozen
class VerificationReport:
    """The verdict on a CMS signature, with a report per signer."""

    status: Status
    reason: Reason | None
    signers: tuple[SignerReport, ...]
    checked_at: pendulum.DateTime
    detached: bool
    revocation_checked: bool

    @property
    def valid(self) -> bool:
        """Whether the overall status is ``valid``."""
        return self.status is Status.VALID

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready values (times in ISO 8601, enums as their values)."""
        result: dict[str, Any] = _plain(self)
        return result

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as a JSON document (UTF-8 text, Cyrillic kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, pendulum.DateTime):
        return value.in_tz("UTC").isoformat()
    if attrs.has(type(value)):
        out = {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
        if isinstance(value, SubjectFields):
            out["full_name"] = value.full_name
        if isinstance(value, SignerReport):
            out["reason"] = _plain(value.reason)
        return out
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def combine(signers: tuple[SignerReport, ...]) -> tuple[Status, Reason | None]:
    """The overall verdict: invalid if any signer is, valid if all are, else indeterminate."""
    if not signers:
        return Status.INVALID, Reason.NO_SIGNERS
    for signer in signers:
        if signer.status is Status.INVALID:
            return Status.INVALID, signer.reason
    for signer in signers:
        if signer.status is Status.INDETERMINATE:
            return Status.INDETERMINATE, signer.reason
    return Status.VALID, None


def verdict(findings: tuple[Finding, ...]) -> Status:
    """The status a list of findings amounts to."""
    if not findings:
        return Status.VALID
    if any(f.reason in INVALID_REASONS for f in findings):
        return Status.INVALID
    return Status.INDETERMINATE
