"""The large facts on the SQL adapter: aggregate queries over the ``edms_v1_*`` views, with the
reader's access scope as the same SQL condition every card listing uses
(:func:`edmscore.storage.sql._access.card_visible`). They return what
:mod:`edmscore.reports._facts` counts in Python on other adapters (the tests compare both).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from edmscore.registry import AccessMark
from edmscore.reports._counts import ExecutionCounts, RegistrationKey
from edmscore.reports._reader import Reader
from edmscore.storage.sql import _schema as t
from edmscore.storage.sql._views import VIEW_TABLES

__all__ = [
    "assignment_counts",
    "drafts_of",
    "medo_incoming",
    "on_visible_cards",
    "registration_counts",
    "visible_card_ids",
]

_CARDS = VIEW_TABLES["edms_v1_cards"]
_ASSIGNMENTS = VIEW_TABLES["edms_v1_assignments"]


def _card_conditions(reader: Reader) -> list[sa.ColumnElement[bool]]:
    """The scope's condition for cards of the selected organisations.

    It is :func:`~edmscore.storage.sql._access.card_visible` with what the selection already
    settles taken out: every selected organisation is the reader's own or one they supervise, so
    a card of one is reached — unless the reader's ``read`` is limited to departments, when an
    own card must be of one of them (or shared back with the organisation). The tests compare it
    with :meth:`AccessScope.permits` on every adapter.
    """
    v = _CARDS.c
    scope = reader.scope
    conditions: list[sa.ColumnElement[bool]] = [
        v.status == "registered",
        v.organisation_id.in_(sorted(reader.selected)),
    ]
    reached: sa.ColumnElement[bool] | None = None
    if scope.department_ids is not None and scope.organisation_id is not None:
        shares = t.card_shares.c
        reached = sa.or_(
            v.organisation_id != scope.organisation_id,
            v.department_id.in_(sorted(scope.department_ids)),
            sa.exists().where(
                shares.card_id == v.card_id, shares.organisation_id == scope.organisation_id
            ),
        )
    cleared = None if scope.dsp_cleared else v.access == AccessMark.OPEN.value
    parts = [p for p in (reached, cleared) if p is not None]
    if parts:
        readers = t.card_readers.c
        listed = sa.exists().where(
            readers.card_id == v.card_id, readers.user_id.in_(sorted(scope.reader_ids))
        )
        conditions.append(sa.or_(sa.and_(*parts), listed))
    return conditions


def _month(uow: Any, column: sa.ColumnElement[Any]) -> sa.ColumnElement[str]:
    if uow._connection().dialect.name == "postgresql":
        return sa.func.to_char(column, "YYYY-MM")
    return sa.func.strftime("%Y-%m", column)


def visible_card_ids(uow: Any, reader: Reader) -> set[str]:
    """Ids of every visible registered card of the selected organisations."""
    statement = sa.select(_CARDS.c.card_id).where(*_card_conditions(reader))
    return {str(row[0]) for row in uow.execute(statement)}


def registration_counts(
    uow: Any, reader: Reader, start: dt.date, end: dt.date
) -> Counter[RegistrationKey]:
    """Cards registered in the period by organisation, kind, journal, channel and month."""
    v = _CARDS.c
    month = _month(uow, v.reg_date).label("month")
    channel = sa.func.coalesce(v.channel, "").label("channel")
    statement = (
        sa.select(v.organisation_id, v.kind, v.journal_id, channel, month, sa.func.count())
        .where(*_card_conditions(reader), v.reg_date >= start, v.reg_date <= end)
        .group_by(v.organisation_id, v.kind, v.journal_id, channel, month)
    )
    out: Counter[RegistrationKey] = Counter()
    for org, kind, journal, chan, mon, count in uow.execute(statement):
        out[(str(org), str(kind), str(journal), str(chan), str(mon))] += int(count)
    return out


def medo_incoming(uow: Any, reader: Reader, start: dt.date, end: dt.date) -> Counter[str]:
    """Incoming cards that came over MEDO in the period, by correspondent."""
    v = _CARDS.c
    statement = (
        sa.select(v.correspondent, sa.func.count())
        .where(
            *_card_conditions(reader),
            v.reg_date >= start,
            v.reg_date <= end,
            v.kind == "incoming",
            v.channel == "medo",
        )
        .group_by(v.correspondent)
    )
    return Counter({str(name): int(count) for name, count in uow.execute(statement)})


def _sum(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[Any]:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def assignment_counts(
    uow: Any, reader: Reader, start: dt.date, end: dt.date
) -> dict[tuple[str, str, str], ExecutionCounts]:
    """Discipline counts by (organisation, executor, department), as :mod:`._facts` counts."""
    a = _ASSIGNMENTS.c
    today = reader.today
    done = sa.and_(a.completed_on.is_not(None), a.completed_on <= today)
    department = sa.func.coalesce(a.department_id, "").label("department")
    statement = (
        sa.select(
            a.organisation_id,
            a.executor_id,
            department,
            sa.func.count(),
            _sum(sa.and_(done, a.completed_on <= a.due)),
            _sum(sa.and_(done, a.completed_on > a.due)),
            _sum(sa.and_(sa.not_(done), a.due < today)),
        )
        .select_from(_ASSIGNMENTS.join(_CARDS, _CARDS.c.card_id == a.card_id))
        .where(
            a.counted.is_(True),
            a.due.is_not(None),
            a.due >= start,
            a.due <= end,
            *_card_conditions(reader),
        )
        .group_by(a.organisation_id, a.executor_id, department)
    )
    out: dict[tuple[str, str, str], ExecutionCounts] = {}
    for org, executor, dept, total, on_time, late, overdue in uow.execute(statement):
        total, on_time, late, overdue = int(total), int(on_time), int(late), int(overdue)
        out[(str(org), str(executor), str(dept))] = ExecutionCounts(
            total, on_time, late, overdue, total - on_time - late - overdue
        )
    return out


def _documents(uow: Any, kind: str, condition: sa.ColumnElement[bool]) -> Iterator[Any]:
    from edmscore.storage.sql._bulk import _DOCUMENTS
    from edmscore.storage.sql._codec import decode_json

    table, cls = _DOCUMENTS[kind]
    decoded = cls()
    statement = sa.select(table.c.document).where(condition).order_by(table.c.id)
    for row in uow.execute(statement):
        yield decode_json(decoded, row[0])


def on_visible_cards(uow: Any, reader: Reader, kind: str) -> Iterator[Any]:
    """The records of ``kind`` whose card is visible, picked by the database."""
    from edmscore.storage.sql._bulk import _DOCUMENTS

    table, _ = _DOCUMENTS[kind]
    visible = sa.select(_CARDS.c.card_id).where(*_card_conditions(reader))
    return _documents(uow, kind, table.c.card_id.in_(visible))


def drafts_of(uow: Any, reader: Reader) -> Iterator[Any]:
    """The drafts of the selected organisations."""
    from edmscore.storage.sql import _schema as t

    return _documents(uow, "drafts", t.drafts.c.organisation_id.in_(sorted(reader.selected)))
