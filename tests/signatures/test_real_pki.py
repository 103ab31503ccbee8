"""Real certificates and signatures (tests/corpus/pki), with OpenSSL's GOST engine as the peer."""

from __future__ import annotations

import base64
import subprocess
from collections import Counter
from pathlib import Path

import pendulum
import pytest

from edmscore.errors import CmsFormatError
from edmscore.signatures import (
    Reason,
    Status,
    TrustAnchors,
    load_certificate,
    verify,
)
from edmscore.signatures._path import SignedObjectChecker, build_path
from tests.signatures._corpus import (
    CORPUS,
    accredited_ders,
    der_of_pem,
    header_ends_in_0x80,
    indefinite_outer,
    pem,
    tbs_header_ends_in_0x80,
    with_certificates,
)
from tests.signatures.conftest import require_tools

SIGNED_AT = pendulum.datetime(2019, 8, 24, tz="UTC")  # inside the ddulesov certificates' life
CORPUS_SIGNATURES = {
    "gost2001": ("ddulesov-gost2001.cms.pem", "ddulesov-gost2001-ca.pem", SIGNED_AT),
    "gost2012-256": ("ddulesov-gost2012-256.cms.pem", "ddulesov-gost2012-256-ca.pem", SIGNED_AT),
    "gost2012-512": ("ddulesov-gost2012-512.cms.pem", "ddulesov-gost2012-512-ca.pem", SIGNED_AT),
    "tc26-a111": ("tc26-signed_a111.pem", "tc26-root256_cert.pem", None),
    "tc26-a121": ("tc26-signed_a121.pem", "tc26-root256_cert.pem", None),
}


def _openssl(*args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["openssl", *args], input=data, capture_output=True, check=False, timeout=120
    )


def _openssl_cms_verifies(signature_der: bytes, ca: Path | None, tmp: Path, at: int | None) -> bool:
    path = tmp / "signature.der"
    path.write_bytes(signature_der)
    args = ["cms", "-engine", "gost", "-verify", "-inform", "DER", "-in", str(path)]
    args += ["-out", "/dev/null", "-binary"]
    args += ["-noverify"] if ca is None else ["-CAfile", str(ca)]
    if at is not None:
        args += ["-attime", str(at)]
    return _openssl(*args).returncode == 0


# --- every accredited-CA certificate reads ----------------------------------------------------


def test_every_accredited_ca_certificate_reads() -> None:
    ders = accredited_ders()
    assert len(ders) == 2403
    algorithms: Counter[str] = Counter()
    for der in ders:
        cert = load_certificate(der)
        algorithms[cert.public_key_algorithm] += 1
        # What was signed is a slice of the input, never a re-encoding.
        assert cert.tbs_der == der[4 : 4 + len(cert.tbs_der)] or cert.tbs_der in der
        assert cert.der == der
    assert algorithms["1.2.643.2.2.19"] > 1000  # GOST R 34.10-2001 keys
    assert algorithms["1.2.643.7.1.1.1.1"] > 1000
    assert algorithms["1.2.643.7.1.1.1.2"] > 0


def test_the_length_headers_that_broke_asn1crypto() -> None:
    ders = accredited_ders()
    tbs_trap = [d for d in ders if tbs_header_ends_in_0x80(d)]
    outer_trap = [d for d in ders if header_ends_in_0x80(d)]
    assert (len(tbs_trap), len(outer_trap)) == (7, 15)
    for der in tbs_trap:
        cert = load_certificate(der)
        start = der.index(cert.tbs_der)
        assert cert.tbs_der[:4] == der[start : start + 4]
        assert cert.tbs_der[3] == 0x80


def test_postal_address_and_telephone_number_names() -> None:
    subjects = [load_certificate(d) for d in accredited_ders()]
    postal = [c for c in subjects if "postalAddress=" in c.subject]
    assert len(postal) == 8
    # A SEQUENCE OF strings reads as its lines; the other fields are still found.
    assert all(c.fields.organization or c.fields.common_name for c in postal)
    assert any("телефон" in c.subject.lower() or "telephoneNumber=" in c.subject for c in subjects)


@pytest.fixture(scope="module")
def accredited() -> TrustAnchors:
    """The whole accredited-CA set, decoded once for the module."""
    return TrustAnchors.load(b"".join(accredited_ders()))


