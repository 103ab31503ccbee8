"""GOST R 34.10-2012: the standard's examples, every curve, OpenSSL both ways, properties."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edmscore.errors import ValidationError
from edmscore.signatures._gost import (
    CURVES_BY_OID,
    OID_CRYPTOPRO_TEST,
    OID_GOST3410_2012_256,
    OID_GOST3410_2012_512,
    OID_TC26_256_A,
    OID_TC26_512_C,
    OID_TC26_512_TEST,
    GostCurve,
    decode_public_key,
    encode_public_key,
    gost_sign,
    gost_verify,
    public_key_from_private,
    streebog256,
    streebog512,
)
from edmscore.signatures._gost._ec import multiply
from tests.signatures_gost._support import openssl, require_openssl_gost, spki_parts

# GOST R 34.10-2012 Appendix A: numbers as the standard writes them (most significant first).
A1 = {
    "oid": OID_CRYPTOPRO_TEST,
    "d": 0x7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28,
    "qx": 0x7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B,
    "qy": 0x26F1B489D6701DD185C8413A977B3CBBAF64D1C593D26627DFFB101A87FF77DA,
    "e": 0x2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5,
    "k": 0x77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3,
    "r": 0x41AA28D2F1AB148280CD9ED56FEDA41974053554A42767B83AD043FD39DC0493,
    "s": 0x01456C64BA4642A1653C235A98A60249BCD6D3F746B631DF928014F6C5BF9C40,
}
A2 = {
    "oid": OID_TC26_512_TEST,
    "d": int(
        "0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B1020"
        "72E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4",
        16,
    ),
    "qx": int(
        "115DC5BC96760C7B48598D8AB9E740D4C4A85A65BE33C1815B5C320C854621DD"
        "5A515856D13314AF69BC5B924C8B4DDFF75C45415C1D9DD9DD33612CD530EFE1",
        16,
    ),
    "qy": int(
        "37C7C90CD40B0F5621DC3AC1B751CFA0E2634FA0503B3D52639F5D7FB72AFD61"
        "EA199441D943FFE7F0C70A2759A3CDB84C114E1F9339FDF27F35ECA93677BEEC",
        16,
    ),
    "e": int(
        "3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C591"
        "7184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C",
        16,
    ),
    "k": int(
        "0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F3658"
        "86748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1",
        16,
    ),
    "r": int(
        "2F86FA60A081091A23DD795E1E3C689EE512A3C82EE0DCC2643C78EEA8FCACD3"
        "5492558486B20F1C9EC197C90699850260C93BCBCD9C5C3317E19344E173AE36",
        16,
    ),
    "s": int(
        "1081B394696FFE8E6585E7A9362D26B6325F56778AADBC081C0BFBE933D52FF5"
        "823CE288E8C4F362526080DF7F70CE406A6EEB1F56919CB92A9853BDE73E5B4A",
        16,
    ),
}


@pytest.mark.parametrize("example", [A1, A2], ids=["A.1-256", "A.2-512"])
def test_standard_examples(example: dict[str, int | str]) -> None:
    curve = CURVES_BY_OID[str(example["oid"])]
    d, e, k = int(example["d"]), int(example["e"]), int(example["k"])
    size = curve.size
    assert public_key_from_private(curve, d) == (example["qx"], example["qy"])
    # The standard's e is the digest as a number: on the wire the digest is little-endian.
    digest = e.to_bytes(size, "little")
    signature = gost_sign(curve, d, digest, k=k)
    # Wire order s || r, each big-endian; the standard's vector is r || s.
    assert signature == int(example["s"]).to_bytes(size, "big") + int(example["r"]).to_bytes(
        size, "big"
    )
    public = (int(example["qx"]), int(example["qy"]))
    assert gost_verify(curve, public, digest, signature)
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    assert not gost_verify(curve, public, digest, flipped)


@pytest.mark.parametrize("curve", list(CURVES_BY_OID.values()), ids=lambda c: c.name)
def test_every_curve_is_consistent(curve: GostCurve) -> None:
    assert curve.contains(curve.x, curve.y)
    assert multiply(curve, curve.q, (curve.x, curve.y)) is None  # the base point has order q
    assert multiply(curve, curve.q - 1, (curve.x, curve.y)) == (curve.x, curve.p - curve.y)
    # Hasse: the curve's order cofactor·q lies within 2·sqrt(p) of p + 1.
    assert abs(curve.cofactor * curve.q - (curve.p + 1)) <= 2 * math.isqrt(curve.p) + 2
    assert curve.size == (32 if curve.p.bit_length() <= 256 else 64)
    if curve.edwards_d is not None:
        # The twisted Edwards base point (u, v) lies on e·u² + v² = 1 + d·u²·v².
        e, d, u, v, p = curve.edwards_e, curve.edwards_d, curve.edwards_u, curve.edwards_v, curve.p
        assert e is not None
        assert u is not None
        assert v is not None
        assert (e * u * u + v * v - 1 - d * u * u * v * v) % p == 0


def test_all_parameter_sets_are_present() -> None:
    expected = {
        *(f"1.2.643.7.1.2.1.1.{i}" for i in (1, 2, 3, 4)),
        *(f"1.2.643.7.1.2.1.2.{i}" for i in (0, 1, 2, 3)),
        *(f"1.2.643.2.2.35.{i}" for i in (0, 1, 2, 3)),
        "1.2.643.2.2.36.0",
        "1.2.643.2.2.36.1",
    }
    assert set(CURVES_BY_OID) == expected
    assert all(oid == curve.oid for oid, curve in CURVES_BY_OID.items())


_OPENSSL_SETS = [
    ("gost2012_256", "0"),
    ("gost2012_256", "A"),
    ("gost2012_256", "B"),
    ("gost2012_256", "C"),
    ("gost2012_256", "XA"),
    ("gost2012_256", "XB"),
    ("gost2012_256", "TCA"),
    ("gost2012_256", "TCB"),
    ("gost2012_256", "TCC"),
    ("gost2012_256", "TCD"),
    ("gost2012_512", "A"),
    ("gost2012_512", "B"),
    ("gost2012_512", "C"),
]


@pytest.mark.parametrize(("algorithm", "paramset"), _OPENSSL_SETS)
def test_openssl_keys_and_signatures_both_ways(
    algorithm: str, paramset: str, tmp_path: Path
) -> None:
    require_openssl_gost()
    bits = 256 if algorithm.endswith("256") else 512
    key = tmp_path / "key.pem"
    pub = tmp_path / "pub.pem"
    message = tmp_path / "message.bin"
    message.write_bytes(os.urandom(3000))
    openssl("genpkey", "-algorithm", algorithm, "-pkeyopt", f"paramset:{paramset}", "-out", key)
    openssl("pkey", "-in", key, "-pubout", "-out", pub)
    alg_oid, paramset_oid, octets = spki_parts(
        openssl("pkey", "-in", key, "-pubout", "-outform", "DER")
    )
    assert alg_oid == (OID_GOST3410_2012_256 if bits == 256 else OID_GOST3410_2012_512)
    curve = CURVES_BY_OID[paramset_oid]
    public = decode_public_key(curve, octets)
    assert encode_public_key(curve, public) == octets[-2 * curve.size :]

    # Our public key from OpenSSL's private key matches OpenSSL's public key.
    text = openssl("pkey", "-in", key, "-text", "-noout").decode()
    match = re.search(r"Private key:\s*([0-9A-Fa-f]+)", text)
    assert match is not None
    assert public_key_from_private(curve, int(match.group(1), 16)) == public

    digest = (streebog256 if bits == 256 else streebog512)(message.read_bytes())
    # OpenSSL signs, we verify (and reject a tampered digest).
    signature = openssl("dgst", f"-md_gost12_{bits}", "-sign", key, message)
    assert len(signature) == 2 * curve.size
    assert gost_verify(curve, public, digest, signature)
    tampered = bytes([digest[0] ^ 0x80]) + digest[1:]
    assert not gost_verify(curve, public, tampered, signature)

    # We sign, OpenSSL verifies.
    private = int(match.group(1), 16)
    ours = tmp_path / "ours.sig"
    ours.write_bytes(gost_sign(curve, private, digest))
    out = openssl("dgst", f"-md_gost12_{bits}", "-verify", pub, "-signature", ours, message)
    assert b"Verified OK" in out


_CURVES = st.sampled_from([CURVES_BY_OID[OID_TC26_256_A], CURVES_BY_OID["1.2.643.2.2.35.1"]])


@settings(max_examples=15, deadline=None)
@given(curve=_CURVES, data=st.data())
def test_sign_then_verify_and_any_flipped_bit_fails(curve: GostCurve, data: st.DataObject) -> None:
    d = data.draw(st.integers(min_value=1, max_value=curve.q - 1), label="d")
    digest = data.draw(st.binary(min_size=curve.size, max_size=curve.size), label="digest")
    public = public_key_from_private(curve, d)
    signature = gost_sign(curve, d, digest)
    assert gost_verify(curve, public, digest, signature)
    bit = data.draw(st.integers(min_value=0, max_value=8 * len(signature) - 1), label="bit")
    flipped = bytearray(signature)
    flipped[bit // 8] ^= 1 << (bit % 8)
    assert not gost_verify(curve, public, digest, bytes(flipped))
    other = bytearray(digest)
    other[bit % len(digest)] ^= 1

    def e(value: bytes) -> int:
        return int.from_bytes(value, "little") % curve.q or 1

    # Digests 0 and 1 both give e = 1 (the standard maps e = 0 to 1): then both verify.
    assert gost_verify(curve, public, bytes(other), signature) == (e(bytes(other)) == e(digest))


def test_512_bit_sign_and_verify() -> None:
    curve = CURVES_BY_OID[OID_TC26_512_C]
    d = int.from_bytes(os.urandom(64), "big") % (curve.q - 1) + 1
    digest = streebog512(b"document")
    public = public_key_from_private(curve, d)
    assert gost_verify(curve, public, digest, gost_sign(curve, d, digest))
    assert not gost_verify(curve, public, streebog512(b"documenT"), gost_sign(curve, d, digest))


def test_malformed_signatures_are_false_not_errors() -> None:
    curve = CURVES_BY_OID[OID_TC26_256_A]
    public = public_key_from_private(curve, 12345)
    digest = streebog256(b"x")
    good = gost_sign(curve, 12345, digest)
    assert gost_verify(curve, public, digest, good)
    assert not gost_verify(curve, public, digest, good[:-1])
    assert not gost_verify(curve, public, digest, good + b"\x00")
    assert not gost_verify(curve, public, digest, bytes(64))
    q = curve.q.to_bytes(32, "big")
    assert not gost_verify(curve, public, digest, good[:32] + q)  # r = q is out of range
    assert not gost_verify(curve, (public[0], public[1] ^ 1), digest, good)  # not on the curve


def test_bad_inputs_are_typed_errors() -> None:
    curve = CURVES_BY_OID[OID_TC26_256_A]
    with pytest.raises(ValidationError) as info:
        gost_sign(curve, 0, bytes(32))
    assert info.value.field == "private_key"
    with pytest.raises(ValidationError) as info:
        gost_sign(curve, 5, bytes(31))
    assert info.value.field == "digest"
    with pytest.raises(ValidationError):
        gost_verify(curve, (curve.x, curve.y), bytes(64), bytes(64))
    with pytest.raises(ValidationError):
        public_key_from_private(curve, curve.q)
    with pytest.raises(ValidationError) as info:
        decode_public_key(curve, bytes(63))
    assert info.value.field == "public_key"
    with pytest.raises(ValidationError):
        decode_public_key(curve, bytes(64))  # (0, 0) is not on the curve
    with pytest.raises(ValidationError):
        encode_public_key(curve, (1, 1))


def test_public_key_encoding_round_trip_and_der_wrapper() -> None:
    for curve in (CURVES_BY_OID[OID_TC26_256_A], CURVES_BY_OID[OID_TC26_512_C]):
        public = public_key_from_private(curve, 777)
        octets = encode_public_key(curve, public)
        assert len(octets) == 2 * curve.size
        assert octets[: curve.size] == public[0].to_bytes(curve.size, "little")
        assert decode_public_key(curve, octets) == public
        header = b"\x04\x40" if curve.size == 32 else b"\x04\x81\x80"
        assert decode_public_key(curve, header + octets) == public


@settings(max_examples=60, deadline=None)
@given(octets=st.binary(min_size=0, max_size=140), wide=st.booleans())
def test_decoding_arbitrary_bytes_gives_a_point_or_a_typed_error(octets: bytes, wide: bool) -> None:
    curve = CURVES_BY_OID[OID_TC26_512_C if wide else OID_TC26_256_A]
    well_formed = len(octets) in (2 * curve.size, 2 * curve.size + (2 if curve.size == 32 else 3))
    if well_formed:
        size = curve.size
        body = octets[-2 * size :]
        x = int.from_bytes(body[:size], "little")
        y = int.from_bytes(body[size:], "little")
        header_ok = len(octets) == 2 * size or octets[: -2 * size] in (b"\x04\x40", b"\x04\x81\x80")
        well_formed = header_ok and curve.contains(x, y)
    if well_formed:
        assert decode_public_key(curve, octets) == (x, y)
    else:
        with pytest.raises(ValidationError, match="public_key"):
            decode_public_key(curve, octets)


@settings(max_examples=40, deadline=None)
@given(signature=st.binary(min_size=0, max_size=130))
def test_verifying_arbitrary_signature_bytes_is_false_never_an_error(signature: bytes) -> None:
    curve = CURVES_BY_OID[OID_TC26_256_A]
    public = public_key_from_private(curve, 424242)
    assert gost_verify(curve, public, streebog256(b"content"), signature) is False
