"""A signature with its МЧД: the real МЧД and its real GOST signature, the document signed by
the representative it names (test PKI), every check turned against it once."""

from __future__ import annotations

import json

import pendulum
import pytest

from edmscore.signatures import Status, TrustAnchors
from edmscore.signatures.mchd import (
    PoaAction,
    PoaReason,
    RegistryAnswer,
    RegistryState,
    StaticPoaRegistry,
    find_poa,
    load_signed_poa,
    verify_with_poa,
)
from tests.signatures._corpus import accredited_ders

from ._fixtures import CORPUS, SIGNED, SIGNED_AT, head, pki, read, representative, stranger

DOCUMENT = "Товарная накладная № 17 от 10.12.2024".encode()
NUMBER = "c61a40df-d38f-4800-9ba4-61a2df016993"
INVOICES = PoaAction("Подписание товарной накладной", keywords=["товарные накладные"])
ACTIVE = StaticPoaRegistry({NUMBER: RegistryAnswer(RegistryState.ACTIVE, source="test")})


@pytest.fixture(scope="module")
def anchors() -> TrustAnchors:
    """The accredited CAs (the МЧД's real signer) and the test PKI's root (the document's)."""
    return TrustAnchors.load([*accredited_ders(), pki().root.certificate])


def _run(anchors: TrustAnchors, **changes: object):  # type: ignore[no-untyped-def]
    signer = changes.pop("signer", representative())
    when = changes.pop("when", SIGNED_AT)
    assert isinstance(when, pendulum.DateTime)
    arguments: dict[str, object] = {
        "poa": read(SIGNED),
        "poa_signature": read(f"{SIGNED}.sig"),
        "trust_anchors": anchors,
        "at": when.add(hours=1),
        "action": INVOICES,
        "registry": ACTIVE,
    }
    arguments.update(changes)
    signature = pki().sign(DOCUMENT, signer, signing_time=when)  # type: ignore[arg-type]
    return verify_with_poa(DOCUMENT, signature, **arguments)  # type: ignore[arg-type]


def _reasons(result) -> set[PoaReason]:  # type: ignore[no-untyped-def]
    return {f.reason for report in result.poa_reports for f in report.findings}


def test_the_representative_binds_the_organisation(anchors: TrustAnchors) -> None:
    result = _run(anchors, organisation_inn="7714350892")
    assert result.signature.status is Status.VALID
    assert result.poa_signature is not None
    assert result.poa_signature.status is Status.VALID  # the real ФНС-issued GOST signature
    report = result.poa_reports[0]
    assert report.findings == ()
    assert report.status is Status.VALID
    assert report.representative == "АЛФИМОВА АННА СЕРГЕЕВНА"
    assert report.poa_signer == "ТРАНДИН СЕРГЕЙ ИВАНОВИЧ"
    assert "Подписывать товарные накладные" in report.powers_matched
    assert result.binds_organisation
    assert result.status is Status.VALID
    plain = json.loads(result.to_json())
    assert plain["poa_reports"][0]["number"] == NUMBER
    assert plain["poa_reports"][0]["valid_until"] == "2025-12-03"
    assert plain["signature"]["status"] == "valid"


def test_without_a_poa_nothing_binds(anchors: TrustAnchors) -> None:
    result = _run(anchors, poa=None)
    assert result.status is Status.VALID
    assert not result.binds_organisation
    assert result.poa_number is None


@pytest.mark.parametrize(
    ("changes", "reason", "status"),
    [
        ({"signer": "stranger"}, PoaReason.REPRESENTATIVE_MISMATCH, Status.INVALID),
        ({"when": pendulum.datetime(2025, 12, 4, 1)}, PoaReason.EXPIRED, Status.INVALID),
        ({"when": pendulum.datetime(2024, 12, 2, 12)}, PoaReason.NOT_YET_VALID, Status.INVALID),
        ({"organisation_inn": "7707083893"}, PoaReason.PRINCIPAL_MISMATCH, Status.INVALID),
        (
            {"action": PoaAction("Подписание приказа", keywords=["приказ"])},
            PoaReason.POWER_MISSING,
            Status.INVALID,
        ),
        ({"registry": None}, PoaReason.REVOCATION_UNKNOWN, Status.INDETERMINATE),
        ({"registry": StaticPoaRegistry()}, PoaReason.REVOCATION_UNKNOWN, Status.INDETERMINATE),
        ({"poa_signature": None}, PoaReason.POA_SIGNATURE_UNCHECKED, Status.INDETERMINATE),
        (
            {
                "registry": StaticPoaRegistry(
                    {NUMBER: RegistryAnswer(RegistryState.REVOKED, pendulum.datetime(2024, 12, 5))}
                )
            },
            PoaReason.REVOKED,
            Status.INVALID,
        ),
    ],
)
def test_each_check_can_fail(
    anchors: TrustAnchors, changes: dict[str, object], reason: PoaReason, status: Status
) -> None:
    if changes.get("signer") == "stranger":
        changes = {**changes, "signer": stranger()}
    result = _run(anchors, **changes)
    assert reason in _reasons(result)
    assert result.status is status
    assert not result.binds_organisation


