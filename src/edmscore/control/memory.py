"""Resolutions and assignments in the in-memory adapter, inside its undo-logged units of work.

The tables live in ``MemoryStorage``'s state (its ``extensions`` slot), every write goes through
:meth:`~edmscore.records.memory._Journaled._set`, so a rollback undoes them with the cards,
counters and audit events of the same unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from edmscore.access import AccessScope
from edmscore.control._model import Assignment, AssignmentKind, Resolution
from edmscore.control._states import AssignmentState
from edmscore.control.ports import (
    AssignmentPage,
    AssignmentQuery,
    DisciplineCount,
    order_key,
    page_of_assignments,
)
from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.records.memory import _Journaled

if TYPE_CHECKING:
    from edmscore.records.memory import MemoryRecordsUnitOfWork

__all__ = ["MemoryAssignments", "MemoryResolutions"]

_KEY = "edmscore.control"
_EXECUTION = AssignmentKind.EXECUTION
_CANCELLED = AssignmentState.CANCELLED


class _Tables:
    """The control tables of one MemoryStorage."""

    def __init__(self) -> None:
        self.assignments: dict[str, Assignment] = {}
        self.resolutions: dict[str, Resolution] = {}
        #: Assignments with a deadline by the deadline's ordinal: date ranges read only their days.
        self.by_due: dict[int, dict[str, Assignment]] = {}


def _tables(uow: MemoryRecordsUnitOfWork) -> _Tables:
    extensions = uow._state.extensions
    tables = extensions.get(_KEY)
    if tables is None:
        tables = extensions[_KEY] = _Tables()  # an empty table set: nothing to undo
    assert isinstance(tables, _Tables)
    return tables


class MemoryAssignments(_Journaled):
    """The in-memory :class:`~edmscore.control.AssignmentRepository`."""

    def __init__(self, uow: MemoryRecordsUnitOfWork) -> None:
        super().__init__(uow)
        tables = _tables(uow)
        self._t = tables.assignments
        self._by_due = tables.by_due

    def _index(self, assignment: Assignment) -> None:
        if assignment.due is not None:
            bucket = self._by_due.setdefault(assignment.due.toordinal(), {})
            self._set(bucket, assignment.id, assignment)

    def _unindex(self, assignment: Assignment) -> None:
        if assignment.due is not None:
            self._delete(self._by_due[assignment.due.toordinal()], assignment.id)

    def get(self, assignment_id: str) -> Assignment:
        """The assignment, or NotFound."""
        found = self._t.get(assignment_id)
        if found is None:
            raise NotFound("assignment", assignment_id)
        return found

    def add(self, assignment: Assignment) -> None:
        """Store a new assignment (version 1)."""
        stored = self._t.get(assignment.id)
        if stored is not None:
            raise ConflictError("assignment", assignment.id, 0, stored.version)
        if assignment.version != 1:
            raise ValidationError("version", "a new assignment starts at version 1")
        self._set(self._t, assignment.id, assignment)
        self._index(assignment)

    def update(self, assignment: Assignment, expected_version: int) -> Assignment:
        """Store a changed assignment if at ``expected_version``; return it as stored."""
        stored = self.get(assignment.id)
        if stored.version != expected_version:
            raise ConflictError("assignment", assignment.id, expected_version, stored.version)
        if (stored.organisation_id, stored.card_id) != (
            assignment.organisation_id,
            assignment.card_id,
        ):
            raise ValidationError("assignment", "organisation and card cannot change")
        new = attrs.evolve(assignment, version=stored.version + 1)
        self._unindex(stored)
        self._set(self._t, assignment.id, new)
        self._index(new)
        return new

    def query(self, query: AssignmentQuery, scope: AccessScope) -> AssignmentPage:
        """Search in (deadline, id) order; cards the scope does not permit are left out."""
        cards = self._s.cards
        found = sorted((a for a in self._t.values() if query.matches(a)), key=order_key)
        visible = (a for a in found if a.card_id in cards and scope.permits(cards[a.card_id]))
        return page_of_assignments(visible, query.limit)

    def discipline_counts(
        self,
        organisation_id: str,
        due_from: dt.date,
        due_to: dt.date,
        as_of: dt.date,
        scope: AccessScope,
    ) -> Sequence[DisciplineCount]:
        """Counts per (department, executor) of assignments on cards ``scope`` permits; reads
        only the days of the period."""
        cards = self._s.cards
        today = as_of.toordinal()
        groups: dict[tuple[str | None, str], list[int]] = {}
        buckets = self._by_due
        for day in range(due_from.toordinal(), due_to.toordinal() + 1):
            bucket = buckets.get(day)
            if not bucket:
                continue
            for a in bucket.values():
                # Assignment.counts_for_discipline, inlined: this loop reads every row
                if (
                    a.organisation_id != organisation_id
                    or a.kind is not _EXECUTION
                    or a.state is _CANCELLED
                    or a.recurrence is not None
                ):
                    continue
                card = cards.get(a.card_id)
                if card is None or not scope.permits(card):
                    continue
                key = (a.department_id, a.executor_id)
                counts = groups.get(key)
                if counts is None:
                    counts = groups[key] = [0, 0, 0, 0]
                done = a.completed_on
                if done is not None and (finished := done.toordinal()) <= today:
                    counts[0 if finished <= day else 1] += 1
                else:
                    counts[2 if today > day else 3] += 1
        return [
            DisciplineCount(department, executor, *counts)
            for (department, executor), counts in groups.items()
        ]


class MemoryResolutions(_Journaled):
    """The in-memory :class:`~edmscore.control.ResolutionRepository`."""

    def __init__(self, uow: MemoryRecordsUnitOfWork) -> None:
        super().__init__(uow)
        self._t = _tables(uow).resolutions

    def get(self, resolution_id: str) -> Resolution:
        """The resolution, or NotFound."""
        found = self._t.get(resolution_id)
        if found is None:
            raise NotFound("resolution", resolution_id)
        return found

    def add(self, resolution: Resolution) -> None:
        """Store a new resolution (version 1)."""
        if resolution.id in self._t:
            raise ConflictError("resolution", resolution.id, 0, self._t[resolution.id].version)
        if resolution.version != 1:
            raise ValidationError("version", "a new resolution starts at version 1")
        self._set(self._t, resolution.id, resolution)

    def of_card(self, card_id: str) -> Sequence[Resolution]:
        """The card's resolutions, by date and id."""
        found = [r for r in self._t.values() if r.card_id == card_id]
        return sorted(found, key=lambda r: (r.date, r.id))
