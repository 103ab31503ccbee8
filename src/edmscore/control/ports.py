"""What execution control needs from storage, as protocols beside the core ones.

The core :class:`~edmscore.storage.UnitOfWork` stays as it is; a storage that also keeps
resolutions and assignments offers a :class:`ControlUnitOfWork` — the same unit of work with two
more repositories — through a :class:`ControlStorage`. The in-memory adapter does
(``MemoryStorage``); the contract suite :mod:`edmscore.testing.control_contract` checks any other.

Rules every adapter keeps:

- ``get`` of a missing id raises :class:`~edmscore.errors.NotFound`; ``add`` of an existing id
  raises :class:`~edmscore.errors.ConflictError` (expected version 0); a new value has version 1.
- ``update`` stores the value only if the stored version equals ``expected_version`` and stores
  it with version + 1; otherwise :class:`~edmscore.errors.ConflictError`.
- ``AssignmentRepository.query`` and ``discipline_counts`` apply the
  :class:`~edmscore.access.AccessScope` through the assignment's card: an assignment on a card
  the scope does not permit is never returned nor counted.
- Writes belong to the unit of work: a rollback undoes them with everything else.

Every query is a conjunction of equality filters and date ranges, so a SQL adapter answers it
with one indexed ``SELECT`` (and :meth:`AssignmentRepository.discipline_counts` with one
``GROUP BY``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import attrs

from edmscore._validate import to_date, to_frozenset
from edmscore.access import AccessScope
from edmscore.control._acquaintance import AcquaintanceSheet
from edmscore.control._drafting import ResolutionDraft
from edmscore.control._model import Assignment, AssignmentKind, Resolution
from edmscore.control._states import AssignmentState
from edmscore.records.ports import MAX_PAGE_SIZE, UnitOfWork

__all__ = [
    "AcquaintanceRepository",
    "AssignmentCursor",
    "AssignmentPage",
    "AssignmentQuery",
    "AssignmentRepository",
    "ControlStorage",
    "ControlUnitOfWork",
    "DisciplineCount",
    "ResolutionDraftRepository",
    "ResolutionRepository",
    "classify",
    "order_key",
]

#: Where assignments without a deadline sort: after every dated one.
NO_DUE_KEY = "9999-12-31"


def order_key(assignment: Assignment) -> tuple[str, str]:
    """The (due, id) key assignments are listed and paged by; no deadline sorts last."""
    due = assignment.due
    return (due.isoformat() if due is not None else NO_DUE_KEY, assignment.id)


@attrs.frozen
class AssignmentCursor:
    """Where a page of assignments ended (its last (due, id) key)."""

    due_key: str
    assignment_id: str


def _limit(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    from edmscore.errors import ValidationError

    if not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE:
        raise ValidationError("AssignmentQuery.limit", f"must be 1..{MAX_PAGE_SIZE}, got {value!r}")


@attrs.frozen
class AssignmentQuery:
    """Filters for an assignment search; every given filter must hold (AND). None means any.

    ``due_from``/``due_to`` bound the deadline, both inclusive (an assignment without a deadline
    matches no bound). Results come in (deadline, id) order, ``limit`` at a time; pass the
    previous page's ``next_cursor`` as ``after`` for the next one.
    """

    organisation_id: str | None = None
    executor_id: str | None = None
    controller_id: str | None = None
    department_id: str | None = None
    author_id: str | None = None
    card_id: str | None = None
    resolution_id: str | None = None
    parent_id: str | None = None
    occurrence_of: str | None = None
    states: frozenset[AssignmentState] | None = attrs.field(default=None, converter=to_frozenset)
    kinds: frozenset[AssignmentKind] | None = attrs.field(default=None, converter=to_frozenset)
    on_control: bool | None = None
    due_from: dt.date | None = attrs.field(default=None, converter=to_date)
    due_to: dt.date | None = attrs.field(default=None, converter=to_date)
    limit: int = attrs.field(default=100, validator=_limit)
    after: AssignmentCursor | None = None

    def matches(self, a: Assignment) -> bool:
        """The reference semantics of the filters (access is applied separately)."""
        pairs: tuple[tuple[Any, Any], ...] = (
            (self.organisation_id, a.organisation_id),
            (self.executor_id, a.executor_id),
            (self.controller_id, a.controller_id),
            (self.department_id, a.department_id),
            (self.author_id, a.author_id),
            (self.card_id, a.card_id),
            (self.resolution_id, a.resolution_id),
            (self.parent_id, a.parent_id),
            (self.occurrence_of, a.occurrence_of),
            (self.on_control, a.on_control),
        )
        if any(wanted is not None and wanted != value for wanted, value in pairs):
            return False
        if self.states is not None and a.state not in self.states:
            return False
        if self.kinds is not None and a.kind not in self.kinds:
            return False
        if self.due_from is not None and (a.due is None or a.due < self.due_from):
            return False
        if self.due_to is not None and (a.due is None or a.due > self.due_to):
            return False
        return self.after is None or order_key(a) > (self.after.due_key, self.after.assignment_id)


@attrs.frozen
class AssignmentPage:
    """One page of an assignment search; ``next_cursor`` is None on the last page."""

    items: tuple[Assignment, ...]
    next_cursor: AssignmentCursor | None


def page_of_assignments(found: Iterable[Assignment], limit: int) -> AssignmentPage:
    """Build a page from assignments already filtered and in order (a helper for adapters)."""
    items: list[Assignment] = []
    for assignment in found:
        if len(items) == limit:
            key = order_key(items[-1])
            return AssignmentPage(tuple(items), AssignmentCursor(*key))
        items.append(assignment)
    return AssignmentPage(tuple(items), None)


@attrs.frozen
class DisciplineCount:
    """The execution-discipline figures of one (department, executor) pair.

    Of the assignments counted (:attr:`Assignment.counts_for_discipline`) due in the period:
    ``on_time`` completed by their deadline, ``late`` completed after it, ``overdue_open`` not
    completed and past due on the report day, ``open_not_due`` not completed and not yet due.
    "Completed" means the responsible executor reported on or before the report day.
    """

    department_id: str | None
    executor_id: str
    on_time: int = 0
    late: int = 0
    overdue_open: int = 0
    open_not_due: int = 0

    @property
    def total(self) -> int:
        """Every assignment counted."""
        return self.on_time + self.late + self.overdue_open + self.open_not_due


def classify(due: dt.date, completed_on: dt.date | None, as_of: dt.date) -> int:
    """The reference classification: 0 on time, 1 late, 2 overdue open, 3 open not yet due."""
    if completed_on is not None and completed_on <= as_of:
        return 0 if completed_on <= due else 1
    return 2 if as_of > due else 3


class AssignmentRepository(Protocol):
    """Assignments, with optimistic versions and access-aware search."""

    def get(self, assignment_id: str) -> Assignment:
        """The assignment, or NotFound."""
        ...

    def add(self, assignment: Assignment) -> None:
        """Store a new assignment (its version must be 1)."""
        ...

    def update(self, assignment: Assignment, expected_version: int) -> Assignment:
        """Store a changed assignment if the stored version is ``expected_version``."""
        ...

    def query(self, query: AssignmentQuery, scope: AccessScope) -> AssignmentPage:
        """Search; never returns an assignment on a card ``scope`` does not permit."""
        ...

    def discipline_counts(
        self,
        organisation_id: str,
        due_from: dt.date,
        due_to: dt.date,
        as_of: dt.date,
        scope: AccessScope,
    ) -> Sequence[DisciplineCount]:
        """The counts per (department, executor) of the counted assignments due in the period,
        of those on cards ``scope`` permits (as :meth:`query` applies it)."""
        ...


class ResolutionRepository(Protocol):
    """Resolutions (their items are assignments)."""

    def get(self, resolution_id: str) -> Resolution:
        """The resolution, or NotFound."""
        ...

    def add(self, resolution: Resolution) -> None:
        """Store a new resolution (version 1)."""
        ...

    def of_card(self, card_id: str) -> Sequence[Resolution]:
        """The card's resolutions, oldest first."""
        ...


