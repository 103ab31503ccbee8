"""Recounting the provisional deadlines of assignments once the decree of their year is loaded.

An assignment whose deadline a policy counted into a year without a decree carries
``due_provisional``. Built with a calendar that now has the decree, :func:`recompute_provisional`
counts each one again from the same start — the day it was given (a policy's code is looked up in
``policies``), the period's last day (a periodic item or occurrence), or the parent's deadline —
and reports it, moved or not. A moved deadline enters the deadline history; every change is
audited. A deadline whose policy is not known stays as it is, still provisional.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs
import pendulum

from edmscore.access import ActorRef, Permission
from edmscore.calendar import Deadline, DeadlineMove, DeadlinePolicy
from edmscore.control import _steps as s
from edmscore.control._model import Assignment, DeadlineChange
from edmscore.control.ports import AssignmentQuery, ControlUnitOfWork
from edmscore.errors import ValidationError

__all__ = ["recompute_provisional"]

_REASON = "пересчёт срока по загруженному постановлению о переносе выходных дней"


def recompute_provisional(
    ctx: s.ControlContext,
    actor: ActorRef,
    due_from: dt.date,
    due_to: dt.date,
    policies: Mapping[str, DeadlinePolicy],
) -> tuple[DeadlineMove, ...]:
    """Recount the provisional deadlines in ``[due_from, due_to]`` of the actor's organisation
    (``control`` for each assignment's card department); returns every recounted deadline."""
    if due_to < due_from:
        raise ValidationError("due_to", "the period ends before it starts")
    now = ctx.now()
    moves: list[DeadlineMove] = []
    with ctx.storage.unit_of_work() as uow:
        me = s.actor(ctx, uow, actor, now)
        query = AssignmentQuery(
            organisation_id=me.organisation_id, due_from=due_from, due_to=due_to, limit=1000
        )
        found = [a for a in s.scan(uow, query, me.scope()) if a.due_provisional]
        new_dues: dict[str, Deadline] = {}
        for before in sorted(found, key=lambda a: (a.depth, a.id)):
            s.assignment_to_change(uow, me, before.id, before.version, now, Permission.CONTROL)
            counted = _recounted(ctx, uow, before, policies, new_dues)
            new_dues[before.id] = counted
            assert before.due is not None
            moves.append(
                DeadlineMove(
                    "assignment",
                    before.id,
                    _number(uow, before),
                    "due",
                    before.due,
                    counted.date,
                    counted.provisional,
                )
            )
            history = before.deadline_history
            if counted.date != before.due:
                today = s.org_today(uow, before.organisation_id, now)
                history = (
                    *history,
                    DeadlineChange(today, me.id, before.due, counted.date, _REASON),
                )
            after = attrs.evolve(
                before,
                due=counted.date,
                due_provisional=counted.provisional,
                deadline_history=history,
            )
            s.store(
                uow, me, now, "assignment.deadline_recomputed", before, after, moves[-1].describe()
            )
        uow.commit()
    return tuple(moves)


def _number(uow: ControlUnitOfWork, assignment: Assignment) -> str:
    return uow.cards.get(assignment.card_id).number


def _recounted(
    ctx: s.ControlContext,
    uow: ControlUnitOfWork,
    a: Assignment,
    policies: Mapping[str, DeadlinePolicy],
    new_dues: Mapping[str, Deadline],
) -> Deadline:
    assert a.due is not None
    calendar = ctx.calendar
    if a.recurrence is not None:
        last = a.recurrence.periods()[-1][1]
        return a.recurrence.policy.deadline(last, calendar)
    if a.occurrence_of is not None:
        schedule = uow.assignments.get(a.occurrence_of)
        if schedule.recurrence is not None:
            for first, last in schedule.recurrence.periods():
                if max(first, schedule.issued_on) == a.issued_on:
                    return schedule.recurrence.policy.deadline(last, calendar)
    if a.deadline_basis == "parent" and a.parent_id is not None:
        if a.parent_id in new_dues:
            return new_dues[a.parent_id]
        parent = uow.assignments.get(a.parent_id)
        if parent.due is not None:
            return Deadline(parent.due, parent.due_provisional)
    policy = policies.get(a.deadline_basis)
    if policy is not None:
        return policy.deadline(a.issued_on, calendar)
    return Deadline(pendulum.Date(a.due.year, a.due.month, a.due.day), True)
