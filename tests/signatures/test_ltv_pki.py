"""Long-term validity end to end on the test PKI: upgrade a CAdES-BES, check it years later.

The upgraded signatures are checked by OpenSSL too (``cms -verify`` still accepts them: only
unsigned attributes were added; ``ts -verify`` accepts the embedded tokens).
"""

from __future__ import annotations

import base64
import contextlib
import pathlib
import shutil
import subprocess

import pendulum
import pytest
from asn1crypto import ocsp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edmscore.errors import EdmsError, OcspFormatError, SignatureError, ValidationError
from edmscore.signatures import Reason, Status, SubjectFields, _gostlink, load_certificate, verify
from edmscore.signatures.evidence import (
    add_esc_timestamp,
    add_signature_timestamp,
    add_validation_data,
    esc_timestamp_imprint,
    signature_timestamp_imprint,
)
from edmscore.signatures.ltv import EvidenceKind, EvidenceSource, Level, verify_ltv
from edmscore.signatures.ocsp import (
    CertStatus,
    build_ocsp_request,
    check_ocsp,
    load_ocsp_response,
    ocsp_urls,
)
from edmscore.signatures.timestamps import build_timestamp_request, load_timestamp_token
from edmscore.testing.ltv import ocsp_response, timestamp_token, with_ocsp_url
from edmscore.testing.pki import Identity, TestPki

T0 = pendulum.datetime(2020, 3, 2, 10, 0, 0)
LATER = T0.add(years=3)  # the user's certificate expired in 2021
CONTENT = "Приказ № 7 об архивном хранении\n".encode() * 100
ALGORITHMS = ["rsa", "ecdsa", "gost256"]


class _Setup:
    def __init__(self, algorithm: str) -> None:
        if algorithm.startswith("gost") and not _gostlink.available():
            pytest.skip("the GOST primitives are not in this build")
        self.pki = TestPki.create(algorithm, not_before=T0.subtract(years=1))
        self.user = self.pki.issue(
            SubjectFields(surname="Иванов", given_name="Иван Петрович", snils="11223344595"),
            not_before=T0.subtract(days=30),
            not_after=T0.add(years=1),
        )
        self.tsa = self.pki.issue(
            SubjectFields(common_name="Служба штампов времени"),
            not_before=T0.subtract(days=30),
            not_after=T0.add(years=6),
            time_stamping=True,
        )
        self.hash = self.pki.root.key.digest_oid
        self.bes = self.pki.sign(CONTENT, self.user, signing_time=T0)

    @property
    def anchors(self) -> list[bytes]:
        return [self.pki.root.certificate]

    def token(self, digest: bytes, at: pendulum.DateTime) -> bytes:
        return timestamp_token(self.tsa, digest, hash_algorithm=self.hash, at=at)

    def cades_t(self) -> bytes:
        imprint = signature_timestamp_imprint(self.bes, hash_algorithm=self.hash)
        return add_signature_timestamp(self.bes, self.token(imprint, T0.add(minutes=1)))

    def x_long_type_1(self, **ocsp: object) -> bytes:
        response = ocsp_response(
            self.pki.root,
            self.user,
            this_update=T0.add(hours=1),
            wrapped=False,
            **ocsp,  # type: ignore[arg-type]
        )
        with_values = add_validation_data(
            self.cades_t(), certificates=self.anchors, ocsp_responses=[response]
        )
        imprint = esc_timestamp_imprint(with_values, hash_algorithm=self.hash)
        return add_esc_timestamp(with_values, self.token(imprint, T0.add(hours=2)))


@pytest.fixture(params=ALGORITHMS)
def setup(request: pytest.FixtureRequest) -> _Setup:
    return _Setup(request.param)


def test_bes_with_an_expired_certificate_is_indeterminate(setup: _Setup) -> None:
    report = verify_ltv(CONTENT, setup.bes, trust_anchors=setup.anchors, at=LATER)
    assert report.status is Status.INDETERMINATE
    assert report.reason is Reason.EXPIRED
    assert report.signers[0].level is Level.BES
    assert report.signers[0].proof is None


def test_cades_t_proves_the_signature_was_made_in_time(setup: _Setup) -> None:
    report = verify_ltv(CONTENT, setup.cades_t(), trust_anchors=setup.anchors, at=LATER)
    signer = report.signers[0]
    assert report.status is Status.VALID, signer.findings
    assert signer.level is Level.T
    assert signer.proof_time == T0.add(minutes=1)
    assert signer.proof is not None
    assert "Служба штампов времени" in signer.proof
    assert signer.signer.signing_time == T0.add(minutes=1)
    assert report.to_dict()["signers"][0]["evidence"][0]["kind"] == "signature_timestamp"