class ResolutionDraftRepository(Protocol):
    """Draft resolutions (проекты резолюций), versioned like assignments."""

    def get(self, draft_id: str) -> ResolutionDraft:
        """The draft, or NotFound."""
        ...

    def add(self, draft: ResolutionDraft) -> None:
        """Store a new draft (version 1)."""
        ...

    def update(self, draft: ResolutionDraft, expected_version: int) -> ResolutionDraft:
        """Store a changed draft if at ``expected_version``; return it as stored (version + 1)."""
        ...

    def of_card(self, card_id: str) -> Sequence[ResolutionDraft]:
        """The card's drafts, by id."""
        ...

    def awaiting(self, head_id: str) -> Sequence[ResolutionDraft]:
        """The drafts waiting for the decision of the head (an official), by id."""
        ...


class AcquaintanceRepository(Protocol):
    """Acquaintance sheets (листы ознакомления), versioned like assignments."""

    def get(self, sheet_id: str) -> AcquaintanceSheet:
        """The sheet, or NotFound."""
        ...

    def add(self, sheet: AcquaintanceSheet) -> None:
        """Store a new sheet (version 1)."""
        ...

    def update(self, sheet: AcquaintanceSheet, expected_version: int) -> AcquaintanceSheet:
        """Store a changed sheet if at ``expected_version``; return it as stored (version + 1)."""
        ...

    def of_card(self, card_id: str) -> Sequence[AcquaintanceSheet]:
        """The card's sheets, by id."""
        ...

    def open_sheets(self, organisation_id: str) -> Sequence[AcquaintanceSheet]:
        """The organisation's sheets someone has not yet acknowledged, by id."""
        ...


class ControlUnitOfWork(UnitOfWork, Protocol):
    """A unit of work that also holds resolutions and assignments, draft resolutions and
    acquaintance sheets."""

    @property
    def resolution_drafts(self) -> ResolutionDraftRepository:
        """Draft resolutions."""
        ...

    @property
    def acquaintances(self) -> AcquaintanceRepository:
        """Acquaintance sheets."""
        ...

    @property
    def assignments(self) -> AssignmentRepository:
        """Assignments."""
        ...

    @property
    def resolutions(self) -> ResolutionRepository:
        """Resolutions."""
        ...


class ControlStorage(Protocol):
    """A storage whose units of work hold resolutions and assignments."""

    def unit_of_work(self) -> ControlUnitOfWork:
        """Open a unit of work (use it as a context manager)."""
        ...
