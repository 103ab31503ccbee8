"""Plain builders of assignments and resolutions, for adapter tests and benchmarks."""

from __future__ import annotations

import datetime as dt

import pendulum

from edmscore._ids import new_id
from edmscore.control import Assignment, AssignmentKind, AssignmentState, Resolution

__all__ = ["make_assignment", "make_resolution"]

_DAY = pendulum.Date(2026, 3, 2)


def make_assignment(
    card_id: str,
    *,
    organisation_id: str = "org",
    executor_id: str = "executor",
    department_id: str | None = "department",
    controller_id: str | None = None,
    author_id: str = "author",
    issued_on: dt.date = _DAY,
    due: dt.date | None = None,
    completed_on: dt.date | None = None,
    state: AssignmentState | None = None,
    kind: AssignmentKind = AssignmentKind.EXECUTION,
    parent_id: str | None = None,
    resolution_id: str = "resolution",
    assignment_id: str | None = None,
    text: str = "Подготовить ответ заявителю",
) -> Assignment:
    """A valid stored-shape assignment; ``state`` follows ``completed_on`` unless given."""
    if due is None and kind is AssignmentKind.EXECUTION:
        due = pendulum.Date(issued_on.year, issued_on.month, issued_on.day).add(days=10)
    if state is None:
        state = AssignmentState.OPEN if completed_on is None else AssignmentState.DONE
    return Assignment(
        id=assignment_id or new_id(),
        organisation_id=organisation_id,
        card_id=card_id,
        resolution_id=resolution_id,
        author_id=author_id,
        text=text,
        executor_id=executor_id,
        issued_on=issued_on,
        due=due,
        deadline_set_by=author_id,
        kind=kind,
        department_id=department_id,
        on_control=controller_id is not None,
        controller_id=controller_id,
        parent_id=parent_id,
        depth=0 if parent_id is None else 1,
        state=state,
        completed_on=completed_on,
        closed_on=completed_on if state is AssignmentState.DONE else None,
    )


def make_resolution(
    card_id: str, item_ids: tuple[str, ...], *, organisation_id: str = "org"
) -> Resolution:
    """A valid resolution over existing item ids."""
    return Resolution(
        id=new_id(),
        organisation_id=organisation_id,
        card_id=card_id,
        author_id="author",
        text="Прошу рассмотреть и подготовить ответ",
        date=_DAY,
        item_ids=item_ids,
    )