def test_x_long_type_1_round_trip(setup: _Setup) -> None:
    signature = setup.x_long_type_1()
    report = verify_ltv(CONTENT, signature, trust_anchors=setup.anchors, at=LATER)
    signer = report.signers[0]
    assert report.status is Status.VALID, signer.findings
    assert signer.level is Level.X_LONG_TYPE_1
    kinds = {e.kind: e for e in signer.evidence}
    assert kinds[EvidenceKind.CADES_C_TIMESTAMP].status is Status.VALID
    assert kinds[EvidenceKind.REFERENCES].status is Status.VALID
    assert kinds[EvidenceKind.OCSP_RESPONSE].source is EvidenceSource.EMBEDDED
    # The plain verifier still reads the upgraded signature (it uses the signature timestamp).
    assert verify(CONTENT, signature, trust_anchors=setup.anchors, at=LATER).valid


def test_revoked_before_the_proof_time_is_invalid(setup: _Setup) -> None:
    signature = setup.x_long_type_1(status="revoked", revoked_at=T0.subtract(days=1))
    report = verify_ltv(CONTENT, signature, trust_anchors=setup.anchors, at=LATER)
    assert report.status is Status.INVALID
    assert report.reason is Reason.REVOKED


def test_revoked_after_the_proof_time_stays_valid(setup: _Setup) -> None:
    signature = setup.x_long_type_1()
    later_revocation = ocsp_response(
        setup.pki.root,
        setup.user,
        status="revoked",
        revoked_at=T0.add(days=40),
        this_update=T0.add(days=41),
    )
    report = verify_ltv(
        CONTENT,
        signature,
        trust_anchors=setup.anchors,
        ocsp_responses=[later_revocation],
        at=LATER,
    )
    assert report.status is Status.VALID, report.signers[0].findings


def test_tokens_over_other_data_are_refused(setup: _Setup) -> None:
    with pytest.raises(ValidationError, match="does not cover"):
        add_signature_timestamp(setup.bes, setup.token(b"\x01" * 32, T0))
    with_values = add_validation_data(setup.cades_t(), certificates=setup.anchors)
    wrong = signature_timestamp_imprint(with_values, hash_algorithm=setup.hash)
    with pytest.raises(ValidationError, match="does not cover"):
        add_esc_timestamp(with_values, setup.token(wrong, T0))
    with pytest.raises(ValidationError, match="validation data"):
        add_esc_timestamp(setup.cades_t(), setup.token(wrong, T0))


def test_a_tampered_timestamp_gives_no_proof(setup: _Setup) -> None:
    other = setup.pki.sign(CONTENT + b"!", setup.user, signing_time=T0)
    foreign = signature_timestamp_imprint(other, hash_algorithm=setup.hash)
    # Glue another signature's token on by hand (add_signature_timestamp would refuse it).
    from asn1crypto import cms

    from edmscore.signatures._build import add_unsigned_attribute

    glued = add_unsigned_attribute(
        setup.bes,
        0,
        "signature_time_stamp_token",
        cms.ContentInfo.load(setup.token(foreign, T0.add(minutes=1))),
    )
    report = verify_ltv(CONTENT, glued, trust_anchors=setup.anchors, at=LATER)
    signer = report.signers[0]
    assert signer.proof_time is None
    assert report.status is Status.INDETERMINATE
    assert {Reason.EVIDENCE_INVALID, Reason.EXPIRED} <= {f.reason for f in signer.findings}


class _Responder:
    """The host's OCSP transport, played by the test PKI's CA."""

    def __init__(self, setup: _Setup, user: Identity) -> None:
        self.setup = setup
        self.user = user
        self.requests: list[tuple[str, bytes]] = []

    def fetch(self, url: str, request: bytes) -> bytes:
        self.requests.append((url, request))
        return ocsp_response(self.setup.pki.root, self.user, this_update=T0.add(minutes=5))


class _Unreachable:
    def fetch(self, url: str, request: bytes) -> bytes:
        raise ConnectionError("no route to host")


def test_ocsp_fetched_through_the_host_port(setup: _Setup) -> None:
    user = with_ocsp_url(setup.pki.root, setup.user, "http://ocsp.example.test/ocsp")
    assert ocsp_urls(load_certificate(user.certificate)) == ("http://ocsp.example.test/ocsp",)
    bes = setup.pki.sign(CONTENT, user, signing_time=T0)
    imprint = signature_timestamp_imprint(bes, hash_algorithm=setup.hash)
    cades_t = add_signature_timestamp(bes, setup.token(imprint, T0.add(minutes=1)))
    responder = _Responder(setup, user)
    report = verify_ltv(
        CONTENT, cades_t, trust_anchors=setup.anchors, ocsp_fetcher=responder, at=LATER
    )
    assert report.status is Status.VALID, report.signers[0].findings
    ((url, request),) = responder.requests
    assert url == "http://ocsp.example.test/ocsp"
    asked = ocsp.OCSPRequest.load(request)["tbs_request"]["request_list"][0]["req_cert"]
    assert asked["serial_number"].native == load_certificate(user.certificate).serial
    fetched = [e for e in report.signers[0].evidence if e.kind is EvidenceKind.OCSP_RESPONSE]
    assert fetched[0].source is EvidenceSource.FETCHED
    failed = verify_ltv(
        CONTENT, cades_t, trust_anchors=setup.anchors, ocsp_fetcher=_Unreachable(), at=LATER
    )
    assert failed.status is Status.INDETERMINATE
    assert failed.reason is Reason.REVOCATION_UNKNOWN


