"""Resolutions and assignments (:mod:`edmscore.control`) in the SQL adapter.

Searches compile :class:`~edmscore.control.AssignmentQuery` into one SELECT in (deadline, id)
order; the access rule of the assignment's card is part of the WHERE clause, so an assignment on
a card the scope does not permit never leaves the database. The discipline report reads only the
counted assignments due in its period (an index on organisation, counted, due) on cards the
reader's scope permits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa

from edmscore.access import AccessScope
from edmscore.errors import ConflictError, NotFound, ValidationError
from edmscore.records.codec import decode_json, dumps, encode
from edmscore.storage.sql import _schema as t
from edmscore.storage.sql._access import card_visible

if TYPE_CHECKING:
    from edmscore.control import (
        Assignment,
        AssignmentPage,
        AssignmentQuery,
        DisciplineCount,
        Resolution,
    )
    from edmscore.storage.sql._storage import SqlUnitOfWork

__all__ = ["SqlAssignments", "SqlResolutions"]

_NO_DUE = "9999-12-31"


def _row(a: Assignment) -> dict[str, Any]:
    return {
        "id": a.id,
        "organisation_id": a.organisation_id,
        "card_id": a.card_id,
        "resolution_id": a.resolution_id,
        "author_id": a.author_id,
        "executor_id": a.executor_id,
        "controller_id": a.controller_id,
        "department_id": a.department_id,
        "parent_id": a.parent_id,
        "occurrence_of": a.occurrence_of,
        "kind": a.kind.value,
        "state": a.state.value,
        "on_control": a.on_control,
        "due": a.due,
        "due_key": a.due.isoformat() if a.due is not None else _NO_DUE,
        "completed_on": a.completed_on,
        "counted": a.counts_for_discipline,
        "version": a.version,
        "document": dumps(encode(a)),
    }


def _visible(scope: AccessScope) -> sa.ColumnElement[bool]:
    """The assignment's card exists and the scope permits it."""
    c, a = t.cards.c, t.assignments.c
    condition = sa.exists().where(c.id == a.card_id)
    visible = card_visible(t.cards, scope)
    if visible is not None:
        condition = condition.where(visible)
    return condition


