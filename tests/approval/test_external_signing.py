"""Signing a draft through an external signer: the request waits in the draft until the value
comes back (the head on a phone), on every storage adapter; the same checks as signing with a
finished signature."""

from __future__ import annotations

import pendulum
import pytest

from edmscore._ids import new_id
from edmscore.approval import (
    CmsSignatureVerifier,
    Draft,
    DraftState,
    FailureReason,
    Substitution,
    VisaDecision,
)
from edmscore.errors import (
    AccessDenied,
    SignatureRejected,
    SignatureValueInvalid,
    SignerCertificateMismatch,
    SigningRequestExpired,
    SigningRequestUnknown,
)
from edmscore.signatures import Status, SubjectFields, TimeSource, verify
from edmscore.signatures.signing import InProcessSigningService, LocalKeySigner
from edmscore.testing.ltv import timestamp_token
from edmscore.testing.pki import Identity, TestPki

from .conftest import LETTER, Ministry

VALID_FROM = pendulum.datetime(2025, 6, 1, tz="UTC")
VALID_TO = pendulum.datetime(2027, 6, 1, tz="UTC")


def _person(pki: TestPki, surname: str, given: str, patronymic: str) -> Identity:
    fields = SubjectFields(
        common_name=f"{surname} {given} {patronymic}",
        surname=surname,
        given_name=given,
        patronymic=patronymic,
    )
    return pki.issue(fields, not_before=VALID_FROM, not_after=VALID_TO)


def _awaiting(m: Ministry, pki: TestPki) -> Draft:
    m.service.verifier = CmsSignatureVerifier([pki.root.certificate])
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    draft = m.service.give_visa(m.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED)
    assert draft.state is DraftState.AWAITING_SIGNATURE
    return draft


