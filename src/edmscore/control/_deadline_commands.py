"""The control use cases on deadlines: extension requests, deadline changes, periodic items.

Only who set a deadline (the author of the resolution or sub-resolution) approves an extension
or changes it; every change is kept in the assignment's deadline history, and no deadline may
pass its parent's.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.access import AccessScope
from edmscore.control._base import ControlBase, _primitive
from edmscore.control._model import (
    Assignment,
    DeadlineChange,
    ExtensionRequest,
    ExtensionStatus,
)
from edmscore.control._states import AssignmentState
from edmscore.control.ports import AssignmentQuery, ControlUnitOfWork
from edmscore.directory import User
from edmscore.errors import DeadlineAfterParent, StateError, ValidationError

__all__ = ["DeadlineCommands"]

_OPEN = AssignmentState.OPEN


class DeadlineCommands(ControlBase):
    """The deadline use cases of :class:`~edmscore.control.ControlService`."""

    # --- deadlines -----------------------------------------------------------------------------

    def request_extension(
        self,
        actor: User,
        assignment_id: str,
        expected_version: int,
        new_due: dt.date,
        reason: str,
    ) -> Assignment:
        """An executor asks to move the deadline (перенос срока), giving a reason."""
        with self.storage.unit_of_work() as uow:
            before = self._assignment(uow, actor, assignment_id)
            self._check_version(before, expected_version)
            official = self._require_official(actor, *before.executors, role="executor")
            if before.state is not _OPEN:
                raise StateError(f"assignment {assignment_id!r} is {before.state.value}, not open")
            if before.pending_extension is not None:
                raise StateError("a request to move this deadline is already pending")
            wanted = pendulum.Date(new_due.year, new_due.month, new_due.day)
            if before.due is None or wanted <= before.due:
                raise ValidationError("new_due", "an extension moves the deadline later")
            self._within_parent(uow, before, wanted)
            today = self._org_today(uow, before.organisation_id)
            request = ExtensionRequest(official, today, wanted, reason)
            after = attrs.evolve(before, extensions=(*before.extensions, request))
            stored = self._store(uow, actor, "assignment.extension_requested", before, after)
            uow.commit()
            return stored

    def decide_extension(
        self,
        actor: User,
        assignment_id: str,
        expected_version: int,
        approve: bool,
        comment: str = "",
    ) -> Assignment:
        """Who set the deadline approves (the deadline moves) or rejects the pending request."""
        with self.storage.unit_of_work() as uow:
            before = self._assignment(uow, actor, assignment_id)
            self._check_version(before, expected_version)
            official = self._require_official(actor, before.deadline_set_by, role="deadline setter")
            pending = before.pending_extension
            if pending is None:
                raise StateError("no request to move this deadline is pending")
            today = self._org_today(uow, before.organisation_id)
            status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
            decided = attrs.evolve(
                pending, status=status, decided_by=official, decided_on=today, comment=comment
            )
            extensions = tuple(decided if r is pending else r for r in before.extensions)
            after = attrs.evolve(before, extensions=extensions)
            if approve:
                if before.state is not _OPEN:
                    raise StateError(f"assignment {assignment_id!r} is {before.state.value}")
                self._within_parent(uow, before, pending.new_due)
                change = DeadlineChange(
                    today, official, before.due, pending.new_due, pending.reason
                )
                after = attrs.evolve(
                    after,
                    due=pending.new_due,
                    deadline_history=(*before.deadline_history, change),
                )
            action = "assignment.extension_approved" if approve else "assignment.extension_rejected"
            stored = self._store(uow, actor, action, before, after, comment)
            uow.commit()
            return stored

    def set_deadline(
        self,
        actor: User,
        assignment_id: str,
        expected_version: int,
        new_due: dt.date,
        reason: str,
    ) -> Assignment:
        """Who set the deadline changes it directly; kept in the deadline history."""
        if not reason.strip():
            raise ValidationError("reason", "a deadline change needs a reason")
        with self.storage.unit_of_work() as uow:
            before = self._assignment(uow, actor, assignment_id)
            self._check_version(before, expected_version)
            official = self._require_official(actor, before.deadline_set_by, role="deadline setter")
            if before.state.is_closed:
                raise StateError(f"assignment {assignment_id!r} is {before.state.value}")
            wanted = pendulum.Date(new_due.year, new_due.month, new_due.day)
            self._within_parent(uow, before, wanted)
            for child in self._children(uow, before):
                if child.due is not None and child.due > wanted:
                    raise DeadlineAfterParent(child.due, wanted)
            today = self._org_today(uow, before.organisation_id)
            change = DeadlineChange(today, official, before.due, wanted, reason)
            after = attrs.evolve(
                before, due=wanted, deadline_history=(*before.deadline_history, change)
            )
            stored = self._store(uow, actor, "assignment.deadline_changed", before, after, reason)
            uow.commit()
            return stored

    @staticmethod
    def _within_parent(uow: ControlUnitOfWork, assignment: Assignment, due: dt.date) -> None:
        if assignment.parent_id is None:
            return
        parent = uow.assignments.get(assignment.parent_id)
        if parent.due is not None and due > parent.due:
            raise DeadlineAfterParent(due, parent.due)

    # --- periodic assignments ------------------------------------------------------------------

    def generate_occurrences(
        self, actor: User, assignment_id: str, through: dt.date
    ) -> list[Assignment]:
        """Create the occurrences of a periodic assignment for every period begun by ``through``.

        Each occurrence reports on one period and has its own deadline by the schedule's policy;
        ones already generated are not repeated. Returns the new occurrences.
        """
        with self.storage.unit_of_work() as uow:
            schedule = self._assignment(uow, actor, assignment_id)
            if schedule.recurrence is None:
                raise StateError(f"assignment {assignment_id!r} is not periodic")
            if schedule.state.is_closed:
                raise StateError(f"assignment {assignment_id!r} is {schedule.state.value}")
            policy = schedule.recurrence.policy
            existing = {a.due for a in self._occurrences(uow, schedule)}
            created: list[Assignment] = []
            now = self._now()
            for first, last in schedule.recurrence.periods():
                if first > through:
                    break
                due = policy.due_date(last, self.calendar)
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
                )
                uow.assignments.add(occurrence)
                self._audit(
                    uow,
                    actor,
                    now,
                    "assignment.occurrence_created",
                    "assignment",
                    occurrence.id,
                    {},
                    _primitive(occurrence),
                )
                created.append(occurrence)
            uow.commit()
            return created

    def _occurrences(self, uow: ControlUnitOfWork, schedule: Assignment) -> list[Assignment]:
        scope = AccessScope(user_id="", dsp_cleared=True)
        query = AssignmentQuery(occurrence_of=schedule.id, limit=1000)
        found: list[Assignment] = []
        while True:
            page = uow.assignments.query(query, scope)
            found.extend(page.items)
            if page.next_cursor is None:
                return found
            query = attrs.evolve(query, after=page.next_cursor)
