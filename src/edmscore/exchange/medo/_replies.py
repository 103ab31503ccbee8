"""Notifications built from what happens to a received document's card: executors, reports."""

from __future__ import annotations

import pendulum

from edmscore.directory import Official, Organisation
from edmscore.exchange.medo._document import Document
from edmscore.exchange.medo._message import Message
from edmscore.exchange.medo._notice import CourseChanged, ExecutorAssigned, ReportSent
from edmscore.exchange.medo._notify import build_notification
from edmscore.exchange.medo._parties import (
    Addressee,
    DocumentNumber,
    DocumentReference,
    Partner,
    Party,
    QualifiedValue,
)
from edmscore.registry import RegistrationCard

__all__ = ["notify_course_changed", "notify_executor_assigned", "notify_report_sent"]


def _addressee(official: Official, organisation: Organisation) -> Addressee:
    return Addressee(
        party=Party(
            organization=QualifiedValue(organisation.name[:511]),
            person=QualifiedValue(official.name.full[:511]),
            post=QualifiedValue(official.position[:511]),
        )
    )


def notify_executor_assigned(
    received: Message,
    *,
    organisation: Organisation,
    head: Official,
    manager: Official,
    executor: Official,
    source: Partner,
    time: pendulum.DateTime,
    document: Document | None = None,
) -> Message:
    """«Назначен исполнитель»: the head who imposed the resolution, the executor's manager, the
    responsible executor (the schema's ``secretary``, ``manager``, ``executor``). ``document`` is
    needed for a container letter (its passport's document)."""
    event = ExecutorAssigned(
        time=time,
        secretary=_addressee(head, organisation),
        manager=_addressee(manager, organisation),
        executor=_addressee(executor, organisation),
    )
    return build_notification(received, event, source=source, document=document)


def notify_report_sent(
    received: Message,
    *,
    reply: RegistrationCard,
    organisation: Organisation,
    source: Partner,
    time: pendulum.DateTime,
    document: Document | None = None,
) -> Message:
    """«Доклад направлен»: the registered outgoing reply's number and date."""
    event = ReportSent(
        time=time,
        report=DocumentReference(
            num=DocumentNumber(reply.number[:31], reply.registration.date),
            party=Party(organization=QualifiedValue(organisation.name[:511])),
        ),
    )
    return build_notification(received, event, source=source, document=document)


def notify_course_changed(
    received: Message,
    *,
    text: str,
    source: Partner,
    time: pendulum.DateTime,
    document: Document | None = None,
) -> Message:
    """«Исполнение»: a line on the course of execution (at most 4000 characters)."""
    event = CourseChanged(time=time, course_text=text)
    return build_notification(received, event, source=source, document=document)
