"""Signing with real GOST keys and certificates: the TC26 example originators (256 and 512 bit)
of tests/corpus, by the library and by ``openssl pkeyutl`` with the GOST engine; OpenSSL and the
library verify the assembled CMS against the TC26 CA."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from asn1crypto import cms

from edmscore.errors import SignatureValueInvalid, SignerFailed
from edmscore.signatures import Status, verify
from edmscore.signatures.signing import (
    KeyAlgorithm,
    LocalKeySigner,
    OpenSslSigner,
    assemble,
    prepare,
)

from .conftest import require_tools

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PKI = CORPUS / "pki"
KEYS = CORPUS / "signing"
CONTENT = "Служебная записка о проверке подписи эталонными ключами ТК 26\n".encode() * 50


def _openssl_verifies(tmp: Path, signature: bytes, detached: bool) -> bool:
    (tmp / "s.der").write_bytes(signature)
    (tmp / "c.bin").write_bytes(CONTENT)
    args = ["openssl", "cms", "-verify", "-engine", "gost", "-binary", "-inform", "DER"]
    # OpenSSL refuses the TC26 CA as a CA ("invalid CA certificate", it lacks the CA
    # extensions), so it checks the signature and attributes alone, as for the TC26 examples.
    args += ["-in", str(tmp / "s.der"), "-noverify", "-out", str(tmp / "out.bin")]
    if detached:
        args += ["-content", str(tmp / "c.bin")]
    done = subprocess.run(args, capture_output=True, check=False)
    return done.returncode == 0 and (tmp / "out.bin").read_bytes() == CONTENT


@pytest.mark.parametrize(("bits", "algorithm"), [(256, "gost256"), (512, "gost512")])
@pytest.mark.parametrize("detached", [True, False])
def test_tc26_originator_signs_through_the_library_and_openssl(
    bits: int, algorithm: str, detached: bool, tmp_path: Path
) -> None:
    require_tools(algorithm)
    certificate = (PKI / f"tc26-sender{bits}_cert.pem").read_bytes()
    key_file = KEYS / f"tc26-sender{bits}_key.pem"
    root = (PKI / "tc26-root256_cert.pem").read_bytes()
    request = prepare(CONTENT, certificate, detached=detached)
    assert request.algorithm is (
        KeyAlgorithm.GOST2012_256 if bits == 256 else KeyAlgorithm.GOST2012_512
    )
    for signer in (LocalKeySigner(key_file.read_bytes()), OpenSslSigner(key_file)):
        signed = assemble(request, signer.sign(request), CONTENT, trust_anchors=[root])
        assert signed.report.status is Status.VALID, signed.report.to_json()
        assert _openssl_verifies(tmp_path, signed.signature, detached)
        again = verify(CONTENT if detached else None, signed.signature, trust_anchors=[root])
        assert again.status is Status.VALID
    # The SignerInfo names the real certificate by its issuer and serial.
    cert_path = str(PKI / f"tc26-sender{bits}_cert.pem")
    serial = subprocess.run(
        ["openssl", "x509", "-noout", "-serial", "-in", cert_path],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    info = cms.ContentInfo.load(signed.signature)["content"]["signer_infos"][0]
    assert info["sid"].chosen["serial_number"].native == int(serial.strip().split("=")[1], 16)


def test_a_real_key_refuses_a_certificate_of_the_other_size() -> None:
    request = prepare(CONTENT, (PKI / "tc26-sender512_cert.pem").read_bytes())
    with pytest.raises(SignerFailed):
        LocalKeySigner((KEYS / "tc26-sender256_key.pem").read_bytes()).sign(request)
    value = LocalKeySigner((KEYS / "tc26-sender512_key.pem").read_bytes()).sign(request)
    with pytest.raises(SignatureValueInvalid):
        assemble(request, value[64:] + value[:64], CONTENT)  # s and r swapped
