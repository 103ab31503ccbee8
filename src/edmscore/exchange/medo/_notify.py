"""Building the notifications a recipient sends back, and linking replies to what was sent."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TypeVar

import pendulum

from edmscore.errors import MedoFormatError
from edmscore.exchange.medo._document import Document
from edmscore.exchange.medo._enums import RefusalReason
from edmscore.exchange.medo._message import Destination, Header, Message
from edmscore.exchange.medo._notice import (
    Acknowledgment,
    DocumentAccepted,
    DocumentRefused,
    Notification,
    NotificationEvent,
)
from edmscore.exchange.medo._parties import DocumentNumber, Partner

__all__ = ["build_notification", "notify_refused", "notify_registered", "reply_target", "uid_key"]

T = TypeVar("T")


def uid_key(uid: str) -> str:
    """The form GUIDs are compared in: lower case, without braces."""
    return uid.strip().strip("{}").lower()


def build_notification(
    received: Message,
    event: NotificationEvent,
    *,
    source: Partner,
    comment: str | None = None,
    message_uid: str | None = None,
) -> Message:
    """A notification about the document of ``received``, addressed back to its sender."""
    content = received.content
    document: Document | None = getattr(content, "document", None)
    if document is None:
        raise MedoFormatError("document", "only a document message can be notified about")
    notification = Notification(
        document_uid=document.uid,
        event=event,
        id=document.id,
        message_uid=received.header.uid,
        comment=comment,
    )
    header = Header(source=source, uid=message_uid or str(uuid.uuid4()), created=event.time)
    return Message(
        header=header,
        content=notification,
        version=received.version if received.version != "2.7" else "2.6",
        destinations=(Destination(partner=received.header.source),),
    )


def notify_registered(
    received: Message,
    *,
    source: Partner,
    number: str,
    date: pendulum.Date,
    time: pendulum.DateTime,
) -> Message:
    """«Зарегистрирован»: the recipient's own registration number and date."""
    event = DocumentAccepted(time=time, num=DocumentNumber(number=number, date=date))
    return build_notification(received, event, source=source)


def notify_refused(
    received: Message,
    *,
    source: Partner,
    reason: RefusalReason,
    time: pendulum.DateTime,
    comment: str | None = None,
) -> Message:
    """«Отказано в регистрации» with a reason from the closed list."""
    event = DocumentRefused(time=time, reason=reason)
    return build_notification(received, event, source=source, comment=comment)


def reply_target(reply: Message, sent: Mapping[str, T]) -> T | None:
    """What a received notification or receipt refers to, looked up in ``sent``.

    ``sent`` maps GUIDs (in any letter case) to the host's records: a notification is looked up
    by its document uid (``notification/@uid``), then by ``@mid``; a receipt by the header uid of
    the acknowledged message.
    """
    keys = {uid_key(k): v for k, v in sent.items()}
    content = reply.content
    candidates: list[str] = []
    if isinstance(content, Notification):
        candidates.append(content.document_uid)
        if content.message_uid:
            candidates.append(content.message_uid)
    elif isinstance(content, Acknowledgment):
        candidates.append(content.message_uid)
    for uid in candidates:
        found = keys.get(uid_key(uid))
        if found is not None:
            return found
    return None
