"""What a host submits to the control use cases, and the views they return."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pendulum

from edmscore._validate import (
    instance_of,
    non_empty_text,
    optional,
    optional_text,
    text,
    to_tuple,
    tuple_of,
)
from edmscore.calendar import DeadlinePolicy, Period
from edmscore.control._model import Assignment, AssignmentKind
from edmscore.errors import ValidationError

__all__ = [
    "ControlItem",
    "ControlSummary",
    "ItemRequest",
    "Progress",
    "RecurrenceRequest",
    "ReportFile",
    "ResolutionRequest",
]


def _deadline(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None or isinstance(value, DeadlinePolicy):
        return
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError("ItemRequest.deadline", "a date, a DeadlinePolicy or None")


@attrs.frozen
class RecurrenceRequest:
    """Make an item periodic: one occurrence per ``period`` until ``until``, due by ``policy``.

    ``policy`` is usually one of the calendar's report presets (``MONTHLY_REPORT`` — by the 10th
    of the next month, ``QUARTERLY_REPORT``, ``STANDING`` — «постоянно», by 20 January).
    """

    period: Period = attrs.field(validator=instance_of(Period))
    until: dt.date = attrs.field(validator=instance_of(dt.date))
    policy: DeadlinePolicy = attrs.field(validator=instance_of(DeadlinePolicy))


@attrs.frozen
class ItemRequest:
    """One item of a resolution.

    ``deadline`` is a date, a :class:`~edmscore.calendar.DeadlinePolicy` counted from the
    resolution's date on the production calendar, or None: the parent's deadline in a
    sub-resolution, else one month («Без срока») for an item to execute and no deadline for one
    «к сведению».
    """

    executor_id: str = attrs.field(validator=non_empty_text(64))
    text: str = attrs.field(validator=non_empty_text(8000))
    deadline: dt.date | DeadlinePolicy | None = attrs.field(default=None, validator=_deadline)
    co_executor_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(str)
    )
    kind: AssignmentKind = attrs.field(
        default=AssignmentKind.EXECUTION, validator=instance_of(AssignmentKind)
    )
    on_control: bool = attrs.field(default=False, validator=instance_of(bool))
    controller_id: str | None = attrs.field(default=None, validator=optional_text(64))
    recurrence: RecurrenceRequest | None = attrs.field(
        default=None, validator=optional(instance_of(RecurrenceRequest))
    )
    assignment_id: str | None = attrs.field(default=None, validator=optional_text(64))
    deadline_provisional: bool = attrs.field(default=False, validator=instance_of(bool))
    """The ``deadline`` date was counted elsewhere into a year without its decree (an appeal's
    term): the assignment's deadline is marked provisional too."""


@attrs.frozen
class ResolutionRequest:
    """A resolution to impose on a card: its author (an official), text and items.

    ``date`` defaults to today in the organisation's time zone.
    """

    card_id: str = attrs.field(validator=non_empty_text(64))
    author_id: str = attrs.field(validator=non_empty_text(64))
    text: str = attrs.field(validator=non_empty_text(8000))
    items: tuple[ItemRequest, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(ItemRequest)
    )
    date: dt.date | None = attrs.field(default=None, validator=optional(instance_of(dt.date)))
    resolution_id: str | None = attrs.field(default=None, validator=optional_text(64))

    def __attrs_post_init__(self) -> None:
        if not self.items:
            raise ValidationError("ResolutionRequest.items", "a resolution has at least one item")


@attrs.frozen
class ReportFile:
    """A file attached to an execution report."""

    name: str = attrs.field(validator=non_empty_text(255))
    content: bytes = attrs.field(validator=instance_of(bytes))
    media_type: str = attrs.field(default="application/octet-stream", validator=text(255))


@attrs.frozen
class ControlItem:
    """An assignment as a control list shows it, with the card's number and the days left/late.

    ``working_days_left`` counts working days in (today, due]; ``working_days_late`` those in
    (due, today]; ``days_late`` calendar days past the deadline.
    """

    assignment: Assignment
    card_number: str
    working_days_left: int
    working_days_late: int
    days_late: int


@attrs.frozen
class ControlSummary:
    """The day's control summary (сводка по контролю) of an organisation, or a narrower scope."""

    today: pendulum.Date
    open_total: int
    on_control: int
    awaiting_acceptance: int
    due_today: tuple[ControlItem, ...]
    due_soon: tuple[ControlItem, ...]
    overdue: tuple[ControlItem, ...]
    due_soon_days: int


@attrs.frozen
class Progress:
    """The state of an assignment's sub-assignments (every level below it)."""

    total: int
    open: int
    reported: int
    done: int
    cancelled: int
    overdue: int
