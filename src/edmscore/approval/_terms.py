"""Terms in working days on the production calendar, and the overdue tasks they produce."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pendulum

from edmscore.approval._enums import DraftState, StageOutcome
from edmscore.approval._model import Assignment, Cycle, Draft, Stage
from edmscore.calendar import ProductionCalendar, overdue_by_working_days

__all__ = [
    "SIGNING_STAGE",
    "OverdueTask",
    "assignment_due",
    "overdue_signature",
    "overdue_signatures",
    "overdue_tasks",
    "signing_due",
    "stage_due",
]

#: The stage name of the signing step in overdue tasks and on the approval sheet.
SIGNING_STAGE = "Подписание"


def _due(
    start: pendulum.DateTime, days: int, calendar: ProductionCalendar, tz: str
) -> pendulum.Date:
    return calendar.add_working_days(start.in_timezone(tz).date(), days)


def assignment_due(
    assignment: Assignment, calendar: ProductionCalendar, timezone: str
) -> pendulum.Date | None:
    """The participant's last day: ``term_days`` working days after the day they got the draft."""
    if assignment.activated_at is None:
        return None
    return _due(assignment.activated_at, assignment.term_days, calendar, timezone)


def stage_due(stage: Stage, calendar: ProductionCalendar, timezone: str) -> pendulum.Date | None:
    """The stage's last day: ``term_days`` working days after the day it started."""
    if stage.started_at is None:
        return None
    return _due(stage.started_at, stage.term_days, calendar, timezone)


def signing_due(cycle: Cycle, calendar: ProductionCalendar, timezone: str) -> pendulum.Date | None:
    """The signatory's last day: ``signing_term_days`` working days after the day the last stage
    completed; None while a stage is still open (or a stage failed)."""
    started = cycle.signing_started_at
    if started is None:
        return None
    return _due(started, cycle.signing_term_days, calendar, timezone)


@attrs.frozen
class OverdueTask:
    """A required visa or a signature not given in time: whose, on which draft and stage, due
    when, by how much.

    For the signing step ``signing`` is true, ``stage_index`` is the number of stages (one past
    the last) and ``stage`` is «Подписание».
    """

    draft_id: str
    cycle: int
    stage_index: int
    stage: str
    official_id: str
    name: str
    due: pendulum.Date
    working_days_overdue: int
    signing: bool = False


def overdue_tasks(
    draft: Draft, today: pendulum.Date, calendar: ProductionCalendar, timezone: str
) -> Iterator[OverdueTask]:
    """Open required assignments of the running stage past their own or their stage's term."""
    cycle = draft.cycle
    if draft.state is not DraftState.IN_APPROVAL or cycle is None:
        return
    stage = cycle.stages[cycle.current_stage]
    if stage.outcome is not StageOutcome.ACTIVE:
        return
    whole = stage_due(stage, calendar, timezone)
    for assignment in stage.required:
        if assignment.visa is not None or assignment.activated_at is None:
            continue
        own = assignment_due(assignment, calendar, timezone)
        assert own is not None and whole is not None
        due = min(own, whole)
        late = overdue_by_working_days(due, today, calendar)
        if today > due:
            yield OverdueTask(
                draft.id,
                cycle.number,
                cycle.current_stage,
                stage.name,
                assignment.official_id,
                assignment.name,
                due,
                late,
            )


def overdue_signature(
    draft: Draft,
    today: pendulum.Date,
    calendar: ProductionCalendar,
    timezone: str,
    signatory_name: str = "",
) -> OverdueTask | None:
    """The pending signature of a draft awaiting it, when its term has passed by ``today``."""
    cycle = draft.cycle
    if draft.state is not DraftState.AWAITING_SIGNATURE or cycle is None:
        return None
    due = signing_due(cycle, calendar, timezone)
    if due is None or today <= due:
        return None
    return OverdueTask(
        draft.id,
        cycle.number,
        len(cycle.stages),
        SIGNING_STAGE,
        cycle.signatory_id,
        signatory_name or cycle.signatory_id,
        due,
        overdue_by_working_days(due, today, calendar),
        signing=True,
    )


def overdue_signatures(
    draft: Draft,
    today: pendulum.Date,
    calendar: ProductionCalendar,
    timezone: str,
    signatory_name: str = "",
) -> list[OverdueTask]:
    """A task per signatory still to sign (the draft's own, co-signers, countersigners) once
    the signing term has passed by ``today``; ``signatory_name`` is the draft's signatory's."""
    task = overdue_signature(draft, today, calendar, timezone, signatory_name)
    cycle = draft.cycle
    if task is None or cycle is None:
        return []
    names = {c.official_id: c.name for c in cycle.co_signatories}
    return [
        attrs.evolve(task, official_id=seat, name=names.get(seat, task.name))
        for seat in cycle.signatory_ids
        if cycle.signed_by(seat) is None
    ]
