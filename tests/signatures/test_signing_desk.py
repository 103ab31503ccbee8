"""Asynchronous signers: a request waits at the desk; late, duplicate and tampered answers."""

from __future__ import annotations

import json

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from edmscore.errors import (
    SignatureValueInvalid,
    SigningRequestExpired,
    SigningRequestUnknown,
    ValidationError,
)
from edmscore.signatures import Status, SubjectFields
from edmscore.signatures.signing import (
    InProcessSigningService,
    LocalKeySigner,
    RemoteAnswer,
    SigningDesk,
    SigningRequest,
    assemble,
)
from edmscore.testing.pki import TestPki

CONTENT = "Распоряжение о командировании\n".encode() * 100


class Clock:
    def __init__(self) -> None:
        self.at = pendulum.datetime(2026, 5, 4, 9, tz="UTC")

    def __call__(self) -> pendulum.DateTime:
        return self.at


@pytest.fixture(scope="module")
def pki() -> TestPki:
    return TestPki.create("gost256", not_before=pendulum.datetime(2026, 1, 1, tz="UTC"))


@pytest.fixture(scope="module")
def head(pki: TestPki):  # type: ignore[no-untyped-def]
    return pki.issue(
        SubjectFields(common_name="Глава", surname="Орлов"),
        not_before=pendulum.datetime(2026, 1, 1, tz="UTC"),
    )


def test_poll_before_and_after_the_phone_answers(pki: TestPki, head) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    desk = SigningDesk(trust_anchors=[pki.root.certificate], now=clock)
    phone = InProcessSigningService(LocalKeySigner(head.private_key_pem))
    request = desk.prepare(CONTENT, head.certificate)
    phone.submit(request)
    assert desk.poll(phone, request.id, CONTENT) is None
    clock.at = clock.at.add(minutes=3)
    phone.answer(request.id)
    signed = desk.poll(phone, request.id, CONTENT)
    assert signed is not None and signed.report.status is Status.VALID
    # A duplicate answer (the same value again) finds no waiting request.
    with pytest.raises(SigningRequestUnknown):
        desk.poll(phone, request.id, CONTENT)


def test_a_callback_delivers_and_a_late_answer_is_refused(pki: TestPki, head) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    desk = SigningDesk(trust_anchors=[pki.root.certificate], now=clock)
    delivered = []

    def callback(answer: RemoteAnswer) -> None:
        assert answer.value is not None
        delivered.append(desk.deliver(answer.request_id, answer.value, CONTENT))

    phone = InProcessSigningService(LocalKeySigner(head.private_key_pem), callback=callback)
    first = desk.prepare(CONTENT, head.certificate)
    phone.submit(first)
    phone.answer(first.id)
    assert delivered[0].report.status is Status.VALID
    late = desk.prepare(CONTENT, head.certificate, valid_for=pendulum.duration(minutes=10))
    phone.submit(late)
    clock.at = clock.at.add(minutes=10)
    with pytest.raises(SigningRequestExpired):
        phone.answer(late.id)
    with pytest.raises(SigningRequestUnknown):  # the expired request was dropped
        desk.pending.get(late.id)


def test_a_tampered_answer_keeps_the_request_for_the_genuine_one(pki: TestPki, head) -> None:  # type: ignore[no-untyped-def]
    desk = SigningDesk(now=Clock())
    signer = LocalKeySigner(head.private_key_pem)
    request = desk.prepare(CONTENT, head.certificate)
    value = bytearray(signer.sign(request))
    value[0] ^= 0x80
    with pytest.raises(SignatureValueInvalid):
        desk.deliver(request.id, bytes(value), CONTENT)
    assert desk.sign_with(signer, request.id, CONTENT).signature


def test_decline_and_cancel(pki: TestPki, head) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    desk = SigningDesk(now=clock)
    phone = InProcessSigningService(LocalKeySigner(head.private_key_pem))
    declined = desk.prepare(CONTENT, head.certificate)
    phone.submit(declined)
    phone.answer(declined.id, decline=True)
    with pytest.raises(SignatureValueInvalid):
        desk.poll(phone, declined.id, CONTENT)
    cancelled = desk.prepare(CONTENT, head.certificate)
    phone.submit(cancelled)
    desk.cancel(cancelled.id, phone)
    with pytest.raises(KeyError):
        phone.answer(cancelled.id)
    with pytest.raises(SigningRequestUnknown):
        desk.deliver(cancelled.id, b"\x00" * 64, CONTENT)
    old = desk.prepare(CONTENT, head.certificate)
    clock.at = clock.at.add(hours=1)
    assert desk.drop_expired() == [old.id]


@given(st.binary(max_size=300) | st.text(max_size=300))
def test_garbage_is_no_request(data: bytes | str) -> None:
    with pytest.raises(ValidationError):
        SigningRequest.from_json(data)


@given(
    st.dictionaries(
        st.sampled_from(["id", "kind", "certificate", "signed_attributes", "content_digest"]),
        st.text(max_size=20) | st.integers() | st.none(),
    )
)
def test_a_damaged_request_is_a_validation_error(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        SigningRequest.from_json(json.dumps(fields))


_ECDSA = TestPki.create("ecdsa")
_ECDSA_USER = _ECDSA.issue(SubjectFields(common_name="Свойство", surname="Свойствов"))
_ECDSA_SIGNER = LocalKeySigner(_ECDSA_USER.private_key_pem)


@given(content=st.binary(max_size=2000), detached=st.booleans(), seconds=st.integers(0, 3 * 10**9))
def test_prepare_sign_assemble_round_trip(content: bytes, detached: bool, seconds: int) -> None:
    """Any content, either form, any signing time: the CMS verifies and carries what was
    prepared (the library's parser reads back the very signed attributes)."""
    from edmscore.signatures._cms import parse_signed_data

    at = pendulum.datetime(1990, 1, 1, tz="UTC").add(seconds=seconds)
    request = _prepare(content, detached, at)
    signed = assemble(
        request,
        _ECDSA_SIGNER.sign(request),
        content,
        at=at,
        trust_anchors=[_ECDSA.root.certificate],
    )
    parsed = parse_signed_data(signed.signature)
    assert parsed.signers[0].signed_attrs == request.to_be_signed
    assert parsed.signers[0].signing_time == at
    assert (parsed.content is None) is detached
    assert signed.signer.findings == () or all(
        f.reason.value in ("not_yet_valid", "expired") for f in signed.signer.findings
    )


def _prepare(content: bytes, detached: bool, at: pendulum.DateTime) -> SigningRequest:
    from edmscore.signatures.signing import prepare

    return prepare(content, _ECDSA_USER.certificate, detached=detached, at=at)