def test_chains_in_the_accredited_list_agree_with_openssl(
    accredited: TrustAnchors, tmp_path: Path
) -> None:
    """Chains from sample certificates to the list's self-signed roots: ours and OpenSSL's.

    The roots (self-issued certificates) are the trust anchors, every other certificate of the
    list is an intermediate; validity times are not checked (the set spans 2011-2039).
    """
    require_tools("gost2001")
    roots = [c for c in accredited if c.self_issued]
    rest = [c for c in accredited if not c.self_issued]
    (tmp_path / "roots.pem").write_bytes(b"".join(pem(c.der, "CERTIFICATE") for c in roots))
    (tmp_path / "rest.pem").write_bytes(b"".join(pem(c.der, "CERTIFICATE") for c in rest))
    anchors = TrustAnchors(roots)
    checker = SignedObjectChecker(None)
    sample = [c for c in rest if tbs_header_ends_in_0x80(c.der) or header_ends_in_0x80(c.der)]
    sample += rest[::150]
    agreed: Counter[bool] = Counter()
    for cert in sample:
        ours = build_path(cert, pool=rest, anchors=anchors, checker=checker)
        (tmp_path / "cert.pem").write_bytes(pem(cert.der, "CERTIFICATE"))
        theirs = _openssl(
            "verify",
            "-engine",
            "gost",
            "-no_check_time",
            "-CAfile",
            str(tmp_path / "roots.pem"),
            "-untrusted",
            str(tmp_path / "rest.pem"),
            str(tmp_path / "cert.pem"),
        )
        assert bool(ours.chain) == (theirs.returncode == 0), (cert.subject, theirs.stdout)
        agreed[bool(ours.chain)] += 1
    assert agreed[True] > 10


# --- real signatures ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CORPUS_SIGNATURES))
def test_real_signatures_verify_as_openssl_says(name: str, tmp_path: Path) -> None:
    require_tools("gost2001")
    signature_file, ca_file, at = CORPUS_SIGNATURES[name]
    signature = (CORPUS / signature_file).read_bytes()
    ca = (CORPUS / ca_file).read_bytes()
    report = verify(None, signature, trust_anchors=[ca], at=at)
    assert report.status is Status.VALID, report.to_json()
    signer = report.signers[0]
    assert signer.legacy_algorithm is (name == "gost2001")
    assert signer.digest_algorithm == ("gost94" if name == "gost2001" else signer.digest_algorithm)
    assert _openssl_cms_verifies(der_of_pem(signature), None, tmp_path, None)
    # Another CA: no chain, for OpenSSL too.
    other = (CORPUS / "ddulesov-gost2012-512-ca.pem").read_bytes()
    if ca_file != "ddulesov-gost2012-512-ca.pem":
        report = verify(None, signature, trust_anchors=[other], at=at)
        assert report.reason is Reason.NO_CHAIN_TO_TRUST_ANCHOR
        assert not _openssl_cms_verifies(
            der_of_pem(signature), CORPUS / "ddulesov-gost2012-512-ca.pem", tmp_path, None
        )


def test_a_tampered_real_signature_is_invalid() -> None:
    signature = der_of_pem((CORPUS / "ddulesov-gost2001.cms.pem").read_bytes())
    ca = (CORPUS / "ddulesov-gost2001-ca.pem").read_bytes()
    flipped = bytearray(signature)
    flipped[-5] ^= 0x01  # inside the signature value
    report = verify(None, bytes(flipped), trust_anchors=[ca], at=SIGNED_AT)
    assert report.status is Status.INVALID
    assert report.reason is Reason.BAD_SIGNATURE


def test_accredited_certificates_inside_a_signature(tmp_path: Path) -> None:
    """The 22 certificates whose length headers end in 0x80, carried inside a real signature."""
    require_tools("gost256")
    signature = der_of_pem((CORPUS / "ddulesov-gost2012-256.cms.pem").read_bytes())
    ca_path = CORPUS / "ddulesov-gost2012-256-ca.pem"
    traps = [d for d in accredited_ders() if header_ends_in_0x80(d) or tbs_header_ends_in_0x80(d)]
    assert len(traps) == 22
    bigger = with_certificates(signature, traps)
    report = verify(None, bigger, trust_anchors=[ca_path.read_bytes()], at=SIGNED_AT)
    assert report.status is Status.VALID
    assert report.skipped == ()
    assert _openssl_cms_verifies(bigger, ca_path, tmp_path, int(SIGNED_AT.timestamp()))


