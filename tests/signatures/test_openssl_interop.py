"""edmscore's verdict matches OpenSSL's on signatures OpenSSL made (RSA, ECDSA, GOST 256/512)."""

from __future__ import annotations

import pendulum
import pytest
from asn1crypto import cms

from edmscore.signatures import Reason, Status, TimeSource, verify
from edmscore.signatures._build import add_unsigned_attribute

from .conftest import OpensslPki


def _verify(
    pki: OpensslPki,
    signature: str,
    content: str | None,
    *,
    anchor: str = "ca.crt",
    crls: tuple[str, ...] = (),
) -> tuple[Status, Reason | None]:
    report = verify(
        None if content is None else pki.path(content).read_bytes(),
        pki.path(signature).read_bytes(),
        trust_anchors=[pki.path(anchor).read_bytes()],
        crls=[pki.path(c).read_bytes() for c in crls],
    )
    return report.status, report.reason


@pytest.mark.parametrize(
    ("signature", "detached", "pem"),
    [
        ("detached.der", True, False),
        ("detached.pem", True, True),
        ("attached.der", False, False),
        ("attached.pem", False, True),
        ("cades.der", True, False),  # with signingCertificateV2 (ESSCertIDv2)
        ("noattr.der", True, False),  # no signed attributes: the content is signed directly
        ("streamed.der", False, False),  # BER with indefinite lengths, as -stream writes it
    ],
)
def test_valid_signatures(
    openssl_pki: OpensslPki, signature: str, detached: bool, pem: bool
) -> None:
    content = "content.bin" if detached else None
    assert openssl_pki.openssl_verifies(signature, content=content, ca_file="ca.crt", pem=pem)
    assert _verify(openssl_pki, signature, content) == (Status.VALID, None)


def test_cosigned(openssl_pki: OpensslPki) -> None:
    assert openssl_pki.openssl_verifies("cosigned.der", content="content.bin", ca_file="ca.crt")
    report = verify(
        openssl_pki.path("content.bin").read_bytes(),
        openssl_pki.path("cosigned.der").read_bytes(),
        trust_anchors=[openssl_pki.path("ca.crt").read_bytes()],
    )
    assert report.status is Status.VALID
    surnames = [s.certificate.fields.surname for s in report.signers if s.certificate]
    assert sorted(surnames, key=str) == ["Иванов", "Петров"]


def test_tampered_content(openssl_pki: OpensslPki) -> None:
    assert not openssl_pki.openssl_verifies(
        "detached.der", content="tampered.bin", ca_file="ca.crt"
    )
    assert _verify(openssl_pki, "detached.der", "tampered.bin") == (
        Status.INVALID,
        Reason.DIGEST_MISMATCH,
    )
    # Without signed attributes there is no digest to compare: the signature itself fails.
    assert not openssl_pki.openssl_verifies("noattr.der", content="tampered.bin", ca_file="ca.crt")
    assert _verify(openssl_pki, "noattr.der", "tampered.bin") == (
        Status.INVALID,
        Reason.BAD_SIGNATURE,
    )


def test_trust_anchor_that_is_not_the_issuer(openssl_pki: OpensslPki) -> None:
    assert not openssl_pki.openssl_verifies(
        "detached.der", content="content.bin", ca_file="other.crt"
    )
    assert _verify(openssl_pki, "detached.der", "content.bin", anchor="other.crt") == (
        Status.INDETERMINATE,
        Reason.NO_CHAIN_TO_TRUST_ANCHOR,
    )


def test_expired_signer(openssl_pki: OpensslPki) -> None:
    assert not openssl_pki.openssl_verifies("expired.der", content="content.bin", ca_file="ca.crt")
    status, reason = _verify(openssl_pki, "expired.der", "content.bin")
    assert (status, reason) == (Status.INDETERMINATE, Reason.EXPIRED)


def test_revoked_signer(openssl_pki: OpensslPki) -> None:
    assert not openssl_pki.openssl_verifies(
        "revoked.der", content="content.bin", ca_file="ca_crl.pem", crl_check=True
    )
    assert _verify(openssl_pki, "revoked.der", "content.bin", crls=("crl.pem",)) == (
        Status.INVALID,
        Reason.REVOKED,
    )
    # The same CRL clears a certificate it does not list, as it does for OpenSSL.
    assert openssl_pki.openssl_verifies(
        "detached.der", content="content.bin", ca_file="ca_crl.pem", crl_check=True
    )
    assert _verify(openssl_pki, "detached.der", "content.bin", crls=("crl.pem",)) == (
        Status.VALID,
        None,
    )


