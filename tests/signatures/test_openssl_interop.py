"""edmscore's verdict matches OpenSSL's on signatures OpenSSL made (RSA, ECDSA, GOST 256/512)."""

from __future__ import annotations

import pytest

from edmscore.signatures import Reason, Status, verify

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
