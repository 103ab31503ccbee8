"""Resolutions and assignments in the in-memory adapter, inside its undo-logged units of work.

The tables live in ``MemoryStorage``'s state (its ``extensions`` slot), every write goes through
:meth:`~edmscore.records.memory._Journaled._set`, so a rollback undoes them with the cards,
counters and audit events of the same unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from edmscore.access import AccessScope
from edmscore.control._acquaintance import AcquaintanceSheet
from edmscore.control._drafting import DraftResolutionState, ResolutionDraft
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

__all__ = [
    "MemoryAcquaintances",
    "MemoryAssignments",
    "MemoryResolutionDrafts",
    "MemoryResolutions",
]

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
        self.resolution_drafts: dict[str, ResolutionDraft] = {}
        self.acquaintances: dict[str, AcquaintanceSheet] = {}


class MemoryAssignments(_Journaled):
    """The in-memory :class:`~edmscore.control.AssignmentRepository`."""

    def __init__(self, uow: MemoryRecordsUnitOfWork) -> None:
        super().__init__(uow)
        tables = self._extension(_KEY, _Tables)
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
        self._t = self._extension(_KEY, _Tables).resolutions

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


_V = TypeVar("_V", ResolutionDraft, AcquaintanceSheet)


class _Versioned(_Journaled, Generic[_V]):
    """A table of versioned documents keyed by id (add at version 1, update by version)."""

    _what = ""

    def __init__(self, uow: MemoryRecordsUnitOfWork) -> None:
        super().__init__(uow)
        self._t: dict[str, Any] = getattr(self._extension(_KEY, _Tables), self._slot)

    _slot = ""

    def get(self, item_id: str) -> _V:
        """The stored value, or NotFound."""
        found: _V | None = self._t.get(item_id)
        if found is None:
            raise NotFound(self._what, item_id)
        return found

    def add(self, item: _V) -> None:
        """Store a new value (version 1)."""
        stored = self._t.get(item.id)
        if stored is not None:
            raise ConflictError(self._what, item.id, 0, stored.version)
        if item.version != 1:
            raise ValidationError("version", f"a new {self._what} starts at version 1")
        self._set(self._t, item.id, item)

    def update(self, item: _V, expected_version: int) -> _V:
        """Store a changed value if at ``expected_version``; return it as stored."""
        stored = self.get(item.id)
        if stored.version != expected_version:
            raise ConflictError(self._what, item.id, expected_version, stored.version)
        if (stored.organisation_id, stored.card_id) != (item.organisation_id, item.card_id):
            raise ValidationError(self._what, "organisation and card cannot change")
        new = attrs.evolve(item, version=stored.version + 1)
        self._set(self._t, item.id, new)
        return new

    def of_card(self, card_id: str) -> Sequence[_V]:
        """The card's values, by id."""
        return sorted((v for v in self._t.values() if v.card_id == card_id), key=lambda v: v.id)


class MemoryResolutionDrafts(_Versioned[ResolutionDraft]):
    """The in-memory :class:`~edmscore.control.ResolutionDraftRepository`."""

    _what = "draft resolution"
    _slot = "resolution_drafts"

    def awaiting(self, head_id: str) -> Sequence[ResolutionDraft]:
        """The drafts waiting for the head's decision, by id."""
        return sorted(
            (
                d
                for d in self._t.values()
                if d.head_id == head_id and d.state is DraftResolutionState.DRAFTED
            ),
            key=lambda d: d.id,
        )


class MemoryAcquaintances(_Versioned[AcquaintanceSheet]):
    """The in-memory :class:`~edmscore.control.AcquaintanceRepository`."""

    _what = "acquaintance"
    _slot = "acquaintances"

    def open_sheets(self, organisation_id: str) -> Sequence[AcquaintanceSheet]:
        """The organisation's sheets someone has not yet acknowledged, by id."""
        return sorted(
            (
                v
                for v in self._t.values()
                if v.organisation_id == organisation_id and v.pending and v.closed_at is None
            ),
            key=lambda v: v.id,
        )
