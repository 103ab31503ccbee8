"""A card's signature details and check results (items 18–19), on every storage adapter."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from edmscore.directory import User
from edmscore.errors import NotFound, ValidationError
from edmscore.records import CardSignatures, RegistrationRequest, SignatureOrigin, SignatureRecord
from edmscore.records.signature_service import record_signature_in
from edmscore.registry import AccessMark, CardKind
from edmscore.signatures import SubjectFields, verify
from edmscore.signatures.evidence import add_signature_timestamp, signature_timestamp_imprint
from edmscore.signatures.ltv import verify_ltv
from edmscore.testing import make_details
from edmscore.testing.ltv import timestamp_token
from edmscore.testing.pki import TestPki

from .conftest import T0, Env

SIGNED_AT = pendulum.datetime(2024, 2, 1, 8, 0, tz="UTC")
CONTENT = "Письмо о предоставлении сведений\n".encode()


@pytest.fixture(scope="module")
def cades_t() -> tuple[bytes, bytes]:
    """A CAdES-T whose signer's certificate expired in 2025, and the root."""
    pki = TestPki.create("rsa", not_before=SIGNED_AT.subtract(years=1))
    user = pki.issue(
        SubjectFields(surname="Сидорова", given_name="Анна Викторовна", snils="11223344595"),
        not_before=SIGNED_AT.subtract(days=10),
        not_after=SIGNED_AT.add(years=1),
    )
    tsa = pki.issue(
        SubjectFields(common_name="ТСП Тестового УЦ"),
        not_before=SIGNED_AT.subtract(days=10),
        not_after=SIGNED_AT.add(years=6),
        time_stamping=True,
    )
    bes = pki.sign(CONTENT, user, signing_time=SIGNED_AT)
    token = timestamp_token(tsa, signature_timestamp_imprint(bes), at=SIGNED_AT.add(minutes=2))
    return add_signature_timestamp(bes, token), pki.root.certificate


def _card(env: Env, access: AccessMark = AccessMark.OPEN) -> str:
    details = attrs.evolve(make_details(CardKind.INCOMING, received_on=T0.date()), access=access)
    return env.records.register(
        env.world.clerk, RegistrationRequest(env.world.journal.id, details)
    ).id


def _service(env: Env) -> CardSignatures:
    return CardSignatures(env.storage, env.clock)


def test_a_checked_signature_is_kept_on_its_card(env: Env, cades_t: tuple[bytes, bytes]) -> None:
    signature, root = cades_t
    card_id = _card(env)
    report = verify_ltv(CONTENT, signature, trust_anchors=[root], at=T0)
    assert report.valid
    service = _service(env)
    recorded = service.record(env.world.clerk, card_id, signature, report, file_name="letter.pdf")
    (stored,) = service.signatures(env.world.clerk, card_id)
    assert stored == recorded
    assert stored.origin is SignatureOrigin.HOST
    assert stored.signer == "Сидорова Анна Викторовна"
    assert stored.verdict == "valid" and stored.valid
    assert stored.level == "CAdES-T"
    assert stored.signing_time == SIGNED_AT.add(minutes=2)
    assert stored.signing_time_source == "timestamp"
    assert stored.certificate_not_after == SIGNED_AT.add(years=1)
    assert stored.proof is not None and "ТСП Тестового УЦ" in stored.proof
    assert [e.kind for e in stored.evidence] == ["signature_timestamp"]
    assert stored.checked_by == env.world.clerk.id
    assert stored.check_result.startswith("Подпись действительна")
    with env.storage.unit_of_work() as uow:
        assert uow.blobs.get(stored.signature_sha256 or "") == signature
        events = [e.action for _, e in uow.audit.events(card_id)]
    assert "card.signature_checked" in events


def test_every_check_is_a_new_record(env: Env, cades_t: tuple[bytes, bytes]) -> None:
    signature, root = cades_t
    card_id = _card(env)
    service = _service(env)
    plain = verify(CONTENT, signature, trust_anchors=[root], at=T0)
    service.record(env.world.clerk, card_id, signature, plain)
    env.clock.set(T0.add(days=1))
    later = verify_ltv(CONTENT, signature, trust_anchors=[], at=T0.add(days=1))
    service.record(env.world.clerk, card_id, signature, later)
    first, second = service.signatures(env.world.clerk, card_id)
    assert first.level is None and first.verdict == "valid"
    assert second.verdict == "indeterminate" and second.reason == "no_chain_to_trust_anchor"
    assert first.checked_at < second.checked_at


def test_the_card_s_access_rules_apply(env: Env, cades_t: tuple[bytes, bytes]) -> None:
    signature, root = cades_t
    card_id = _card(env, AccessMark.DSP)
    report = verify(CONTENT, signature, trust_anchors=[root], at=T0)
    service = _service(env)
    service.record(env.world.cleared, card_id, signature, report)
    assert len(service.signatures(env.world.cleared, card_id)) == 1
    with pytest.raises(NotFound):
        service.signatures(env.world.plain, card_id)
    with pytest.raises(NotFound):
        service.record(env.world.plain, card_id, signature, report)
    stranger = User("stranger", "stranger", "another-org", roles=("registrar",))
    with env.storage.unit_of_work() as uow:
        uow.directory.put_user(stranger)
        uow.commit()
    with pytest.raises(NotFound):
        service.signatures(stranger, card_id)


def test_a_rolled_back_unit_keeps_no_record(env: Env, cades_t: tuple[bytes, bytes]) -> None:
    signature, root = cades_t
    card_id = _card(env)
    report = verify(CONTENT, signature, trust_anchors=[root], at=T0)
    service = _service(env)
    with env.storage.unit_of_work() as uow:
        actor = service._actor(uow, env.world.clerk, T0)
        record_signature_in(
            uow,
            actor,
            uow.cards.get(card_id),
            signature,
            report,
            origin=SignatureOrigin.MEDO,
            now=T0,
        )
        # no commit
    assert service.signatures(env.world.clerk, card_id) == ()


def test_a_report_without_the_signer_s_certificate_cannot_fill_the_card(
    env: Env, cades_t: tuple[bytes, bytes]
) -> None:
    signature, _ = cades_t
    card_id = _card(env)
    stripped = verify(CONTENT, signature, trust_anchors=[], at=T0)
    bare = attrs.evolve(
        stripped,
        signers=tuple(attrs.evolve(s, certificate=None) for s in stripped.signers),
    )
    with pytest.raises(ValidationError, match="certificate"):
        _service(env).record(env.world.clerk, card_id, signature, bare)
    with pytest.raises(ValidationError):
        SignatureRecord.from_report(
            stripped, id="x", card_id="c", organisation_id="o", origin=SignatureOrigin.MEDO,
            signer_index=3,
        )  # fmt: skip
