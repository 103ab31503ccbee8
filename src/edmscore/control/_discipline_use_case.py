"""The execution-discipline report use case (``read_reports``).

The counts come from :meth:`~edmscore.control.AssignmentRepository.discipline_counts` with the
reader's access scope, so totals, percentages and the overdue list count only assignments on
cards the reader may see (a department-limited reader: their departments' cards; no ДСП
clearance: no ДСП cards).
"""

from __future__ import annotations

import datetime as dt

import pendulum

from edmscore.access import ActorRef, Permission
from edmscore.control import _steps as s
from edmscore.control._discipline import DisciplineReport, OverdueLine, build_discipline_report
from edmscore.control._queries import control_items
from edmscore.control._requests import ControlItem
from edmscore.control.ports import AssignmentQuery, classify
from edmscore.errors import ValidationError

__all__ = ["discipline"]

_LATE_OPEN = 2  # classify(): overdue and not completed


def discipline(
    ctx: s.ControlContext,
    actor: ActorRef,
    period_from: dt.date,
    period_to: dt.date,
    as_of: dt.date | None = None,
) -> DisciplineReport:
    """The discipline report of the actor's organisation for assignments due in the period, as
    things stood on ``as_of`` (default today), over what the actor may see."""
    if period_to < period_from:
        raise ValidationError("period_to", "the period ends before it starts")
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now, Permission.READ_REPORTS)
        organisation = me.organisation
        day = as_of or s.org_today(uow, organisation.id, now)
        scope = me.scope()
        counts = uow.assignments.discipline_counts(
            organisation.id, period_from, period_to, day, scope
        )
        departments = {d.id: d.name for d in uow.directory.departments(organisation.id)}
        officials = {o.id: o for o in uow.directory.officials(organisation.id)}
        today = pendulum.Date(day.year, day.month, day.day)
        query = AssignmentQuery(due_from=period_from, due_to=min(period_to, day), limit=1000)
        late = [i for i in control_items(ctx, uow, me, now, query, today) if _late_open(i, today)]
        uow.commit()
    names = {key: o.name.surname_initials for key, o in officials.items()}
    return build_discipline_report(
        counts,
        period_from=period_from,
        period_to=period_to,
        as_of=day,
        department_names=departments,
        executor_names=names,
        overdue=[_overdue_line(item, names, departments) for item in late],
    )


def _late_open(item: ControlItem, today: dt.date) -> bool:
    a = item.assignment
    return (
        a.counts_for_discipline
        and a.due is not None
        and classify(a.due, a.completed_on, today) == _LATE_OPEN
    )


def _overdue_line(
    item: ControlItem, names: dict[str, str], departments: dict[str, str]
) -> OverdueLine:
    a = item.assignment
    assert a.due is not None
    return OverdueLine(
        assignment_id=a.id,
        card_number=item.card_number,
        text=a.text,
        executor=names.get(a.executor_id, a.executor_id),
        department=departments.get(a.department_id or "", "—"),
        due=a.due,
        days_late=item.days_late,
        working_days_late=item.working_days_late,
        provisional=a.due_provisional,
    )