class SqlAssignments:
    """Assignments in ``edms_assignments``."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def _decode(self, document: str) -> Assignment:
        from edmscore.control import Assignment

        return decode_json(Assignment, document)

    def get(self, assignment_id: str) -> Assignment:
        """The assignment, or NotFound."""
        a = t.assignments.c
        document = self._uow.select_by_key(a.document, a.id, assignment_id)
        if document is None:
            raise NotFound("assignment", assignment_id)
        return self._decode(document)

    def add(self, assignment: Assignment) -> None:
        """Store a new assignment (version 1); ConflictError for a taken id."""
        if assignment.version != 1:
            raise ValidationError("version", "a new assignment starts at version 1")
        if not self._uow.insert_ignoring_conflicts(t.assignments, _row(assignment)):
            a = t.assignments.c
            stored = self._uow.select_by_key(a.version, a.id, assignment.id)
            raise ConflictError("assignment", assignment.id, 0, int(stored or 0))

    def update(self, assignment: Assignment, expected_version: int) -> Assignment:
        """Store a changed assignment at ``expected_version``; return it as stored."""
        stored = self.get(assignment.id)
        if stored.version != expected_version:
            raise ConflictError("assignment", assignment.id, expected_version, stored.version)
        if (stored.organisation_id, stored.card_id) != (
            assignment.organisation_id,
            assignment.card_id,
        ):
            raise ValidationError("assignment", "organisation and card cannot change")
        new = attrs.evolve(assignment, version=stored.version + 1)
        row = _row(new)
        del row["id"]
        a = t.assignments.c
        changed = self._uow.execute(
            sa.update(t.assignments)
            .where(a.id == assignment.id, a.version == expected_version)
            .values(**row)
        ).rowcount
        if changed != 1:
            actual = self._uow.select_by_key(a.version, a.id, assignment.id)
            raise ConflictError("assignment", assignment.id, expected_version, int(actual or 0))
        return new

    def query(self, query: AssignmentQuery, scope: AccessScope) -> AssignmentPage:
        """Search in (deadline, id) order; the card's access rule is applied in the SQL."""
        from edmscore.control import AssignmentCursor, AssignmentPage

        a = t.assignments.c
        where: list[sa.ColumnElement[bool]] = [_visible(scope)]
        for column, wanted in (
            (a.organisation_id, query.organisation_id),
            (a.executor_id, query.executor_id),
            (a.controller_id, query.controller_id),
            (a.department_id, query.department_id),
            (a.author_id, query.author_id),
            (a.card_id, query.card_id),
            (a.resolution_id, query.resolution_id),
            (a.parent_id, query.parent_id),
            (a.occurrence_of, query.occurrence_of),
            (a.on_control, query.on_control),
        ):
            if wanted is not None:
                where.append(column == wanted)
        if query.states is not None:
            where.append(a.state.in_(sorted(s.value for s in query.states)))
        if query.kinds is not None:
            where.append(a.kind.in_(sorted(k.value for k in query.kinds)))
        if query.due_from is not None:
            where.append(a.due >= query.due_from)
        if query.due_to is not None:
            where.append(a.due <= query.due_to)
        if query.after is not None:
            after = query.after
            where.append(
                sa.or_(
                    a.due_key > after.due_key,
                    sa.and_(a.due_key == after.due_key, a.id > after.assignment_id),
                )
            )
        statement = (
            sa.select(a.document).where(*where).order_by(a.due_key, a.id).limit(query.limit + 1)
        )
        documents = self._uow.execute(statement).scalars().all()
        items = [self._decode(d) for d in documents[: query.limit]]
        cursor = None
        if len(documents) > query.limit:
            last = items[-1]
            key = last.due.isoformat() if last.due is not None else _NO_DUE
            cursor = AssignmentCursor(key, last.id)
        return AssignmentPage(tuple(items), cursor)

    def discipline_counts(
        self,
        organisation_id: str,
        due_from: dt.date,
        due_to: dt.date,
        as_of: dt.date,
        scope: AccessScope,
    ) -> Sequence[DisciplineCount]:
        """Counts per (department, executor) of the counted assignments due in the period, on
        cards ``scope`` permits (the card's access rule is part of the WHERE clause)."""
        from edmscore.control import DisciplineCount, classify

        a = t.assignments.c
        rows: Sequence[Any] = self._uow.execute(
            sa.select(a.department_id, a.executor_id, a.due, a.completed_on).where(
                a.organisation_id == organisation_id,
                a.counted.is_(True),
                a.due >= due_from,
                a.due <= due_to,
                _visible(scope),
            )
        ).all()
        groups: dict[tuple[str | None, str], list[int]] = {}
        for department_id, executor_id, due, completed_on in rows:
            counts = groups.setdefault((department_id, executor_id), [0, 0, 0, 0])
            counts[classify(due, completed_on, as_of)] += 1
        return [
            DisciplineCount(department, executor, *counts)
            for (department, executor), counts in groups.items()
        ]


class SqlResolutions:
    """Resolutions in ``edms_resolutions``."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def _decode(self, document: str) -> Resolution:
        from edmscore.control import Resolution

        return decode_json(Resolution, document)

    def get(self, resolution_id: str) -> Resolution:
        """The resolution, or NotFound."""
        r = t.resolutions.c
        document = self._uow.select_by_key(r.document, r.id, resolution_id)
        if document is None:
            raise NotFound("resolution", resolution_id)
        return self._decode(document)

    def add(self, resolution: Resolution) -> None:
        """Store a new resolution (version 1); ConflictError for a taken id."""
        if resolution.version != 1:
            raise ValidationError("version", "a new resolution starts at version 1")
        row = {
            "id": resolution.id,
            "card_id": resolution.card_id,
            "date": resolution.date,
            "version": resolution.version,
            "document": dumps(encode(resolution)),
        }
        if not self._uow.insert_ignoring_conflicts(t.resolutions, row):
            r = t.resolutions.c
            stored = self._uow.select_by_key(r.version, r.id, resolution.id)
            raise ConflictError("resolution", resolution.id, 0, int(stored or 0))

    def of_card(self, card_id: str) -> Sequence[Resolution]:
        """The card's resolutions, by date and id."""
        r = t.resolutions.c
        documents = self._uow.execute(
            sa.select(r.document).where(r.card_id == card_id).order_by(r.date, r.id)
        ).scalars()
        return [self._decode(d) for d in documents]
