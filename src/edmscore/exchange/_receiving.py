"""Receiving a letter: check it, register it as an incoming card, or refuse it.

A letter is received by the organisation of the acting user (the directory's, never one the
host names): its card is registered in that organisation's journal through the composed
:class:`~edmscore.records.service.RecordsService`, so ``register`` is checked for the journal's
department besides ``exchange``.
"""

from __future__ import annotations

import attrs
import pendulum

from edmscore.access import Actor, ActorRef, Permission
from edmscore.directory import Organisation
from edmscore.errors import MedoFormatError
from edmscore.exchange._context import ExchangeContext
from edmscore.exchange._parts import participant
from edmscore.exchange._results import Received
from edmscore.exchange.medo import (
    IncomingDraft,
    Letter,
    Message,
    RefusalReason,
    incoming_draft,
    uid_key,
)
from edmscore.records._steps import audit, today
from edmscore.records.ports import UnitOfWork
from edmscore.records.service import RegistrationRequest
from edmscore.records.signature_records import SignatureOrigin
from edmscore.records.signature_service import record_signature_in
from edmscore.registry import FileRef, RegistrationCard

__all__ = ["check", "receive", "refuse"]


def check(ctx: ExchangeContext, actor: ActorRef, letter: Letter) -> IncomingDraft:
    """The pre-filled card, signature checks and warnings of a letter; needs ``exchange``."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        me.require_somewhere(Permission.EXCHANGE)
        return _incoming(ctx, uow, me.organisation, letter, now)


def receive(
    ctx: ExchangeContext,
    actor: ActorRef,
    letter: Letter,
    journal_id: str,
    manual_number: str | None,
) -> Received:
    """Register a received letter in the actor's organisation; ``exchange`` and ``register``
    for the journal's department. A restriction mark not recognised is kept on the card (ДСП,
    its notes) and reported in the audit event and :attr:`Received.classification_review_needed`.
    """
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        journal = uow.journals.get(journal_id)
        me.require(Permission.EXCHANGE, journal.department_id)
        organisation = me.organisation
        source = participant(organisation)
        incoming = _incoming(ctx, uow, organisation, letter, now)
        refs = list(incoming.details.files)
        for ref in refs:
            _put(uow, incoming.read(letter, ref.name), ref)
        message_bytes = (letter.folder / letter.message_name).read_bytes()
        sha256 = uow.blobs.put(message_bytes)
        refs.append(FileRef(letter.message_name, len(message_bytes), sha256, "application/xml"))
        details = attrs.evolve(incoming.details, files=tuple(refs))
        request = RegistrationRequest(journal_id, details, manual_number=manual_number)
        card = ctx.records.register_in(uow, me, request, now)
        _record_signatures(uow, me, card, incoming, now)
        notification = incoming.registered(card, source=source, time=now)
        review = incoming.classification_review_needed
        audit(
            uow,
            me,
            now,
            "medo.received",
            "card",
            card.id,
            {},
            {
                "document_uid": incoming.document_uid,
                "sender": incoming.sender.uid,
                "message_uid": letter.message.header.uid,
                "signatures": {c.signature_name: c.status.value for c in incoming.signatures},
                "warnings": list(incoming.warnings),
                "classification_review_needed": review,
                "notification_uid": notification.header.uid,
            },
            card.details.notes if review else "",
        )
        uow.commit()
        return Received(card, notification, incoming)


def _record_signatures(
    uow: UnitOfWork,
    actor: Actor,
    card: RegistrationCard,
    incoming: IncomingDraft,
    now: pendulum.DateTime,
) -> None:
    """Keep each checked signature's details and verdict on the new card (its items 18–19);
    the signature files themselves are among the card's files already."""
    for checked in incoming.signatures:
        report = checked.report
        # A signature whose signer's certificate was not found has no details to keep: its
        # verdict stays in the receipt's audit event.
        if report is not None and report.signers and report.signers[0].certificate is not None:
            record_signature_in(
                uow,
                actor,
                card,
                None,
                report,
                origin=SignatureOrigin.MEDO,
                file_name=checked.signature_name,
                now=now,
            )


def refuse(
    ctx: ExchangeContext,
    actor: ActorRef,
    letter: Letter,
    reason: RefusalReason,
    comment: str | None,
) -> Message:
    """«Отказано в регистрации» from the actor's organisation; needs ``exchange``; audited."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        me.require_somewhere(Permission.EXCHANGE)
        organisation = me.organisation
        incoming = _incoming(ctx, uow, organisation, letter, now)
        notification = incoming.refused(
            reason, source=participant(organisation), time=now, comment=comment
        )
        audit(
            uow,
            me,
            now,
            "medo.refused",
            "medo_document",
            uid_key(incoming.document_uid),
            {},
            {
                "sender": incoming.sender.uid,
                "reason": reason.name,
                "notification_uid": notification.header.uid,
            },
            comment or "",
        )
        uow.commit()
        return notification


def _incoming(
    ctx: ExchangeContext,
    uow: UnitOfWork,
    organisation: Organisation,
    letter: Letter,
    now: pendulum.DateTime,
) -> IncomingDraft:
    return incoming_draft(
        letter,
        directory=uow.directory,
        received_on=today(now, organisation.timezone),
        verifier=ctx.verifier,
    )


def _put(uow: UnitOfWork, content: bytes, ref: FileRef) -> None:
    if uow.blobs.put(content) != ref.sha256 or len(content) != ref.size:
        raise MedoFormatError("files", f"{ref.name!r} changed since the letter was read")
