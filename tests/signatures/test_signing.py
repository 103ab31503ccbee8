"""Signing through external signers: prepare → sign elsewhere → assemble, judged by OpenSSL.

Every algorithm the verifier knows (GOST R 34.10-2012 256/512, RSA, ECDSA) is signed by a local
key and by ``openssl pkeyutl`` as a separate process (with the GOST engine for GOST keys, on keys
OpenSSL generated itself); ``openssl cms -verify`` must accept each assembled signature, and the
library's own verification must too.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pendulum
import pytest
from asn1crypto import cms, tsp

from edmscore.errors import (
    SignatureValueInvalid,
    SignerCertificateMismatch,
    SignerFailed,
    SigningRequestExpired,
    UnsupportedSigningKey,
    ValidationError,
)
from edmscore.signatures import Status, SubjectFields, TimeSource, streebog256, verify
from edmscore.signatures.signing import (
    KeyAlgorithm,
    LocalKeySigner,
    OpenSslSigner,
    RequestKind,
    SigningRequest,
    assemble,
    prepare,
    prepare_countersignature,
)
from edmscore.testing.ltv import timestamp_token
from edmscore.testing.pki import Identity, TestPki

from .conftest import OpensslPki, require_tools

ALGORITHMS = ["rsa", "ecdsa", "gost256", "gost512"]
CONTENT = "Приказ № 7 о подписании на мобильном устройстве\n".encode() + bytes(range(256)) * 40
DIGESTS = {
    "rsa": "2.16.840.1.101.3.4.2.1",
    "ecdsa": "2.16.840.1.101.3.4.2.1",
    "gost256": "1.2.643.7.1.1.2.2",
    "gost512": "1.2.643.7.1.1.2.3",
}


def _pki(algorithm: str) -> tuple[TestPki, Identity]:
    pki = TestPki.create(algorithm)
    return pki, pki.issue(SubjectFields(common_name="Соколов А. В.", surname="Соколов"))


def _openssl_accepts(
    tmp: Path, signature: bytes, root_pem: bytes, content: bytes | None, gost: bool
) -> bool:
    (tmp / "sig.der").write_bytes(signature)
    (tmp / "root.pem").write_bytes(root_pem)
    args = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp / "sig.der")]
    args += ["-CAfile", str(tmp / "root.pem"), "-out", str(tmp / "out.bin")]
    if content is not None:
        (tmp / "content.bin").write_bytes(content)
        args += ["-content", str(tmp / "content.bin")]
    if gost:
        args += ["-engine", "gost"]
    done = subprocess.run(args, capture_output=True, check=False)
    return done.returncode == 0 and (tmp / "out.bin").read_bytes() == CONTENT


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("detached", [True, False])
def test_local_key_signature_is_accepted_by_openssl_and_the_library(
    algorithm: str, detached: bool, tmp_path: Path
) -> None:
    require_tools(algorithm)
    pki, user = _pki(algorithm)
    request = prepare(CONTENT, user.certificate_pem, detached=detached)
    value = LocalKeySigner(user.private_key_pem).sign(request)
    signed = assemble(request, value, CONTENT, trust_anchors=[pki.root.certificate])
    assert signed.report.status is Status.VALID
    assert signed.report.detached is detached
    gost = algorithm.startswith("gost")
    assert _openssl_accepts(
        tmp_path, signed.signature, pki.root.certificate_pem, CONTENT if detached else None, gost
    )


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_signed_attributes_are_cades_bes_with_the_key_s_digest(algorithm: str) -> None:
    _, user = _pki(algorithm)
    at = pendulum.datetime(2026, 5, 4, 10, 30, tz="UTC")
    request = prepare(CONTENT, user.certificate, at=at)
    attributes = cms.CMSAttributes.load(request.to_be_signed)
    by_type = {a["type"].native: a["values"][0] for a in attributes}
    assert set(by_type) == {
        "content_type",
        "signing_time",
        "message_digest",
        "signing_certificate_v2",
    }
    assert by_type["content_type"].native == "data"
    assert by_type["signing_time"].native == at
    digest_oid = DIGESTS[algorithm]
    assert request.digest_oid == digest_oid
    ess = by_type["signing_certificate_v2"]["certs"][0]
    cert_hash = bytes(ess["cert_hash"].native)
    if algorithm == "gost256":
        assert by_type["message_digest"].native == streebog256(CONTENT)
        assert cert_hash == streebog256(user.certificate)
    assert ess["hash_algorithm"]["algorithm"].dotted == digest_oid
    # DER: the SET OF sorted by encoding.
    encoded = [a.dump() for a in attributes]
    assert encoded == sorted(encoded)


@pytest.mark.parametrize("openssl_pki", ["rsa", "ecdsa", "gost256", "gost512"], indirect=True)
def test_openssl_process_signs_with_its_own_key(openssl_pki: OpensslPki, tmp_path: Path) -> None:
    """The key and certificate made by OpenSSL; the value by `openssl pkeyutl` in a process."""
    pki = openssl_pki
    certificate = pki.path("user.crt").read_bytes()
    request = prepare(CONTENT, certificate)
    signer = OpenSslSigner(pki.path("user.key"))
    value = signer.sign(request)
    signed = assemble(request, value, CONTENT, trust_anchors=[pki.path("ca.crt").read_bytes()])
    assert signed.report.status is Status.VALID
    (tmp_path / "sig.der").write_bytes(signed.signature)
    assert (
        pki.openssl_verifies(
            str(tmp_path / "sig.der"), content=str(pki.path("content.bin")), ca_file="ca.crt"
        )
        is False
    )  # other content than content.bin
    (tmp_path / "content.bin").write_bytes(CONTENT)
    assert pki.openssl_verifies(
        str(tmp_path / "sig.der"), content=str(tmp_path / "content.bin"), ca_file="ca.crt"
    )
    # The same key read by the library (OpenSSL's PKCS#8 form) makes an equally good value.
    local = LocalKeySigner(pki.path("user.key").read_bytes())
    again = assemble(
        request, local.sign(request), CONTENT, trust_anchors=[pki.path("ca.crt").read_bytes()]
    )
    assert again.report.status is Status.VALID


def _gost_provider_signs() -> bool:
    """Whether OpenSSL's GOST provider here signs (Debian's gost-engine 3.0.1 provider offers
    digests, ciphers and MACs only; signing came to the provider later)."""
    probe = subprocess.run(
        ["openssl", "list", "-provider", "gostprov", "-signature-algorithms"],
        capture_output=True,
        check=False,
        text=True,
    )
    return probe.returncode == 0 and "gost2012" in probe.stdout.lower()


@pytest.mark.parametrize("openssl_pki", ["gost256", "gost512"], indirect=True)
def test_the_gost_provider_form_runs_instead_of_the_engine(
    openssl_pki: OpensslPki, tmp_path: Path
) -> None:
    """OpenSSL 3's provider form of the GOST implementation (``gostprov``) instead of the
    engine: where it signs, the value verifies in the library and in ``openssl cms -verify``;
    where it does not, the signer fails with a typed error, not a wrong value."""
    pki = openssl_pki
    certificate = pki.path("user.crt").read_bytes()
    request = prepare(CONTENT, certificate)
    signer = OpenSslSigner(pki.path("user.key"), provider="gostprov")
    command = list(signer.command(request.algorithm))
    assert "-engine" not in command
    assert command[-4:] == ["-provider", "gostprov", "-provider", "default"]
    with pytest.raises(ValidationError):
        OpenSslSigner(pki.path("user.key"), provider="-engine")
    with pytest.raises(SignerFailed):
        OpenSslSigner(pki.path("user.key"), provider="no-such-provider").sign(request)
    if not _gost_provider_signs():
        with pytest.raises(SignerFailed):
            signer.sign(request)
        pytest.skip("OpenSSL's GOST provider here has no GOST signature (gost-engine 3.0.1)")
    value = signer.sign(request)
    signed = assemble(request, value, CONTENT, trust_anchors=[pki.path("ca.crt").read_bytes()])
    assert signed.report.status is Status.VALID
    (tmp_path / "sig.der").write_bytes(signed.signature)
    (tmp_path / "content.bin").write_bytes(CONTENT)
    assert pki.openssl_verifies(
        str(tmp_path / "sig.der"), content=str(tmp_path / "content.bin"), ca_file="ca.crt"
    )


@pytest.mark.parametrize("openssl_pki", ["gost2001"], indirect=True)
def test_a_gost_2001_certificate_is_refused_at_prepare(openssl_pki: OpensslPki) -> None:
    with pytest.raises(UnsupportedSigningKey):
        prepare(CONTENT, openssl_pki.path("user.crt").read_bytes())


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_tampered_value_is_refused(algorithm: str) -> None:
    _, user = _pki(algorithm)
    request = prepare(CONTENT, user.certificate)
    value = bytearray(LocalKeySigner(user.private_key_pem).sign(request))
    value[len(value) // 2] ^= 0x01
    with pytest.raises(SignatureValueInvalid):
        assemble(request, bytes(value), CONTENT)


def test_a_value_made_by_another_key_is_refused() -> None:
    _, user = _pki("gost256")
    _, stranger = _pki("gost256")
    request = prepare(CONTENT, user.certificate)
    with pytest.raises(SignatureValueInvalid):
        assemble(request, LocalKeySigner(stranger.private_key_pem).sign(request), CONTENT)


def test_another_certificate_named_by_the_signer_is_refused() -> None:
    _, user = _pki("rsa")
    _, other = _pki("rsa")
    request = prepare(CONTENT, user.certificate)
    value = LocalKeySigner(user.private_key_pem).sign(request)
    with pytest.raises(SignerCertificateMismatch):
        assemble(request, value, CONTENT, certificate=other.certificate)


def test_an_expired_request_is_refused_and_other_content_named() -> None:
    _, user = _pki("ecdsa")
    at = pendulum.datetime(2026, 5, 4, 10, tz="UTC")
    request = prepare(CONTENT, user.certificate, at=at, valid_for=pendulum.duration(minutes=5))
    value = LocalKeySigner(user.private_key_pem).sign(request)
    with pytest.raises(SigningRequestExpired):
        assemble(request, value, CONTENT, at=at.add(minutes=5))
    with pytest.raises(ValidationError) as caught:
        assemble(request, value, CONTENT + b"!", at=at.add(minutes=1))
    assert caught.value.field == "content"
    assert assemble(request, value, CONTENT, at=at.add(minutes=4)).signer.findings[0].reason


def test_a_bare_ecdsa_r_s_value_is_encoded_in_der() -> None:
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    pki, user = _pki("ecdsa")
    request = prepare(CONTENT, user.certificate)
    r, s = decode_dss_signature(LocalKeySigner(user.private_key_pem).sign(request))
    bare = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    signed = assemble(request, bare, CONTENT, trust_anchors=[pki.root.certificate])
    assert signed.report.status is Status.VALID


def test_a_gost_value_of_the_wrong_length_is_refused() -> None:
    _, user = _pki("gost512")
    request = prepare(CONTENT, user.certificate)
    value = LocalKeySigner(user.private_key_pem).sign(request)
    assert len(value) == 128
    with pytest.raises(SignatureValueInvalid):
        assemble(request, value[:64], CONTENT)


def test_a_key_of_another_algorithm_does_not_sign() -> None:
    _, user = _pki("gost256")
    _, rsa_user = _pki("rsa")
    request = prepare(CONTENT, user.certificate)
    with pytest.raises(SignerFailed):
        LocalKeySigner(rsa_user.private_key_pem).sign(request)
    with pytest.raises(UnsupportedSigningKey):
        LocalKeySigner(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")


def test_openssl_signer_failures_are_typed(tmp_path: Path) -> None:
    _, user = _pki("rsa")
    request = prepare(CONTENT, user.certificate)
    with pytest.raises(SignerFailed):
        OpenSslSigner(tmp_path / "missing.pem").sign(request)
    with pytest.raises(SignerFailed):
        OpenSslSigner(tmp_path / "k.pem", openssl=str(tmp_path / "no-openssl")).sign(request)


@pytest.mark.parametrize("algorithm", ["gost256", "rsa"])
def test_cosignature_and_countersignature_take_the_same_path(
    algorithm: str, tmp_path: Path
) -> None:
    require_tools(algorithm)
    pki, first = _pki(algorithm)
    second = pki.issue(SubjectFields(common_name="Громов И. П.", surname="Громов"))
    head = pki.issue(SubjectFields(common_name="Орлов В. В.", surname="Орлов"))
    anchors = [pki.root.certificate]
    request = prepare(CONTENT, first.certificate)
    signed = assemble(request, LocalKeySigner(first.private_key_pem).sign(request), CONTENT)
    co = prepare(CONTENT, second.certificate, cosign=signed.signature)
    assert co.kind is RequestKind.COSIGNATURE
    cosigned = assemble(
        co, LocalKeySigner(second.private_key_pem).sign(co), CONTENT, trust_anchors=anchors
    )
    assert [s.status for s in cosigned.report.signers] == [Status.VALID, Status.VALID]
    assert _openssl_accepts(
        tmp_path, cosigned.signature, pki.root.certificate_pem, CONTENT, algorithm != "rsa"
    )
    counter = prepare_countersignature(cosigned.signature, head.certificate, index=1)
    assert counter.kind is RequestKind.COUNTERSIGNATURE
    value = LocalKeySigner(head.private_key_pem).sign(counter)
    countersigned = assemble(counter, value, trust_anchors=anchors)
    report = verify(CONTENT, countersigned.signature, trust_anchors=anchors)
    assert report.status is Status.VALID
    assert report.signers[1].countersignatures[0].status is Status.VALID
    counter_certificate = report.signers[1].countersignatures[0].certificate
    assert counter_certificate is not None and counter_certificate.fields.surname == "Орлов"
    assert _openssl_accepts(
        tmp_path, countersigned.signature, pki.root.certificate_pem, CONTENT, algorithm != "rsa"
    )
    tampered = bytearray(value)
    tampered[5] ^= 0xFF
    with pytest.raises(SignatureValueInvalid):
        assemble(counter, bytes(tampered), trust_anchors=anchors)


class _TestTsa:
    """A time-stamp authority port over the test PKI's TSA."""

    def __init__(self, tsa: Identity, at: pendulum.DateTime) -> None:
        self.tsa = tsa
        self.at = at
        self.asked: list[tuple[bytes, str]] = []

    def timestamp(self, digest: bytes, hash_algorithm: str) -> bytes:
        self.asked.append((digest, hash_algorithm))
        return timestamp_token(self.tsa, digest, hash_algorithm=hash_algorithm, at=self.at)


