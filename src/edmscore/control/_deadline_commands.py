"""The control use cases on deadlines: extension requests, deadline changes, periodic items.

An executor asks for an extension (``execute``); only who set a deadline (the author of the
resolution or sub-resolution) approves it or changes the deadline (``control``); every change is
kept in the assignment's deadline history, and no deadline may pass its parent's.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import AccessScope, ActorRef, Permission
from edmscore.control import _steps as s
from edmscore.control._model import (
    Assignment,
    DeadlineChange,
    ExtensionRequest,
    ExtensionStatus,
)
from edmscore.control._states import AssignmentState
from edmscore.control.ports import AssignmentQuery, ControlUnitOfWork
from edmscore.errors import DeadlineAfterParent, StateError, ValidationError

__all__ = ["decide_extension", "generate_occurrences", "request_extension", "set_deadline"]

_OPEN = AssignmentState.OPEN


def request_extension(
    ctx: s.ControlContext,
    actor: ActorRef,
    assignment_id: str,
    expected_version: int,
    new_due: dt.date,
    reason: str,
) -> Assignment:
    """An executor asks to move the deadline (перенос срока), giving a reason (``execute``)."""
    with s.changing(ctx, actor, assignment_id, expected_version, "executor") as c:
        before = c.before
        if before.state is not _OPEN:
            raise StateError(f"assignment {assignment_id!r} is {before.state.value}, not open")
        if before.pending_extension is not None:
            raise StateError("a request to move this deadline is already pending")
        wanted = pendulum.Date(new_due.year, new_due.month, new_due.day)
        if before.due is None or wanted <= before.due:
            raise ValidationError("new_due", "an extension moves the deadline later")
        _within_parent(c.uow, before, wanted)
        request = ExtensionRequest(c.official, c.today(), wanted, reason)
        after = attrs.evolve(before, extensions=(*before.extensions, request))
        return c.commit("assignment.extension_requested", after)


def decide_extension(
    ctx: s.ControlContext,
    actor: ActorRef,
    assignment_id: str,
    expected_version: int,
    approve: bool,
    comment: str = "",
) -> Assignment:
    """Who set the deadline approves or rejects the pending request (``control``)."""
    with s.changing(ctx, actor, assignment_id, expected_version, "deadline setter") as c:
        before, official = c.before, c.official
        pending = before.pending_extension
        if pending is None:
            raise StateError("no request to move this deadline is pending")
        today = c.today()
        status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        decided = attrs.evolve(
            pending, status=status, decided_by=official, decided_on=today, comment=comment
        )
        extensions = tuple(decided if r is pending else r for r in before.extensions)
        after = attrs.evolve(before, extensions=extensions)
        if approve:
            if before.state is not _OPEN:
                raise StateError(f"assignment {assignment_id!r} is {before.state.value}")
            _within_parent(c.uow, before, pending.new_due)
            change = DeadlineChange(today, official, before.due, pending.new_due, pending.reason)
            after = attrs.evolve(
                after,
                due=pending.new_due,
                due_provisional=False,  # a date a person set
                deadline_history=(*before.deadline_history, change),
            )
        action = "assignment.extension_approved" if approve else "assignment.extension_rejected"
        return c.commit(action, after, comment)


def set_deadline(
    ctx: s.ControlContext,
    actor: ActorRef,
    assignment_id: str,
    expected_version: int,
    new_due: dt.date,
    reason: str,
    *,
    provisional: bool = False,
) -> Assignment:
    """Who set the deadline changes it directly (``control``); kept in the deadline history."""
    if not reason.strip():
        raise ValidationError("reason", "a deadline change needs a reason")
    with s.changing(ctx, actor, assignment_id, expected_version, "deadline setter") as c:
        before = c.before
        if before.state.is_closed:
            raise StateError(f"assignment {assignment_id!r} is {before.state.value}")
        wanted = pendulum.Date(new_due.year, new_due.month, new_due.day)
        _within_parent(c.uow, before, wanted)
        for child in s.children(c.uow, before):
            if child.due is not None and child.due > wanted:
                raise DeadlineAfterParent(child.due, wanted)
        change = DeadlineChange(c.today(), c.official, before.due, wanted, reason)
        after = attrs.evolve(
            before,
            due=wanted,
            due_provisional=provisional,  # a date a person chose is exact
            deadline_history=(*before.deadline_history, change),
        )
        return c.commit("assignment.deadline_changed", after, reason)


def _within_parent(uow: ControlUnitOfWork, assignment: Assignment, due: dt.date) -> None:
    if assignment.parent_id is None:
        return
    parent = uow.assignments.get(assignment.parent_id)
    if parent.due is not None and due > parent.due:
        raise DeadlineAfterParent(due, parent.due)


def generate_occurrences(
    ctx: s.ControlContext, actor: ActorRef, assignment_id: str, through: dt.date
) -> list[Assignment]:
    """Create the occurrences of a periodic assignment for every period begun by ``through``
    (``control``); ones already generated are not repeated. Returns the new occurrences."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.actor(ctx, uow, actor, now)
        schedule, _ = s.assignment_to_change(uow, me, assignment_id, None, now, Permission.CONTROL)
        if schedule.recurrence is None:
            raise StateError(f"assignment {assignment_id!r} is not periodic")
        if schedule.state.is_closed:
            raise StateError(f"assignment {assignment_id!r} is {schedule.state.value}")
        policy = schedule.recurrence.policy
        query = AssignmentQuery(occurrence_of=schedule.id, limit=1000)
        existing = {a.due for a in s.scan(uow, query, AccessScope.everything())}
        created: list[Assignment] = []
        for first, last in schedule.recurrence.periods():
            if first > through:
                break
            counted = policy.deadline(last, ctx.calendar)
            due = counted.date
            if due in existing:
                continue
            occurrence = Assignment(
                id=new_id(),
                organisation_id=schedule.organisation_id,
                card_id=schedule.card_id,
                resolution_id=schedule.resolution_id,
                author_id=schedule.author_id,
                text=f"{schedule.text} (за период {first:%d.%m.%Y}–{last:%d.%m.%Y})",
                executor_id=schedule.executor_id,
                issued_on=max(first, schedule.issued_on),
                due=due,
                deadline_set_by=schedule.deadline_set_by,
                co_executor_ids=schedule.co_executor_ids,
                department_id=schedule.department_id,
                on_control=schedule.on_control,
                controller_id=schedule.controller_id,
                deadline_basis=policy.code,
                occurrence_of=schedule.id,
                due_provisional=counted.provisional,
            )
            uow.assignments.add(occurrence)
            s.audit(
                uow, me, now, "assignment.occurrence_created", ("assignment", occurrence.id),
                {}, s.primitive(occurrence),
            )  # fmt: skip
            created.append(occurrence)
        uow.commit()
        return created
