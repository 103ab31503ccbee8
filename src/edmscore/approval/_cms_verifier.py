"""The signature-verifier port over ``edmscore.signatures``: CMS with GOST, RSA and ECDSA.

:class:`CmsSignatureVerifier` checks a detached CMS signature with
:func:`edmscore.signatures.verify` against the trust anchors, intermediate certificates and CRLs
it was built with, and translates the report into the port's values: the first signer's
certificate as a :class:`~edmscore.approval.SignerInfo` (with the holder's surname, given names
and СНИЛС), or a :class:`~edmscore.approval.VerificationFailure` whose reason maps the report's.
"""

from __future__ import annotations

from collections.abc import Iterable

import pendulum

from edmscore.approval._verifier import FailureReason, SignerInfo, VerificationFailure
from edmscore.errors import SignatureError
from edmscore.signatures import (
    Certificate,
    CertificateInfo,
    Crl,
    Reason,
    Status,
    VerificationReport,
    load_certificate,
    load_crl,
    verify,
)

__all__ = ["CmsSignatureVerifier", "failure_reason", "signer_info"]

#: The largest signature accepted (a CMS with a long chain and CRLs stays far below).
MAX_SIGNATURE = 4 << 20

_REASONS: dict[Reason, FailureReason] = {
    Reason.NO_SIGNERS: FailureReason.MALFORMED,
    Reason.CONTENT_MISSING: FailureReason.MALFORMED,
    Reason.NO_SIGNER_CERTIFICATE: FailureReason.UNKNOWN_SIGNER,
    Reason.MISSING_ATTRIBUTE: FailureReason.INVALID_SIGNATURE,
    Reason.CONTENT_TYPE_MISMATCH: FailureReason.INVALID_SIGNATURE,
    Reason.DIGEST_MISMATCH: FailureReason.INVALID_SIGNATURE,
    Reason.BAD_SIGNATURE: FailureReason.INVALID_SIGNATURE,
    Reason.SIGNING_CERTIFICATE_MISMATCH: FailureReason.INVALID_SIGNATURE,
    Reason.UNSUPPORTED_ALGORITHM: FailureReason.UNSUPPORTED_ALGORITHM,
    Reason.NO_CHAIN_TO_TRUST_ANCHOR: FailureReason.UNTRUSTED,
    Reason.BAD_CERTIFICATE_SIGNATURE: FailureReason.UNTRUSTED,
    Reason.NOT_A_CA: FailureReason.UNTRUSTED,
    Reason.KEY_USAGE: FailureReason.UNTRUSTED,
    Reason.EXPIRED: FailureReason.CERTIFICATE_EXPIRED,
    Reason.NOT_YET_VALID: FailureReason.CERTIFICATE_NOT_YET_VALID,
    Reason.REVOKED: FailureReason.REVOKED,
    Reason.REVOCATION_UNKNOWN: FailureReason.REVOCATION_UNKNOWN,
}


def failure_reason(reason: Reason | None) -> FailureReason:
    """The port's reason for a verification report's reason."""
    return FailureReason.OTHER if reason is None else _REASONS.get(reason, FailureReason.OTHER)


def signer_info(certificate: CertificateInfo) -> SignerInfo:
    """The port's signer from a report's certificate description."""
    fields = certificate.fields
    given = " ".join(p for p in (fields.given_name, fields.patronymic) if p)
    return SignerInfo(
        subject=certificate.subject or "(no subject)",
        serial_number=certificate.serial,
        issuer=certificate.issuer,
        not_before=certificate.not_before,
        not_after=certificate.not_after,
        certificate_sha256=certificate.sha256,
        surname=fields.surname or None,
        given_names=given or None,
        snils=fields.snils or None,
    )


class CmsSignatureVerifier:
    """Verifies detached CMS signatures with :func:`edmscore.signatures.verify`.

    ``trust_anchors`` (root certificates), ``intermediates`` and ``crls`` are DER or PEM bytes or
    loaded values; they are decoded once, here (a malformed one raises a
    :class:`~edmscore.errors.SignatureError`). With CRLs, revocation is checked; ``accelerated``
    chooses the Streebog implementation as in :func:`~edmscore.signatures.verify`.
    """

    def __init__(
        self,
        trust_anchors: Iterable[bytes | Certificate],
        *,
        intermediates: Iterable[bytes | Certificate] = (),
        crls: Iterable[bytes | Crl] = (),
        accelerated: bool | None = None,
    ) -> None:
        self.trust_anchors = tuple(load_certificate(c) for c in trust_anchors)
        self.intermediates = tuple(load_certificate(c) for c in intermediates)
        self.crls = tuple(load_crl(c) for c in crls)
        self.accelerated = accelerated

    def _report(
        self, signature: bytes, content: bytes, at: pendulum.DateTime
    ) -> VerificationReport | VerificationFailure:
        """The library's report on the CMS ``signature`` over ``content`` at ``at``, or why the
        signature could not be read at all."""
        if not isinstance(signature, bytes) or not 0 < len(signature) <= MAX_SIGNATURE:
            return VerificationFailure(FailureReason.MALFORMED, "not a CMS signature")
        try:
            return verify(
                content,
                signature,
                trust_anchors=self.trust_anchors,
                intermediates=self.intermediates,
                crls=self.crls,
                at=at,
                accelerated=self.accelerated,
            )
        except SignatureError as error:
            return VerificationFailure(FailureReason.MALFORMED, str(error)[:2000])

    def verify_detached(
        self, signature: bytes, content: bytes, at: pendulum.DateTime
    ) -> SignerInfo | VerificationFailure:
        """The signer when the CMS signature is valid for ``content`` at ``at``; else why not."""
        report = self._report(signature, content, at)
        if isinstance(report, VerificationFailure):
            return report
        if report.status is Status.VALID:
            certificate = report.signers[0].certificate
            assert certificate is not None  # a valid signer has its certificate
            return signer_info(certificate)
        findings = [f.message for s in report.signers for f in s.findings]
        detail = f"{report.status.value}: " + "; ".join(findings or [str(report.reason)])
        return VerificationFailure(failure_reason(report.reason), detail[:2000])

    def verify_countersignature(
        self, signature: bytes, content: bytes, at: pendulum.DateTime, *, signer: int, counter: int
    ) -> SignerInfo | VerificationFailure:
        """The countersigner when countersignature ``counter`` on signer ``signer`` of the CMS
        ``signature`` over ``content`` is valid at ``at`` (chain, revocation and value as for a
        signature); else why not."""
        report = self._report(signature, content, at)
        if isinstance(report, VerificationFailure):
            return report
        if not 0 <= signer < len(report.signers):
            return VerificationFailure(FailureReason.MALFORMED, f"no signer {signer}")
        counters = report.signers[signer].countersignatures
        if not 0 <= counter < len(counters):
            return VerificationFailure(FailureReason.MALFORMED, f"no countersignature {counter}")
        found = counters[counter]
        if found.status is Status.VALID:
            assert found.certificate is not None  # a valid signer has its certificate
            return signer_info(found.certificate)
        detail = f"{found.status.value}: " + "; ".join(f.message for f in found.findings)
        return VerificationFailure(failure_reason(found.reason), detail[:2000])
