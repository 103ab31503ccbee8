"""Detached signatures of a letter's files, checked through a real verifier (OpenSSL)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from edmscore.exchange.medo import (
    DetachedVerifier,
    SignatureStatus,
    check_signatures,
    read_letter,
    write_letter,
)

from .samples import document_message

PDF = b"%PDF-1.7\n% signed content\n" * 100


def _need_openssl() -> str:
    path = shutil.which("openssl")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("openssl is required in CI")
        pytest.skip("openssl is not installed")
    return path


class OpenSslVerifier:
    """A verifier backed by ``openssl cms -verify`` (signature only, no certificate path)."""

    def __init__(self, openssl: str) -> None:
        self.openssl = openssl

    def verify_detached(self, content: bytes, signature: bytes) -> SignatureStatus:
        with tempfile.TemporaryDirectory() as tmp:
            data, sig = Path(tmp, "data"), Path(tmp, "sig")
            data.write_bytes(content)
            sig.write_bytes(signature)
            result = subprocess.run(
                [
                    self.openssl,
                    "cms",
                    "-verify",
                    "-binary",
                    "-inform",
                    "DER",
                    "-in",
                    str(sig),
                    "-content",
                    str(data),
                    "-noverify",
                    "-out",
                    os.devnull,
                ],
                capture_output=True,
                check=False,
            )
        return SignatureStatus.VALID if result.returncode == 0 else SignatureStatus.INVALID


def _sign(content: bytes) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Иванов Иван Иванович")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(cert, key, hashes.SHA256())
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
        )
    )


def test_signatures_are_checked_by_the_verifier(tmp_path: Path) -> None:
    verifier = OpenSslVerifier(_need_openssl())
    assert isinstance(verifier, DetachedVerifier)
    signature = _sign(PDF)
    folder = write_letter(
        tmp_path / "ok",
        document_message(),
        {"document.pdf": PDF, "document.pdf.p7s": signature},
        addresses=("TEST~MEDOGU",),
    )
    checks = check_signatures(read_letter(folder), verifier)
    assert [(c.file_name, c.signature_name, c.status) for c in checks] == [
        ("document.pdf", "document.pdf.p7s", SignatureStatus.VALID)
    ]
    assert checks[0].signer == "Иванов Иван Иванович"


def test_a_tampered_file_fails_the_check(tmp_path: Path) -> None:
    verifier = OpenSslVerifier(_need_openssl())
    folder = write_letter(
        tmp_path / "bad",
        document_message(),
        {"document.pdf": PDF + b"tampered", "document.pdf.p7s": _sign(PDF)},
        addresses=("TEST~MEDOGU",),
    )
    checks = check_signatures(read_letter(folder), verifier)
    assert checks[0].status is SignatureStatus.INVALID


def test_without_a_verifier_signatures_are_not_checked_and_missing_ones_flagged(
    tmp_path: Path,
) -> None:
    folder = write_letter(
        tmp_path / "x",
        document_message(),
        {"document.pdf": PDF, "document.pdf.p7s": b"sig"},
        addresses=("TEST~MEDOGU",),
    )
    assert check_signatures(read_letter(folder))[0].status is SignatureStatus.NOT_CHECKED
    (folder / "document.pdf.p7s").unlink()
    assert check_signatures(read_letter(folder))[0].status is SignatureStatus.MISSING


def test_edmscores_own_cms_verifier_plugs_in(tmp_path: Path) -> None:
    from edmscore.exchange.medo import CmsVerifier
    from edmscore.signatures import SubjectFields
    from edmscore.testing.pki import TestPki

    pki = TestPki.create("rsa")
    signer = pki.issue(SubjectFields(surname="Иванов", given_name="Иван", snils="11223344595"))
    verifier = CmsVerifier(trust_anchors=[pki.root.certificate])
    assert isinstance(verifier, DetachedVerifier)
    folder = write_letter(
        tmp_path / "ok",
        document_message(),
        {"document.pdf": PDF, "document.pdf.p7s": pki.sign(PDF, signer)},
        addresses=("TEST~MEDOGU",),
    )
    assert check_signatures(read_letter(folder), verifier)[0].status is SignatureStatus.VALID
    (folder / "document.pdf").write_bytes(PDF + b"tampered")
    assert check_signatures(read_letter(folder), verifier)[0].status is SignatureStatus.INVALID
    (folder / "document.pdf.p7s").write_bytes(b"not a CMS signature")
    assert check_signatures(read_letter(folder), verifier)[0].status is SignatureStatus.MALFORMED
    stranger = CmsVerifier(trust_anchors=[TestPki.create("rsa").root.certificate])
    (folder / "document.pdf").write_bytes(PDF)
    (folder / "document.pdf.p7s").write_bytes(pki.sign(PDF, signer))
    assert check_signatures(read_letter(folder), stranger)[0].status is not SignatureStatus.VALID
