"""Mark values: validation, printed lines, data from certificates and from a signer."""

from __future__ import annotations

import datetime
import os
import subprocess
from typing import Any

import attrs
import pendulum
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import given
from hypothesis import strategies as st

from edmscore.errors import ValidationError
from edmscore.pdf import (
    CodeMark,
    ESignatureMark,
    Facsimile,
    RegistrationMark,
    RestrictionMark,
    SignatureMarkData,
    SignerLike,
)

from .conftest import need_tool


def _certificate(names: list[x509.NameAttribute], serial: int) -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(names)
    start = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=456))
        .sign(key, hashes.SHA256())
    )


def test_lines_are_the_gost_layout(mark_data: SignatureMarkData) -> None:
    assert mark_data.lines() == (
        "Сертификат 01d5a0e1c2b3a4f5e6d7c8b9a0f1e2d3",
        "Владелец Петров Пётр Петрович",
        "Действителен с 01.03.2025 по 01.06.2026",
    )


@given(st.integers(min_value=1, max_value=2**159))
def test_serial_is_normalised_from_any_spelling(serial: int) -> None:
    plain = format(serial, "x")
    even = format(serial, "X").zfill(len(plain) + len(plain) % 2)
    colons = ":".join(even[i : i + 2] for i in range(0, len(even), 2))
    start, end = pendulum.date(2025, 1, 1), pendulum.date(2025, 2, 1)
    one = SignatureMarkData(plain, "Иванов И.И.", start, end)
    two = SignatureMarkData("0x" + colons, "Иванов И.И.", start, end)
    assert int(one.serial_hex, 16) == int(two.serial_hex, 16) == serial


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("serial_hex", {"serial_hex": "xyz"}),
        ("owner", {"owner": "  "}),
        ("owner", {"owner": "Иванов\nИван"}),
        ("valid_to", {"valid_to": pendulum.date(2024, 1, 1)}),
    ],
)
def test_bad_mark_data_names_the_field(
    mark_data: SignatureMarkData, field: str, changes: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(mark_data, **changes)
    assert caught.value.field == field


def test_datetimes_become_dates() -> None:
    data = SignatureMarkData(
        "ab", "Иванов И.И.", pendulum.datetime(2025, 1, 1, 23, 0), pendulum.datetime(2025, 2, 1)
    )
    assert data.valid_from == pendulum.date(2025, 1, 1)


def test_other_marks_print_russian_lines() -> None:
    date = pendulum.date(2026, 11, 25)
    assert RegistrationMark("01-15/123", date).lines() == ("№ 01-15/123 от 25.11.2026",)
    received = RegistrationMark("457", date, organisation="Минфин области", received=True)
    assert received.lines() == ("Минфин области", "Вх. № 457", "от 25.11.2026")
    assert RestrictionMark(3).lines() == ("Для служебного пользования", "Экз. № 3")
    assert RestrictionMark().lines()[1] == "Экз. № __"


def test_other_marks_validate_their_input() -> None:
    with pytest.raises(ValidationError):
        RestrictionMark(0)
    with pytest.raises(ValidationError):
        CodeMark("")
    with pytest.raises(ValidationError):
        RegistrationMark("", pendulum.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        Facsimile(b"x", width_mm=0)
    with pytest.raises(ValidationError):
        ESignatureMark(
            SignatureMarkData("ab", "A", pendulum.date(2025, 1, 1), pendulum.date(2025, 1, 2)),
            width_mm=500,
        )


def test_certificate_with_surname_and_given_name() -> None:
    cert = _certificate(
        [
            x509.NameAttribute(NameOID.SURNAME, "Петров"),
            x509.NameAttribute(NameOID.GIVEN_NAME, "Пётр Петрович"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Министерство финансов области"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Министерство финансов области"),
            x509.NameAttribute(NameOID.TITLE, "Министр"),
        ],
        serial=0x4E3A9F00C1,
    )
    for encoding in (serialization.Encoding.PEM, serialization.Encoding.DER):
        data = SignatureMarkData.from_certificate(cert.public_bytes(encoding))
        assert data.owner == "Петров Пётр Петрович"
        assert data.serial_hex == "4e3a9f00c1"
        # 09:00 UTC is 12:00 in Moscow: the dates are the Moscow ones.
        assert data.valid_from == pendulum.date(2025, 3, 1)
        assert data.valid_to == pendulum.date(2026, 5, 31)
        assert data.organisation == "Министерство финансов области"
        assert data.position == "Министр"


def test_certificate_with_common_name_only() -> None:
    cert = _certificate([x509.NameAttribute(NameOID.COMMON_NAME, "Сидоров С.С.")], serial=7)
    data = SignatureMarkData.from_certificate(cert.public_bytes(serialization.Encoding.PEM))
    assert (data.owner, data.serial_hex, data.organisation) == ("Сидоров С.С.", "7", None)


@pytest.mark.parametrize("junk", [b"", b"-----BEGIN CERTIFICATE-----\nAAAA\n", b"\x30\x03\x02\x01"])
def test_unreadable_certificate_is_a_validation_error(junk: bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        SignatureMarkData.from_certificate(junk)
    assert caught.value.field == "certificate"


def test_gost_certificate_made_by_openssl(tmp_path: object) -> None:
    """A GOST R 34.10-2012 certificate: cryptography still reads its subject and validity."""
    openssl = need_tool("openssl")
    probe = subprocess.run([openssl, "engine", "gost"], capture_output=True, text=True)
    if probe.returncode != 0:
        message = "the OpenSSL GOST engine (libengine-gost-openssl) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    folder = str(tmp_path)
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-engine",
            "gost",
            "-newkey",
            "gost2012_256",
            "-pkeyopt",
            "paramset:A",
            "-nodes",
            "-keyout",
            f"{folder}/key.pem",
            "-out",
            f"{folder}/cert.pem",
            "-days",
            "365",
            "-set_serial",
            "0x1f2e3d4c5b6a",
            "-md_gost12_256",
            "-utf8",
            "-subj",
            "/SN=Иванов/GN=Иван Иванович/O=Правительство области/title=Губернатор",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    with open(f"{folder}/cert.pem", "rb") as handle:
        data = SignatureMarkData.from_certificate(handle.read())
    assert data.owner == "Иванов Иван Иванович"
    assert data.serial_hex == "1f2e3d4c5b6a"
    assert data.organisation == "Правительство области"
    assert data.position == "Губернатор"
    assert (data.valid_to - data.valid_from).in_days() in (364, 365)


@attrs.frozen
class _ReportSigner:
    """Shaped like a verification report's signer; edmscore.pdf does not import it."""

    certificate_serial_hex: str
    owner_full_name: str
    valid_from: pendulum.DateTime
    valid_to: pendulum.DateTime
    organisation: str | None = None
    position: str | None = None


def test_any_signer_shaped_object_plugs_in() -> None:
    signer = _ReportSigner(
        "00A1B2",
        "Сидорова Анна Павловна",
        pendulum.datetime(2025, 1, 10, 8),
        pendulum.datetime(2026, 1, 10, 8),
        position="Заместитель министра",
    )
    assert isinstance(signer, SignerLike)
    data = SignatureMarkData.from_signer(signer)
    assert data.serial_hex == "00a1b2"
    assert data.lines()[2] == "Действителен с 10.01.2025 по 10.01.2026"
    assert data.position == "Заместитель министра"


def test_data_of_every_signer_of_a_verification_report() -> None:
    from edmscore.signatures import SubjectFields, verify
    from edmscore.testing.pki import TestPki

    pki = TestPki.create()
    first = pki.issue(
        SubjectFields(
            surname="Петров",
            given_name="Пётр",
            patronymic="Петрович",
            organization="Министерство финансов области",
            position="Министр",
        )
    )
    second = pki.issue(SubjectFields(common_name="Сидорова А.П."))
    content = b"%PDF-1.7 the signed document"
    signature = pki.sign(content, first, cosigners=[second])
    root = pki.root.certificate_pem
    report = verify(content, signature, trust_anchors=[root() if callable(root) else root])
    assert report.valid
    one, two = SignatureMarkData.from_report(report)
    assert one.owner == "Петров Пётр Петрович"
    assert one.organisation == "Министерство финансов области"
    assert one.position == "Министр"
    assert int(one.serial_hex, 16) == first.serial
    assert two.owner == "Сидорова А.П."
    assert one.valid_from <= pendulum.today("Europe/Moscow").date() <= one.valid_to
