"""The control use cases that read: an assignment, searches, trees, control lists, the summary.

These are the documented query API: a host schedules :func:`overdue` and :func:`due_soon` (e.g.
each morning), and partner firms build their own reports over :func:`assignments`. Every use
case needs ``read`` (somewhere: the actor's access scope narrows what is seen); a single object
on a card the actor may not see answers NotFound like a missing one, and every search passes the
actor's scope to the adapter, which applies it through the assignment's card. Reads of what
hangs off a ДСП card are audited.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs
import pendulum

from edmscore.access import Actor, ActorRef
from edmscore.audit import AuditEvent
from edmscore.calendar import due_in_working_days, overdue_by_working_days
from edmscore.control import _steps as s
from edmscore.control._model import Assignment, Resolution
from edmscore.control._requests import ControlItem, ControlSummary, Progress
from edmscore.control._states import AssignmentState
from edmscore.control.ports import AssignmentPage, AssignmentQuery, ControlUnitOfWork
from edmscore.errors import ValidationError
from edmscore.registry import RegistrationCard

__all__ = [
    "ListFilters",
    "assignments",
    "control_items",
    "due_soon",
    "get",
    "history",
    "overdue",
    "progress",
    "query",
    "resolution",
    "resolutions_of",
    "subtree",
    "summary",
]

_OPEN = frozenset({AssignmentState.OPEN})
_OPEN_OR_REPORTED = frozenset({AssignmentState.OPEN, AssignmentState.REPORTED})


# --- single objects --------------------------------------------------------------------------


def get(ctx: s.ControlContext, actor: ActorRef, assignment_id: str) -> Assignment:
    """The assignment; NotFound alike for a missing one and one on a card the actor may not see."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        assignment, card = s.assignment_of(uow, me, assignment_id, now)
        s.audit_reads(uow, me, now, "assignment.read", [(assignment_id, card)])
        uow.commit()
        return assignment


def resolution(ctx: s.ControlContext, actor: ActorRef, resolution_id: str) -> Resolution:
    """The resolution; NotFound alike for a missing one and one the actor may not see."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        found, card = s.resolution_of(uow, me, resolution_id, now)
        s.audit_reads(uow, me, now, "resolution.read", [(resolution_id, card)])
        uow.commit()
        return found


def resolutions_of(ctx: s.ControlContext, actor: ActorRef, card_id: str) -> Sequence[Resolution]:
    """The card's resolutions and sub-resolutions, oldest first."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        card = s.visible_card(uow, me, card_id, now)
        found = uow.resolutions.of_card(card_id)
        s.audit_reads(uow, me, now, "resolution.listed", [(r.id, card) for r in found])
        uow.commit()
        return found


