"""Signing with CMS signatures of TestPki and OpenSSL: the certificate must name the signer."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore._ids import new_id
from edmscore.approval import (
    CmsSignatureVerifier,
    Draft,
    DraftState,
    FailureReason,
    SignerInfo,
    Substitution,
    VerificationFailure,
    VisaDecision,
    normalise_name,
    signer_mismatch,
)
from edmscore.directory import Official, PersonName
from edmscore.errors import SignatureRejected
from edmscore.signatures import SubjectFields
from edmscore.testing.pki import Identity, TestPki

from .conftest import LETTER, Ministry

AT = pendulum.datetime(2026, 3, 2, 12, tz="UTC")
VALID_FROM = pendulum.datetime(2025, 6, 1, tz="UTC")
VALID_TO = pendulum.datetime(2027, 6, 1, tz="UTC")


def _person(pki: TestPki, surname: str, given: str, patronymic: str, snils: str) -> Identity:
    fields = SubjectFields(
        common_name=f"{surname} {given} {patronymic}",
        surname=surname,
        given_name=given,
        patronymic=patronymic,
        snils=snils,
    )
    return pki.issue(fields, not_before=VALID_FROM, not_after=VALID_TO)


def _awaiting(m: Ministry) -> Draft:
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    draft = m.service.give_visa(m.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED)
    assert draft.state is DraftState.AWAITING_SIGNATURE
    return draft


@pytest.mark.parametrize("algorithm", ["gost256", "rsa"])
def test_the_signatory_s_own_cms_signature_is_accepted_another_s_refused(
    ministry: Ministry, algorithm: str
) -> None:
    m = ministry
    pki = TestPki.create(algorithm, not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    minister = _person(pki, "Соколов", "Андрей", "Викторович", "11223344595")
    deputy = _person(pki, "Громов", "Илья", "Павлович", "08765430300")
    m.service.verifier = CmsSignatureVerifier([pki.root.certificate])
    draft = _awaiting(m)
    with pytest.raises(SignatureRejected) as caught:
        m.service.sign(
            m.users["minister"], draft.id, draft.version, LETTER, pki.sign(LETTER, deputy)
        )
    failure = caught.value.failure
    assert isinstance(failure, VerificationFailure)
    assert failure.reason is FailureReason.SIGNER_MISMATCH
    assert "Громов" in failure.detail and "Соколов" in failure.detail
    assert m.service.get(m.users["author"], draft.id).state is DraftState.AWAITING_SIGNATURE
    signed = m.service.sign(
        m.users["minister"],
        draft.id,
        draft.version,
        LETTER,
        pki.sign(LETTER, minister),
        register_in=m.outgoing.id,
    )
    assert signed.state is DraftState.REGISTERED
    signing = signed.cycles[-1].signing
    assert signing is not None and signing.signer is not None
    signer = signing.signer
    assert (signer.surname, signer.given_names, signer.snils) == (
        "Соколов",
        "Андрей Викторович",
        "11223344595",
    )
    assert signer.serial_number == format(minister.serial, "X")


@pytest.mark.parametrize("algorithm", ["gost256", "rsa"])
def test_a_deputy_signs_for_the_signatory_with_the_deputy_s_own_certificate(
    ministry: Ministry, algorithm: str
) -> None:
    m = ministry
    pki = TestPki.create(algorithm, not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    minister = _person(pki, "Соколов", "Андрей", "Викторович", "11223344595")
    deputy = _person(pki, "ГРОМОВ", "Илья", "Павлович", "08765430300")
    m.service.verifier = CmsSignatureVerifier([pki.root.certificate])
    day = pendulum.Date(2026, 3, 2)
    m.service.put_substitution(
        m.admin,
        Substitution(
            new_id(),
            m.organisation.id,
            m.officials["minister"].id,
            m.officials["first_deputy"].id,
            day,
            day.add(days=10),
            "Командировка",
        ),
    )
    draft = _awaiting(m)
    actor = m.users["first_deputy"]
    with pytest.raises(SignatureRejected) as caught:
        m.service.sign(actor, draft.id, draft.version, LETTER, pki.sign(LETTER, minister))
    assert caught.value.failure.reason is FailureReason.SIGNER_MISMATCH  # type: ignore[attr-defined]
    signed = m.service.sign(actor, draft.id, draft.version, LETTER, pki.sign(LETTER, deputy))
    signing = signed.cycles[-1].signing
    assert signing is not None and signing.acting_for == m.officials["minister"].id
    assert signing.signer is not None and signing.signer.surname == "ГРОМОВ"


def test_report_outcomes_map_to_the_port_s_reasons() -> None:
    pki = TestPki.create("rsa", not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    other = TestPki.create("rsa", not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    user = _person(pki, "Соколов", "Андрей", "Викторович", "11223344595")
    revoked = _person(pki, "Орлова", "Мария", "Петровна", "11223344595")
    pki.revoke(revoked, pendulum.datetime(2026, 1, 1, tz="UTC"))
    crl = pki.crl(
        this_update=pendulum.datetime(2026, 3, 1, tz="UTC"),
        next_update=pendulum.datetime(2029, 1, 1, tz="UTC"),
    )
    verifier = CmsSignatureVerifier([pki.root.certificate], crls=[crl])
    signature = pki.sign(LETTER, user)

    def reason(sig: bytes, content: bytes = LETTER, at: pendulum.DateTime = AT) -> object:
        result = verifier.verify_detached(sig, content, at)
        return result.reason if isinstance(result, VerificationFailure) else result

    assert isinstance(reason(signature), SignerInfo)
    assert reason(signature, b"%PDF-1.7 other") is FailureReason.INVALID_SIGNATURE
    assert reason(signature, at=pendulum.datetime(2028, 1, 1, tz="UTC")) is (
        FailureReason.CERTIFICATE_EXPIRED
    )
    assert reason(pki.sign(LETTER, revoked)) is FailureReason.REVOKED
    assert reason(b"not a signature") is FailureReason.MALFORMED
    assert reason(b"") is FailureReason.MALFORMED
    stranger = other.issue(SubjectFields(surname="Чужой", given_name="Иван"), not_before=VALID_FROM)
    assert reason(other.sign(LETTER, stranger)) is FailureReason.UNTRUSTED


# --- a signature made by the openssl command ---------------------------------------------------


def _require_openssl() -> None:
    if shutil.which("openssl") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the openssl command is required when CI=true")
        pytest.skip("the openssl command is not installed")


def _openssl(folder: Path, *args: str) -> None:
    result = subprocess.run(["openssl", *args], cwd=folder, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode(errors="replace")


def _openssl_user(folder: Path, name: str, subject: str) -> None:
    _openssl(
        folder,
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        f"{name}.key",
    )
    _openssl(
        folder,
        *("req", "-new", "-key", f"{name}.key", "-utf8", "-subj", subject, "-out", f"{name}.csr"),
    )
    (folder / "usr.ext").write_text("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n")
    _openssl(
        folder,
        *("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key"),
        *("-CAcreateserial", "-days", "30", "-extfile", "usr.ext", "-out", f"{name}.crt"),
    )


def test_a_signature_made_by_openssl_cms_sign_is_checked_against_the_signer(
    ministry: Ministry, tmp_path: Path
) -> None:
    _require_openssl()
    _openssl(
        tmp_path,
        *("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt"),
        *("-days", "30", "-utf8", "-subj", "/CN=Тестовый УЦ/O=Тестовый УЦ/C=RU"),
        *("-addext", "basicConstraints=critical,CA:TRUE"),
        *("-addext", "keyUsage=critical,keyCertSign,cRLSign"),
    )
    _openssl_user(
        tmp_path,
        "minister",
        "/CN=Соколов Андрей Викторович/SN=Соколов/GN=Андрей Викторович/SNILS=11223344595/C=RU",
    )
    _openssl_user(tmp_path, "other", "/CN=Громов Илья Павлович/SN=Громов/GN=Илья Павлович/C=RU")
    (tmp_path / "letter.pdf").write_bytes(LETTER)
    for name in ("minister", "other"):
        _openssl(
            tmp_path,
            *("cms", "-sign", "-binary", "-in", "letter.pdf", "-outform", "DER"),
            *("-signer", f"{name}.crt", "-inkey", f"{name}.key", "-out", f"{name}.p7s"),
        )
    m = ministry
    m.clock.set(pendulum.now("UTC"))  # the OpenSSL certificates are valid from now on
    m.service.verifier = CmsSignatureVerifier([(tmp_path / "ca.crt").read_bytes()])
    draft = _awaiting(m)
    with pytest.raises(SignatureRejected) as caught:
        m.service.sign(
            m.users["minister"],
            draft.id,
            draft.version,
            LETTER,
            (tmp_path / "other.p7s").read_bytes(),
        )
    assert caught.value.failure.reason is FailureReason.SIGNER_MISMATCH  # type: ignore[attr-defined]
    signed = m.service.sign(
        m.users["minister"],
        draft.id,
        draft.version,
        LETTER,
        (tmp_path / "minister.p7s").read_bytes(),
    )
    signing = signed.cycles[-1].signing
    assert signing is not None and signing.signer is not None
    assert signing.signer.given_names == "Андрей Викторович"
    assert signing.signer.snils == "11223344595"


# --- the name rule -----------------------------------------------------------------------------


def _signer(surname: str | None, given_names: str | None) -> SignerInfo:
    return SignerInfo("CN=x", "1A", "CN=CA", VALID_FROM, VALID_TO, "0" * 64, surname, given_names)


OFFICIAL = Official("o1", "org", PersonName("Семёнов", "Пётр", "Алексеевич"), "Министр")


def test_names_compare_without_case_and_with_ё_as_е() -> None:
    matching: list[tuple[str | None, str | None]] = [
        ("СЕМЕНОВ", "пётр алексеевич"),
        ("семёнов", "Петр"),  # no patronymic on the certificate: not compared
        (" Семенов ", "ПЕТР  АЛЕКСЕЕВИЧ"),
    ]
    for surname, names in matching:
        assert signer_mismatch(_signer(surname, names), OFFICIAL) is None
    other: list[tuple[str | None, str | None]] = [
        ("Семенова", "Петр Алексеевич"),
        ("Семенов", "Павел Алексеевич"),
        ("Семенов", "Петр Андреевич"),
        (None, None),
    ]
    for surname, names in other:
        failure = signer_mismatch(_signer(surname, names), OFFICIAL)
        assert failure is not None and failure.reason is FailureReason.SIGNER_MISMATCH


@given(st.text(alphabet="АБВЕЁЖабвеёж -", min_size=1, max_size=20))
def test_normalisation_is_idempotent_and_case_blind(value: str) -> None:
    once = normalise_name(value)
    assert normalise_name(once) == once
    assert normalise_name(value.upper()) == normalise_name(value.lower()) == once
    assert "ё" not in once


_NAME = st.text(alphabet="АБВГДЕЁЖЗИКЛМНОПРСТабвгдеёжзиклмнопрст", min_size=2, max_size=12)


def _variant(value: str, upper: bool) -> str:
    swapped = value.replace("е", "ё").replace("Е", "Ё") if upper else value.replace("ё", "е")
    return swapped.upper() if upper else swapped.lower()


@given(_NAME, _NAME, _NAME, st.booleans(), st.booleans())
def test_a_certificate_of_the_same_name_matches_another_surname_does_not(
    surname: str, first: str, patronymic: str, upper: bool, with_patronymic: bool
) -> None:
    official = Official("o1", "org", PersonName(surname, first, patronymic), "Министр")
    given_names = f"{_variant(first, upper)} {_variant(patronymic, not upper)}"
    names = given_names if with_patronymic else _variant(first, upper)
    assert signer_mismatch(_signer(_variant(surname, upper), names), official) is None
    other = surname + "ин"
    failure = signer_mismatch(_signer(other, names), official)
    assert failure is not None and failure.reason is FailureReason.SIGNER_MISMATCH
