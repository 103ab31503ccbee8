"""Self-signed GOST certificates made by OpenSSL verify with our primitives (X.509 conventions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from edmscore.signatures._gost import (
    CURVES_BY_OID,
    OID_SIGN_WITH_STREEBOG256,
    OID_SIGN_WITH_STREEBOG512,
    decode_public_key,
    gost_verify,
    new_streebog,
)
from tests.signatures_gost._support import (
    der_children,
    der_oid,
    der_raw_children,
    openssl,
    require_openssl_gost,
    spki_parts,
)


@pytest.mark.parametrize(
    ("algorithm", "paramset", "signature_oid"),
    [
        ("gost2012_256", "TCA", OID_SIGN_WITH_STREEBOG256),
        ("gost2012_256", "B", OID_SIGN_WITH_STREEBOG256),
        ("gost2012_512", "A", OID_SIGN_WITH_STREEBOG512),
    ],
)
def test_openssl_self_signed_certificate_verifies(
    algorithm: str, paramset: str, signature_oid: str, tmp_path: Path
) -> None:
    require_openssl_gost()
    bits = algorithm.removeprefix("gost2012_")
    der = openssl(
        "req", "-x509", "-newkey", algorithm, "-pkeyopt", f"paramset:{paramset}",
        "-subj", "/CN=Тест", "-utf8", "-days", "1", "-nodes",
        "-keyout", tmp_path / "key.pem", "-outform", "DER", f"-md_gost12_{bits}",
    )  # fmt: skip
    ((_, certificate),) = der_children(der)
    tbs, algorithm_id, signature_bits = der_raw_children(certificate)
    assert der_oid(der_children(der_children(algorithm_id)[0][1])[0][1]) == signature_oid
    # TBSCertificate: [0] version, serial, signature, issuer, validity, subject, SPKI, …
    spki = der_raw_children(der_children(tbs)[0][1])[6]
    _, paramset_oid, octets = spki_parts(spki)
    curve = CURVES_BY_OID[paramset_oid]
    public = decode_public_key(curve, octets)
    signature = der_children(signature_bits)[0][1][1:]  # BIT STRING: drop the unused-bits byte
    h = new_streebog(256 if curve.size == 32 else 512)
    h.update(tbs)
    assert gost_verify(curve, public, h.digest(), signature)
    h.update(b"\x00")
    assert not gost_verify(curve, public, h.digest(), signature)
