"""Delivery control inside the exchange use cases: record what was sent, apply what came back.

The functions work in the caller's unit of work, on its ``dispatches`` repository (an optional
capability: :class:`~edmscore.exchange.dispatch.DispatchUnitOfWork`); a storage without one gets
no records, and the use cases behave as before. :class:`ExchangeService` calls them; the
values they return are what the clerk sees: per card and addressee, sent → delivered →
registered (their number and date) or refused, and what is stuck past a number of working days.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import AccessScope
from edmscore.calendar import ProductionCalendar
from edmscore.directory import Organisation
from edmscore.errors import ValidationError
from edmscore.exchange.dispatch import (
    Attempt,
    Dispatch,
    DispatchRepository,
    DispatchState,
)
from edmscore.exchange.medo import (
    Acknowledgment,
    DocumentAccepted,
    DocumentRefused,
    HashStatus,
    Message,
    Notification,
    OutgoingLetter,
    uid_key,
    verify_hash_codes,
)
from edmscore.records.ports import BlobStore, UnitOfWork
from edmscore.registry import RegistrationCard

__all__ = [
    "Stuck",
    "apply_notification",
    "apply_receipt",
    "hash_checks",
    "receipt_record",
    "record_sent",
    "repository",
    "stuck",
]


@attrs.frozen
class Stuck:
    """A sent letter waiting too long: the record, its card, and the working day it was due.

    ``due`` is the last working day the receipt (state SENT) or the recipient's registration
    (state DELIVERED) was expected by; ``late`` the working days since then until today.
    """

    dispatch: Dispatch
    card: RegistrationCard
    due: pendulum.Date
    late: int


def repository(uow: UnitOfWork) -> DispatchRepository | None:
    """The unit of work's dispatch records, if its storage keeps them."""
    return cast(DispatchRepository | None, getattr(uow, "dispatches", None))


def record_sent(
    records: DispatchRepository,
    card: RegistrationCard,
    document_uid: str,
    letters: Sequence[OutgoingLetter],
    recipients: Sequence[Organisation],
    attempt: int,
    now: pendulum.DateTime,
) -> tuple[list[OutgoingLetter], list[OutgoingLetter]]:
    """Record each letter's attempt; return (letters to send, letters left out as delivered).

    A first letter to a recipient starts a record; the same message again (same attempt) changes
    nothing; a later attempt is a new attempt of the record — unless the letter was already
    delivered or registered there, when it is left out. An attempt that is not after the last
    one raises :class:`~edmscore.errors.DispatchStateError`.
    """
    by_medo = {uid_key(o.medo_id or ""): o for o in recipients}
    to_send: list[OutgoingLetter] = []
    left_out: list[OutgoingLetter] = []
    for letter in letters:
        recipient = uid_key(letter.destination.uid)
        message_uid = uid_key(letter.message.header.uid or "")
        existing = records.find(card.id, recipient)
        if existing is None:
            organisation = by_medo.get(recipient)
            records.add(
                Dispatch(
                    id=new_id(),
                    organisation_id=card.organisation_id,
                    card_id=card.id,
                    document_uid=uid_key(document_uid),
                    recipient=recipient,
                    recipient_id=None if organisation is None else organisation.id,
                    recipient_name=(
                        organisation.name
                        if organisation is not None
                        else letter.destination.organization or recipient
                    )[:511],
                    attempts=(Attempt(attempt, message_uid, now),),
                )
            )
        elif existing.attempt_of(message_uid) is not None:
            pass  # the same message built again
        elif existing.state in (DispatchState.DELIVERED, DispatchState.REGISTERED):
            left_out.append(letter)
            continue
        else:
            records.update(existing.resent(attempt, message_uid, now), existing.version)
        to_send.append(letter)
    return to_send, left_out


def receipt_record(
    records: DispatchRepository, organisation_id: str, reply: Message
) -> Dispatch | None:
    """The record a receipt is about; None if it is none of the organisation's.

    The receipt must acknowledge a message the organisation sent and come from that message's
    recipient; otherwise None.
    """
    content = reply.content
    if not isinstance(content, Acknowledgment):
        return None
    record = records.by_message(content.message_uid)
    if (
        record is None
        or record.organisation_id != organisation_id
        or uid_key(reply.header.source.uid) != record.recipient
    ):
        return None
    return record


