"""Resolutions and assignments: frozen values, validated at construction.

A :class:`Resolution` (резолюция) is imposed by an official on a registered card; each of its
items is an :class:`Assignment` (поручение). An executor may pass an assignment down with a
sub-resolution: the new assignments have ``parent_id`` set, so assignments form a tree whose
deadlines never grow downwards. Every change is a new value stored with a version check.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pendulum

from edmscore._validate import (
    date_value,
    instance_of,
    non_empty_text,
    optional,
    optional_text,
    positive_int,
    to_date,
    to_tuple,
    tuple_of,
)
from edmscore._validate import text as any_text
from edmscore.calendar import DeadlinePolicy, Period
from edmscore.control._states import AssignmentState
from edmscore.errors import ValidationError
from edmscore.registry import FileRef

__all__ = [
    "Assignment",
    "AssignmentKind",
    "DeadlineChange",
    "ExecutionReport",
    "ExtensionRequest",
    "ExtensionStatus",
    "Recurrence",
    "ReportStatus",
    "Resolution",
]


class AssignmentKind(enum.Enum):
    """What an assignment asks for."""

    #: Исполнить: needs a report by the responsible executor.
    EXECUTION = "execution"
    #: К сведению: read and acknowledge, no report.
    INFORMATION = "information"


class ReportStatus(enum.Enum):
    """What became of an execution report."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class ExtensionStatus(enum.Enum):
    """What became of a request to move a deadline."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


_date = optional(date_value)


@attrs.frozen
class ExecutionReport:
    """An execution report (отчёт об исполнении) by one executor, with files in the blob store."""

    author_id: str = attrs.field(validator=non_empty_text(64))
    text: str = attrs.field(validator=non_empty_text(8000))
    submitted_on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    files: tuple[FileRef, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(FileRef)
    )
    responsible: bool = attrs.field(default=False, validator=instance_of(bool))
    status: ReportStatus = attrs.field(
        default=ReportStatus.SUBMITTED, validator=instance_of(ReportStatus)
    )
    decided_by: str | None = attrs.field(default=None, validator=optional_text(64))
    reason: str = attrs.field(default="", validator=any_text(4000))


@attrs.frozen
class DeadlineChange:
    """One change of a deadline, kept for ever in the assignment's history."""

    changed_on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    changed_by: str = attrs.field(validator=non_empty_text(64))
    old_due: pendulum.Date | None = attrs.field(converter=to_date, validator=_date)
    new_due: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    reason: str = attrs.field(default="", validator=any_text(4000))


@attrs.frozen
class ExtensionRequest:
    """A request to move the deadline (перенос срока), decided by who set the deadline."""

    requested_by: str = attrs.field(validator=non_empty_text(64))
    requested_on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    new_due: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    reason: str = attrs.field(validator=non_empty_text(4000))
    status: ExtensionStatus = attrs.field(
        default=ExtensionStatus.PENDING, validator=instance_of(ExtensionStatus)
    )
    decided_by: str | None = attrs.field(default=None, validator=optional_text(64))
    decided_on: pendulum.Date | None = attrs.field(default=None, converter=to_date, validator=_date)
    comment: str = attrs.field(default="", validator=any_text(4000))


def _until(owner: Recurrence, attribute: attrs.Attribute[Any], value: object) -> None:
    date_value(owner, attribute, value)


@attrs.frozen
class Recurrence:
    """A periodic assignment's schedule: one occurrence per ``period`` from ``starts`` to ``until``.

    Each occurrence reports on one period and is due by ``policy`` counted from the period's
    last day (e.g. the 10th of the next month) on the production calendar.
    """

    period: Period = attrs.field(validator=instance_of(Period))
    starts: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    until: pendulum.Date = attrs.field(converter=to_date, validator=_until)
    policy: DeadlinePolicy = attrs.field(validator=instance_of(DeadlinePolicy))

    def __attrs_post_init__(self) -> None:
        if self.until < self.starts:
            raise ValidationError("Recurrence.until", "the schedule ends before it starts")

    def periods(self) -> list[tuple[pendulum.Date, pendulum.Date]]:
        """Every (first day, last day) of the periods the schedule covers, in order."""
        months = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}[self.period]
        first = pendulum.Date(self.starts.year, self.starts.month, 1)
        if self.period is Period.QUARTER:
            first = pendulum.Date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
        elif self.period is Period.YEAR:
            first = pendulum.Date(first.year, 1, 1)
        result = []
        while first <= self.until:
            following = first.add(months=months)
            result.append((first, following.subtract(days=1)))
            first = following
        return result


@attrs.frozen
class Resolution:
    """A resolution (резолюция): who imposed it on which card, the text, its items.

    ``parent_assignment_id`` is set for a sub-resolution, by which an executor passes an
    assignment down.
    """

    id: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    card_id: str = attrs.field(validator=non_empty_text(64))
    author_id: str = attrs.field(validator=non_empty_text(64))
    text: str = attrs.field(validator=non_empty_text(8000))
    date: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    item_ids: tuple[str, ...] = attrs.field(converter=to_tuple, validator=tuple_of(str))
    parent_assignment_id: str | None = attrs.field(default=None, validator=optional_text(64))
    version: int = attrs.field(default=1, validator=positive_int)

    def __attrs_post_init__(self) -> None:
        if not self.item_ids:
            raise ValidationError("Resolution.item_ids", "a resolution has at least one item")
        if len(set(self.item_ids)) != len(self.item_ids):
            raise ValidationError("Resolution.item_ids", "the same item twice")


