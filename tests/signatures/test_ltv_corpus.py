"""Long-term validity on real material (tests/corpus/ltv), compared with OpenSSL where it can judge.

OpenSSL checks a timestamp token against a digest (``openssl ts -verify -digest``) and an OCSP
response's signature (``openssl ocsp -respin``); the CAdES attributes it does not read, so for a
CAdES-C or archive timestamp edmscore computes the imprint data and OpenSSL checks the token
against its hash: agreement means both read the token alike and edmscore hashed what the TSA did.
"""

from __future__ import annotations

import base64
import hashlib
import pathlib
import shutil
import subprocess

import attrs
import pendulum
import pytest

from edmscore.errors import CmsFormatError
from edmscore.signatures import Certificate, Reason, Status, _ets, _ltv_data, streebog256
from edmscore.signatures._cms import parse_signed_data
from edmscore.signatures.ltv import EvidenceKind, Level, verify_ltv
from edmscore.signatures.ocsp import CertStatus, check_ocsp, load_ocsp_response
from edmscore.signatures.timestamps import load_timestamp_token, verify_timestamp
from tests.signatures.conftest import gost_engine_available

CORPUS = pathlib.Path(__file__).resolve().parent.parent / "corpus" / "ltv"
XL_A = "Signature-C-A-XL-1.p7m"
ENGINE_CONF = """\
openssl_conf = openssl_def
[ openssl_def ]
engines = engine_section
[ engine_section ]
gost = gost_section
[ gost_section ]
engine_id = gost
default_algorithms = ALL
"""