def apply_receipt(
    records: DispatchRepository, record: Dispatch, receipt: Acknowledgment
) -> tuple[Dispatch, Dispatch]:
    """Apply a receipt to the record it is about (:func:`receipt_record`): before and after."""
    moved = record.receipt(
        receipt.message_uid, receipt.time, accepted=receipt.accepted, comment=receipt.comment
    )
    if moved == record:
        return record, record
    return record, records.update(moved, record.version)


def hash_checks(
    blobs: BlobStore, card: RegistrationCard, receipt: Acknowledgment
) -> dict[str, str]:
    """The receipt's ``hashCodes`` checked against the card's files: name → outcome.

    Only the files the card holds in the blob store are checked (a detached signature that
    travelled beside them but is not a card file is left out); an empty mapping when the receipt
    carries no codes. Outcomes are values (:class:`~edmscore.exchange.medo.HashStatus`).
    """
    if receipt.hash_codes is None:
        return {}
    named = {item.name.casefold() for item in receipt.hash_codes.items}
    held = {
        ref.name: blobs.get(ref.sha256)
        for ref in card.details.files
        if ref.name.casefold() in named and blobs.exists(ref.sha256)
    }
    return {
        check.name: check.status.value
        for check in verify_hash_codes(receipt, held)
        if check.status is not HashStatus.MISSING_FILE
    }


def apply_notification(
    records: DispatchRepository, card: RegistrationCard, reply: Message
) -> tuple[Dispatch, Dispatch] | None:
    """The record a «зарегистрирован» / «отказано» is about, before and after; else None.

    Found by the notification's ``@mid`` (the message it answers), else by the card and the
    sender; the sender must be the record's recipient. Other events change no record.
    """
    content = reply.content
    if not isinstance(content, Notification):
        return None
    event = content.event
    sender = uid_key(reply.header.source.uid)
    record = records.by_message(content.message_uid) if content.message_uid else None
    if record is None:
        record = records.find(card.id, sender)
    if record is None or record.card_id != card.id or record.recipient != sender:
        return None
    if isinstance(event, DocumentAccepted):
        moved = record.registered(event.num.number, event.num.date, event.time)
    elif isinstance(event, DocumentRefused):
        moved = record.refused(event.reason, event.time, content.comment)
    else:
        return record, record
    if moved == record:
        return record, record
    return record, records.update(moved, record.version)


def stuck(
    records: DispatchRepository,
    organisation: Organisation,
    calendar: ProductionCalendar,
    today: pendulum.Date,
    *,
    delivery_days: int,
    registration_days: int,
    limit: int,
    scope: AccessScope | None = None,
) -> list[tuple[Dispatch, pendulum.Date, int]]:
    """Records past their working-day allowance: (record, due day, working days late).

    A SENT record is due a receipt ``delivery_days`` working days after the day it was sent, a
    DELIVERED one the recipient's registration ``registration_days`` after delivery (days in the
    organisation's time zone); it is stuck once that day is before ``today``. The repository is
    asked only for records whose state began before ``today`` minus the allowance in calendar
    days (a working day is at least a calendar day), oldest first; the calendar decides the rest.
    ``scope`` (the reader's) leaves out, in the repository, records of cards it does not permit.
    """
    for name, value in (("delivery_days", delivery_days), ("registration_days", registration_days)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
            raise ValidationError(name, f"must be 0..366 working days, got {value!r}")
    zone = organisation.timezone
    found: list[tuple[Dispatch, pendulum.Date, int]] = []
    for state, allowance in (
        (DispatchState.SENT, delivery_days),
        (DispatchState.DELIVERED, registration_days),
    ):
        bound = pendulum.datetime(*today.subtract(days=allowance).timetuple()[:3], tz=zone)
        for record in records.in_state(organisation.id, state, bound, limit=limit, scope=scope):
            began = record.since.in_timezone(zone).date()
            due = calendar.add_working_days(began, allowance)
            if due < today:
                found.append((record, due, calendar.working_days_between(due, today)))
    found.sort(key=lambda item: (item[1], item[0].since, item[0].id))
    return found[:limit]
