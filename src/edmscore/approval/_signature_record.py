"""The signatory's signature on the cards: the draft's card when signing, the registered card after.

What the verifier port tells (:class:`~edmscore.approval.SignerInfo`: who, which certificate) is
recorded as the signature's details and a ``valid`` check result at the moment of signing
(items 18–19 of the card, :mod:`edmscore.records.signature_records`).
"""

from __future__ import annotations

import pendulum

from edmscore._ids import new_id
from edmscore.access import Actor
from edmscore.approval._verifier import SignerInfo
from edmscore.records.ports import UnitOfWork
from edmscore.records.signature_records import SignatureOrigin, SignatureRecord
from edmscore.records.signature_service import record_signature_in, signature_records
from edmscore.registry import RegistrationCard

__all__ = ["carry_signing_record", "record_signing"]


def record_signing(
    uow: UnitOfWork,
    me: Actor,
    card: RegistrationCard,
    signature: bytes,
    signer: SignerInfo,
    file_name: str,
    now: pendulum.DateTime,
) -> SignatureRecord:
    """Record the accepted signature on the draft's card."""
    names = " ".join(p for p in (signer.surname, signer.given_names) if p)
    record = SignatureRecord(
        id=new_id(),
        card_id=card.id,
        organisation_id=card.organisation_id,
        origin=SignatureOrigin.APPROVAL,
        signer=names or signer.subject,
        certificate_serial=signer.serial_number,
        certificate_issuer=signer.issuer,
        certificate_sha256=signer.certificate_sha256,
        certificate_not_before=signer.not_before,
        certificate_not_after=signer.not_after,
        verdict="valid",
        checked_at=now,
        file_name=file_name,
    )
    return record_signature_in(
        uow, me, card, signature, record, origin=SignatureOrigin.APPROVAL, now=now
    )


def carry_signing_record(
    uow: UnitOfWork,
    me: Actor,
    draft_card_id: str,
    registered: RegistrationCard,
    now: pendulum.DateTime,
    *,
    count: int = 1,
) -> None:
    """Copy the draft card's latest ``count`` signing records (one per signature of the signed
    cycle) onto the card the signed draft became."""
    records = [
        r
        for r in signature_records(uow).for_card(draft_card_id)
        if r.origin is SignatureOrigin.APPROVAL
    ]
    for record in records[-count:] if records else ():
        record_signature_in(
            uow, me, registered, None, record, origin=SignatureOrigin.APPROVAL, now=now
        )