def test_revoked_after_signing_still_binds(anchors: TrustAnchors) -> None:
    later = pendulum.datetime(2025, 3, 1)
    registry = StaticPoaRegistry({NUMBER: RegistryAnswer(RegistryState.REVOKED, later)})
    result = _run(anchors, registry=registry)
    assert result.binds_organisation
    assert result.poa_reports[0].registry is RegistryState.REVOKED


def test_a_changed_poa_breaks_its_signature(anchors: TrustAnchors) -> None:
    tampered = read(SIGNED).replace("АЛФИМОВА".encode(), "АЛФИМОВВ".encode())
    result = _run(anchors, poa=tampered)
    assert PoaReason.POA_SIGNATURE_INVALID in _reasons(result)
    assert result.status is Status.INVALID


def test_a_poa_signed_by_someone_else_than_the_head(anchors: TrustAnchors) -> None:
    forged = pki().sign(read(SIGNED), stranger(), signing_time=pendulum.datetime(2024, 12, 3))
    result = _run(anchors, poa_signature=forged)
    assert result.poa_signature is not None and result.poa_signature.valid
    assert PoaReason.POA_SIGNER_NOT_HEAD in _reasons(result)
    # ... and signed by the head through the test PKI it binds again.
    honest = pki().sign(read(SIGNED), head(), signing_time=pendulum.datetime(2024, 12, 3))
    assert _run(anchors, poa_signature=honest).binds_organisation


SUBSTITUTION = (CORPUS / "schema" / "substitution_EMCHD_1.xml").read_bytes()
PARENT = read("ON_EMCHD_20250523_323e64bf-0958-4c4f-a8ea-c026ee742cb4")
PARENT_NUMBER = "323e64bf-0958-4c4f-a8ea-c026ee742cb4"
SUB_NUMBER = "0b6f3c1e-5a8d-4e7b-9c2f-1d3e5f7a9b0c"


def _substitution(anchors: TrustAnchors, passer: object, parent: bytes, **changes: object):  # type: ignore[no-untyped-def]
    when = pendulum.datetime(2025, 7, 1, 10)
    registry = StaticPoaRegistry(
        {n: RegistryAnswer(RegistryState.ACTIVE) for n in (PARENT_NUMBER, SUB_NUMBER)}
    )
    arguments: dict[str, object] = {
        "poa": SUBSTITUTION,
        "poa_signature": pki().sign(SUBSTITUTION, passer, signing_time=when),  # type: ignore[arg-type]
        "parents": [(parent, pki().sign(parent, head(), signing_time=when))],
        "registry": registry,
        "when": when,
        "action": PoaAction("Представление налоговой декларации", codes={"2_FNS02"}),
    }
    arguments.update(changes)
    return _run(anchors, **arguments)


def _bychenkov():  # type: ignore[no-untyped-def]
    from edmscore.signatures import SubjectFields

    return pki().issue(
        SubjectFields(
            surname="БЫЧЕНКОВ",
            given_name="ПАВЕЛ СЕРГЕЕВИЧ",
            snils="12647207653",
            inn="402905648441",
        ),
        not_before=pendulum.datetime(2024, 1, 1),
        not_after=pendulum.datetime(2027, 1, 1),
    )


def test_substitution_chain_binds(anchors: TrustAnchors) -> None:
    result = _substitution(anchors, _bychenkov(), PARENT)
    assert result.poa_reports[0].chain == (SUB_NUMBER, PARENT_NUMBER)
    assert result.poa_reports[0].findings == ()
    assert result.binds_organisation


def test_substitution_checks(anchors: TrustAnchors) -> None:
    by_stranger = _substitution(anchors, stranger(), PARENT)
    assert PoaReason.SUBSTITUTION_MISMATCH in _reasons(by_stranger)
    forbidding = PARENT.replace('ПрПередов="3"'.encode(), 'ПрПередов="1"'.encode())
    assert forbidding != PARENT
    forbidden = _substitution(anchors, _bychenkov(), forbidding)
    assert PoaReason.SUBSTITUTION_FORBIDDEN in _reasons(forbidden)
    missing = _substitution(anchors, _bychenkov(), PARENT, parents=[])
    assert PoaReason.PARENT_MISSING in _reasons(missing)
    assert missing.status is Status.INDETERMINATE


def test_find_poa_beside_the_signature() -> None:
    files = {
        "document.pdf": b"%PDF",
        "document.pdf.sig": b"sig",
        f"{SIGNED}.xml": read(SIGNED),
        f"{SIGNED}.sig": read(f"{SIGNED}.sig"),
    }
    found = find_poa(files)
    assert found is not None
    name, xml, sig = found
    assert name == f"{SIGNED}.xml" and xml == read(SIGNED) and sig == read(f"{SIGNED}.sig")
    assert find_poa({"document.pdf": b"%PDF"}) is None


def test_a_poa_loaded_once_backs_many_signatures(anchors: TrustAnchors) -> None:
    loaded = load_signed_poa(
        read(SIGNED), read(f"{SIGNED}.sig"), trust_anchors=anchors, at=SIGNED_AT.add(hours=1)
    )
    assert loaded.signature is not None and loaded.signature.valid
    assert loaded.checked_at == SIGNED_AT.add(hours=1)
    first = _run(anchors, poa=loaded, poa_signature=None)
    again = _run(anchors, poa=loaded, poa_signature=None, signer=stranger())
    assert first.binds_organisation
    assert first.poa_signature is loaded.signature
    assert not again.binds_organisation