def history(ctx: s.ControlContext, actor: ActorRef, assignment_id: str) -> Sequence[AuditEvent]:
    """The assignment's audit events, oldest first."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        _, card = s.assignment_of(uow, me, assignment_id, now)
        events = [event for _, event in uow.audit.events(assignment_id, limit=100_000)]
        s.audit_reads(uow, me, now, "assignment.history_read", [(assignment_id, card)])
        uow.commit()
        return events


# --- searches --------------------------------------------------------------------------------


def _own(me: Actor, wanted: AssignmentQuery) -> AssignmentQuery:
    """Searches default to the actor's organisation; another one named is narrowed by the scope
    (cards shared with the actor's organisation, supervised organisations)."""
    if wanted.organisation_id is not None:
        return wanted
    return attrs.evolve(wanted, organisation_id=me.organisation_id)


def query(ctx: s.ControlContext, actor: ActorRef, wanted: AssignmentQuery) -> AssignmentPage:
    """One page of assignments the actor may see (of their organisation unless another is
    named); the adapter applies the actor's access scope."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        page = uow.assignments.query(_own(me, wanted), me.scope())
        cards = s.cards_of(uow, page.items)
        s.audit_reads(
            uow, me, now, "assignment.listed", [(a.id, cards[a.card_id]) for a in page.items]
        )
        uow.commit()
        return page


def assignments(
    ctx: s.ControlContext, actor: ActorRef, wanted: AssignmentQuery
) -> Iterator[Assignment]:
    """Every assignment matching ``wanted``, page by page (one unit of work per page)."""
    while True:
        page = query(ctx, actor, wanted)
        yield from page.items
        if page.next_cursor is None:
            return
        wanted = attrs.evolve(wanted, after=page.next_cursor)


# --- trees -----------------------------------------------------------------------------------


def subtree(ctx: s.ControlContext, actor: ActorRef, assignment_id: str) -> list[Assignment]:
    """The assignment and every one passed down from it, depth first, by deadline."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        root, card = s.assignment_of(uow, me, assignment_id, now)
        result: list[Assignment] = []
        stack = [root]
        while stack:
            node = stack.pop()
            result.append(node)
            stack.extend(reversed(s.children(uow, node)))
        s.audit_reads(uow, me, now, "assignment.subtree_read", [(assignment_id, card)])
        uow.commit()
        return result


def progress(ctx: s.ControlContext, actor: ActorRef, assignment_id: str) -> Progress:
    """How the sub-assignments below an assignment stand: the parent sees their progress."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        root, card = s.assignment_of(uow, me, assignment_id, now)
        today = s.org_today(uow, root.organisation_id, now)
        below = s.descendants(uow, root)
        s.audit_reads(uow, me, now, "assignment.progress_read", [(assignment_id, card)])
        uow.commit()
    states = [a.state for a in below]
    late = sum(
        1 for a in below if a.state is AssignmentState.OPEN and a.due is not None and a.due < today
    )
    return Progress(
        total=len(below),
        open=states.count(AssignmentState.OPEN),
        reported=states.count(AssignmentState.REPORTED),
        done=states.count(AssignmentState.DONE),
        cancelled=states.count(AssignmentState.CANCELLED),
        overdue=late,
    )


# --- control lists ---------------------------------------------------------------------------


@attrs.frozen
class ListFilters:
    """The optional filters of the control lists (None: any)."""

    executor_id: str | None = None
    department_id: str | None = None
    controller_id: str | None = None
    on_control: bool | None = None


def _overdue_query(filters: ListFilters, today: pendulum.Date) -> AssignmentQuery:
    return AssignmentQuery(
        **attrs.asdict(filters), states=_OPEN, due_to=today.subtract(days=1), limit=1000
    )


def _due_soon_query(
    ctx: s.ControlContext, filters: ListFilters, working_days: int, today: pendulum.Date
) -> AssignmentQuery:
    if not isinstance(working_days, int) or working_days < 0:
        raise ValidationError("working_days", "must be a non-negative integer")
    last = ctx.calendar.add_working_days(today, working_days) if working_days else today
    return AssignmentQuery(
        **attrs.asdict(filters), states=_OPEN, due_from=today, due_to=last, limit=1000
    )


def control_items(
    ctx: s.ControlContext,
    uow: ControlUnitOfWork,
    me: Actor,
    now: pendulum.DateTime,
    wanted: AssignmentQuery,
    today: pendulum.Date,
) -> list[ControlItem]:
    """The assignments of a control list within the actor's scope, with their card numbers and
    days left or late; the ones on ДСП cards audited as listed (no commit)."""
    found = list(s.scan(uow, _own(me, wanted), me.scope()))
    cards = s.cards_of(uow, found)
    s.audit_reads(uow, me, now, "assignment.listed", [(a.id, cards[a.card_id]) for a in found])
    return [_item(ctx, a, cards[a.card_id], today) for a in found]


def _item(
    ctx: s.ControlContext, a: Assignment, card: RegistrationCard, today: pendulum.Date
) -> ControlItem:
    due = a.due
    if due is None:
        return ControlItem(a, card.number, 0, 0, 0)
    return ControlItem(
        assignment=a,
        card_number=card.number,
        working_days_left=due_in_working_days(due, today, ctx.calendar),
        working_days_late=overdue_by_working_days(due, today, ctx.calendar),
        days_late=max(0, (today - due).days),
    )


def overdue(ctx: s.ControlContext, actor: ActorRef, filters: ListFilters) -> list[ControlItem]:
    """Assignments not reported whose deadline has passed today (in the organisation's zone)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        today = s.org_today(uow, me.organisation_id, now)
        items = control_items(ctx, uow, me, now, _overdue_query(filters, today), today)
        uow.commit()
        return items


def due_soon(
    ctx: s.ControlContext, actor: ActorRef, working_days: int, filters: ListFilters
) -> list[ControlItem]:
    """Assignments not reported that fall due within ``working_days`` working days, today
    included (0: due today), on the production calendar."""
    if not isinstance(working_days, int) or working_days < 0:
        raise ValidationError("working_days", "must be a non-negative integer")
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        today = s.org_today(uow, me.organisation_id, now)
        wanted = _due_soon_query(ctx, filters, working_days, today)
        items = control_items(ctx, uow, me, now, wanted, today)
        uow.commit()
        return items


def summary(ctx: s.ControlContext, actor: ActorRef, due_soon_days: int = 3) -> ControlSummary:
    """The day's control summary of what the actor may see: open, on control, awaiting
    acceptance, due, overdue (one unit of work)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        today = s.org_today(uow, me.organisation_id, now)
        open_query = _own(me, AssignmentQuery(states=_OPEN_OR_REPORTED, limit=1000))
        open_now = list(s.scan(uow, open_query, me.scope()))
        soon_query = _due_soon_query(ctx, ListFilters(), due_soon_days, today)
        soon = control_items(ctx, uow, me, now, soon_query, today)
        late = control_items(ctx, uow, me, now, _overdue_query(ListFilters(), today), today)
        uow.commit()
    return ControlSummary(
        today=today,
        open_total=sum(1 for a in open_now if a.state is AssignmentState.OPEN),
        on_control=sum(1 for a in open_now if a.on_control),
        awaiting_acceptance=sum(1 for a in open_now if a.state is AssignmentState.REPORTED),
        due_today=tuple(i for i in soon if i.assignment.due == today),
        due_soon=tuple(i for i in soon if i.assignment.due != today),
        overdue=tuple(late),
        due_soon_days=due_soon_days,
    )
