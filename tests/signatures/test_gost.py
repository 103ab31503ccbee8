"""GOST R 34.10-2012 signatures from OpenSSL's GOST engine on every parameter set, on both paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from edmscore.signatures import Reason, Status, accelerated_available, verify

from .conftest import IN_CI, OpensslPki, require_tools

# (algorithm, OpenSSL engine parameter set name): CryptoPro A, B, C, XchA, XchB; TC26 A-D; 512 A-C.
PARAM_SETS = [
    ("gost256", "A"),
    ("gost256", "B"),
    ("gost256", "C"),
    ("gost256", "XA"),
    ("gost256", "XB"),
    ("gost256", "TCA"),
    ("gost256", "TCB"),
    ("gost256", "TCC"),
    ("gost256", "TCD"),
    ("gost512", "A"),
    ("gost512", "B"),
    ("gost512", "C"),
]
_ENGINE_NAMES = {"gost256": "gost2012_256", "gost512": "gost2012_512"}


@pytest.mark.parametrize(("algorithm", "param_set"), PARAM_SETS)
def test_every_parameter_set(algorithm: str, param_set: str, tmp_path: Path) -> None:
    require_tools(algorithm)
    pki = OpensslPki(algorithm, tmp_path)
    (tmp_path / "ca.cnf").write_text("[ req ]\ndistinguished_name = dn\n[ dn ]\n")
    pki.run(
        "genpkey",
        "-engine",
        "gost",
        "-algorithm",
        _ENGINE_NAMES[algorithm],
        "-pkeyopt",
        f"paramset:{param_set}",
        "-out",
        "k.key",
    )
    pki.run(
        "req",
        "-engine",
        "gost",
        "-new",
        "-x509",
        "-key",
        "k.key",
        "-subj",
        f"/CN=paramset {param_set}",
        "-days",
        "30",
        "-out",
        "k.crt",
    )
    (tmp_path / "content.bin").write_bytes(b"parameter set " + param_set.encode())
    pki.sign("content.bin", "sig.der", "k")
    assert pki.openssl_verifies("sig.der", content="content.bin", ca_file="k.crt")
    anchor = (tmp_path / "k.crt").read_bytes()
    signature = (tmp_path / "sig.der").read_bytes()
    report = verify(b"parameter set " + param_set.encode(), signature, trust_anchors=[anchor])
    assert report.status is Status.VALID, report.signers[0].findings
    expected = "gost2012_256" if algorithm == "gost256" else "gost2012_512"
    assert report.signers[0].signature_algorithm == expected
    assert report.signers[0].digest_algorithm == (
        "streebog256" if algorithm == "gost256" else "streebog512"
    )
    wrong = verify(b"parameter set ?", signature, trust_anchors=[anchor])
    assert wrong.reason is Reason.DIGEST_MISMATCH


@pytest.mark.parametrize("openssl_pki", ["gost256", "gost512"], indirect=True)
@pytest.mark.parametrize("accelerated", [False, True])
def test_pure_and_accelerated_paths_agree(openssl_pki: OpensslPki, accelerated: bool) -> None:
    if accelerated and not accelerated_available():
        message = "OpenSSL's GOST provider cannot be loaded into this process"
        if IN_CI and os.path.exists("/usr/lib/x86_64-linux-gnu/ossl-modules/gostprov.so"):
            pytest.fail(message)
        pytest.skip(message)
    content = openssl_pki.path("content.bin").read_bytes()
    anchors = [openssl_pki.path("ca.crt").read_bytes()]
    crls = [openssl_pki.path("crl.pem").read_bytes()]
    for signature, text, expected in (
        ("detached.der", content, (Status.VALID, None)),
        ("detached.der", content + b"x", (Status.INVALID, Reason.DIGEST_MISMATCH)),
        ("revoked.der", content, (Status.INVALID, Reason.REVOKED)),
    ):
        report = verify(
            text,
            openssl_pki.path(signature).read_bytes(),
            trust_anchors=anchors,
            crls=crls,
            accelerated=accelerated,
        )
        assert (report.status, report.reason) == expected
