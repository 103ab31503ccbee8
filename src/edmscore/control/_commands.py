"""The control use cases that move assignments: impose, pass down, report, accept, return, cancel.

Each one takes the acting :class:`~edmscore.directory.User`, opens one unit of work, checks the
actor (the card must be visible, and the actor must act for the official the step belongs to),
applies the state machine, appends an audit event with the fields before and after, and commits.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.control._base import ControlBase, _primitive
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
from edmscore.directory import User
from edmscore.errors import DeadlineAfterParent, StateError, ValidationError
from edmscore.registry import FileRef

__all__ = ["ControlCommands"]

_OPEN = AssignmentState.OPEN
_DONE = AssignmentState.DONE


class ControlCommands(ControlBase):
    """The changing use cases of :class:`~edmscore.control.ControlService`."""

    # --- resolutions ---------------------------------------------------------------------------

    def impose(self, actor: User, request: ResolutionRequest) -> Resolution:
        """Impose a resolution on a card: store it and one assignment per item.

        The actor may be the author or a clerk entering the author's resolution; the audit
        records who did it.
        """
        with self.storage.unit_of_work() as uow:
            card = self._card(uow, actor, request.card_id)
            self._official(uow, card.organisation_id, request.author_id)
            resolution = self._resolution(uow, actor, request, card.organisation_id, None)
            if any(item.on_control for item in request.items) and not card.details.on_control:
                changed = attrs.evolve(card, details=attrs.evolve(card.details, on_control=True))
                uow.cards.update(changed, card.version)
                self._audit(
                    uow,
                    actor,
                    self._now(),
                    "card.put_on_control",
                    "card",
                    card.id,
                    {"on_control": False},
                    {"on_control": True},
                )
            uow.commit()
            return resolution

    def pass_down(
        self, actor: User, parent_id: str, text: str, items: Sequence[ItemRequest]
    ) -> Resolution:
        """A sub-resolution: the parent's executor passes the assignment down to others.

        Every new deadline must not be later than the parent's
        (:class:`~edmscore.errors.DeadlineAfterParent`); the parent must be open.
        """
        with self.storage.unit_of_work() as uow:
            parent = self._assignment(uow, actor, parent_id)
            official = self._require_official(actor, *parent.executors, role="executor")
            if parent.state is not _OPEN:
                raise StateError(f"assignment {parent_id!r} is {parent.state.value}, not open")
            if parent.kind is not AssignmentKind.EXECUTION:
                raise StateError("an assignment «к сведению» cannot be passed down")
            request = ResolutionRequest(
                card_id=parent.card_id, author_id=official, text=text, items=tuple(items)
            )
            resolution = self._resolution(uow, actor, request, parent.organisation_id, parent)
            uow.commit()
            return resolution

    def _resolution(
        self,
        uow: ControlUnitOfWork,
        actor: User,
        request: ResolutionRequest,
        organisation_id: str,
        parent: Assignment | None,
    ) -> Resolution:
        today = self._org_today(uow, organisation_id)
        day = pendulum.Date(*(request.date or today).timetuple()[:3])
        if day > today:
            raise ValidationError("date", "a resolution cannot be dated in the future")
        resolution_id = request.resolution_id or new_id()
        assignments = [
            self._new_assignment(uow, request, item, resolution_id, organisation_id, day, parent)
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
        now = self._now()
        self._audit(
            uow,
            actor,
            now,
            "resolution.imposed",
            "resolution",
            resolution.id,
            {},
            _primitive(resolution),
        )
        for assignment in assignments:
            uow.assignments.add(assignment)
            self._audit(
                uow,
                actor,
                now,
                "assignment.created",
                "assignment",
                assignment.id,
                {},
                _primitive(assignment),
            )
        return resolution

    def _new_assignment(
        self,
        uow: ControlUnitOfWork,
        request: ResolutionRequest,
        item: ItemRequest,
        resolution_id: str,
        organisation_id: str,
        day: pendulum.Date,
        parent: Assignment | None,
    ) -> Assignment:
        executor = self._official(uow, organisation_id, item.executor_id)
        for official_id in item.co_executor_ids:
            self._official(uow, organisation_id, official_id)
        if item.controller_id is not None:
            self._official(uow, organisation_id, item.controller_id)
        recurrence: Recurrence | None = None
        if item.kind is AssignmentKind.INFORMATION and item.deadline is None:
            due: pendulum.Date | None = None
            basis = ""
        elif item.recurrence is not None:
            wanted = item.recurrence
            recurrence = Recurrence(wanted.period, day, wanted.until, wanted.policy)
            last_period_end = recurrence.periods()[-1][1]
            due, basis = wanted.policy.due_date(last_period_end, self.calendar), wanted.policy.code
        elif parent is not None and item.deadline is None:
            due, basis = parent.due, "parent"  # no deadline given: the parent's
        else:
            due, basis = self._due(item.deadline, day)
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
        )

    # --- execution -----------------------------------------------------------------------------

    def report(
        self,
        actor: User,
        assignment_id: str,
        expected_version: int,
        text: str,
        files: Sequence[ReportFile] = (),
    ) -> Assignment:
        """An execution report by one of the executors.

        The responsible executor's report completes the assignment: it goes to the controller
        (REPORTED) when on control, or is done at once. A co-executor's report is recorded.
        The responsible executor cannot complete it while a sub-assignment on control is open.
        """
        with self.storage.unit_of_work() as uow:
            before = self._assignment(uow, actor, assignment_id)
            self._check_version(before, expected_version)
            official = self._require_official(actor, *before.executors, role="executor")
            if before.kind is AssignmentKind.INFORMATION:
                raise StateError("an assignment «к сведению» needs no report: acknowledge it")
            if before.state is not _OPEN:
                raise StateError(f"assignment {assignment_id!r} is {before.state.value}, not open")
            today = self._org_today(uow, before.organisation_id)
            refs = tuple(
                FileRef(f.name, len(f.content), uow.blobs.put(f.content), f.media_type)
                for f in files
            )
            responsible = official == before.executor_id
            entry = ExecutionReport(official, text, today, refs, responsible)
            after = attrs.evolve(before, reports=(*before.reports, entry))
            if responsible:
                self._no_open_children(uow, before)
                action = AssignmentAction.SUBMIT if before.on_control else AssignmentAction.COMPLETE
                target = check_transition(before.state, action)
                after = attrs.evolve(
                    after,
                    state=target,
                    completed_on=today,
                    closed_on=today if target is _DONE else None,
                )
            stored = self._store(uow, actor, "assignment.reported", before, after)
            uow.commit()
            return stored

    def _no_open_children(self, uow: ControlUnitOfWork, assignment: Assignment) -> None:
        for child in self._descendants(uow, assignment):
            if child.on_control and not child.state.is_closed:
                raise StateError(
                    f"sub-assignment {child.id!r} on control is still {child.state.value}"
                )

    def acknowledge(self, actor: User, assignment_id: str, expected_version: int) -> Assignment:
        """An executor acknowledges an assignment «к сведению»: it is done."""
        with self.storage.unit_of_work() as uow:
            before = self._assignment(uow, actor, assignment_id)
            self._check_version(before, expected_version)
            self._require_official(actor, *before.executors, role="executor")
            if before.kind is not AssignmentKind.INFORMATION:
                raise StateError("only an assignment «к сведению» is acknowledged")
            today = self._org_today(uow, before.organisation_id)
            after = attrs.evolve(
                before,
                state=check_transition(before.state, AssignmentAction.COMPLETE),
                completed_on=today,
                closed_on=today,
            )
            stored = self._store(uow, actor, "assignment.acknowledged", before, after)
            uow.commit()
            return stored

    def accept(self, actor: User, assignment_id: str, expected_version: int) -> Assignment:
        """The controller accepts the report: the assignment leaves control (снять с контроля)."""
        with self.storage.unit_of_work() as uow:
            before = self._assignment(uow, actor, assignment_id)
            self._check_version(before, expected_version)
            official = self._require_official(actor, before.controller_id, role="controller")
            today = self._org_today(uow, before.organisation_id)
            after = attrs.evolve(
                before,
                state=check_transition(before.state, AssignmentAction.ACCEPT),
                closed_on=today,
                reports=_decide_last(before.reports, ReportStatus.ACCEPTED, official, ""),
            )
            stored = self._store(uow, actor, "assignment.accepted", before, after)
            uow.commit()
            return stored

    def return_for_rework(
        self, actor: User, assignment_id: str, expected_version: int, reason: str
    ) -> Assignment:
        """The controller returns the report with a reason: the assignment is open again."""
        if not reason.strip():
            raise ValidationError("reason", "a return needs a reason")
        with self.storage.unit_of_work() as uow:
            before = self._assignment(uow, actor, assignment_id)
            self._check_version(before, expected_version)
            official = self._require_official(actor, before.controller_id, role="controller")
            after = attrs.evolve(
                before,
                state=check_transition(before.state, AssignmentAction.RETURN),
                completed_on=None,
                reports=_decide_last(before.reports, ReportStatus.RETURNED, official, reason),
            )
            stored = self._store(uow, actor, "assignment.returned", before, after, reason)
            uow.commit()
            return stored

    def cancel(
        self, actor: User, assignment_id: str, expected_version: int, reason: str
    ) -> Assignment:
        """The author cancels the assignment, and with it every open one below it."""
        if not reason.strip():
            raise ValidationError("reason", "a cancellation needs a reason")
        with self.storage.unit_of_work() as uow:
            before = self._assignment(uow, actor, assignment_id)
            self._check_version(before, expected_version)
            self._require_official(actor, before.author_id, role="author")
            today = self._org_today(uow, before.organisation_id)
            for child in self._descendants(uow, before):
                if not child.state.is_closed:
                    cancelled = attrs.evolve(
                        child,
                        state=check_transition(child.state, AssignmentAction.CANCEL),
                        closed_on=today,
                    )
                    self._store(uow, actor, "assignment.cancelled", child, cancelled, reason)
            after = attrs.evolve(
                before,
                state=check_transition(before.state, AssignmentAction.CANCEL),
                closed_on=today,
            )
            stored = self._store(uow, actor, "assignment.cancelled", before, after, reason)
            uow.commit()
            return stored


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