def _read(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def _pem(certs: list[Certificate]) -> bytes:
    return b"".join(
        b"-----BEGIN CERTIFICATE-----\n"
        + base64.encodebytes(c.der)
        + b"-----END CERTIFICATE-----\n"
        for c in certs
    )


def _openssl(args: list[str], tmp: pathlib.Path, *, gost: bool = False) -> bool:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    env = None
    if gost:
        if not gost_engine_available():
            pytest.skip("OpenSSL's GOST engine is not installed")
        (tmp / "engine.cnf").write_text(ENGINE_CONF)
        env = {"OPENSSL_CONF": str(tmp / "engine.cnf"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        ["openssl", *args], cwd=tmp, capture_output=True, text=True, check=False, env=env
    )
    return result.returncode == 0 and "FAILED" not in result.stdout


def _openssl_ts(
    tmp: pathlib.Path, token: bytes, digest: bytes, anchors: list[Certificate], at: int, **kw: bool
) -> bool:
    (tmp / "token.der").write_bytes(token)
    (tmp / "anchors.pem").write_bytes(_pem(anchors))
    args = ["ts", "-verify", "-in", "token.der", "-token_in", "-digest", digest.hex()]
    args += ["-CAfile", "anchors.pem", "-attime", str(at), "-partial_chain"]
    return _openssl(args, tmp, **kw)


def _xl_anchors() -> list[Certificate]:
    data = _ltv_data.read_signers(_read(XL_A))[0]
    return [c for c in data.certificates if c.self_issued]


# --- RFC 3161 tokens ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["archive_timestamp.tst", "disig.tst", "d-trust.tsr"])
def test_real_tokens_decode(name: str) -> None:
    token = load_timestamp_token(_read(name))
    assert token.signed.certificates
    assert token.gen_time.year >= 2016
    assert len(token.imprint) == 32  # all three are SHA-256 tokens


def test_plugtest_token_agrees_with_openssl(tmp_path: pathlib.Path) -> None:
    token = load_timestamp_token(_read("archive_timestamp.tst"))
    anchors = [c for c in token.signed.certificates if c.self_issued]
    at = int(token.gen_time.timestamp())
    ours = verify_timestamp(token, digest=token.imprint, trust_anchors=anchors, at=token.gen_time)
    assert ours.status is Status.VALID
    assert _openssl_ts(tmp_path, token.der, token.imprint, anchors, at)
    # Another digest: both refuse.
    wrong = hashlib.sha256(b"other data").digest()
    mismatch = verify_timestamp(token, digest=wrong, trust_anchors=anchors, at=token.gen_time)
    assert mismatch.status is Status.INVALID
    assert mismatch.findings[0].reason is Reason.DIGEST_MISMATCH
    assert not _openssl_ts(tmp_path, token.der, wrong, anchors, at)
    # Today the TSA certificate has expired: both find the token unprovable now.
    late = verify_timestamp(token, digest=token.imprint, trust_anchors=anchors)
    assert late.status is Status.INDETERMINATE
    assert {f.reason for f in late.findings} == {Reason.EXPIRED}
    assert not _openssl_ts(
        tmp_path, token.der, token.imprint, anchors, int(pendulum.now().timestamp())
    )


def test_qualified_tsa_token_with_rsassa_pss_keys(tmp_path: pathlib.Path) -> None:
    """D-TRUST's TSU and CAs sign with RSASSA-PSS; the CAs' keys are id-RSASSA-PSS keys.

    ``openssl ts -verify`` goes through OpenSSL's PKCS#7 code, which has no RSASSA-PSS; its
    ``cms -verify`` (the token is a CMS SignedData) is the peer here.
    """
    token = load_timestamp_token(_read("d-trust.tsr"))
    root = next(c for c in token.signed.certificates if c.self_issued)
    report = verify_timestamp(token, digest=token.imprint, trust_anchors=[root], at=token.gen_time)
    assert report.status is Status.VALID, report.findings
    at = str(int(token.gen_time.timestamp()))
    (tmp_path / "root.pem").write_bytes(_pem([root]))
    cms = ["cms", "-verify", "-inform", "DER", "-CAfile", "root.pem", "-attime", at]
    cms += ["-purpose", "any", "-out", "/dev/null", "-in"]
    (tmp_path / "token.der").write_bytes(token.der)
    assert _openssl([*cms, "token.der"], tmp_path)
    forged = bytearray(token.der)
    forged[-3] ^= 0x01  # the end of the TSU's signature
    (tmp_path / "forged.der").write_bytes(bytes(forged))
    refused = verify_timestamp(
        bytes(forged), digest=token.imprint, trust_anchors=[root], at=token.gen_time
    )
    assert refused.status is Status.INVALID
    assert not _openssl([*cms, "forged.der"], tmp_path)


def test_gost_tsa_token_of_a_russian_cades_t(tmp_path: pathlib.Path) -> None:
    """The Tensor TSA's GOST R 34.10-2012 token over a real CAdES-T's signature value."""
    signature = _read("tensor-cades-t.p7s")
    signer = parse_signed_data(signature).signers[0]
    token = load_timestamp_token(signer.timestamp_tokens[0])
    assert token.policy == "1.2.643.3.58.3.1"
    assert token.hash_algorithm == "1.2.643.7.1.1.2.2"
    tsa_cert = token.signed.certificates[0]
    assert "Уваров" in tsa_cert.subject
    report = verify_timestamp(
        token, data=signer.signature, trust_anchors=[tsa_cert], at=token.gen_time
    )
    assert report.status is Status.VALID, report.findings
    assert report.hash_algorithm == "streebog256"
    digest = streebog256(signer.signature)
    at = int(token.gen_time.timestamp())
    assert _openssl_ts(tmp_path, token.der, digest, [tsa_cert], at, gost=True)
    # The same token over other data: both refuse.
    other = streebog256(signer.signature + b"\0")
    assert not _openssl_ts(tmp_path, token.der, other, [tsa_cert], at, gost=True)
    refused = verify_timestamp(token, digest=other, trust_anchors=[tsa_cert], at=token.gen_time)
    assert refused.status is Status.INVALID


def test_cades_t_without_its_content_still_shows_the_timestamp() -> None:
    signature = _read("tensor-cades-t.p7s")
    token = load_timestamp_token(parse_signed_data(signature).signers[0].timestamp_tokens[0])
    tsa_cert = token.signed.certificates[0]
    report = verify_ltv(None, signature, trust_anchors=[tsa_cert], at=token.gen_time)
    signer = report.signers[0]
    assert signer.level is Level.T
    assert report.status is Status.INDETERMINATE  # the signed content is not published
    assert signer.findings[0].reason is Reason.CONTENT_MISSING
    (stamp,) = signer.evidence
    assert stamp.kind is EvidenceKind.SIGNATURE_TIMESTAMP
    assert stamp.status is Status.VALID
    assert stamp.time == pendulum.datetime(2023, 9, 29, 15, 20, 58)


# --- OCSP ---------------------------------------------------------------------------------------


def test_real_ocsp_responses_read_like_openssl(tmp_path: pathlib.Path) -> None:
    for name, status in (
        ("sk_ocsp.bin", CertStatus.REVOKED),
        ("peru_ocsp.bin", CertStatus.GOOD),
        ("harica_ocsp.bin", CertStatus.GOOD),
    ):
        response = load_ocsp_response(_read(name))
        assert response.successful
        (single,) = response.responses
        assert single.status is status
        if shutil.which("openssl") is None:
            continue
        text = subprocess.run(
            ["openssl", "ocsp", "-respin", str(CORPUS / name), "-resp_text", "-noverify"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert f"Serial Number: {single.serial:X}" in text.replace(": 0", ": ")
        assert response.produced_at is not None
        assert response.produced_at.format("MMM D HH:mm:ss YYYY") in " ".join(text.split())


def test_delegated_responder_checked_like_openssl(tmp_path: pathlib.Path) -> None:
    response = load_ocsp_response(_read("sk_ocsp.bin"))
    responder, issuer, root = response.certificates
    assert "Responder" in responder.subject
    single = response.responses[0]
    # The response answers for a certificate of ``issuer`` with this serial.
    target = attrs.evolve(responder, serial=single.serial)
    verdict = check_ocsp(response, target, issuer)
    assert verdict.status is CertStatus.REVOKED, verdict.findings
    assert verdict.responder == responder
    assert single.revoked_at == pendulum.datetime(2017, 10, 31, 17, 23, 32)
    (tmp_path / "root.pem").write_bytes(_pem([root]))
    (tmp_path / "other.pem").write_bytes(_pem([issuer]))
    at = str(int(response.produced_at.timestamp())) if response.produced_at else "0"
    args = ["ocsp", "-respin", str(CORPUS / "sk_ocsp.bin"), "-CAfile", "root.pem"]
    assert _openssl([*args, "-verify_other", "other.pem", "-attime", at], tmp_path)
    # A certificate of another issuer: the response does not answer for it.
    assert check_ocsp(response, target, root).status is None
    # A forged signature: refused (OpenSSL refuses it too).
    forged = bytearray(_read("sk_ocsp.bin"))
    position = forged.index(response.signature[:16])
    forged[position + 5] ^= 0x01
    (tmp_path / "forged.der").write_bytes(bytes(forged))
    outcome = check_ocsp(bytes(forged), target, issuer)
    assert outcome.status is None
    assert outcome.findings[0].reason is Reason.BAD_SIGNATURE
    assert not _openssl(
        [
            *args[:1],
            "-respin",
            "forged.der",
            *args[3:],
            "-verify_other",
            "other.pem",
            "-attime",
            at,
        ],
        tmp_path,
    )


# --- CAdES-A over X Long Type 1 (ETSI plugtest) -----------------------------------------------


def test_plugtest_cades_a_is_valid_after_the_signer_certificate_expired() -> None:
    report = verify_ltv(
        None, _read(XL_A), trust_anchors=_xl_anchors(), at=pendulum.datetime(2015, 6, 1)
    )
    signer = report.signers[0]
    assert report.status is Status.VALID, signer.findings
    assert signer.level is Level.A
    assert signer.certificate is not None
    assert signer.certificate.not_after < pendulum.datetime(2015, 6, 1)  # expired by then
    assert signer.proof_time == pendulum.datetime(2013, 12, 6, 15, 10, 6)
    assert signer.proof is not None and "Plugtests" in signer.proof
    kinds = [e.kind for e in signer.evidence if e.status is Status.VALID]
    assert kinds[:3] == [
        EvidenceKind.ARCHIVE_TIMESTAMP,
        EvidenceKind.CADES_C_TIMESTAMP,
        EvidenceKind.SIGNATURE_TIMESTAMP,
    ]
    assert sum(e.kind is EvidenceKind.CRL for e in signer.evidence) == 3


def test_plugtest_cades_a_once_its_tsa_expired() -> None:
    report = verify_ltv(
        None, _read(XL_A), trust_anchors=_xl_anchors(), at=pendulum.datetime(2016, 6, 1)
    )
    assert report.status is Status.INDETERMINATE
    assert report.signers[0].proof_time is None
    assert Reason.EXPIRED in {f.reason for f in report.signers[0].findings}


def test_plugtest_timestamps_agree_with_openssl(tmp_path: pathlib.Path) -> None:
    """edmscore's imprint data for each layer, checked by ``openssl ts -verify``."""
    signature = _read(XL_A)
    data = _ltv_data.read_signers(signature)[0]
    signer = parse_signed_data(signature).signers[0]
    anchors = _xl_anchors()
    expected = {
        _ets.SIGNATURE_TIMESTAMP: signer.signature,
        _ets.ESC_TIMESTAMP: _ltv_data.esc_timestamp_data(data, signer.signature),
    }
    for oid, stamped in expected.items():
        token = load_timestamp_token(data.values_of(oid)[0])
        digest = hashlib.sha256(stamped).digest()
        assert digest == token.imprint
        assert _openssl_ts(tmp_path, token.der, digest, anchors, int(token.gen_time.timestamp()))
    archive = load_timestamp_token(data.values_of(_ets.ARCHIVE_TIMESTAMP_V3)[0])
    index = _ltv_data.read_signers(archive.der)[0].values_of(_ets.ATS_HASH_INDEX)[0]
    assert data.e_content is not None
    v3 = _ltv_data.archive_v3_data(data, hashlib.sha256(data.e_content).digest(), index)
    assert hashlib.sha256(v3).digest() == archive.imprint
    assert _openssl_ts(
        tmp_path, archive.der, archive.imprint, anchors, int(archive.gen_time.timestamp())
    )


def test_altered_references_break_the_cades_c_timestamp() -> None:
    signature = bytearray(_read(XL_A))
    data = _ltv_data.read_signers(bytes(signature))[0]
    (refs,) = data.attributes_of(_ets.CERTIFICATE_REFS)
    position = bytes(signature).index(refs.der)
    signature[position + len(refs.der) - 1] ^= 0x01  # the last byte of the last hash
    report = verify_ltv(
        None, bytes(signature), trust_anchors=_xl_anchors(), at=pendulum.datetime(2015, 6, 1)
    )
    signer = report.signers[0]
    assert report.status is Status.INDETERMINATE
    assert Reason.EVIDENCE_INVALID in {f.reason for f in signer.findings}
    esc = next(e for e in signer.evidence if e.kind is EvidenceKind.CADES_C_TIMESTAMP)
    assert esc.status is Status.INVALID


def test_plugtest_cades_x_without_values() -> None:
    """A CAdES-X whose CAdES-C timestamp does not hash to the RFC 5126 imprint data."""
    signature = _read("Signature-C-X-1.p7m")
    report = verify_ltv(
        None, signature, trust_anchors=_xl_anchors(), at=pendulum.datetime(2014, 6, 1)
    )
    signer = report.signers[0]
    assert signer.level is Level.C
    stamps = {e.kind: e for e in signer.evidence}
    assert stamps[EvidenceKind.SIGNATURE_TIMESTAMP].status is Status.VALID
    assert stamps[EvidenceKind.CADES_C_TIMESTAMP].status is Status.INVALID
    assert signer.proof_time == stamps[EvidenceKind.SIGNATURE_TIMESTAMP].time


def test_plugtest_lta_with_ocsp_values_and_both_archive_timestamp_versions(
    tmp_path: pathlib.Path,
) -> None:
    """A 2015 plugtest CAdES-A: three embedded OCSP responses, archive timestamps v2 and v3."""
    name = "Signature-C-B-LTA-10.p7m"
    signature = _read(name)
    anchors = [c for c in parse_signed_data(signature).certificates if c.self_issued]
    report = verify_ltv(None, signature, trust_anchors=anchors, at=pendulum.datetime(2016, 9, 1))
    signer = report.signers[0]
    assert report.status is Status.VALID, signer.findings
    assert signer.certificate is not None
    assert signer.certificate.not_after < pendulum.datetime(2016, 9, 1)
    assert signer.proof is not None and "signature timestamp" in signer.proof
    kinds = [e.kind for e in signer.evidence if e.status is Status.VALID]
    assert kinds.count(EvidenceKind.ARCHIVE_TIMESTAMP) == 2
    responders = [e.issuer for e in signer.evidence if e.kind is EvidenceKind.OCSP_RESPONSE]
    assert len(responders) == 3  # one per certificate of the path, each by its issuer
    data = _ltv_data.read_signers(signature)[0]
    (v2,) = data.attributes_of(_ets.ARCHIVE_TIMESTAMP_V2)
    token = load_timestamp_token(v2.values[0])
    later = {
        i
        for i, a in enumerate(data.attributes)
        if a.oid in (_ets.ARCHIVE_TIMESTAMP_V2, _ets.ARCHIVE_TIMESTAMP_V3)
        and load_timestamp_token(a.values[0]).gen_time >= token.gen_time
    }
    reading = _ltv_data.archive_v2_data(data, later, None)[0]
    digest = hashlib.sha256(reading).digest()
    assert digest == token.imprint
    assert _openssl_ts(tmp_path, token.der, digest, anchors, int(token.gen_time.timestamp()))
    # Each embedded OCSP response is signed by the issuer of the certificate it answers for.
    for response in data.ocsp_responses:
        (single,) = response.responses
        target = next(
            c for c in parse_signed_data(signature).certificates if c.serial == single.serial
        )
        issuer = next(
            c
            for c in (*parse_signed_data(signature).certificates, *data.certificates)
            if c.subject_key == target.issuer_key
        )
        assert check_ocsp(response, target, issuer).status is CertStatus.GOOD


def test_truncated_corpus_files_are_format_errors() -> None:
    for name in ("tensor-cades-t.p7s", XL_A, "cades-lta-detached.pkcs7"):
        data = _read(name)
        with pytest.raises(CmsFormatError):
            verify_ltv(None, data[: len(data) // 2], trust_anchors=[])
