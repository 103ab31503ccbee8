"""CertificateKeyVerifier verifies: RSA-PSS and ECDSA, tampering, validity, malformed input."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

from edmscore.approval import CertificateKeyVerifier, FailureReason, SignerInfo, VerificationFailure
from edmscore.errors import ValidationError
from edmscore.testing import RawSigner

AT = pendulum.datetime(2026, 3, 2, 12, tz="UTC")


@pytest.mark.parametrize("algorithm", ["ecdsa", "rsa"])
def test_a_valid_signature_names_its_signer(algorithm: str) -> None:
    signer, other = RawSigner("Соколов А.В.", algorithm=algorithm), RawSigner("Другой")
    verifier = CertificateKeyVerifier([other.certificate, signer.certificate])
    result = verifier.verify_detached(signer.sign(b"content"), b"content", AT)
    assert isinstance(result, SignerInfo)
    assert "Соколов" in result.subject
    assert result.serial_number == f"{signer.certificate.serial_number:x}"


@pytest.mark.parametrize("algorithm", ["ecdsa", "rsa"])
def test_tampered_content_or_signature_is_invalid(algorithm: str) -> None:
    signer = RawSigner("Соколов А.В.", algorithm=algorithm)
    verifier = CertificateKeyVerifier([signer.certificate])
    signature = signer.sign(b"content")
    for sig, content in (
        (signature, b"c0ntent"),
        (bytes([signature[0] ^ 1]) + signature[1:], b"content"),
    ):
        result = verifier.verify_detached(sig, content, AT)
        assert isinstance(result, VerificationFailure)
        assert result.reason is FailureReason.INVALID_SIGNATURE


def test_certificate_validity_is_checked_at_the_signing_moment() -> None:
    signer = RawSigner(
        "Соколов А.В.",
        not_before=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        not_after=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
    )
    verifier = CertificateKeyVerifier([signer.certificate])
    signature = signer.sign(b"x")
    early = verifier.verify_detached(signature, b"x", pendulum.datetime(2025, 12, 31, tz="UTC"))
    late = verifier.verify_detached(signature, b"x", AT)
    assert isinstance(early, VerificationFailure) and isinstance(late, VerificationFailure)
    assert early.reason is FailureReason.CERTIFICATE_NOT_YET_VALID
    assert late.reason is FailureReason.CERTIFICATE_EXPIRED


def test_malformed_signatures_and_bad_configuration() -> None:
    verifier = CertificateKeyVerifier([RawSigner("A").certificate])
    for junk in (b"", b"\x00" * 5000):
        result = verifier.verify_detached(junk, b"x", AT)
        assert isinstance(result, VerificationFailure) and result.reason is FailureReason.MALFORMED
    with pytest.raises(ValidationError):
        CertificateKeyVerifier(["not a certificate"])  # type: ignore[list-item]