@pytest.mark.parametrize("algorithm", ["gost256", "ecdsa"])
def test_a_time_stamp_authority_upgrades_to_cades_t(algorithm: str, tmp_path: Path) -> None:
    require_tools(algorithm)
    pki, user = _pki(algorithm)
    tsa = pki.issue(SubjectFields(common_name="Служба штампов времени"), time_stamping=True)
    stamped_at = pendulum.now("UTC").replace(microsecond=0)
    port = _TestTsa(tsa, stamped_at)
    request = prepare(CONTENT, user.certificate)
    value = LocalKeySigner(user.private_key_pem).sign(request)
    signed = assemble(
        request, value, CONTENT, trust_anchors=[pki.root.certificate], timestamper=port
    )
    assert signed.timestamped
    assert port.asked[0][1] == request.digest_oid
    assert signed.signer.signing_time_source is TimeSource.TIMESTAMP
    assert signed.signer.signing_time == stamped_at
    info = cms.ContentInfo.load(signed.signature)["content"]["signer_infos"][0]
    token = info["unsigned_attrs"][0]["values"][0]
    assert isinstance(token["content"]["encap_content_info"]["content"].parsed, tsp.TSTInfo)
    assert _openssl_accepts(
        tmp_path, signed.signature, pki.root.certificate_pem, CONTENT, algorithm != "ecdsa"
    )