@attrs.frozen
class Assignment:
    """An assignment (поручение): one item of a resolution, or of a sub-resolution.

    ``executor_id`` is the responsible executor (ответственный исполнитель), ``co_executor_ids``
    the co-executors; ``department_id`` is the responsible executor's department when it was
    given (the execution-discipline report groups by it). ``due`` is the deadline, set by
    ``deadline_set_by`` — only that official may move it. ``completed_on`` is the day the
    responsible executor reported; ``closed_on`` the day it left control. ``occurrence_of``
    links an occurrence of a periodic assignment to its schedule's assignment.
    """

    id: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    card_id: str = attrs.field(validator=non_empty_text(64))
    resolution_id: str = attrs.field(validator=non_empty_text(64))
    author_id: str = attrs.field(validator=non_empty_text(64))
    text: str = attrs.field(validator=non_empty_text(8000))
    executor_id: str = attrs.field(validator=non_empty_text(64))
    issued_on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    due: pendulum.Date | None = attrs.field(converter=to_date, validator=_date)
    deadline_set_by: str = attrs.field(validator=non_empty_text(64))
    kind: AssignmentKind = attrs.field(
        default=AssignmentKind.EXECUTION, validator=instance_of(AssignmentKind)
    )
    co_executor_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(str)
    )
    department_id: str | None = attrs.field(default=None, validator=optional_text(64))
    on_control: bool = attrs.field(default=False, validator=instance_of(bool))
    controller_id: str | None = attrs.field(default=None, validator=optional_text(64))
    parent_id: str | None = attrs.field(default=None, validator=optional_text(64))
    depth: int = attrs.field(default=0)
    deadline_basis: str = attrs.field(default="", validator=any_text(200))
    state: AssignmentState = attrs.field(
        default=AssignmentState.OPEN, validator=instance_of(AssignmentState)
    )
    completed_on: pendulum.Date | None = attrs.field(
        default=None, converter=to_date, validator=_date
    )
    closed_on: pendulum.Date | None = attrs.field(default=None, converter=to_date, validator=_date)
    reports: tuple[ExecutionReport, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(ExecutionReport)
    )
    deadline_history: tuple[DeadlineChange, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(DeadlineChange)
    )
    extensions: tuple[ExtensionRequest, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(ExtensionRequest)
    )
    recurrence: Recurrence | None = attrs.field(
        default=None, validator=optional(instance_of(Recurrence))
    )
    occurrence_of: str | None = attrs.field(default=None, validator=optional_text(64))
    due_provisional: bool = attrs.field(default=False, validator=instance_of(bool))
    """The deadline was counted into a year whose decree is not loaded: it may move when it is
    (:meth:`ControlService.recompute_provisional`)."""
    version: int = attrs.field(default=1, validator=positive_int)

    def __attrs_post_init__(self) -> None:
        if self.due_provisional and self.due is None:
            raise ValidationError("Assignment.due_provisional", "no deadline to be provisional")
        if self.kind is AssignmentKind.EXECUTION and self.due is None:
            raise ValidationError("Assignment.due", "an assignment to execute needs a deadline")
        if self.on_control and self.controller_id is None:
            raise ValidationError("Assignment.controller_id", "on control needs a controller")
        if self.executor_id in self.co_executor_ids:
            raise ValidationError(
                "Assignment.co_executor_ids", "the responsible executor is not a co-executor"
            )
        if len(set(self.co_executor_ids)) != len(self.co_executor_ids):
            raise ValidationError("Assignment.co_executor_ids", "the same co-executor twice")
        if not isinstance(self.depth, int) or self.depth < 0:
            raise ValidationError("Assignment.depth", "must be a non-negative integer")
        if (self.parent_id is None) != (self.depth == 0):
            raise ValidationError("Assignment.depth", "depth 0 exactly for a resolution's items")
        if self.due is not None and self.due < self.issued_on:
            raise ValidationError("Assignment.due", "the deadline is before the day it was given")
        if self.completed_on is not None and self.completed_on < self.issued_on:
            raise ValidationError("Assignment.completed_on", "completed before it was given")
        if self.recurrence is not None and self.kind is not AssignmentKind.EXECUTION:
            raise ValidationError("Assignment.recurrence", "only an assignment to execute recurs")

    @property
    def executors(self) -> tuple[str, ...]:
        """The responsible executor, then the co-executors."""
        return (self.executor_id, *self.co_executor_ids)

    @property
    def counts_for_discipline(self) -> bool:
        """Whether the execution-discipline report counts it.

        Assignments to execute that were not cancelled; a periodic assignment's schedule is
        not counted, its occurrences are.
        """
        return (
            self.kind is AssignmentKind.EXECUTION
            and self.state is not AssignmentState.CANCELLED
            and self.recurrence is None
        )

    @property
    def pending_extension(self) -> ExtensionRequest | None:
        """The request to move the deadline awaiting a decision, if any."""
        for request in self.extensions:
            if request.status is ExtensionStatus.PENDING:
                return request
        return None
