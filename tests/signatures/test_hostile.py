"""Hostile input: every malformed signature, certificate or CRL is a typed error, quickly."""

from __future__ import annotations

import contextlib
import time

import pendulum
import pytest
from asn1crypto import cms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edmscore.errors import (
    CertificateFormatError,
    CmsFormatError,
    CrlFormatError,
    SignatureError,
)
from edmscore.signatures import (
    Reason,
    Status,
    SubjectFields,
    _build,
    load_certificate,
    load_crl,
    verify,
)
from edmscore.signatures._build import build_name, generate_key
from edmscore.signatures._cms import parse_signed_data
from edmscore.testing.pki import Identity, TestPki

CONTENT = b"hostile input tests"


@pytest.fixture(scope="module")
def good_signature(rsa_pki: TestPki, rsa_user: Identity) -> bytes:
    return rsa_pki.sign(CONTENT, rsa_user)


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def _nested(depth: int) -> bytes:
    value = b"\x05\x00"
    for _ in range(depth):
        value = b"\x30" + _length(len(value)) + value
    return value


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        b"\x00\x01\x02",
        b"not a signature at all",
        b"-----BEGIN CMS-----\nAAAA\n",
        b"-----BEGIN CMS-----\n!!!!\n-----END CMS-----\n",
        b"\x30",
        b"\x30\x84\x7f\xff\xff\xff\x02\x01\x00",  # absurd length
        b"\x30\x89" + b"\xff" * 9,  # a length of more octets than any length has
        b"\x30\x80" * 5000,  # deep indefinite-length nesting
        _nested(3000),  # deep definite-length nesting
        b"\x30\x03\x06\x01\x00",  # a ContentInfo of a broken OID
        bytes(cms.ContentInfo({"content_type": "data", "content": b"x"}).dump()),
    ],
)
def test_malformed_signatures_raise_typed_errors(data: bytes) -> None:
    started = time.monotonic()
    with pytest.raises(CmsFormatError):
        verify(CONTENT, data, trust_anchors=[])
    assert time.monotonic() - started < 2


