"""The pure pieces of the MEDO exchange use cases: identities, signatures, notifications.

Kept apart from :mod:`edmscore.exchange.service` so hosts with their own unit of work can
build the same values: the MEDO participant of an organisation, the MEDO detached signature of
an approval's signing decision, and the «назначен исполнитель» notification of an assignment.
"""

from __future__ import annotations

from collections.abc import Callable

import pendulum

from edmscore.approval import SigningDecision
from edmscore.control import Assignment
from edmscore.directory import Official, Organisation
from edmscore.errors import StateError, ValidationError
from edmscore.exchange.medo import (
    DetachedSignature,
    Document,
    Message,
    Partner,
    notify_executor_assigned,
)
from edmscore.registry import DeliveryMethod, FileRef, RegistrationCard

__all__ = [
    "MESSAGE_FILE_NAMES",
    "assignment_notification",
    "participant",
    "received_message_ref",
    "signing_signature",
]

#: The names a received MEDO message is kept under among an incoming card's files.
MESSAGE_FILE_NAMES = ("document.xml", "message.xml")


def participant(organisation: Organisation) -> Partner:
    """The organisation as a MEDO participant; it must have a MEDO id."""
    medo_id = (organisation.medo_id or "").strip().strip("{}")
    if not medo_id:
        raise ValidationError(
            "organisation.medo_id", f"{organisation.name} has no MEDO participant id"
        )
    return Partner(uid=medo_id, organization=organisation.name[:511])


def signing_signature(
    decision: SigningDecision, file_name: str, content: bytes
) -> DetachedSignature:
    """The MEDO detached signature of an approval's signing decision over ``file_name``.

    ``content`` is the signature blob the decision refers to (``decision.signature``); the
    signer is the official who signed (a deputy's own name, not the replaced signatory's).
    """
    if not decision.signed or decision.signature is None:
        raise StateError("the signing decision holds no signature")
    return DetachedSignature(
        file_name=file_name,
        signature_name=decision.signature.name,
        content=content,
        signer_name=decision.name,
        signer_post=decision.position,
        signed_at=decision.at,
    )


def received_message_ref(card: RegistrationCard) -> FileRef | None:
    """The file of an incoming card that holds the MEDO message it came with, if any."""
    if card.details.delivery_method is not DeliveryMethod.MEDO:
        return None
    for name in MESSAGE_FILE_NAMES:
        for ref in card.details.files:
            if ref.name.casefold() == name:
                return ref
    return None


def assignment_notification(
    received: Message,
    card: RegistrationCard,
    assignment: Assignment,
    *,
    official: Callable[[str], Official],
    organisation: Organisation,
    source: Partner,
    time: pendulum.DateTime,
    head_id: str | None = None,
    document: Document | None = None,
) -> Message:
    """«Назначен исполнитель» for an assignment imposed on an incoming card that came by MEDO.

    ``received`` is the message the card came with; ``official`` looks officials up (the
    directory). The head (``secretary`` in the schema) is ``head_id`` — the head who imposed the
    top resolution — or the assignment's author; the manager is the assignment's author (who
    passed the work down); the executor is its responsible executor. ``document`` is the
    passport's document when the card came in a container letter.
    """
    if assignment.card_id != card.id:
        raise ValidationError("assignment.card_id", "the assignment is on another card")
    if card.details.delivery_method is not DeliveryMethod.MEDO:
        raise StateError(f"card {card.id!r} did not come through MEDO")
    return notify_executor_assigned(
        received,
        organisation=organisation,
        head=official(head_id or assignment.author_id),
        manager=official(assignment.author_id),
        executor=official(assignment.executor_id),
        source=source,
        time=time,
        document=document,
    )
