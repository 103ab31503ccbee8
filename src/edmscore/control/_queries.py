"""The control use cases that read: searches, control lists, progress, summary, discipline.

These are the documented query API: a host schedules :meth:`ControlQueries.overdue` and
:meth:`ControlQueries.due_soon` (e.g. each morning), and partner firms build their own reports
over :meth:`ControlQueries.assignments` without reaching into adapters. Every search applies the
actor's access scope through the assignment's card.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import attrs
import pendulum

from edmscore.access import AccessScope
from edmscore.audit import AuditEvent
from edmscore.calendar import due_in_working_days, overdue_by_working_days
from edmscore.control._base import ControlBase
from edmscore.control._discipline import DisciplineReport, OverdueLine, build_discipline_report
from edmscore.control._model import Assignment, Resolution
from edmscore.control._requests import ControlItem, ControlSummary, Progress
from edmscore.control._states import AssignmentState
from edmscore.control.ports import AssignmentPage, AssignmentQuery, classify
from edmscore.directory import User
from edmscore.errors import AccessDenied, ValidationError

__all__ = ["ControlQueries"]

_OPEN = frozenset({AssignmentState.OPEN})
_OPEN_OR_REPORTED = frozenset({AssignmentState.OPEN, AssignmentState.REPORTED})


class ControlQueries(ControlBase):
    """The reading use cases of :class:`~edmscore.control.ControlService`."""

    def get(self, actor: User, assignment_id: str) -> Assignment:
        """The assignment; :class:`AccessDenied` if the actor may not see its card."""
        with self.storage.unit_of_work() as uow:
            return self._assignment(uow, actor, assignment_id)

    def resolution(self, actor: User, resolution_id: str) -> Resolution:
        """The resolution."""
        with self.storage.unit_of_work() as uow:
            resolution = uow.resolutions.get(resolution_id)
            self._card(uow, actor, resolution.card_id)
            return resolution

    def resolutions_of(self, actor: User, card_id: str) -> Sequence[Resolution]:
        """The card's resolutions and sub-resolutions, oldest first."""
        with self.storage.unit_of_work() as uow:
            self._card(uow, actor, card_id)
            return uow.resolutions.of_card(card_id)

    def history(self, actor: User, assignment_id: str) -> Sequence[AuditEvent]:
        """The assignment's audit events, oldest first."""
        with self.storage.unit_of_work() as uow:
            self._assignment(uow, actor, assignment_id)
            return [event for _, event in uow.audit.events(assignment_id, limit=100_000)]

    def query(self, actor: User, query: AssignmentQuery) -> AssignmentPage:
        """One page of assignments of the actor's organisation the actor may see."""
        self._require_active(actor)
        query = self._own(actor, query)
        with self.storage.unit_of_work() as uow:
            return uow.assignments.query(query, AccessScope.of(actor))

    def assignments(self, actor: User, query: AssignmentQuery) -> Iterator[Assignment]:
        """Every assignment matching ``query``, page by page (one unit of work per page)."""
        while True:
            page = self.query(actor, query)
            yield from page.items
            if page.next_cursor is None:
                return
            query = attrs.evolve(query, after=page.next_cursor)

    @staticmethod
    def _own(actor: User, query: AssignmentQuery) -> AssignmentQuery:
        if query.organisation_id not in (None, actor.organisation_id):
            raise AccessDenied(f"user {actor.login!r} works in another organisation")
        return attrs.evolve(query, organisation_id=actor.organisation_id)

    # --- trees ---------------------------------------------------------------------------------

    def subtree(self, actor: User, assignment_id: str) -> list[Assignment]:
        """The assignment and every one passed down from it, depth first, by deadline."""
        with self.storage.unit_of_work() as uow:
            root = self._assignment(uow, actor, assignment_id)
            result: list[Assignment] = []
            stack = [root]
            while stack:
                node = stack.pop()
                result.append(node)
                stack.extend(reversed(self._children(uow, node)))
            return result

    def progress(self, actor: User, assignment_id: str) -> Progress:
        """How the sub-assignments below an assignment stand: the parent sees their progress."""
        with self.storage.unit_of_work() as uow:
            root = self._assignment(uow, actor, assignment_id)
            today = self._org_today(uow, root.organisation_id)
            below = self._descendants(uow, root)
        states = [a.state for a in below]
        overdue = sum(
            1
            for a in below
            if a.state is AssignmentState.OPEN and a.due is not None and a.due < today
        )
        return Progress(
            total=len(below),
            open=states.count(AssignmentState.OPEN),
            reported=states.count(AssignmentState.REPORTED),
            done=states.count(AssignmentState.DONE),
            cancelled=states.count(AssignmentState.CANCELLED),
            overdue=overdue,
        )

    # --- control lists -------------------------------------------------------------------------

    def overdue(
        self,
        actor: User,
        *,
        executor_id: str | None = None,
        department_id: str | None = None,
        controller_id: str | None = None,
        on_control: bool | None = None,
    ) -> list[ControlItem]:
        """Assignments not reported whose deadline has passed today (in the organisation's zone)."""
        with self.storage.unit_of_work() as uow:
            today = self._org_today(uow, actor.organisation_id)
        query = AssignmentQuery(
            executor_id=executor_id,
            department_id=department_id,
            controller_id=controller_id,
            on_control=on_control,
            states=_OPEN,
            due_to=today.subtract(days=1),
            limit=1000,
        )
        return self._items(actor, query, today)

    def due_soon(
        self,
        actor: User,
        working_days: int,
        *,
        executor_id: str | None = None,
        department_id: str | None = None,
        controller_id: str | None = None,
        on_control: bool | None = None,
    ) -> list[ControlItem]:
        """Assignments not reported that fall due within ``working_days`` working days.

        Today included: 0 lists those due today; 3 those due by the third working day from
        today, on the production calendar.
        """
        if not isinstance(working_days, int) or working_days < 0:
            raise ValidationError("working_days", "must be a non-negative integer")
        with self.storage.unit_of_work() as uow:
            today = self._org_today(uow, actor.organisation_id)
        last = self.calendar.add_working_days(today, working_days) if working_days else today
        query = AssignmentQuery(
            executor_id=executor_id,
            department_id=department_id,
            controller_id=controller_id,
            on_control=on_control,
            states=_OPEN,
            due_from=today,
            due_to=last,
            limit=1000,
        )
        return self._items(actor, query, today)

    def _items(
        self, actor: User, query: AssignmentQuery, today: pendulum.Date
    ) -> list[ControlItem]:
        found = list(self.assignments(actor, query))
        with self.storage.unit_of_work() as uow:
            numbers = {a.card_id: uow.cards.get(a.card_id).number for a in found}
        return [self._item(a, numbers[a.card_id], today) for a in found]

    def _item(self, a: Assignment, number: str, today: pendulum.Date) -> ControlItem:
        due = a.due
        if due is None:
            return ControlItem(a, number, 0, 0, 0)
        late = max(0, (today - due).days) if today > due else 0
        return ControlItem(
            assignment=a,
            card_number=number,
            working_days_left=due_in_working_days(due, today, self.calendar),
            working_days_late=overdue_by_working_days(due, today, self.calendar),
            days_late=late,
        )

    def summary(self, actor: User, due_soon_days: int = 3) -> ControlSummary:
        """The day's control summary: open, on control, awaiting acceptance, due, overdue."""
        with self.storage.unit_of_work() as uow:
            today = self._org_today(uow, actor.organisation_id)
        open_now = list(self.assignments(actor, AssignmentQuery(states=_OPEN_OR_REPORTED)))
        soon = self.due_soon(actor, due_soon_days)
        return ControlSummary(
            today=today,
            open_total=sum(1 for a in open_now if a.state is AssignmentState.OPEN),
            on_control=sum(1 for a in open_now if a.on_control),
            awaiting_acceptance=sum(1 for a in open_now if a.state is AssignmentState.REPORTED),
            due_today=tuple(i for i in soon if i.assignment.due == today),
            due_soon=tuple(i for i in soon if i.assignment.due != today),
            overdue=tuple(self.overdue(actor)),
            due_soon_days=due_soon_days,
        )

    # --- the discipline report -----------------------------------------------------------------

    def discipline(
        self,
        actor: User,
        period_from: dt.date,
        period_to: dt.date,
        as_of: dt.date | None = None,
    ) -> DisciplineReport:
        """The execution-discipline report of the actor's organisation for assignments due in
        ``[period_from, period_to]``, as things stood on ``as_of`` (default today)."""
        if period_to < period_from:
            raise ValidationError("period_to", "the period ends before it starts")
        self._require_active(actor)
        with self.storage.unit_of_work() as uow:
            organisation = uow.directory.organisation(actor.organisation_id)
            day = as_of or self._today(self._now(), organisation.timezone)
            counts = uow.assignments.discipline_counts(organisation.id, period_from, period_to, day)
            departments = {d.id: d.name for d in uow.directory.departments(organisation.id)}
            officials = {o.id: o for o in uow.directory.officials(organisation.id)}
        names = {key: o.name.surname_initials for key, o in officials.items()}
        query = AssignmentQuery(due_from=period_from, due_to=min(period_to, day), limit=1000)
        lines = [
            self._overdue_line(item, names, departments)
            for item in self._late_items(actor, query, day)
        ]
        return build_discipline_report(
            counts,
            period_from=period_from,
            period_to=period_to,
            as_of=day,
            department_names=departments,
            executor_names=names,
            overdue=lines,
        )

    def _late_items(self, actor: User, query: AssignmentQuery, day: dt.date) -> list[ControlItem]:
        today = pendulum.Date(day.year, day.month, day.day)
        items = self._items(actor, query, today)
        return [
            i
            for i in items
            if i.assignment.counts_for_discipline
            and i.assignment.due is not None
            and classify(i.assignment.due, i.assignment.completed_on, today) == 2
        ]

    @staticmethod
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
        )