def test_subject_fields_of_openssl_certificate(openssl_pki: OpensslPki) -> None:
    report = verify(
        openssl_pki.path("content.bin").read_bytes(),
        openssl_pki.path("detached.der").read_bytes(),
        trust_anchors=[openssl_pki.path("ca.crt").read_bytes()],
    )
    cert = report.signers[0].certificate
    assert cert is not None
    fields = cert.fields
    assert (fields.surname, fields.given_name, fields.patronymic) == ("Иванов", "Иван", "Петрович")
    assert fields.position == "Начальник отдела"
    assert fields.organization == "Министерство тестирования"
    assert (fields.inn, fields.snils, fields.ogrn, fields.inn_le) == (
        "123456789012",
        "11223344595",
        "1027700132195",
        "7707083893",
    )
    assert cert.issuer.startswith("CN=Тестовый УЦ")


@pytest.mark.parametrize("openssl_pki", ["rsa", "ecdsa", "gost256"], indirect=True)
def test_timestamp_token_made_by_openssl_ts(openssl_pki: OpensslPki) -> None:
    pki = openssl_pki
    if not pki.path("tsa.crt").exists():
        pki.genkey("tsa")
        pki.run(
            "req",
            *pki.engine,
            "-new",
            "-key",
            "tsa.key",
            "-subj",
            "/CN=Служба TSP/C=RU",
            "-utf8",
            "-out",
            "tsa.csr",
        )
        pki.run(
            "ca",
            *pki.engine,
            "-batch",
            "-config",
            "ca.cnf",
            "-in",
            "tsa.csr",
            "-out",
            "tsa.crt",
            "-notext",
            "-extensions",
            "tsa_cert",
        )
        pki.path("tsaserial").write_text("01\n")
    signature = pki.path("detached.der").read_bytes()
    value = cms.ContentInfo.load(signature)["content"]["signer_infos"][0]["signature"].native
    pki.path("value.bin").write_bytes(value)
    config = "ts.cnf" if pki.engine else "ca.cnf"
    digest = "-md_gost12_256" if pki.engine else "-sha256"
    pki.run("ts", "-query", "-data", "value.bin", digest, "-cert", "-out", "q.tsq", config=config)
    pki.run(
        "ts",
        "-reply",
        "-queryfile",
        "q.tsq",
        "-token_out",
        "-out",
        "token.der",
        config=config,
        check=False,
    )
    # OpenSSL accepts its token over this signature value…
    assert (
        pki.run(
            "ts",
            "-verify",
            "-data",
            "value.bin",
            "-in",
            "token.der",
            "-token_in",
            "-CAfile",
            "ca.crt",
            "-untrusted",
            "tsa.crt",
            check=False,
            config=config,
        ).returncode
        == 0
    )
    token = cms.ContentInfo.load(pki.path("token.der").read_bytes())
    stamped = add_unsigned_attribute(signature, 0, "signature_time_stamp_token", token)
    content = pki.path("content.bin").read_bytes()
    anchors = [pki.path("ca.crt").read_bytes()]
    report = verify(content, stamped, trust_anchors=anchors)
    # …and so does edmscore, taking its time as the trusted signing time.
    assert report.status is Status.VALID, report.signers[0].findings
    signer = report.signers[0]
    assert signer.signing_time_source is TimeSource.TIMESTAMP
    assert signer.signing_time is not None
    assert abs((signer.signing_time - pendulum.now("UTC")).in_seconds()) < 600
    # A token whose TSA does not chain to the trust anchors is not trusted.
    other = verify(content, stamped, trust_anchors=[*anchors, pki.path("other.crt").read_bytes()])
    assert other.signers[0].signing_time_source is TimeSource.TIMESTAMP
    untrusted = verify(content, stamped, trust_anchors=[pki.path("user.crt").read_bytes()])
    assert untrusted.signers[0].signing_time_source is TimeSource.SIGNED_ATTRIBUTE


@pytest.mark.parametrize("openssl_pki", ["rsa", "gost256"], indirect=True)
def test_altered_embedded_certificate(openssl_pki: OpensslPki) -> None:
    signature = openssl_pki.path("detached.der").read_bytes()
    original, forged = "Начальник".encode(), "Начальнак".encode()
    assert signature.count(original) == 1
    openssl_pki.path("forged.der").write_bytes(signature.replace(original, forged))
    assert not openssl_pki.openssl_verifies("forged.der", content="content.bin", ca_file="ca.crt")
    status, reason = _verify(openssl_pki, "forged.der", "content.bin")
    assert (status, reason) == (Status.INVALID, Reason.BAD_CERTIFICATE_SIGNATURE)
