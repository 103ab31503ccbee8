"""Notifications (уведомления) and receipts (квитанции) of MEDO 2.x."""

from __future__ import annotations

import re
from typing import Any

import pendulum
from attrs import field, frozen

from edmscore.errors import ValidationError
from edmscore.exchange.medo._checks import (
    check_guid,
    check_min_items,
    check_text,
    optional,
)
from edmscore.exchange.medo._document import Clause
from edmscore.exchange.medo._enums import NotificationType, RefusalReason
from edmscore.exchange.medo._parties import (
    Addressee,
    DocumentNumber,
    DocumentReference,
    Signatory,
)

__all__ = [
    "Acknowledgment",
    "CourseChanged",
    "DocumentAccepted",
    "DocumentPublished",
    "DocumentRefused",
    "ExecutorAssigned",
    "HashCode",
    "HashCodes",
    "Notification",
    "NotificationEvent",
    "ReportPrepared",
    "ReportSent",
]

_COMMENT = optional(check_text("comment", 1, 2047))
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+\Z")


@frozen(kw_only=True)
class _Event:
    """What every event carries: its time and, optionally, the basis, clause, correspondent."""

    time: pendulum.DateTime
    foundation: DocumentReference | None = None
    clause: Clause | None = None
    correspondent: Addressee | None = None


@frozen(kw_only=True)
class DocumentAccepted(_Event):
    """Registered (Зарегистрирован): the recipient's own registration number and date."""

    num: DocumentNumber


@frozen(kw_only=True)
class DocumentRefused(_Event):
    """Refused registration (Отказано в регистрации), with a reason from the closed list."""

    reason: RefusalReason


@frozen(kw_only=True)
class ExecutorAssigned(_Event):
    """Executor assigned (Назначен исполнитель): the head, the manager and the executor."""

    secretary: Addressee
    manager: Addressee
    executor: Addressee


@frozen(kw_only=True)
class ReportPrepared(_Event):
    """Report prepared (Доклад подготовлен): handed to the signatory for signing."""

    signatory: Signatory


@frozen(kw_only=True)
class ReportSent(_Event):
    """Report sent (Доклад направлен): the outgoing reply document."""

    report: DocumentReference


@frozen(kw_only=True)
class CourseChanged(_Event):
    """Course of execution (Исполнение): a text and an optional accompanying document."""

    course_text: str = field(validator=check_text("courseText", 0, 4000))
    reference: DocumentReference | None = None


@frozen(kw_only=True)
class DocumentPublished(_Event):
    """Published (Опубликование): the publication's number, date and time, and the outlet."""

    number: str = field(validator=check_text("num/number", 1, 31, "token"))
    published: pendulum.DateTime
    publication_point: str = field(validator=check_text("publicationPoint", 1, 511, "normalized"))


NotificationEvent = (
    DocumentAccepted
    | DocumentRefused
    | ExecutorAssigned
    | ReportPrepared
    | ReportSent
    | CourseChanged
    | DocumentPublished
)

EVENT_TYPES: dict[type[Any], NotificationType] = {
    DocumentAccepted: NotificationType.REGISTERED,
    DocumentRefused: NotificationType.REFUSED,
    ExecutorAssigned: NotificationType.EXECUTOR_ASSIGNED,
    ReportPrepared: NotificationType.REPORT_PREPARED,
    ReportSent: NotificationType.REPORT_SENT,
    CourseChanged: NotificationType.COURSE_CHANGED,
    DocumentPublished: NotificationType.PUBLISHED,
}


@frozen
class Notification:
    """A notification about a document: its uid, the event, and where it came in.

    ``document_uid`` is the ``document/@uid`` of the document the event concerns; ``message_uid``
    (``@mid``) the header uid of the message that brought it.
    """

    document_uid: str = field(validator=check_guid("notification/@uid"))
    event: NotificationEvent
    id: str | None = field(default=None, validator=optional(check_text("@id", 1, 127, "token")))
    message_uid: str | None = field(default=None, validator=optional(check_guid("@mid")))
    comment: str | None = field(default=None, validator=_COMMENT)

    @property
    def type(self) -> NotificationType:
        """The notification's ``@type``, which follows from its event."""
        return EVENT_TYPES[type(self.event)]


def _check_code(_inst: object, _attr: object, value: str) -> None:
    if not _HEX.match(value) or not 32 <= len(value) // 2 <= 128:
        raise ValidationError("hashCodes/item/code", "must be hex of 32 to 128 octets")


@frozen
class HashCode:
    """The hash of one delivered file: its name and the code in hex."""

    name: str = field(validator=check_text("hashCodes/item/name", 1, 255, "normalized"))
    code: str = field(validator=_check_code)


@frozen
class HashCodes:
    """The list of file hashes a receipt carries, and the algorithm that made them."""

    items: tuple[HashCode, ...] = field(validator=check_min_items("hashCodes/item", 1))
    algorithm: str | None = field(
        default=None, validator=optional(check_text("hashCodes/@algorithm", 1, 255))
    )


@frozen
class Acknowledgment:
    """A receipt (квитанция): whether the message ``message_uid`` was accepted, and when.

    ``accepted`` false means the message was NOT accepted; callers must not read a receipt's
    arrival as success.
    """

    message_uid: str = field(validator=check_guid("acknowledgment/@uid"))
    time: pendulum.DateTime
    accepted: bool
    comment: str | None = field(default=None, validator=_COMMENT)
    content: str | None = field(
        default=None, validator=optional(check_text("@content", 1, 511, "normalized"))
    )
    hash_codes: HashCodes | None = None
