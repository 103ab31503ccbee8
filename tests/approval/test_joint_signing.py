"""Drafts with several signatories: co-signers of a joint document (совместный документ) and a
countersigner (заверительная подпись), each signing with a finished signature or through the
signing port; one CMS gathers every signer, judged by the library and by OpenSSL."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pendulum
import pytest

from edmscore.approval import (
    CmsSignatureVerifier,
    Draft,
    DraftState,
    SignatorySpec,
    StageMode,
    VisaDecision,
    draft_problems,
)
from edmscore.errors import AccessDenied, ApprovalStateError, RouteError, SignatureRejected
from edmscore.signatures import Status, SubjectFields, verify
from edmscore.signatures.signing import (
    LocalKeySigner,
    assemble,
    prepare,
    prepare_countersignature,
)
from edmscore.testing.pki import Identity, TestPki

from .conftest import LETTER, Ministry

VALID_FROM = pendulum.datetime(2025, 6, 1, tz="UTC")
VALID_TO = pendulum.datetime(2027, 6, 1, tz="UTC")
NAMES = {
    "minister": ("Соколов", "Андрей", "Викторович"),
    "dep1": ("Зуев", "Павел", "Олегович"),
    "dep2": ("Лаптева", "Ольга", "Ивановна"),
    "finance": ("Белов", "Игорь", "Андреевич"),
}


def _people(algorithm: str) -> tuple[TestPki, dict[str, Identity]]:
    pki = TestPki.create(algorithm, not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    people = {}
    for key, (surname, given, patronymic) in NAMES.items():
        fields = SubjectFields(
            common_name=f"{surname} {given} {patronymic}",
            surname=surname,
            given_name=given,
            patronymic=patronymic,
        )
        people[key] = pki.issue(fields, not_before=VALID_FROM, not_after=VALID_TO)
    return pki, people


def _awaiting(
    m: Ministry,
    pki: TestPki,
    co: tuple[SignatorySpec, ...],
    order: StageMode = StageMode.PARALLEL,
) -> Draft:
    m.service.verifier = CmsSignatureVerifier([pki.root.certificate])
    draft = m.create()
    draft = m.service.start_approval(
        m.users["author"], draft.id, draft.version, [m.spec("lawyer")],
        co_signatories=co, signing_order=order,
    )  # fmt: skip
    draft = m.service.give_visa(m.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED)
    assert draft.state is DraftState.AWAITING_SIGNATURE
    return draft


def _finished(person: Identity, at: pendulum.DateTime) -> bytes:
    """A detached signature made apart, as a token's program hands it over."""
    request = prepare(LETTER, person.certificate, at=at)
    return assemble(
        request, LocalKeySigner(person.private_key_pem).sign(request), LETTER, at=at
    ).signature


def _joint(m: Ministry, draft: Draft) -> bytes:
    cycle = draft.cycles[-1]
    assert cycle.latest_signature is not None
    with m.storage.unit_of_work() as uow:
        return uow.blobs.get(cycle.latest_signature.sha256)


def _openssl_verifies(tmp: Path, signature: bytes, root_pem: bytes, gost: bool) -> bool:
    (tmp / "sig.der").write_bytes(signature)
    (tmp / "root.pem").write_bytes(root_pem)
    (tmp / "content.bin").write_bytes(LETTER)
    args = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp / "sig.der")]
    args += ["-CAfile", str(tmp / "root.pem"), "-content", str(tmp / "content.bin")]
    args += ["-out", str(tmp / "out.bin")]
    if gost:
        args += ["-engine", "gost"]
    done = subprocess.run(args, capture_output=True, check=False)
    return done.returncode == 0 and (tmp / "out.bin").read_bytes() == LETTER