def test_a_tsa_token_over_other_data_is_the_tsa_s_failure() -> None:
    pki, user = _pki("rsa")
    tsa = pki.issue(SubjectFields(common_name="TSA"), time_stamping=True)

    class Wrong:
        def timestamp(self, digest: bytes, hash_algorithm: str) -> bytes:
            return timestamp_token(tsa, bytes(32), hash_algorithm=hash_algorithm)

    request = prepare(CONTENT, user.certificate)
    value = LocalKeySigner(user.private_key_pem).sign(request)
    with pytest.raises(SignerFailed):
        assemble(request, value, CONTENT, timestamper=Wrong())


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_the_request_round_trips_through_json(algorithm: str) -> None:
    _, user = _pki(algorithm)
    request = prepare(CONTENT, user.certificate, detached=False)
    again = SigningRequest.from_json(request.to_json())
    assert again == request
    assert again.algorithm is KeyAlgorithm(
        {"gost256": "gost2012_256", "gost512": "gost2012_512"}.get(algorithm, algorithm)
    )


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_asn1crypto_reads_the_assembled_signature(algorithm: str) -> None:
    _, user = _pki(algorithm)
    request = prepare(CONTENT, user.certificate, detached=False)
    signed = assemble(request, LocalKeySigner(user.private_key_pem).sign(request), CONTENT)
    data = cms.ContentInfo.load(signed.signature, strict=True)["content"]
    assert data["encap_content_info"].native["content"] == CONTENT
    info = data["signer_infos"][0].native  # asn1crypto has no GOST keys: certificates not native
    assert info["sid"]["serial_number"] == user.serial
    assert info["digest_algorithm"]["algorithm"] in ("sha256", DIGESTS[algorithm])
    if not algorithm.startswith("gost"):
        assert cms.ContentInfo.load(signed.signature).native["content"]["certificates"]
