"""Signing a draft records the signature on the draft's card, and on the card it becomes."""

from __future__ import annotations

import pendulum

from edmscore.approval import CmsSignatureVerifier, DraftState, VisaDecision
from edmscore.records import CardSignatures, SignatureOrigin
from edmscore.signatures import SubjectFields
from edmscore.testing.pki import TestPki

from .conftest import LETTER, Ministry


def test_the_signature_is_recorded_on_both_cards(ministry: Ministry) -> None:
    m = ministry
    pki = TestPki.create("gost256", not_before=pendulum.datetime(2025, 1, 1, tz="UTC"))
    minister = pki.issue(
        SubjectFields(
            common_name="Соколов Андрей Викторович",
            surname="Соколов",
            given_name="Андрей",
            patronymic="Викторович",
            snils="11223344595",
        ),
        not_before=pendulum.datetime(2025, 6, 1, tz="UTC"),
        not_after=pendulum.datetime(2027, 6, 1, tz="UTC"),
    )
    m.service.verifier = CmsSignatureVerifier([pki.root.certificate])
    draft = m.create()
    draft = m.service.start_approval(m.users["author"], draft.id, draft.version, [m.spec("lawyer")])
    draft = m.service.give_visa(m.users["lawyer"], draft.id, draft.version, VisaDecision.AGREED)
    signature = pki.sign(LETTER, minister)
    signed = m.service.sign(
        m.users["minister"], draft.id, draft.version, LETTER, signature, register_in=m.outgoing.id
    )
    assert signed.state is DraftState.REGISTERED and signed.registered_card_id is not None
    cards = CardSignatures(m.storage, m.clock)
    (on_draft,) = cards.signatures(m.users["minister"], draft.id)
    (on_letter,) = cards.signatures(m.users["minister"], signed.registered_card_id)
    for record in (on_draft, on_letter):
        assert record.origin is SignatureOrigin.APPROVAL
        assert record.signer == "Соколов Андрей Викторович"
        assert record.certificate_serial == format(minister.serial, "X")
        assert record.verdict == "valid"
        assert record.checked_by == m.users["minister"].id
    assert on_draft.card_id == draft.id and on_letter.card_id == signed.registered_card_id
    assert on_letter.signature_sha256 == on_draft.signature_sha256
    with m.storage.unit_of_work() as uow:
        assert uow.blobs.get(on_draft.signature_sha256 or "") == signature
