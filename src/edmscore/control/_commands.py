"""The control use cases that move assignments: impose, pass down, report, accept, return, cancel.

Each one resolves the actor from the directory inside one unit of work, loads the card (a hidden
card answers NotFound), checks the permission for the card's department and that the actor acts
for the official the step belongs to, applies the state machine, appends an audit event with the
fields before and after, and commits.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import Actor, ActorRef, Permission
from edmscore.control import _steps as s
from edmscore.control._model import (
    Assignment,
    AssignmentKind,
    ExecutionReport,
    Recurrence,
    ReportStatus,
    Resolution,
)
from edmscore.control._requests import ItemRequest, ReportFile, ResolutionRequest
from edmscore.control._states import AssignmentAction, AssignmentState, check_transition
from edmscore.control.ports import ControlUnitOfWork
from edmscore.errors import DeadlineAfterParent, StateError, ValidationError
from edmscore.registry import FileRef

__all__ = [
    "accept",
    "acknowledge",
    "cancel",
    "impose",
    "impose_in",
    "pass_down",
    "report",
    "return_for_rework",
]

_OPEN = AssignmentState.OPEN
_DONE = AssignmentState.DONE


# --- resolutions -----------------------------------------------------------------------------


def impose(ctx: s.ControlContext, actor: ActorRef, request: ResolutionRequest) -> Resolution:
    """Impose a resolution on a card (``impose_resolution`` for the card's department)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.actor(ctx, uow, actor, now)
        resolution = impose_in(ctx, uow, me, now, request)
        uow.commit()
        return resolution


def impose_in(
    ctx: s.ControlContext,
    uow: ControlUnitOfWork,
    me: Actor,
    now: pendulum.DateTime,
    request: ResolutionRequest,
) -> Resolution:
    """:func:`impose` inside a unit of work the caller commits (approving a draft resolution)."""
    card = s.visible_card(uow, me, request.card_id, now)
    me.require_own(card.organisation_id, "a card")
    me.require(Permission.IMPOSE_RESOLUTION, card.details.department_id)
    s.official_of(uow, card.organisation_id, request.author_id)
    resolution = _resolution(ctx, uow, me, now, request, card.organisation_id, None)
    if any(item.on_control for item in request.items) and not card.details.on_control:
        changed = attrs.evolve(card, details=attrs.evolve(card.details, on_control=True))
        uow.cards.update(changed, card.version)
        s.audit(
            uow, me, now, "card.put_on_control", ("card", card.id),
            {"on_control": False}, {"on_control": True},
        )  # fmt: skip
    return resolution


def pass_down(
    ctx: s.ControlContext,
    actor: ActorRef,
    parent_id: str,
    text: str,
    items: Sequence[ItemRequest],
) -> Resolution:
    """A sub-resolution by the parent's executor (``execute``); deadlines within the parent's."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.actor(ctx, uow, actor, now)
        parent, _ = s.assignment_to_change(uow, me, parent_id, None, now, Permission.EXECUTE)
        official = s.acting_official(me, *parent.executors, role="executor")
        if parent.state is not _OPEN:
            raise StateError(f"assignment {parent_id!r} is {parent.state.value}, not open")
        if parent.kind is not AssignmentKind.EXECUTION:
            raise StateError("an assignment «к сведению» cannot be passed down")
        request = ResolutionRequest(
            card_id=parent.card_id, author_id=official, text=text, items=tuple(items)
        )
        resolution = _resolution(ctx, uow, me, now, request, parent.organisation_id, parent)
        uow.commit()
        return resolution


def _resolution(
    ctx: s.ControlContext,
    uow: ControlUnitOfWork,
    me: Actor,
    now: pendulum.DateTime,
    request: ResolutionRequest,
    organisation_id: str,
    parent: Assignment | None,
) -> Resolution:
    """Store the resolution and its assignments, each with an audit event."""
    today = s.org_today(uow, organisation_id, now)
    day = pendulum.Date(*(request.date or today).timetuple()[:3])
    if day > today:
        raise ValidationError("date", "a resolution cannot be dated in the future")
    resolution_id = request.resolution_id or new_id()
    assignments = [
        _new_assignment(ctx, uow, request, item, resolution_id, organisation_id, day, parent)
        for item in request.items
    ]
    resolution = Resolution(
        id=resolution_id,
        organisation_id=organisation_id,
        card_id=request.card_id,
        author_id=request.author_id,
        text=request.text,
        date=day,
        item_ids=tuple(a.id for a in assignments),
        parent_assignment_id=parent.id if parent is not None else None,
    )
    uow.resolutions.add(resolution)
    s.audit(
        uow, me, now, "resolution.imposed", ("resolution", resolution.id), {},
        s.primitive(resolution),
    )  # fmt: skip
    for assignment in assignments:
        uow.assignments.add(assignment)
        s.audit(
            uow, me, now, "assignment.created", ("assignment", assignment.id), {},
            s.primitive(assignment),
        )  # fmt: skip
    return resolution


def _new_assignment(
    ctx: s.ControlContext,
    uow: ControlUnitOfWork,
    request: ResolutionRequest,
    item: ItemRequest,
    resolution_id: str,
    organisation_id: str,
    day: pendulum.Date,
    parent: Assignment | None,
) -> Assignment:
    """One item of a resolution as an assignment, its deadline computed."""
    executor = s.official_of(uow, organisation_id, item.executor_id)
    for official_id in item.co_executor_ids:
        s.official_of(uow, organisation_id, official_id)
    if item.controller_id is not None:
        s.official_of(uow, organisation_id, item.controller_id)
    recurrence: Recurrence | None = None
    provisional = False
    if item.kind is AssignmentKind.INFORMATION and item.deadline is None:
        due: pendulum.Date | None = None
        basis = ""
    elif item.recurrence is not None:
        wanted = item.recurrence
        recurrence = Recurrence(wanted.period, day, wanted.until, wanted.policy)
        last_period_end = recurrence.periods()[-1][1]
        counted = wanted.policy.deadline(last_period_end, ctx.calendar)
        due, basis, provisional = counted.date, wanted.policy.code, counted.provisional
    elif parent is not None and item.deadline is None:
        due, basis = parent.due, "parent"  # no deadline given: the parent's
        provisional = parent.due_provisional
    else:
        counted, basis = s.due_date(ctx.calendar, item.deadline, day)
        due, provisional = counted.date, counted.provisional or item.deadline_provisional
    if parent is not None and due is not None and parent.due is not None and due > parent.due:
        raise DeadlineAfterParent(due, parent.due)
    return Assignment(
        id=item.assignment_id or new_id(),
        organisation_id=organisation_id,
        card_id=request.card_id,
        resolution_id=resolution_id,
        author_id=request.author_id,
        text=item.text,
        executor_id=item.executor_id,
        issued_on=day,
        due=due,
        deadline_set_by=request.author_id,
        kind=item.kind,
        co_executor_ids=item.co_executor_ids,
        department_id=executor.department_id,
        on_control=item.on_control,
        controller_id=item.controller_id,
        parent_id=parent.id if parent is not None else None,
        depth=parent.depth + 1 if parent is not None else 0,
        deadline_basis=basis,
        recurrence=recurrence,
        due_provisional=provisional,
    )


# --- execution -------------------------------------------------------------------------------


def report(
    ctx: s.ControlContext,
    actor: ActorRef,
    assignment_id: str,
    expected_version: int,
    text: str,
    files: Sequence[ReportFile] = (),
) -> Assignment:
    """An execution report by one of the executors (``execute``)."""
    with s.changing(ctx, actor, assignment_id, expected_version, "executor") as c:
        before = c.before
        if before.kind is AssignmentKind.INFORMATION:
            raise StateError("an assignment «к сведению» needs no report: acknowledge it")
        if before.state is not _OPEN:
            raise StateError(f"assignment {assignment_id!r} is {before.state.value}, not open")
        today = c.today()
        refs = tuple(
            FileRef(f.name, len(f.content), c.uow.blobs.put(f.content), f.media_type) for f in files
        )
        responsible = c.official == before.executor_id
        entry = ExecutionReport(c.official, text, today, refs, responsible)
        after = attrs.evolve(before, reports=(*before.reports, entry))
        if responsible:
            _no_open_children(c.uow, before)
            action = AssignmentAction.SUBMIT if before.on_control else AssignmentAction.COMPLETE
            target = check_transition(before.state, action)
            after = attrs.evolve(
                after,
                state=target,
                completed_on=today,
                closed_on=today if target is _DONE else None,
            )
        return c.commit("assignment.reported", after)


def _no_open_children(uow: ControlUnitOfWork, assignment: Assignment) -> None:
    for child in s.descendants(uow, assignment):
        if child.on_control and not child.state.is_closed:
            raise StateError(f"sub-assignment {child.id!r} on control is still {child.state.value}")


def acknowledge(
    ctx: s.ControlContext, actor: ActorRef, assignment_id: str, expected_version: int
) -> Assignment:
    """An executor acknowledges an assignment «к сведению» (``execute``): it is done."""
    with s.changing(ctx, actor, assignment_id, expected_version, "executor") as c:
        if c.before.kind is not AssignmentKind.INFORMATION:
            raise StateError("only an assignment «к сведению» is acknowledged")
        today = c.today()
        after = attrs.evolve(
            c.before,
            state=check_transition(c.before.state, AssignmentAction.COMPLETE),
            completed_on=today,
            closed_on=today,
        )
        return c.commit("assignment.acknowledged", after)


def accept(
    ctx: s.ControlContext, actor: ActorRef, assignment_id: str, expected_version: int
) -> Assignment:
    """The controller accepts the report (``control``): the assignment leaves control."""
    with s.changing(ctx, actor, assignment_id, expected_version, "controller") as c:
        after = attrs.evolve(
            c.before,
            state=check_transition(c.before.state, AssignmentAction.ACCEPT),
            closed_on=c.today(),
            reports=_decide_last(c.before.reports, ReportStatus.ACCEPTED, c.official, ""),
        )
        return c.commit("assignment.accepted", after)


def return_for_rework(
    ctx: s.ControlContext, actor: ActorRef, assignment_id: str, expected_version: int, reason: str
) -> Assignment:
    """The controller returns the report with a reason (``control``): open again."""
    if not reason.strip():
        raise ValidationError("reason", "a return needs a reason")
    with s.changing(ctx, actor, assignment_id, expected_version, "controller") as c:
        after = attrs.evolve(
            c.before,
            state=check_transition(c.before.state, AssignmentAction.RETURN),
            completed_on=None,
            reports=_decide_last(c.before.reports, ReportStatus.RETURNED, c.official, reason),
        )
        return c.commit("assignment.returned", after, reason)


def cancel(
    ctx: s.ControlContext, actor: ActorRef, assignment_id: str, expected_version: int, reason: str
) -> Assignment:
    """The author cancels the assignment and every open one below it (``control``)."""
    if not reason.strip():
        raise ValidationError("reason", "a cancellation needs a reason")
    with s.changing(ctx, actor, assignment_id, expected_version, "author") as c:
        today = c.today()
        for child in s.descendants(c.uow, c.before):
            if not child.state.is_closed:
                cancelled = attrs.evolve(
                    child,
                    state=check_transition(child.state, AssignmentAction.CANCEL),
                    closed_on=today,
                )
                s.store(c.uow, c.me, c.now, "assignment.cancelled", child, cancelled, reason)
        after = attrs.evolve(
            c.before,
            state=check_transition(c.before.state, AssignmentAction.CANCEL),
            closed_on=today,
        )
        return c.commit("assignment.cancelled", after, reason)


def _decide_last(
    reports: tuple[ExecutionReport, ...], status: ReportStatus, official: str, reason: str
) -> tuple[ExecutionReport, ...]:
    """Mark the latest report of the responsible executor accepted or returned."""
    for index in range(len(reports) - 1, -1, -1):
        if reports[index].responsible:
            decided = attrs.evolve(
                reports[index], status=status, decided_by=official, reason=reason
            )
            return (*reports[:index], decided, *reports[index + 1 :])
    return reports
