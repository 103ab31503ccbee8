"""The facts reports count, read for one reader through the storage's bulk port.

Every adapter with the bulk port (``export_records``) serves these; the SQL adapter serves the
large ones (cards and assignments) with aggregate queries over the ``edms_v1_*`` views instead
(:mod:`edmscore.reports._sql_facts`), returning the same numbers. Visibility: a card counts
when the reader's scope permits it; an assignment, a dispatch and an appeal's question when
their card does; a draft's visas when the draft's organisation is in reach and the draft is
open or the reader is cleared for ДСП.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pendulum

from edmscore.calendar import ProductionCalendar
from edmscore.registry import CardStatus, RegistrationCard
from edmscore.reports._counts import ExecutionCounts, RegistrationKey, classify
from edmscore.reports._reader import Reader
from edmscore.reports.rows import (
    AssignmentRow,
    CardRow,
    DispatchRow,
    QuestionRow,
    VisaRow,
    assignment_row,
    card_row,
    dispatch_row,
    question_rows,
    visa_rows,
)

__all__ = [
    "ExecutionCounts",
    "RegistrationKey",
    "assignment_counts",
    "card_rows",
    "dispatch_rows",
    "medo_incoming",
    "question_rows_for",
    "registration_counts",
    "visa_rows_for",
    "visible_card_ids",
]


def _sql(uow: Any) -> bool:
    from edmscore.storage.sql._storage import SqlUnitOfWork

    return isinstance(uow, SqlUnitOfWork)


def _cards(uow: Any, reader: Reader) -> Iterator[RegistrationCard]:
    for card in uow.export_records("cards"):
        if (
            card.status is CardStatus.REGISTERED
            and card.organisation_id in reader.selected
            and reader.scope.permits(card)
        ):
            yield card


def card_rows(uow: Any, reader: Reader, start: dt.date, end: dt.date) -> Iterator[CardRow]:
    """The visible registered cards of the selected organisations registered in the period."""
    for card in _cards(uow, reader):
        row = card_row(card)
        if start <= row.reg_date <= end:
            yield row


def visible_card_ids(uow: Any, reader: Reader) -> set[str]:
    """Ids of every visible registered card of the selected organisations."""
    if _sql(uow):
        from edmscore.reports import _sql_facts

        return _sql_facts.visible_card_ids(uow, reader)
    return {card.id for card in _cards(uow, reader)}


def registration_counts(
    uow: Any, reader: Reader, start: dt.date, end: dt.date
) -> Counter[RegistrationKey]:
    """Cards registered in the period by organisation, kind, journal, channel and month."""
    if _sql(uow):
        from edmscore.reports import _sql_facts

        return _sql_facts.registration_counts(uow, reader, start, end)
    counts: Counter[RegistrationKey] = Counter()
    for row in card_rows(uow, reader, start, end):
        key = (row.organisation_id, row.kind, row.journal_id, row.channel or "", _month(row))
        counts[key] += 1
    return counts


def _month(row: CardRow) -> str:
    return f"{row.reg_date.year:04d}-{row.reg_date.month:02d}"


def medo_incoming(uow: Any, reader: Reader, start: dt.date, end: dt.date) -> Counter[str]:
    """Incoming cards that came over MEDO in the period, by correspondent."""
    if _sql(uow):
        from edmscore.reports import _sql_facts

        return _sql_facts.medo_incoming(uow, reader, start, end)
    counts: Counter[str] = Counter()
    for row in card_rows(uow, reader, start, end):
        if row.kind == "incoming" and row.channel == "medo":
            counts[row.correspondent] += 1
    return counts


def assignment_counts(
    uow: Any, reader: Reader, start: dt.date, end: dt.date
) -> dict[tuple[str, str, str], ExecutionCounts]:
    """Discipline counts by (organisation, executor, department) for assignments on visible
    cards, counted for discipline, due in the period, as they stand on the reader's today."""
    if _sql(uow):
        from edmscore.reports import _sql_facts

        return _sql_facts.assignment_counts(uow, reader, start, end)
    visible = visible_card_ids(uow, reader)
    out: dict[tuple[str, str, str], ExecutionCounts] = {}
    for assignment in uow.export_records("assignments"):
        row: AssignmentRow = assignment_row(assignment)
        if not row.counted or row.due is None or row.card_id not in visible:
            continue
        if not start <= row.due <= end:
            continue
        key = (row.organisation_id, row.executor_id, row.department_id or "")
        counted = classify(row.due, row.completed_on, reader.today)
        out[key] = out[key].plus(counted) if key in out else counted
    return out


def on_visible_cards(uow: Any, reader: Reader, kind: str) -> Iterator[Any]:
    """The records of ``kind`` (``dispatches``, ``appeals``) hanging off visible cards; on SQL
    the database picks them (a join on the visible cards), elsewhere the card ids are matched."""
    if _sql(uow):
        from edmscore.reports import _sql_facts

        yield from _sql_facts.on_visible_cards(uow, reader, kind)
        return
    visible = visible_card_ids(uow, reader)
    for record in uow.export_records(kind):
        if record.card_id in visible:
            yield record


def drafts_of(uow: Any, reader: Reader) -> Iterator[Any]:
    """The drafts of the selected organisations (ДСП ones only for a cleared reader)."""
    if _sql(uow):
        from edmscore.reports import _sql_facts

        found: Iterator[Any] = _sql_facts.drafts_of(uow, reader)
    else:
        found = (d for d in uow.export_records("drafts") if d.organisation_id in reader.selected)
    for draft in found:
        if draft.access.value == "open" or reader.scope.dsp_cleared:
            yield draft


def dispatch_rows(uow: Any, reader: Reader, start: dt.date, end: dt.date) -> list[DispatchRow]:
    """MEDO dispatches on visible cards first sent in the period (the reader's time zone)."""
    tz = reader.organisation.timezone
    out = []
    for dispatch in on_visible_cards(uow, reader, "dispatches"):
        row = dispatch_row(dispatch)
        day = dispatch.attempts[0].sent_at.in_timezone(tz).date()
        if start <= dt.date(day.year, day.month, day.day) <= end:
            out.append(row)
    return out


def question_rows_for(uow: Any, reader: Reader, start: dt.date, end: dt.date) -> list[QuestionRow]:
    """Questions of appeals on visible cards registered in the period."""
    out: list[QuestionRow] = []
    for appeal in on_visible_cards(uow, reader, "appeals"):
        out.extend(q for q in question_rows(appeal) if start <= q.registered_on <= end)
    return out


def visa_rows_for(
    uow: Any, reader: Reader, start: dt.date, end: dt.date, calendar: ProductionCalendar
) -> list[VisaRow]:
    """Participants of approval stages activated in the period on drafts the reader may see."""
    tz = reader.organisation.timezone
    out: list[VisaRow] = []
    for draft in drafts_of(uow, reader):
        for row in visa_rows(draft, calendar, tz):
            if row.activated_at is None:
                continue
            local = pendulum.instance(row.activated_at).in_timezone(tz).date()
            if start <= dt.date(local.year, local.month, local.day) <= end:
                out.append(row)
    return out