def _openssl_prints(tmp: Path, signature: bytes) -> str:
    (tmp / "print.der").write_bytes(signature)
    done = subprocess.run(
        ["openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", str(tmp / "print.der")],
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8", "replace")


def _require_openssl(algorithm: str) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    if algorithm.startswith("gost"):
        probe = subprocess.run(
            ["openssl", "engine", "gost"], capture_output=True, check=False, text=True
        )
        if probe.returncode != 0:
            pytest.skip("OpenSSL's GOST engine is not installed")


@pytest.mark.parametrize("algorithm", ["gost256", "ecdsa"])
def test_three_co_signers_sign_a_joint_document_in_any_order(
    ministry: Ministry, algorithm: str, tmp_path: Path
) -> None:
    m = ministry
    pki, people = _people(algorithm)
    co = (SignatorySpec(m.officials["dep1"].id), SignatorySpec(m.officials["dep2"].id))
    draft = _awaiting(m, pki, co)
    # Every co-signer is asked at once: three requests wait in the draft together.
    draft, minister_request = m.service.request_signature(
        m.users["minister"], draft.id, draft.version, people["minister"].certificate
    )
    draft, dep1_request = m.service.request_signature(
        m.users["dep1"], draft.id, draft.version, people["dep1"].certificate
    )
    assert {p.request_id for p in draft.pending_signatures} == {
        minister_request.id,
        dep1_request.id,
    }
    # The second deputy signs first, with a finished signature.
    draft = m.service.sign(
        m.users["dep2"], draft.id, draft.version, LETTER, _finished(people["dep2"], m.clock.now())
    )
    assert draft.state is DraftState.AWAITING_SIGNATURE
    assert len(draft.pending_signatures) == 2
    # The minister's phone answers.
    value = LocalKeySigner(people["minister"].private_key_pem).sign(minister_request)
    draft = m.service.complete_signature(
        m.users["minister"], draft.id, draft.version, minister_request.id, value,
        register_in=m.outgoing.id,
    )  # fmt: skip
    assert draft.state is DraftState.AWAITING_SIGNATURE  # not registered: one signature is missing
    assert draft.registered_card_id is None
    # The last co-signer's value comes: signed and registered in the same step.
    value = LocalKeySigner(people["dep1"].private_key_pem).sign(dep1_request)
    draft = m.service.complete_signature(
        m.users["dep1"], draft.id, draft.version, dep1_request.id, value,
        register_in=m.outgoing.id,
    )  # fmt: skip
    assert draft.state is DraftState.REGISTERED
    assert draft.pending_signatures == ()
    assert draft_problems(draft) == ()
    cycle = draft.cycles[-1]
    assert [d.signatory_id for d in cycle.signatures] == [
        m.officials[k].id for k in ("dep2", "minister", "dep1")
    ]
    joint = _joint(m, draft)
    report = verify(LETTER, joint, trust_anchors=[pki.root.certificate], at=m.clock.now())
    assert report.status is Status.VALID
    surnames = sorted(s.certificate.fields.surname or "" for s in report.signers if s.certificate)
    assert surnames == ["Зуев", "Лаптева", "Соколов"]
    _require_openssl(algorithm)
    assert _openssl_verifies(tmp_path, joint, pki.root.certificate_pem, algorithm != "ecdsa")
    # The registered card carries the joint CMS and names every signatory.
    assert draft.registered_card_id is not None
    card = m.records.get(m.admin, draft.registered_card_id)
    assert [s.official_id for s in card.details.signatories] == [
        m.officials[k].id for k in ("minister", "dep1", "dep2")
    ]
    signatures = [f for f in card.details.files if f.name.endswith(".sig")]
    assert [f.sha256 for f in signatures] == [cycle.signatures[-1].signature.sha256]  # type: ignore[union-attr]


@pytest.mark.parametrize("algorithm", ["gost256", "rsa"])
def test_the_chief_accountant_countersigns_the_head_s_signature(
    ministry: Ministry, algorithm: str, tmp_path: Path
) -> None:
    m = ministry
    pki, people = _people(algorithm)
    minister, finance = m.officials["minister"].id, m.officials["finance"].id
    draft = _awaiting(m, pki, (SignatorySpec(finance, countersigns=minister),))
    # The countersigner waits for the signature they countersign.
    with pytest.raises(ApprovalStateError):
        m.service.request_signature(
            m.users["finance"], draft.id, draft.version, people["finance"].certificate
        )
    draft = m.service.sign(
        m.users["minister"], draft.id, draft.version, LETTER,
        _finished(people["minister"], m.clock.now()),
    )  # fmt: skip
    assert draft.state is DraftState.AWAITING_SIGNATURE
    draft, request = m.service.request_signature(
        m.users["finance"], draft.id, draft.version, people["finance"].certificate
    )
    value = LocalKeySigner(people["finance"].private_key_pem).sign(request)
    draft = m.service.complete_signature(
        m.users["finance"], draft.id, draft.version, request.id, value, register_in=m.outgoing.id
    )
    assert draft.state is DraftState.REGISTERED
    assert draft_problems(draft) == ()
    joint = _joint(m, draft)
    report = verify(LETTER, joint, trust_anchors=[pki.root.certificate], at=m.clock.now())
    assert report.status is Status.VALID
    [head] = report.signers
    assert head.certificate is not None and head.certificate.fields.surname == "Соколов"
    [counter] = head.countersignatures
    assert counter.status is Status.VALID
    assert counter.certificate is not None and counter.certificate.fields.surname == "Белов"
    _require_openssl(algorithm)
    assert _openssl_verifies(tmp_path, joint, pki.root.certificate_pem, algorithm != "rsa")
    printed = _openssl_prints(tmp_path, joint)
    assert "pkcs9_countersignature" in printed or "1.2.840.113549.1.9.6" in printed


def test_a_finished_countersignature_and_a_co_signature_in_order(ministry: Ministry) -> None:
    """Sequential order: the minister, the deputy co-signer, then the countersigner of the
    deputy's signature, who hands a CMS made apart from the joint one."""
    m = ministry
    pki, people = _people("ecdsa")
    dep1, finance = m.officials["dep1"].id, m.officials["finance"].id
    co = (SignatorySpec(dep1), SignatorySpec(finance, countersigns=dep1))
    draft = _awaiting(m, pki, co, StageMode.SEQUENTIAL)
    at = m.clock.now()
    with pytest.raises(ApprovalStateError, match="order"):
        m.service.sign(
            m.users["dep1"], draft.id, draft.version, LETTER, _finished(people["dep1"], at)
        )
    draft = m.service.sign(
        m.users["minister"], draft.id, draft.version, LETTER, _finished(people["minister"], at)
    )
    with pytest.raises(ApprovalStateError, match="signed already"):
        m.service.sign(
            m.users["minister"], draft.id, draft.version, LETTER, _finished(people["minister"], at)
        )
    draft = m.service.sign(
        m.users["dep1"], draft.id, draft.version, LETTER, _finished(people["dep1"], at)
    )
    joint = _joint(m, draft)
    deputy_value = draft.cycles[-1].signatures[-1].value_sha256
    index = next(
        i
        for i, s in enumerate(verify(LETTER, joint, trust_anchors=[], at=at).signers)
        if s.certificate is not None and s.certificate.fields.surname == "Зуев"
    )
    # A countersignature on the minister's signature instead is refused: the seat is the deputy's.
    wrong = prepare_countersignature(joint, people["finance"].certificate, index=1 - index, at=at)
    wrong_cms = assemble(
        wrong, LocalKeySigner(people["finance"].private_key_pem).sign(wrong), LETTER, at=at
    )
    with pytest.raises(SignatureRejected):
        m.service.sign(m.users["finance"], draft.id, draft.version, LETTER, wrong_cms.signature)
    # A co-signature where a countersignature is due is refused too.
    with pytest.raises(SignatureRejected):
        m.service.sign(
            m.users["finance"], draft.id, draft.version, LETTER, _finished(people["finance"], at)
        )
    request = prepare_countersignature(joint, people["finance"].certificate, index=index, at=at)
    made = assemble(
        request, LocalKeySigner(people["finance"].private_key_pem).sign(request), LETTER, at=at
    )
    draft = m.service.sign(m.users["finance"], draft.id, draft.version, LETTER, made.signature)
    assert draft.state is DraftState.SIGNED
    assert deputy_value is not None
    report = verify(LETTER, _joint(m, draft), trust_anchors=[pki.root.certificate], at=at)
    assert report.status is Status.VALID
    countersigned = [s for s in report.signers if s.countersignatures]
    assert len(countersigned) == 1 and countersigned[0].certificate is not None
    assert countersigned[0].certificate.fields.surname == "Зуев"
    rows = m.service.sheet(m.users["author"], draft.id).cycles[-1].rows
    signing_rows = [r for r in rows if r.stage.startswith("Подписание")]
    assert [r.participant for r in signing_rows] == ["Соколов А.В.", "Зуев П.О.", "Белов И.А."]
    assert all(r.decision == "Подписано" for r in signing_rows)
    assert "заверяет подпись: Зуев П.О." in signing_rows[2].stage


def test_one_refusal_returns_the_draft_and_cancelled_requests_are_refused(
    ministry: Ministry,
) -> None:
    m = ministry
    pki, people = _people("ecdsa")
    co = (SignatorySpec(m.officials["dep1"].id), SignatorySpec(m.officials["dep2"].id))
    draft = _awaiting(m, pki, co)
    with pytest.raises(AccessDenied):  # not a signatory
        m.service.request_signature(
            m.users["lawyer"], draft.id, draft.version, people["dep1"].certificate
        )
    draft, first = m.service.request_signature(
        m.users["dep1"], draft.id, draft.version, people["dep1"].certificate
    )
    assert [p.request_id for p in draft.pending_signatures] == [first.id]
    draft, again = m.service.request_signature(
        m.users["dep1"], draft.id, draft.version, people["dep1"].certificate
    )
    assert [p.request_id for p in draft.pending_signatures] == [again.id]  # replaced
    draft = m.service.cancel_signature_request(m.users["dep1"], draft.id, draft.version, again.id)
    assert draft.pending_signatures == ()
    draft = m.service.sign(
        m.users["minister"], draft.id, draft.version, LETTER,
        _finished(people["minister"], m.clock.now()),
    )  # fmt: skip
    draft = m.service.refuse_signing(m.users["dep2"], draft.id, draft.version, "Не согласен с п. 2")
    assert draft.state is DraftState.RETURNED
    assert draft_problems(draft) == ()
    cycle = draft.cycles[-1]
    assert len(cycle.signatures) == 1
    assert cycle.signing is not None and not cycle.signing.signed
    rows = m.service.sheet(m.users["author"], draft.id).cycles[-1].rows
    decisions = [r.decision for r in rows if r.stage.startswith("Подписание")]
    assert decisions == ["Подписано", "Не подписывал", "Отказано в подписании"]


def test_a_route_that_cannot_be_signed_is_refused(ministry: Ministry) -> None:
    m = ministry
    draft = m.create()
    minister, dep1 = m.officials["minister"].id, m.officials["dep1"].id
    bad = [
        (SignatorySpec(minister),),  # the draft's signatory twice
        (SignatorySpec(dep1, countersigns=m.officials["dep2"].id),),  # countersigns nobody
        (
            SignatorySpec(dep1, countersigns=minister),
            SignatorySpec(m.officials["dep2"].id, countersigns=dep1),
        ),
    ]
    for co in bad:
        with pytest.raises(RouteError):
            m.service.start_approval(
                m.users["author"], draft.id, draft.version, [m.spec("lawyer")], co_signatories=co
            )


def test_only_the_signatories_still_to_sign_are_overdue_and_awaiting(ministry: Ministry) -> None:
    m = ministry
    pki, people = _people("ecdsa")
    draft = _awaiting(m, pki, (SignatorySpec(m.officials["dep1"].id),))
    waiting = {d.id: i for d, s, i in m.service.awaiting(m.users["dep1"])}
    assert waiting == {draft.id: 1}  # one past the last stage, the second signatory
    draft = m.service.sign(
        m.users["minister"], draft.id, draft.version, LETTER,
        _finished(people["minister"], m.clock.now()),
    )  # fmt: skip
    assert m.service.awaiting(m.users["minister"]) == []
    m.clock.advance(days=7)
    late = [t for t in m.service.overdue(m.users["author"]) if t.signing]
    assert [(t.official_id, t.name) for t in late] == [(m.officials["dep1"].id, "Зуев П.О.")]
