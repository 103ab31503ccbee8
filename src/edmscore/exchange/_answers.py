"""Notices and what comes back: «назначен исполнитель», receipts, registration notices.

Each needs ``exchange`` (for the card's department once the card is known). A receipt or
notification about a card of another organisation, or one the actor may not see, is answered
as one about no card at all (``None``); for a hidden card of the actor's own organisation the
refusal is audited (``access.denied``).
"""

from __future__ import annotations

from typing import Any

import pendulum

from edmscore.access import Actor, ActorRef, Permission
from edmscore.control import Assignment
from edmscore.errors import NotFound, StateError
from edmscore.exchange._context import ExchangeContext
from edmscore.exchange._delivery import (
    apply_notification,
    apply_receipt,
    hash_checks,
    receipt_record,
    repository,
)
from edmscore.exchange._parts import assignment_notification, participant, received_message_ref
from edmscore.exchange._results import ReplyLink
from edmscore.exchange.dispatch import Dispatch
from edmscore.exchange.medo import (
    Acknowledgment,
    ContainerReference,
    Document,
    DocumentAccepted,
    DocumentRefused,
    Message,
    Notification,
    document_uid_for,
    parse_message,
    parse_passport,
    passport_document,
    uid_key,
)
from edmscore.records._steps import audit, deny, hidden_reason, visible_card
from edmscore.records.ports import UnitOfWork
from edmscore.registry import CardKind, RegistrationCard

__all__ = ["executor_assigned", "receipt_received", "reply_received"]


def executor_assigned(
    ctx: ExchangeContext,
    actor: ActorRef,
    card_id: str,
    assignment: Assignment,
    head_id: str | None,
) -> Message:
    """«Назначен исполнитель» about an incoming card of the actor's organisation."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        card = visible_card(uow, me, card_id, now)
        me.require_own(card.organisation_id, "a card")
        me.require(Permission.EXCHANGE, card.details.department_id)
        received, document = _received(uow, card)
        organisation = uow.directory.organisation(card.organisation_id)
        message = assignment_notification(
            received,
            card,
            assignment,
            official=uow.directory.official,
            organisation=organisation,
            source=participant(organisation),
            time=now,
            head_id=head_id,
            document=document,
        )
        audit(
            uow,
            me,
            now,
            "medo.notified",
            "card",
            card.id,
            {},
            {
                "event": "executor_assigned",
                "assignment": assignment.id,
                "notification_uid": message.header.uid,
            },
        )
        uow.commit()
        return message


def reply_received(ctx: ExchangeContext, actor: ActorRef, reply: Message) -> ReplyLink | None:
    """Link a notification to the outgoing card of the actor's organisation it is about."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        me.require_somewhere(Permission.EXCHANGE)
        content = reply.content
        if isinstance(content, Acknowledgment) or not isinstance(content, Notification):
            return None
        card_id = content.id or ""
        records = repository(uow)
        if not content.id and content.message_uid and records is not None:
            # a container letter's passport has no local id: the message answered names the card
            sent = records.by_message(content.message_uid)
            card_id = "" if sent is None else sent.card_id
        try:
            card = uow.cards.get(card_id)
        except NotFound:
            return None
        if (
            card.organisation_id != me.organisation_id
            or card.kind is not CardKind.OUTGOING
            or uid_key(document_uid_for(card)) != uid_key(content.document_uid)
            or not _seen(uow, me, card, now)
        ):
            return None
        me.require(Permission.EXCHANGE, card.details.department_id)
        moved = None if records is None else apply_notification(records, card, reply)
        fields = {"from": reply.header.source.uid, **_event_fields(content)}
        if moved is not None:
            fields["dispatch"] = moved[1].id
            fields["state"] = moved[1].state.value
        audit(
            uow,
            me,
            now,
            "medo.notification_received",
            "card",
            card.id,
            {"state": moved[0].state.value} if moved is not None else {},
            fields,
            content.comment or "",
        )
        uow.commit()
        return ReplyLink(card, content, None if moved is None else moved[1])


def receipt_received(ctx: ExchangeContext, actor: ActorRef, receipt: Message) -> Dispatch | None:
    """Apply a receipt to the delivery record of a message the actor's organisation sent."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        me.require_somewhere(Permission.EXCHANGE)
        content = receipt.content
        records = repository(uow)
        if not isinstance(content, Acknowledgment) or records is None:
            return None
        record = receipt_record(records, me.organisation_id, receipt)
        if record is None:
            return None
        card = uow.cards.get(record.card_id)
        if not _seen(uow, me, card, now):
            return None
        me.require(Permission.EXCHANGE, card.details.department_id)
        before, after = apply_receipt(records, record, content)
        if after != before:
            audit(
                uow,
                me,
                now,
                "medo.receipt_received",
                "card",
                after.card_id,
                {"state": before.state.value},
                {
                    "state": after.state.value,
                    "dispatch": after.id,
                    "from": receipt.header.source.uid,
                    "message_uid": content.message_uid,
                    "accepted": content.accepted,
                    "time": content.time.isoformat(),
                    "hash_codes": hash_checks(uow.blobs, card, content),
                },
                content.comment or "",
            )
        uow.commit()
        return after


def _seen(uow: UnitOfWork, me: Actor, card: RegistrationCard, now: pendulum.DateTime) -> bool:
    """Whether the actor may see the card; a refusal is audited (``access.denied``)."""
    if me.may_see(card):
        return True
    deny(uow, me, now, "card", card.id, hidden_reason(me, card))
    return False


def _received(uow: UnitOfWork, card: RegistrationCard) -> tuple[Message, Document | None]:
    """The message an incoming card came with and, for a container letter, its document."""
    ref = received_message_ref(card)
    if ref is None:
        raise StateError(f"card {card.id!r} keeps no MEDO message it came with")
    message = parse_message(uow.blobs.get(ref.sha256), source=ref.name)
    if not isinstance(message.content, ContainerReference):
        return message, None
    passport = next((f for f in card.details.files if f.name.casefold() == "passport.xml"), None)
    if passport is None:
        raise StateError(f"card {card.id!r} keeps no passport of the container it came in")
    parsed = parse_passport(uow.blobs.get(passport.sha256), source=passport.name)
    return message, passport_document(parsed, message)


def _event_fields(notification: Notification) -> dict[str, Any]:
    event = notification.event
    fields: dict[str, Any] = {
        "document_uid": notification.document_uid,
        "event": type(event).__name__,
        "time": event.time.isoformat(),
    }
    if isinstance(event, DocumentAccepted):
        fields["their_number"] = event.num.number
        fields["their_date"] = None if event.num.date is None else event.num.date.isoformat()
    if isinstance(event, DocumentRefused):
        fields["reason"] = event.reason.name
    return fields