def test_ocsp_request_read_by_openssl(setup: _Setup, tmp_path: pathlib.Path) -> None:
    user = load_certificate(setup.user.certificate)
    root = load_certificate(setup.pki.root.certificate)
    request = build_ocsp_request(user, root, nonce=b"\x01\x02\x03\x04\x05\x06\x07\x08")
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    (tmp_path / "req.der").write_bytes(request)
    text = subprocess.run(
        ["openssl", "ocsp", "-reqin", "req.der", "-req_text"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"Serial Number: {user.serial:X}" in text.replace(": 0", ": ")
    assert "Nonce" in text


def test_ocsp_checks(setup: _Setup) -> None:
    user = load_certificate(setup.user.certificate)
    root = load_certificate(setup.pki.root.certificate)
    good = ocsp_response(setup.pki.root, setup.user, this_update=T0)
    assert check_ocsp(good, user, root).status is CertStatus.GOOD
    # Signed by someone the issuer never delegated: refused.
    impostor = ocsp_response(setup.tsa, setup.user, this_update=T0)
    assert check_ocsp(impostor, user, root).status is None
    # About another certificate: no answer for this one.
    other = ocsp_response(setup.pki.root, setup.tsa, this_update=T0)
    assert check_ocsp(other, user, root).single is None
    # The nonce must come back.
    assert check_ocsp(good, user, root, nonce=b"12345678").status is None
    unknown = ocsp_response(setup.pki.root, setup.user, status="unknown", this_update=T0)
    assert check_ocsp(unknown, user, root).status is CertStatus.UNKNOWN


def test_upgraded_signature_accepted_by_openssl(tmp_path: pathlib.Path) -> None:
    setup = _Setup("rsa")
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    signature = setup.x_long_type_1()
    (tmp_path / "sig.der").write_bytes(signature)
    (tmp_path / "content.bin").write_bytes(CONTENT)
    (tmp_path / "ca.pem").write_bytes(
        b"-----BEGIN CERTIFICATE-----\n"
        + base64.encodebytes(setup.pki.root.certificate)
        + b"-----END CERTIFICATE-----\n"
    )
    at = str(int(T0.add(hours=3).timestamp()))
    args = ["cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der", "-content"]
    args += ["content.bin", "-CAfile", "ca.pem", "-attime", at, "-out", "/dev/null"]
    result = subprocess.run(["openssl", *args], cwd=tmp_path, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
    token = load_timestamp_token(
        __import__("edmscore.signatures._cms", fromlist=["x"])
        .parse_signed_data(signature)
        .signers[0]
        .timestamp_tokens[0]
    )
    (tmp_path / "token.der").write_bytes(token.der)
    ts = ["ts", "-verify", "-in", "token.der", "-token_in", "-digest", token.imprint.hex()]
    ts += ["-CAfile", "ca.pem", "-attime", at]
    result = subprocess.run(["openssl", *ts], cwd=tmp_path, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr


def test_timestamp_request_read_by_openssl(tmp_path: pathlib.Path) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    digest = bytes(range(32))
    request = build_timestamp_request(digest, "2.16.840.1.101.3.4.2.1", nonce=12345)
    (tmp_path / "req.tsq").write_bytes(request)
    text = subprocess.run(
        ["openssl", "ts", "-query", "-in", "req.tsq", "-text"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "sha256" in text
    assert "0x3039" in text  # the nonce
    assert "Certificate required: yes" in text


_SEED = _Setup("rsa")
_SEED_SIGNATURE = _SEED.x_long_type_1()
_SEED_OCSP = ocsp_response(_SEED.pki.root, _SEED.user, this_update=T0)
_SEED_TOKEN = _SEED.token(b"\x07" * 32, T0)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzzed_ltv_input_never_crashes(data: st.DataObject) -> None:
    """Flipped bytes and truncations: a report or a typed error, nothing else."""
    for blob, call in (
        (_SEED_SIGNATURE, lambda b: verify_ltv(CONTENT, b, trust_anchors=_SEED.anchors, at=LATER)),
        (_SEED_OCSP, load_ocsp_response),
        (_SEED_TOKEN, load_timestamp_token),
        (_SEED_SIGNATURE, lambda b: add_validation_data(b, certificates=_SEED.anchors)),
    ):
        mutated = bytearray(blob)
        for _ in range(data.draw(st.integers(1, 4))):
            position = data.draw(st.integers(0, len(mutated) - 1))
            mutated[position] = data.draw(st.integers(0, 255))
        if data.draw(st.booleans()):
            mutated = mutated[: data.draw(st.integers(0, len(mutated)))]
        with contextlib.suppress(EdmsError):
            call(bytes(mutated))


def test_ocsp_garbage_is_a_format_error() -> None:
    for garbage in (b"", b"\x30\x03\x0a\x01\x07", b"not der at all", b"\x30\x80" + b"\x00" * 10):
        with pytest.raises((OcspFormatError, SignatureError)):
            load_ocsp_response(garbage)