def test_the_whole_accredited_list_as_trust_anchors(accredited: TrustAnchors) -> None:
    anchors = accredited
    assert len(anchors) == 2403 and anchors.skipped == ()
    signature = (CORPUS / "ddulesov-gost2001.cms.pem").read_bytes()
    ca = load_certificate((CORPUS / "ddulesov-gost2001-ca.pem").read_bytes())
    # Not issued by an accredited CA: no chain, and nothing in the list aborts the check.
    report = verify(None, signature, trust_anchors=anchors, at=SIGNED_AT)
    assert report.reason is Reason.NO_CHAIN_TO_TRUST_ANCHOR
    # The same list with the signer's CA added: valid.
    more = TrustAnchors([*anchors, ca])
    assert verify(None, signature, trust_anchors=more, at=SIGNED_AT).valid


# --- unreadable certificates are skipped, not fatal -------------------------------------------


def _unreadable(der: bytes) -> bytes:
    """``der`` with its notBefore's tag made an OCTET STRING: framed, but not a certificate."""
    position = der.index(b"\x17\x0d")
    return der[:position] + b"\x04" + der[position + 1 :]


def test_an_unreadable_embedded_certificate_is_skipped() -> None:
    signature = der_of_pem((CORPUS / "ddulesov-gost2012-256.cms.pem").read_bytes())
    ca = (CORPUS / "ddulesov-gost2012-256-ca.pem").read_bytes()
    broken = with_certificates(signature, [_unreadable(accredited_ders()[0])])
    report = verify(None, broken, trust_anchors=[ca], at=SIGNED_AT)
    assert report.status is Status.VALID
    assert [f.reason for f in report.skipped] == [Reason.UNREADABLE_CERTIFICATE]
    assert "embedded certificate #2 (serial " in report.skipped[0].message


def test_an_unreadable_signer_certificate_fails_the_check() -> None:
    signature = der_of_pem((CORPUS / "ddulesov-gost2012-256.cms.pem").read_bytes())
    ca = (CORPUS / "ddulesov-gost2012-256-ca.pem").read_bytes()
    (signer_cert,) = _embedded(signature)
    replaced = with_certificates(signature, [_unreadable(signer_cert.raw)], replace=True)
    with pytest.raises(CmsFormatError, match="signer's own certificate"):
        verify(None, replaced, trust_anchors=[ca], at=SIGNED_AT)


# --- everyday file variants -----------------------------------------------------------------


def _variants(signature_der: bytes) -> dict[str, bytes]:
    text = base64.b64encode(signature_der)
    return {
        "der+newline": signature_der + b"\n",
        "der+crlf+nul": signature_der + b"\r\n\x00\x00\x00",
        "pem-after-text": b"Signed by the office\nfile: order.pdf\n" + pem(signature_der, "CMS"),
        # Text that starts with "0" (the byte of a DER SEQUENCE) before the PEM block.
        "pem-after-0-text": b"0 bytes of notes\n" + pem(signature_der, "PKCS7"),
        "base64-with-bom": b"\xef\xbb\xbf" + text + b"\r\n",
        "pem-with-bom": b"\xef\xbb\xbf" + pem(signature_der, "PKCS7"),
        "ber-indefinite": with_certificates(
            signature_der,
            [indefinite_outer(c.raw) for c in _embedded(signature_der)],
            indefinite=True,
            replace=True,
        ),
    }


def _embedded(signature_der: bytes) -> list:  # type: ignore[type-arg]
    from edmscore.signatures import _tlv

    return _tlv.read(signature_der).children()[1].children()[0].children()[3].children()


@pytest.mark.parametrize(
    "variant",
    [
        "der+newline",
        "der+crlf+nul",
        "pem-after-text",
        "pem-after-0-text",
        "base64-with-bom",
        "pem-with-bom",
        "ber-indefinite",
    ],
)
@pytest.mark.parametrize("name", ["gost2001", "gost2012-256", "gost2012-512"])
def test_everyday_file_variants(name: str, variant: str, tmp_path: Path) -> None:
    signature_file, ca_file, at = CORPUS_SIGNATURES[name]
    der = der_of_pem((CORPUS / signature_file).read_bytes())
    data = _variants(der)[variant]
    report = verify(None, data, trust_anchors=[(CORPUS / ca_file).read_bytes()], at=at)
    assert report.status is Status.VALID
    if variant == "ber-indefinite":
        require_tools("gost256")
        assert _openssl_cms_verifies(data, CORPUS / ca_file, tmp_path, int(SIGNED_AT.timestamp()))
