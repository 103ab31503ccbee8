"""The test PKI of edmscore.testing: signatures that edmscore and OpenSSL both verify."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
from pathlib import Path

import pendulum
import pytest
from asn1crypto import cms
from asn1crypto.core import Void

from edmscore.signatures import Reason, Status, SubjectFields, TimeSource, _build, verify
from edmscore.testing.pki import Identity, TestPki

from .conftest import require_tools

CONTENT = "Служебная записка о проверке подписи".encode() * 100


def _openssl_verifies(tmp_path: Path, pki: TestPki, signature: bytes, content: bytes) -> bool:
    (tmp_path / "sig.der").write_bytes(signature)
    (tmp_path / "content.bin").write_bytes(content)
    (tmp_path / "ca.pem").write_bytes(pki.root.certificate_pem)
    engine = ["-engine", "gost"] if pki.algorithm.startswith("gost") else []
    result = subprocess.run(
        [
            "openssl",
            "cms",
            *engine,
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "sig.der",
            "-content",
            "content.bin",
            "-CAfile",
            "ca.pem",
            "-out",
            "/dev/null",
        ],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


@pytest.mark.parametrize("algorithm", ["rsa", "rsa-pss", "ecdsa", "gost256", "gost512"])
def test_signatures_verify_here_and_in_openssl(algorithm: str, tmp_path: Path) -> None:
    require_tools(algorithm)
    pki = TestPki.create(algorithm)
    user = pki.issue(SubjectFields(surname="Иванов", given_name="Иван", snils="11223344595"))
    signature = pki.sign(CONTENT, user)
    report = verify(CONTENT, signature, trust_anchors=[pki.root.certificate])
    assert report.status is Status.VALID, report.signers[0].findings
    assert _openssl_verifies(tmp_path, pki, signature, CONTENT)
    tampered = CONTENT + b"!"
    assert verify(tampered, signature, trust_anchors=[pki.root.certificate]).reason is (
        Reason.DIGEST_MISMATCH
    )
    assert not _openssl_verifies(tmp_path, pki, signature, tampered)


def test_report_fields_and_json(rsa_pki: TestPki, rsa_user: Identity) -> None:
    moment = pendulum.datetime(2025, 3, 1, 12, 0, tz="UTC")
    signature = rsa_pki.sign(CONTENT, rsa_user, signing_time=moment)
    report = verify(CONTENT, signature, trust_anchors=[rsa_pki.root.certificate_pem])
    signer = report.signers[0]
    assert signer.status is Status.VALID
    assert signer.signing_time == moment
    assert signer.signing_time_source is TimeSource.SIGNED_ATTRIBUTE
    assert signer.certificate is not None
    assert signer.certificate.serial == format(rsa_user.serial, "X")
    assert signer.certificate.fields.full_name == "Иванов Иван Петрович"
    assert signer.certificate.fields.ogrnip == "304500116000157"
    assert signer.digest_algorithm == "sha256"
    assert signer.signature_algorithm == "rsa"
    data = json.loads(report.to_json())
    assert data["status"] == "valid"
    assert data["signers"][0]["signing_time"] == "2025-03-01T12:00:00+00:00"
    assert data["signers"][0]["certificate"]["fields"]["inn"] == "123456789012"
    assert data["signers"][0]["certificate"]["fields"]["position"] == "Начальник отдела"
    assert "CN=Тестовый удостоверяющий центр" in data["signers"][0]["chain"][0]["subject"]


def test_attached_and_streamed_content(
    rsa_pki: TestPki, rsa_user: Identity, tmp_path: Path
) -> None:
    anchors = [rsa_pki.root.certificate]
    attached = rsa_pki.sign(CONTENT, rsa_user, detached=False)
    assert verify(None, attached, trust_anchors=anchors).status is Status.VALID
    detached = rsa_pki.sign(CONTENT, rsa_user)
    path = tmp_path / "content.bin"
    path.write_bytes(CONTENT)
    assert verify(path, detached, trust_anchors=anchors).status is Status.VALID
    assert verify(str(path), detached, trust_anchors=anchors).status is Status.VALID
    assert verify(io.BytesIO(CONTENT), detached, trust_anchors=anchors).status is Status.VALID
    missing = verify(None, detached, trust_anchors=anchors)
    assert (missing.status, missing.reason) == (Status.INDETERMINATE, Reason.CONTENT_MISSING)


def test_cosigners_and_countersignature(rsa_pki: TestPki, rsa_user: Identity) -> None:
    second = rsa_pki.issue(SubjectFields(surname="Петров", given_name="Пётр"), algorithm="ecdsa")
    signature = rsa_pki.sign(CONTENT, rsa_user, cosigners=[second])
    notary = rsa_pki.issue(SubjectFields(surname="Сидорова", position="Нотариус"))
    countersigned = rsa_pki.countersign(signature, notary, index=0)
    report = verify(CONTENT, countersigned, trust_anchors=[rsa_pki.root.certificate])
    assert report.status is Status.VALID
    assert sorted(s.signature_algorithm for s in report.signers) == ["rsa", "sha256_ecdsa"]
    assert sorted(len(s.countersignatures) for s in report.signers) == [0, 1]
    (counter,) = [c for s in report.signers for c in s.countersignatures]
    assert counter.status is Status.VALID
    assert counter.certificate is not None
    assert counter.certificate.fields.surname == "Сидорова"
    # A countersignature copied onto the other signer does not verify there.
    info = cms.ContentInfo.load(countersigned)
    signers = info["content"]["signer_infos"]
    source = next(i for i, s in enumerate(signers) if not isinstance(s["unsigned_attrs"], Void))
    signers[1 - source]["unsigned_attrs"] = signers[source]["unsigned_attrs"].copy()
    moved = verify(CONTENT, info.dump(), trust_anchors=[rsa_pki.root.certificate])
    assert {s.countersignatures[0].reason for s in moved.signers} == {
        None,
        Reason.DIGEST_MISMATCH,
    }


def test_revocation_and_timestamps() -> None:
    pki = TestPki.create("ecdsa", not_before=pendulum.datetime(2024, 1, 1))
    user = pki.issue(
        not_before=pendulum.datetime(2025, 1, 1), not_after=pendulum.datetime(2025, 6, 1)
    )
    tsa = pki.issue(
        SubjectFields(common_name="Служба штампов времени"),
        time_stamping=True,
        not_before=pendulum.datetime(2024, 6, 1),
        not_after=pendulum.now("UTC").add(years=1),
    )
    signed_at = pendulum.datetime(2025, 3, 1, tz="UTC")
    signature = pki.sign(CONTENT, user, signing_time=signed_at)
    anchors = [pki.root.certificate]
    # The certificate has expired since: without a trusted time the verdict cannot be given.
    plain = verify(CONTENT, signature, trust_anchors=anchors)
    assert (plain.status, plain.reason) == (Status.INDETERMINATE, Reason.EXPIRED)
    # A timestamp token from within the validity period proves when it was signed.
    stamped = pki.timestamp(signature, tsa, at=signed_at)
    report = verify(CONTENT, stamped, trust_anchors=anchors)
    assert report.status is Status.VALID, report.signers[0].findings
    assert report.signers[0].signing_time == signed_at
    assert report.signers[0].signing_time_source is TimeSource.TIMESTAMP
    # Revoked after the trusted signing time: still valid; revoked before it: revoked.
    pki.revoke(user, at=pendulum.datetime(2025, 4, 1, tz="UTC"))
    later = verify(CONTENT, stamped, trust_anchors=anchors, crls=[pki.crl()])
    assert later.status is Status.VALID, later.signers[0].findings
    assert later.revocation_checked
    pki.revoke(user, at=pendulum.datetime(2025, 2, 1, tz="UTC"))
    earlier = verify(CONTENT, stamped, trust_anchors=anchors, crls=[pki.crl()])
    assert (earlier.status, earlier.reason) != (Status.VALID, None)
    # A token over another signature is ignored.
    other = pki.timestamp(pki.sign(b"other", user, signing_time=signed_at), tsa, at=signed_at)
    token = cms.ContentInfo.load(other)["content"]["signer_infos"][0]["unsigned_attrs"]
    info = cms.ContentInfo.load(signature)
    info["content"]["signer_infos"][0]["unsigned_attrs"] = token.copy()
    foreign = verify(CONTENT, info.dump(), trust_anchors=anchors)
    assert foreign.signers[0].signing_time_source is TimeSource.SIGNED_ATTRIBUTE


def test_revocation_unknown_and_stale_crl(rsa_pki: TestPki, rsa_user: Identity) -> None:
    signature = rsa_pki.sign(CONTENT, rsa_user)
    other = TestPki.create("rsa")
    unrelated = verify(
        CONTENT, signature, trust_anchors=[rsa_pki.root.certificate], crls=[other.crl()]
    )
    assert (unrelated.status, unrelated.reason) == (
        Status.INDETERMINATE,
        Reason.REVOCATION_UNKNOWN,
    )
    stale = rsa_pki.crl(
        this_update=pendulum.now("UTC").subtract(days=30),
        next_update=pendulum.now("UTC").subtract(days=20),
    )
    report = verify(CONTENT, signature, trust_anchors=[rsa_pki.root.certificate], crls=[stale])
    assert report.reason is Reason.REVOCATION_UNKNOWN


def _with_signer_algorithms(
    signature: bytes, *, digest: str | None = None, signature_algorithm: str | None = None
) -> bytes:
    info = cms.ContentInfo.load(signature)
    signer = info["content"]["signer_infos"][0]
    if digest is not None:
        signer["digest_algorithm"] = {"algorithm": digest}
    if signature_algorithm is not None:
        signer["signature_algorithm"] = {"algorithm": signature_algorithm}
    return bytes(info.dump())


def test_unsupported_algorithms_are_report_entries(rsa_pki: TestPki, rsa_user: Identity) -> None:
    signature = rsa_pki.sign(CONTENT, rsa_user)
    anchors = [rsa_pki.root.certificate]
    for changed, oid in (
        (_with_signer_algorithms(signature, digest="1.2.3.4.5"), "1.2.3.4.5"),
        (_with_signer_algorithms(signature, signature_algorithm="1.2.3.4.6"), "1.2.3.4.6"),
    ):
        report = verify(CONTENT, changed, trust_anchors=anchors)
        assert (report.status, report.reason) == (
            Status.INDETERMINATE,
            Reason.UNSUPPORTED_ALGORITHM,
        )
        messages = [f.message for f in report.signers[0].findings]
        assert f"unsupported algorithm {oid}" in messages


def test_bad_signature_value(rsa_pki: TestPki, rsa_user: Identity) -> None:
    info = cms.ContentInfo.load(rsa_pki.sign(CONTENT, rsa_user))
    signer = info["content"]["signer_infos"][0]
    value = bytearray(signer["signature"].native)
    value[10] ^= 1
    signer["signature"] = bytes(value)
    report = verify(CONTENT, info.dump(), trust_anchors=[rsa_pki.root.certificate])
    assert (report.status, report.reason) == (Status.INVALID, Reason.BAD_SIGNATURE)


def test_checked_at_a_given_time(rsa_pki: TestPki, rsa_user: Identity) -> None:
    signature = rsa_pki.sign(CONTENT, rsa_user)
    future = pendulum.now("UTC").add(years=3)
    report = verify(CONTENT, signature, trust_anchors=[rsa_pki.root.certificate], at=future)
    assert (report.status, report.reason) == (Status.INDETERMINATE, Reason.EXPIRED)
    assert report.checked_at == future


def test_paths_through_an_intermediate_ca(tmp_path: Path) -> None:
    root = TestPki.create("rsa")
    sub = root.intermediate(algorithm="ecdsa")
    user = sub.issue(SubjectFields(surname="Кузнецов"))
    anchors = [root.root.certificate]
    signature = sub.sign(CONTENT, user)
    report = verify(CONTENT, signature, trust_anchors=anchors)
    assert report.status is Status.VALID, report.signers[0].findings
    assert [c.subject for c in report.signers[0].chain] == [
        "C=RU, O=Подчинённый удостоверяющий центр, CN=Подчинённый удостоверяющий центр",
        "C=RU, O=Тестовый удостоверяющий центр, CN=Тестовый удостоверяющий центр",
    ]
    # OpenSSL agrees, with the root as its only trust anchor.
    assert _openssl_verifies(tmp_path, root, signature, CONTENT)
    # Without the intermediate in the signature, the host may pass it.
    bare = sub.sign(CONTENT, user, include_chain=False)
    assert verify(CONTENT, bare, trust_anchors=anchors).reason is Reason.NO_CHAIN_TO_TRUST_ANCHOR
    with_extra = verify(CONTENT, bare, trust_anchors=anchors, intermediates=[sub.root.certificate])
    assert with_extra.status is Status.VALID
    # The intermediate itself may be the trust anchor.
    assert verify(CONTENT, bare, trust_anchors=[sub.root.certificate]).status is Status.VALID
    # Revocation is checked along the whole path: each CA's CRL for the certificates it issued.
    crls = [root.crl(), sub.crl()]
    assert verify(CONTENT, signature, trust_anchors=anchors, crls=crls).status is Status.VALID
    only_sub = verify(CONTENT, signature, trust_anchors=anchors, crls=[sub.crl()])
    assert only_sub.reason is Reason.REVOCATION_UNKNOWN
    root.revoke(sub.root)
    revoked = verify(CONTENT, signature, trust_anchors=anchors, crls=[root.crl(), sub.crl()])
    assert (revoked.status, revoked.reason) == (Status.INVALID, Reason.REVOKED)


def test_a_user_certificate_cannot_act_as_a_ca() -> None:
    pki = TestPki.create("ecdsa")
    impostor = pki.issue(SubjectFields(common_name="Не УЦ"))
    fake_ca = TestPki(root=impostor, algorithm="ecdsa", parents=(pki.root.certificate,))
    victim = fake_ca.issue(SubjectFields(surname="Жертва"))
    report = verify(CONTENT, fake_ca.sign(CONTENT, victim), trust_anchors=[pki.root.certificate])
    assert report.status is Status.INVALID
    reasons = {f.reason for f in report.signers[0].findings}
    assert Reason.NOT_A_CA in reasons


def test_signing_certificate_attribute_must_name_the_signer(
    rsa_pki: TestPki, rsa_user: Identity
) -> None:
    other = rsa_pki.issue(SubjectFields(surname="Другой"))
    digest = hashlib.sha256(CONTENT).digest()
    info = _build.build_signer_info(
        certificate=rsa_user.certificate,
        key=rsa_user.key,
        message_digest=digest,
        content_type="1.2.840.113549.1.7.1",
        signing_time=pendulum.now("UTC"),
        ess_certificate=other.certificate,
    )
    signature = _build.build_signed_data(
        content_type="1.2.840.113549.1.7.1",
        content=None,
        signer_infos=[info],
        certificates=[rsa_user.certificate],
    )
    report = verify(CONTENT, signature, trust_anchors=[rsa_pki.root.certificate])
    assert (report.status, report.reason) == (
        Status.INVALID,
        Reason.SIGNING_CERTIFICATE_MISMATCH,
    )


def test_claimed_signing_time_outside_validity(rsa_pki: TestPki, rsa_user: Identity) -> None:
    early = rsa_pki.sign(CONTENT, rsa_user, signing_time=pendulum.datetime(2024, 6, 1))
    report = verify(CONTENT, early, trust_anchors=[rsa_pki.root.certificate])
    assert (report.status, report.reason) == (Status.INDETERMINATE, Reason.NOT_YET_VALID)
    assert report.signers[0].claimed_signing_time == pendulum.datetime(2024, 6, 1)
