"""Building the notifications a recipient sends back, and linking replies to what was sent."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TypeVar

import attrs
import pendulum

from edmscore.errors import MedoFormatError
from edmscore.exchange.medo._document import Document
from edmscore.exchange.medo._enums import RefusalReason
from edmscore.exchange.medo._message import (
    ContainerReference,
    Destination,
    DocumentContent,
    Header,
    Message,
)
from edmscore.exchange.medo._notice import (
    Acknowledgment,
    DocumentAccepted,
    DocumentRefused,
    Notification,
    NotificationEvent,
)
from edmscore.exchange.medo._parties import (
    DocumentNumber,
    DocumentReference,
    Partner,
    Party,
    QualifiedValue,
)

__all__ = [
    "build_notification",
    "document_of",
    "foundation_key",
    "foundation_of",
    "notify_refused",
    "notify_registered",
    "reply_target",
    "reply_version",
    "uid_key",
]

T = TypeVar("T")


def uid_key(uid: str) -> str:
    """The form GUIDs are compared in: lower case, without braces."""
    return uid.strip().strip("{}").lower()


def foundation_key(num: DocumentNumber) -> str:
    """The key a sent document is matched on through a reply's ``foundation``: its number
    and date (``"01-15/123 от 2024-03-01"``), compared without case or surrounding spaces."""
    date = "" if num.date is None else num.date.isoformat()
    return f"{num.number.strip().casefold()} от {date}"


def reply_version(received: Message) -> str:
    """The version a reply to ``received`` is written in: the correspondent's own.

    2.2–2.6 are answered in their version; a 2.7 transport message in 2.6 (the 2.7 rules keep
    notifications and receipts in the 2.x message, and 2.6 is the schema they validate against);
    2.7.1 in 2.7.1 (namespace ``urn:IEDMS:MESSAGE``, UTF-8); 1.0 and 2.0, which are never
    written, in 2.2, the closest structure.
    """
    if received.version == "2.7":
        return "2.6"
    if received.version in ("1.0", "2.0"):
        return "2.2"
    return received.version


def foundation_of(document: Document, sender: Partner) -> DocumentReference | None:
    """The ``foundation`` of a reply: the sender's own number and date of the document.

    Gateways match a notification to their outgoing card through it; ``None`` when the
    document carries no date (a reference without one would match nothing).
    """
    if document.num.date is None:
        return None
    return DocumentReference(
        num=document.num, party=Party(organization=QualifiedValue(sender.organization[:511]))
    )


def document_of(received: Message, document: Document | None = None) -> Document:
    """The document a notification speaks of: the message's own, or the one given.

    A 2.7 / 2.7.1 transport message carries its document in the container; the caller passes
    it (mapped from the passport, see :meth:`Passport.to_document`).
    """
    if document is not None:
        return document
    content = received.content
    if isinstance(content, DocumentContent):
        return content.document
    if isinstance(content, ContainerReference):
        raise MedoFormatError(
            "container", "a container letter is notified about with its passport's document"
        )
    raise MedoFormatError("document", "only a document message can be notified about")


def build_notification(
    received: Message,
    event: NotificationEvent,
    *,
    source: Partner,
    comment: str | None = None,
    message_uid: str | None = None,
    document: Document | None = None,
) -> Message:
    """A notification about the document of ``received``, addressed back to its sender.

    Written in the sender's version (:func:`reply_version`); ``foundation`` is filled with the
    sender's number and date when the event has none and the document has both; ``@mid`` is
    left out for 2.2, whose schema has no such attribute. ``document`` is required for a 2.7 /
    2.7.1 container letter (the passport's document).
    """
    document = document_of(received, document)
    version = reply_version(received)
    if event.foundation is None:
        event = attrs.evolve(event, foundation=foundation_of(document, received.header.source))
    notification = Notification(
        document_uid=document.uid,
        event=event,
        id=document.id,
        message_uid=None if version == "2.2" else received.header.uid,
        comment=comment,
    )
    header = Header(source=source, uid=message_uid or str(uuid.uuid4()), created=event.time)
    return Message(
        header=header,
        content=notification,
        version=version,
        destinations=(Destination(partner=received.header.source),),
    )


def notify_registered(
    received: Message,
    *,
    source: Partner,
    number: str,
    date: pendulum.Date,
    time: pendulum.DateTime,
    document: Document | None = None,
) -> Message:
    """«Зарегистрирован»: the recipient's own registration number and date."""
    event = DocumentAccepted(time=time, num=DocumentNumber(number=number, date=date))
    return build_notification(received, event, source=source, document=document)


def notify_refused(
    received: Message,
    *,
    source: Partner,
    reason: RefusalReason,
    time: pendulum.DateTime,
    comment: str | None = None,
    document: Document | None = None,
) -> Message:
    """«Отказано в регистрации» with a reason from the closed list."""
    event = DocumentRefused(time=time, reason=reason)
    return build_notification(received, event, source=source, comment=comment, document=document)


def reply_target(reply: Message, sent: Mapping[str, T]) -> T | None:
    """What a received notification or receipt refers to, looked up in ``sent``.

    ``sent`` maps GUIDs (in any letter case) to the host's records: a notification is looked up
    by its document uid (``notification/@uid``), then by ``@mid``, then by its ``foundation``
    (``sent`` may also map :func:`foundation_key` of the sent document's number and date, which
    is how gateways match replies); a receipt by the header uid of the acknowledged message.
    """
    keys = {uid_key(k): v for k, v in sent.items()}
    content = reply.content
    candidates: list[str] = []
    if isinstance(content, Notification):
        candidates.append(content.document_uid)
        if content.message_uid:
            candidates.append(content.message_uid)
        if content.event.foundation is not None:
            candidates.append(foundation_key(content.event.foundation.num))
    elif isinstance(content, Acknowledgment):
        candidates.append(content.message_uid)
    for uid in candidates:
        found = keys.get(uid_key(uid))
        if found is not None:
            return found
    return None
