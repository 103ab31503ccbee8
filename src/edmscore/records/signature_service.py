"""Use cases of a card's signature records: record a checked signature, list a card's records.

Reached through :attr:`edmscore.Edms.signatures`. Other capabilities record inside their own unit
of work with :meth:`CardSignatures.record_in`: the MEDO import when a signed letter arrives, the
approval when the signatory signs a draft (and when the signed draft is registered).
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import Actor, ActorRef, Permission
from edmscore.errors import StorageError
from edmscore.records import _steps as steps
from edmscore.records.ports import UnitOfWork
from edmscore.records.service import RecordsService
from edmscore.records.signature_records import (
    SignatureOrigin,
    SignatureRecord,
    SignatureRecordRepository,
)
from edmscore.registry import RegistrationCard
from edmscore.signatures import VerificationReport
from edmscore.signatures.ltv import LtvReport

__all__ = ["CardSignatures", "record_signature_in", "signature_records"]


def signature_records(uow: UnitOfWork) -> SignatureRecordRepository:
    """The unit of work's signature records; a clear error for an adapter that has none."""
    repo = getattr(uow, "signature_records", None)
    if repo is None:
        raise StorageError(
            f"{type(uow).__name__} keeps no signature records (a storage adapter written before "
            "they existed): add a signature_records repository"
        )
    return repo  # type: ignore[no-any-return]


class CardSignatures(RecordsService):
    """Signature details and check results on cards, with the cards' access rules applied."""

    def record(
        self,
        actor: ActorRef,
        card_id: str,
        signature: bytes,
        report: VerificationReport | LtvReport,
        *,
        file_name: str | None = None,
    ) -> SignatureRecord:
        """Record a signature of the card and its check; ``actor`` needs ``edit_card``.

        The signature itself is stored as a blob (its sha256 is on the record).
        """
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._actor(uow, actor, now)
            card = self._modifiable(uow, me, card_id, now, Permission.EDIT_CARD)
            record = self.record_in(
                uow,
                me,
                card,
                signature,
                report,
                origin=SignatureOrigin.HOST,
                file_name=file_name,
                now=now,
            )
            uow.commit()
            return record

    def record_in(
        self,
        uow: UnitOfWork,
        actor: Actor,
        card: RegistrationCard,
        signature: bytes | None,
        report: VerificationReport | LtvReport | SignatureRecord,
        *,
        origin: SignatureOrigin,
        file_name: str | None = None,
        now: pendulum.DateTime,
    ) -> SignatureRecord:
        """:func:`record_signature_in` (for callers holding the service)."""
        return record_signature_in(
            uow, actor, card, signature, report, origin=origin, file_name=file_name, now=now
        )

    def signatures(self, actor: ActorRef, card_id: str) -> Sequence[SignatureRecord]:
        """The card's signature records, oldest check first (NotFound for a card not visible)."""
        now = self._now()
        with self.storage.unit_of_work() as uow:
            me = self._reader(uow, actor, now)
            card = self._visible(uow, me, card_id, now)
            records = tuple(signature_records(uow).for_card(card.id))
            self._audit_read(uow, me, now, "card.signatures_read", card)
            return records


def record_signature_in(
    uow: UnitOfWork,
    actor: Actor,
    card: RegistrationCard,
    signature: bytes | None,
    report: VerificationReport | LtvReport | SignatureRecord,
    *,
    origin: SignatureOrigin,
    file_name: str | None = None,
    now: pendulum.DateTime,
) -> SignatureRecord:
    """Record a checked signature on ``card`` inside a unit of work the caller will commit.

    For the use cases of other capabilities (the MEDO import, approval signing): the caller has
    already checked ``actor``'s right to change ``card``. ``report`` is a verification report,
    or a record the caller built itself (its id, card and origin are replaced). The signature
    bytes (when given) are stored as a blob; the record and a ``card.signature_checked`` audit
    event are added.
    """
    repo = signature_records(uow)
    sha = None if signature is None else uow.blobs.put(signature)
    checked_by = None if origin is SignatureOrigin.MEDO else actor.user.id
    if isinstance(report, SignatureRecord):
        record = attrs.evolve(
            report,
            id=new_id(),
            card_id=card.id,
            organisation_id=card.organisation_id,
            origin=origin,
            file_name=file_name if file_name is not None else report.file_name,
            signature_sha256=sha if sha is not None else report.signature_sha256,
            checked_by=checked_by,
        )
    else:
        record = SignatureRecord.from_report(
            report,
            id=new_id(),
            card_id=card.id,
            organisation_id=card.organisation_id,
            origin=origin,
            file_name=file_name,
            signature_sha256=sha,
            checked_by=checked_by,
        )
    repo.add(record)
    steps.audit(
        uow,
        actor,
        now,
        "card.signature_checked",
        "card",
        card.id,
        {},
        {
            "signature": record.id,
            "signer": record.signer,
            "certificate": record.certificate_serial,
            "verdict": record.verdict,
            "origin": record.origin.value,
        },
        record.file_name or "",
    )
    return record
