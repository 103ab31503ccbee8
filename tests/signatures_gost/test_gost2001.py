"""GOST R 34.11-94 and GOST R 34.10-2001 (the legacy algorithm) against the standard and OpenSSL."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.errors import ValidationError
from edmscore.signatures import Reason, Status, verify
from edmscore.signatures._gost import (
    OID_GOST94_TEST,
    Gost94,
    gost94,
    new_gost94,
)
from tests.signatures_gost._support import openssl, require_accelerated, require_openssl_gost

# The standard's examples (GOST R 34.11-94, Appendix A, test S-boxes) and the CryptoPro set's.
KNOWN = [
    (b"This is message, length=32 bytes", OID_GOST94_TEST, "b1c466d37519b82e8319819ff32595e0"),
    (
        b"Suppose the original message has length = 50 bytes",
        OID_GOST94_TEST,
        "471aba57a60a770d3a76130635c1fbea",
    ),
    (b"", OID_GOST94_TEST, "ce85b99cc46752fffee35cab9a7b0278"),
    (b"", "1.2.643.2.2.30.1", "981e5f3ca30c841487830f84fb433e13"),
    (b"abc", "1.2.643.2.2.30.1", "b285056dbf18d7392d7677369524dd14"),
]


@pytest.mark.parametrize(("message", "sbox", "prefix"), KNOWN)
def test_known_answers(message: bytes, sbox: str, prefix: str) -> None:
    assert gost94(message, sbox=sbox).hex().startswith(prefix)


def test_streaming_and_copy() -> None:
    data = bytes(range(256)) * 9
    hasher = Gost94()
    for start in range(0, len(data), 37):
        hasher.update(data[start : start + 37])
    snapshot = hasher.copy()
    assert hasher.digest() == gost94(data) == snapshot.digest()
    hasher.update(b"more")
    assert snapshot.digest() == gost94(data) != hasher.digest()


def test_unknown_sbox() -> None:
    with pytest.raises(ValidationError):
        Gost94(sbox="1.2.3")


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=1, max_size=300))
def test_pure_matches_openssl_provider(data: bytes) -> None:
    require_accelerated()
    assert (
        new_gost94(data, accelerated=False).digest() == new_gost94(data, accelerated=True).digest()
    )


def test_pure_matches_openssl_dgst() -> None:
    require_openssl_gost()
    data = "Приказ о легаси-подписях\n".encode() * 300
    printed = openssl("dgst", "-md_gost94", data=data).decode()
    assert printed.split("= ")[-1].strip() == gost94(data).hex()


# Every standard parameter set of GOST R 34.10-2001: OpenSSL signs, we verify.
PARAMSETS = ["A", "B", "C", "XA", "XB"]


@pytest.fixture(scope="module")
def signed_by_openssl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_openssl_gost()
    base = tmp_path_factory.mktemp("gost2001")
    (base / "content.txt").write_bytes("Архивный документ 2015 года\n".encode() * 50)
    made: dict[str, Path] = {}
    for paramset in PARAMSETS:
        key = base / f"{paramset}.key"
        cert = base / f"{paramset}.crt"
        openssl(
            "genpkey", "-algorithm", "gost2001", "-pkeyopt", f"paramset:{paramset}", "-out", key
        )
        openssl(
            "req", "-new", "-x509", "-key", key, "-subj", f"/CN=GOST 2001 {paramset}/C=RU",
            "-days", "30", "-md_gost94", "-out", cert,
        )  # fmt: skip
        signature = base / f"{paramset}.p7s"
        openssl(
            "cms", "-sign", "-binary", "-in", base / "content.txt", "-signer", cert,
            "-inkey", key, "-md", "md_gost94", "-outform", "DER", "-out", signature,
        )  # fmt: skip
        made[paramset] = base
    return made


@pytest.mark.parametrize("paramset", PARAMSETS)
@pytest.mark.parametrize("accelerated", [False, True])
def test_every_paramset_verifies(
    signed_by_openssl: dict[str, Path], paramset: str, accelerated: bool
) -> None:
    if accelerated:
        require_accelerated()
    base = signed_by_openssl[paramset]
    content = (base / "content.txt").read_bytes()
    signature = (base / f"{paramset}.p7s").read_bytes()
    anchor = (base / f"{paramset}.crt").read_bytes()
    report = verify(content, signature, trust_anchors=[anchor], accelerated=accelerated)
    assert report.status is Status.VALID, report.to_json()
    (signer,) = report.signers
    assert signer.legacy_algorithm
    assert signer.digest_algorithm == "gost94"
    assert signer.certificate is not None
    assert signer.certificate.public_key_algorithm == "gost2001"
    tampered = verify(content + b".", signature, trust_anchors=[anchor], accelerated=accelerated)
    assert tampered.reason is Reason.DIGEST_MISMATCH


def _spki(curve_oid: str, key_oid: str, octets: bytes) -> bytes:
    from asn1crypto import core

    from edmscore.signatures import _asn1

    digest_param = {
        "1.2.643.2.2.19": "1.2.643.2.2.30.1",
        "1.2.643.7.1.1.1.1": "1.2.643.7.1.1.2.2",
    }.get(key_oid)
    params = {"public_key_param_set": curve_oid}
    if digest_param is not None and not curve_oid.startswith("1.2.643.7.1.2.1.1.1"):
        params["digest_param_set"] = digest_param
    return bytes(
        _asn1.PublicKeyInfo(
            {
                "algorithm": {
                    "algorithm": key_oid,
                    "parameters": _asn1.GostPublicKeyParameters(params),
                },
                "public_key": core.OctetString(octets).dump(),
            }
        ).dump()
    )


CURVES_AND_KEYS = [
    ("1.2.643.2.2.35.1", "1.2.643.2.2.19"),
    ("1.2.643.2.2.35.2", "1.2.643.2.2.19"),
    ("1.2.643.2.2.35.3", "1.2.643.2.2.19"),
    ("1.2.643.2.2.36.0", "1.2.643.2.2.19"),
    ("1.2.643.2.2.36.1", "1.2.643.2.2.19"),
    ("1.2.643.7.1.2.1.1.1", "1.2.643.7.1.1.1.1"),
    ("1.2.643.7.1.2.1.2.1", "1.2.643.7.1.1.1.2"),
]


@settings(max_examples=30, deadline=None)
@given(
    choice=st.sampled_from(CURVES_AND_KEYS),
    private=st.integers(min_value=1, max_value=2**250),
    digest_seed=st.binary(min_size=64, max_size=64),
    flip=st.booleans(),
)
def test_openssl_engine_and_pure_verification_agree(
    choice: tuple[str, str], private: int, digest_seed: bytes, flip: bool
) -> None:
    """The accelerated verifier (OpenSSL's GOST engine) answers as the pure one, on every curve."""
    from edmscore.signatures._gost import (
        CURVES_BY_OID,
        decode_public_key,
        encode_public_key,
        evp_available,
        evp_verify,
        gost_sign,
        gost_verify,
        public_key_from_private,
    )

    if not evp_available():
        require_accelerated()
        pytest.skip("OpenSSL's GOST engine does not load for signatures")
    curve_oid, key_oid = choice
    curve = CURVES_BY_OID[curve_oid]
    private = private % (curve.q - 1) + 1
    octets = encode_public_key(curve, public_key_from_private(curve, private))
    digest = digest_seed[: curve.size]
    signature = gost_sign(curve, private, digest)
    if flip:
        signature = signature[:5] + bytes([signature[5] ^ 0x10]) + signature[6:]
    pure = gost_verify(curve, decode_public_key(curve, octets), digest, signature)
    assert pure is not flip
    assert evp_verify(_spki(curve_oid, key_oid, octets), digest, signature) is pure