def test_truncated_signatures(good_signature: bytes) -> None:
    for end in range(0, len(good_signature) - 1, max(1, len(good_signature) // 60)):
        with pytest.raises(CmsFormatError):
            parse_signed_data(good_signature[:end])


def test_trailing_garbage_is_rejected(good_signature: bytes) -> None:
    with pytest.raises(CmsFormatError):
        parse_signed_data(good_signature + b"\x00garbage")
    # Line ends and NUL padding after the DER are what files carry; OpenSSL reads them too.
    assert parse_signed_data(good_signature + b"\r\n\x00\x00").signers


def test_oversized_input_is_rejected_before_parsing() -> None:
    started = time.monotonic()
    with pytest.raises(CmsFormatError, match="larger than"):
        parse_signed_data(b"\x30\x84\x10\x00\x00\x00" + bytes(200 << 20))
    assert time.monotonic() - started < 2


def test_huge_attribute_set(rsa_pki: TestPki, rsa_user: Identity, good_signature: bytes) -> None:
    info = cms.ContentInfo.load(good_signature)
    signer = info["content"]["signer_infos"][0]
    attributes = list(signer["signed_attrs"])
    attributes += [
        cms.CMSAttribute({"type": f"1.2.3.{i}", "values": [cms.ContentType("data")]})
        for i in range(5000)
    ]
    signer["signed_attrs"] = cms.CMSAttributes(attributes)
    started = time.monotonic()
    with pytest.raises(CmsFormatError, match="more than"):
        parse_signed_data(info.dump())
    assert time.monotonic() - started < 5


def test_many_signers(good_signature: bytes) -> None:
    info = cms.ContentInfo.load(good_signature)
    signed = info["content"]
    signer = signed["signer_infos"][0]
    signed["signer_infos"] = [signer.copy() for _ in range(500)]
    with pytest.raises(CmsFormatError, match="more than"):
        parse_signed_data(info.dump())


def test_duplicate_signed_attribute(good_signature: bytes) -> None:
    info = cms.ContentInfo.load(good_signature)
    signer = info["content"]["signer_infos"][0]
    attributes = list(signer["signed_attrs"])
    signer["signed_attrs"] = cms.CMSAttributes([*attributes, attributes[0].copy()])
    with pytest.raises(CmsFormatError, match="twice"):
        parse_signed_data(info.dump())


@pytest.mark.parametrize("data", [b"", b"garbage", b"\x30\x03\x02\x01\x01", _nested(2000)])
def test_bad_certificates_and_crls(data: bytes) -> None:
    with pytest.raises(CertificateFormatError):
        load_certificate(data)
    with pytest.raises(CrlFormatError):
        load_crl(data)
    with pytest.raises(CmsFormatError):
        verify(CONTENT, b"\x30\x00", trust_anchors=[data])


@pytest.mark.parametrize("data", [b"", b"garbage", b"\x30\x03\x02\x01\x01", _nested(2000)])
def test_an_unreadable_trust_anchor_is_skipped_with_a_finding(
    data: bytes, rsa_pki: TestPki, good_signature: bytes
) -> None:
    report = verify(CONTENT, good_signature, trust_anchors=[data, rsa_pki.root.certificate])
    assert report.valid
    assert [f.reason for f in report.skipped] == [Reason.UNREADABLE_CERTIFICATE]
    assert "trust anchor #1" in report.skipped[0].message


def test_wrong_input_types() -> None:
    with pytest.raises(CmsFormatError):
        parse_signed_data("a string, not bytes")  # type: ignore[arg-type]


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_fuzzed_signatures_never_crash(
    data: st.DataObject, good_signature: bytes, rsa_pki: TestPki
) -> None:
    mutated = bytearray(good_signature)
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(mutated) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert", "truncate"]))
        if action == "flip":
            mutated[position] ^= data.draw(st.integers(1, 255))
        elif action == "delete":
            del mutated[position : position + data.draw(st.integers(1, 16))]
        elif action == "insert":
            mutated[position:position] = data.draw(st.binary(min_size=1, max_size=16))
        else:
            del mutated[position:]
        if not mutated:
            mutated = bytearray(b"\x30")
    try:
        report = verify(CONTENT, bytes(mutated), trust_anchors=[rsa_pki.root.certificate])
    except SignatureError:
        return
    assert report.status in set(Status)
    report.to_json()


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=512))
def test_random_bytes_never_crash(blob: bytes) -> None:
    for call in (parse_signed_data, load_certificate, load_crl):
        with contextlib.suppress(SignatureError):
            call(blob)


def test_a_pool_of_namesake_cas_does_not_explode_the_path_search() -> None:
    key = generate_key("ecdsa")
    name = build_name(SubjectFields(common_name="Петля"))
    start = pendulum.now("UTC").subtract(days=1)
    end = start.add(days=30)
    pool = [
        _build.build_certificate(
            subject=name,
            subject_key=key.public_key_info,
            issuer=name,
            issuer_key=key,
            serial=serial,
            not_before=start,
            not_after=end,
            ca=True,
        )
        for serial in range(1, 121)
    ]
    leaf_key = generate_key("ecdsa")
    leaf = _build.build_certificate(
        subject=build_name(SubjectFields(surname="Лист")),
        subject_key=leaf_key.public_key_info,
        issuer=name,
        issuer_key=key,
        serial=1000,
        not_before=start,
        not_after=end,
        ca=False,
    )
    user = Identity(leaf, leaf_key, SubjectFields(surname="Лист"), 1000)
    stranger = TestPki.create("ecdsa")
    signature = stranger.sign(CONTENT, user)
    started = time.monotonic()
    report = verify(
        CONTENT, signature, trust_anchors=[stranger.root.certificate], intermediates=pool
    )
    assert time.monotonic() - started < 10
    assert report.reason is Reason.NO_CHAIN_TO_TRUST_ANCHOR