@pytest.mark.parametrize("algorithm", ["gost256", "gost512", "rsa", "ecdsa"])
def test_the_head_signs_on_the_phone_and_the_draft_is_registered(
    ministry: Ministry, algorithm: str
) -> None:
    m = ministry
    pki = TestPki.create(algorithm, not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    minister = _person(pki, "Соколов", "Андрей", "Викторович")
    draft = _awaiting(m, pki)
    head = m.users["minister"]
    draft, request = m.service.request_signature(
        head, draft.id, draft.version, minister.certificate
    )
    # The request waits in the stored draft (read back through the adapter).
    stored = m.service.get(m.users["author"], draft.id)
    assert stored.pending_signature is not None
    assert stored.pending_signature.request_id == request.id
    assert stored.state is DraftState.AWAITING_SIGNATURE
    phone = InProcessSigningService(LocalKeySigner(minister.private_key_pem))
    phone.submit(request)
    m.clock.advance(minutes=4)
    answer = phone.answer(request.id)
    assert answer.value is not None
    signed = m.service.complete_signature(
        head, draft.id, draft.version, request.id, answer.value,
        certificate=answer.certificate, register_in=m.outgoing.id,
    )  # fmt: skip
    assert signed.state is DraftState.REGISTERED
    assert signed.pending_signature is None
    signing = signed.cycles[-1].signing
    assert signing is not None and signing.signer is not None
    assert signing.signer.surname == "Соколов"
    assert signing.signature is not None
    with m.storage.unit_of_work() as uow:
        cms_der = uow.blobs.get(signing.signature.sha256)
    report = verify(LETTER, cms_der, trust_anchors=[pki.root.certificate], at=m.clock.now())
    assert report.status is Status.VALID
    # The same answer again finds no waiting request.
    with pytest.raises(SigningRequestUnknown):
        m.service.complete_signature(head, signed.id, signed.version, request.id, answer.value)


def test_a_certificate_of_someone_else_is_refused_at_request(ministry: Ministry) -> None:
    m = ministry
    pki = TestPki.create("gost256", not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    stranger = _person(pki, "Громов", "Илья", "Павлович")
    draft = _awaiting(m, pki)
    with pytest.raises(SignatureRejected) as caught:
        m.service.request_signature(
            m.users["minister"], draft.id, draft.version, stranger.certificate
        )
    assert caught.value.failure.reason is FailureReason.SIGNER_MISMATCH  # type: ignore[attr-defined]
    with pytest.raises(AccessDenied):
        m.service.request_signature(
            m.users["lawyer"], draft.id, draft.version, stranger.certificate
        )


def test_late_tampered_and_foreign_answers_leave_the_draft_unsigned(ministry: Ministry) -> None:
    m = ministry
    pki = TestPki.create("gost256", not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    minister = _person(pki, "Соколов", "Андрей", "Викторович")
    other = _person(pki, "Соколов", "Андрей", "Викторович")  # another certificate, same man
    head = m.users["minister"]
    draft = _awaiting(m, pki)
    draft, request = m.service.request_signature(
        head, draft.id, draft.version, minister.certificate, valid_for=pendulum.duration(hours=1)
    )
    value = LocalKeySigner(minister.private_key_pem).sign(request)
    tampered = bytes([value[0] ^ 1]) + value[1:]
    with pytest.raises(SignatureValueInvalid):
        m.service.complete_signature(head, draft.id, draft.version, request.id, tampered)
    with pytest.raises(SignerCertificateMismatch):
        m.service.complete_signature(
            head, draft.id, draft.version, request.id, value, certificate=other.certificate
        )
    with pytest.raises(SigningRequestUnknown):
        m.service.complete_signature(head, draft.id, draft.version, "another-id", value)
    with pytest.raises(AccessDenied):  # only who asked may answer
        m.service.complete_signature(m.users["lawyer"], draft.id, draft.version, request.id, value)
    current = m.service.get(head, draft.id)
    assert current.state is DraftState.AWAITING_SIGNATURE
    assert current.pending_signature is not None
    m.clock.advance(hours=1)
    with pytest.raises(SigningRequestExpired):
        m.service.complete_signature(head, draft.id, draft.version, request.id, value)
    dropped = m.service.get(head, draft.id)
    assert dropped.pending_signature is None
    assert dropped.state is DraftState.AWAITING_SIGNATURE
    # A new request, then cancelled: its answer is refused.
    dropped, again = m.service.request_signature(
        head, dropped.id, dropped.version, minister.certificate
    )
    cancelled = m.service.cancel_signature_request(head, dropped.id, dropped.version, again.id)
    assert cancelled.pending_signature is None
    late = LocalKeySigner(minister.private_key_pem).sign(again)
    with pytest.raises(SigningRequestUnknown):
        m.service.complete_signature(head, cancelled.id, cancelled.version, again.id, late)


def test_a_deputy_signs_za_on_the_phone_with_a_time_stamp(ministry: Ministry) -> None:
    m = ministry
    pki = TestPki.create("gost256", not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    deputy = _person(pki, "Громов", "Илья", "Павлович")
    tsa = pki.issue(
        SubjectFields(common_name="Служба штампов времени"),
        not_before=VALID_FROM,
        not_after=VALID_TO,
        time_stamping=True,
    )
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
    draft = _awaiting(m, pki)
    actor = m.users["first_deputy"]
    draft, request = m.service.request_signature(actor, draft.id, draft.version, deputy.certificate)
    assert draft.pending_signature is not None
    assert draft.pending_signature.acting_for == m.officials["minister"].id

    class Tsa:
        def timestamp(self, digest: bytes, hash_algorithm: str) -> bytes:
            return timestamp_token(tsa, digest, hash_algorithm=hash_algorithm, at=m.clock.now())

    value = LocalKeySigner(deputy.private_key_pem).sign(request)
    signed = m.service.complete_signature(
        actor, draft.id, draft.version, request.id, value, timestamper=Tsa()
    )
    signing = signed.cycles[-1].signing
    assert signing is not None and signing.acting_for == m.officials["minister"].id
    assert signing.signature is not None
    with m.storage.unit_of_work() as uow:
        cms_der = uow.blobs.get(signing.signature.sha256)
    report = verify(LETTER, cms_der, trust_anchors=[pki.root.certificate], at=m.clock.now())
    assert report.signers[0].signing_time_source is TimeSource.TIMESTAMP
