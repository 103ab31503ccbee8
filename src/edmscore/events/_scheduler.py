"""The scheduler's scan: time-driven events, computed on the production calendar, each once.

A host runs :meth:`edmscore.events.EventsService.scan` periodically (say every quarter of an
hour). It reads the organisation's open assignments due within the largest threshold, the sent
MEDO letters waiting for a receipt past their term and the appeals under review, and appends an
event for each threshold crossed. Every such event has a dedupe key naming the object, its due
day and the threshold, and the outbox stores one event per key, ever: scans can overlap, repeat
or be missed for a day without an event sent twice or lost (a missed threshold is reported at
the next scan, as the smallest threshold still ahead).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, TypeVar

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.calendar import ProductionCalendar
from edmscore.errors import ValidationError
from edmscore.events._model import Event, EventType
from edmscore.events._recipients import DeputyLookup, recipients
from edmscore.events.ports import DueRow, overdue_key

__all__ = ["ScanReport", "ScanSettings", "scan_organisation"]

#: How many rows of the deadline scan are read at once.
PAGE = 5000

_T = TypeVar("_T")


def _thresholds(value: object) -> tuple[int, ...]:
    if isinstance(value, int):
        value = (value,)
    if not isinstance(value, tuple | list | set | frozenset) or not value:
        raise ValidationError("days", "give one or more numbers of working days")
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= 60:
            raise ValidationError("days", f"each is 0..60 working days, got {item!r}")
    return tuple(sorted(set(value)))


def _days(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 60:
        raise ValidationError("days", f"must be 0..60 working days, got {value!r}")
    return value


@attrs.frozen
class ScanSettings:
    """The thresholds of a scan, in working days.

    ``deadline_near``: an assignment's deadline is that many working days away (or fewer);
    ``appeal_term_near``: likewise for an appeal's review term; ``delivery_days``: a MEDO letter
    sent that many working days ago still has no receipt.
    """

    deadline_near: tuple[int, ...] = attrs.field(default=(3, 1), converter=_thresholds)
    appeal_term_near: tuple[int, ...] = attrs.field(default=(5,), converter=_thresholds)
    delivery_days: int = attrs.field(default=1, validator=lambda _o, _a, v: _days(v))


@attrs.frozen
class ScanReport:
    """What a scan found and stored: events stored by type, and objects looked at."""

    stored: dict[str, int]
    assignments_seen: int
    dispatches_seen: int
    appeals_seen: int
    acquaintance_sheets_seen: int = 0

    @property
    def total(self) -> int:
        """Events stored in all."""
        return sum(self.stored.values())


def _threshold_for(days_left: int, thresholds: Sequence[int]) -> int | None:
    """The smallest threshold at or above ``days_left`` (None: not near yet)."""
    for threshold in thresholds:
        if days_left <= threshold:
            return threshold
    return None


def _remembered(deputies: DeputyLookup | None) -> DeputyLookup | None:
    """The look-up, asked once per official in one scan."""
    if deputies is None:
        return None
    known: dict[tuple[str, pendulum.Date], Sequence[str]] = {}
    lookup = deputies

    def remembered(uow: Any, official_id: str, day: pendulum.Date) -> Sequence[str]:
        key = (official_id, day)
        if key not in known:
            known[key] = lookup(uow, official_id, day)
        return known[key]

    return remembered


@attrs.frozen
class _Emitter:
    """Builds one scan's events: each new, at the scan's time, for one organisation."""

    organisation_id: str
    now: pendulum.DateTime

    def __call__(
        self,
        type_: EventType,
        entity: tuple[str, str],
        recipients: Sequence[str],
        restricted: bool,
        data: dict[str, str],
        key: str,
    ) -> Event:
        return Event(
            id=new_id(),
            type=type_,
            at=self.now,
            organisation_id=self.organisation_id,
            entity_type=entity[0],
            entity_id=entity[1],
            recipients=tuple(recipients),
            restricted=restricted,
            data=data,
            dedupe_key=key,
        )


def _unsent(uow: Any, candidates: Sequence[tuple[str, _T]]) -> list[tuple[str, _T]]:
    """The candidates (dedupe key, what the event is made from) the outbox has no event for."""
    if not candidates:
        return []
    known = uow.outbox.known_keys([key for key, _ in candidates])
    return [(key, item) for key, item in candidates if key not in known]


def _is_restricted(card: Any) -> bool:
    return bool(card.details.access.value == "dsp")


def _scan_assignments(
    uow: Any,
    emit: _Emitter,
    today: pendulum.Date,
    calendar: ProductionCalendar,
    settings: ScanSettings,
    deputies: DeputyLookup | None,
) -> tuple[list[Event], int]:
    horizon = calendar.add_working_days(today, max(settings.deadline_near))
    deputies = _remembered(deputies)
    overdue: list[tuple[str, tuple[DueRow, EventType, dict[str, str]]]] = []
    near: list[tuple[str, tuple[DueRow, EventType, dict[str, str]]]] = []
    seen = 0
    after: tuple[pendulum.Date, str] | None = None
    while True:
        rows = uow.outbox.due_assignments(
            emit.organisation_id, horizon, after=after, limit=PAGE, unreported_before=today
        )
        seen += len(rows)
        for row in rows:
            if row.due < today:
                # The stored row says whether its overdue event exists: no key look-up needed.
                if not row.overdue_emitted:
                    key = overdue_key(row.assignment_id, row.due)
                    overdue.append((key, (row, EventType.ASSIGNMENT_OVERDUE, {})))
                continue
            left = calendar.working_days_between(today, row.due)
            threshold = _threshold_for(left, settings.deadline_near)
            if threshold is not None:
                key = f"near:{row.assignment_id}:{row.due.isoformat()}:{threshold}"
                near.append((key, (row, EventType.DEADLINE_NEAR, {"days": str(left)})))
        if len(rows) < PAGE:
            break
        after = (rows[-1].due, rows[-1].assignment_id)
    events = []
    for key, (row, type_, data) in overdue + _unsent(uow, near):
        executors = (row.executor_id,)
        payload = {"card_id": row.card_id, "due": row.due.isoformat(), **data}
        if row.number is not None:
            payload["number"] = row.number
        to = recipients(
            uow, (*executors, row.controller_id), today, deputies, with_deputies=executors
        )
        events.append(
            emit(type_, ("assignment", row.assignment_id), to, row.restricted, payload, key)
        )
    return events, seen


def _scan_dispatches(
    uow: Any,
    emit: _Emitter,
    organisation: Any,
    today: pendulum.Date,
    calendar: ProductionCalendar,
    settings: ScanSettings,
) -> tuple[list[Event], int]:
    from edmscore.exchange.dispatch import DispatchState

    try:
        records = uow.dispatches
    except AttributeError:
        return [], 0
    zone = organisation.timezone
    allowance = settings.delivery_days
    bound = pendulum.datetime(*today.subtract(days=allowance).timetuple()[:3], tz=zone)
    found = records.in_state(organisation.id, DispatchState.SENT, bound, limit=1000)
    candidates = []
    for record in found:
        due = calendar.add_working_days(record.since.in_timezone(zone).date(), allowance)
        if due < today:
            candidates.append((f"receipt:{record.id}:{record.since.isoformat()}", (record, due)))
    events = []
    for key, (record, due) in _unsent(uow, candidates):
        card = uow.cards.get(record.card_id)
        data = {
            "dispatch": record.id,
            "recipient": record.recipient_name,
            "due": due.isoformat(),
            "number": card.registration.number,
        }
        to = [x for x in (card.details.executor_id,) if x]
        entity = ("card", record.card_id)
        events.append(
            emit(EventType.MEDO_RECEIPT_OVERDUE, entity, to, _is_restricted(card), data, key)
        )
    return events, len(found)


def _scan_appeals(
    uow: Any,
    emit: _Emitter,
    today: pendulum.Date,
    calendar: ProductionCalendar,
    settings: ScanSettings,
    deputies: DeputyLookup | None,
) -> tuple[list[Event], int]:
    from edmscore.access import AccessScope

    try:
        repository = uow.appeals
    except AttributeError:
        return [], 0
    # A review term is 30 days, extended by 30 at most: a year back covers every open appeal.
    found = repository.registered_between(
        emit.organisation_id, today.subtract(days=366), today, AccessScope.everything()
    )
    candidates = []
    for appeal in found:
        if appeal.is_closed or appeal.review_due < today:
            continue
        left = calendar.working_days_between(today, appeal.review_due)
        threshold = _threshold_for(left, settings.appeal_term_near)
        if threshold is not None:
            key = f"appeal:{appeal.id}:{appeal.review_due.isoformat()}:{threshold}"
            candidates.append((key, (appeal, left)))
    events = []
    for key, (appeal, left) in _unsent(uow, candidates):
        card = uow.cards.get(appeal.card_id)
        executors = [q.executor_id for q in appeal.questions]
        to = recipients(uow, executors, today, deputies, with_deputies=executors)
        data = {
            "number": appeal.number,
            "card_id": appeal.card_id,
            "due": appeal.review_due.isoformat(),
            "days": str(left),
        }
        entity = ("appeal", appeal.id)
        events.append(emit(EventType.APPEAL_TERM_NEAR, entity, to, _is_restricted(card), data, key))
    return events, len(found)


def _reminder_day(
    calendar: ProductionCalendar, since: pendulum.Date, every: int, today: pendulum.Date
) -> pendulum.Date | None:
    """The latest reminder day up to ``today``: every ``every`` working days after ``since``."""
    found = None
    day = calendar.add_working_days(since, every)
    while day <= today:
        found = day
        day = calendar.add_working_days(day, every)
    return found


def _scan_acquaintances(
    uow: Any,
    emit: _Emitter,
    organisation: Any,
    today: pendulum.Date,
    calendar: ProductionCalendar,
) -> tuple[list[Event], int]:
    """A reminder for each person who has not read a sheet's document, every
    ``remind_every_days`` working days after the sending or the last reminder a host noted;
    the key names the reminder day, so each is made once."""
    try:
        repository = uow.acquaintances
    except AttributeError:
        return [], 0
    sheets = repository.open_sheets(organisation.id)
    candidates = []
    for sheet in sheets:
        for user_id in sheet.pending:
            since = sheet.last_reminded(user_id).in_timezone(organisation.timezone).date()
            day = _reminder_day(calendar, since, sheet.remind_every_days, today)
            if day is not None:
                key = f"acquaintance:{sheet.id}:{user_id}:{day.isoformat()}"
                candidates.append((key, (sheet, user_id, day)))
    events = []
    for key, (sheet, user_id, day) in _unsent(uow, candidates):
        official_id = uow.directory.user(user_id).official_id
        card = uow.cards.get(sheet.card_id)
        data = {
            "card_id": sheet.card_id,
            "sheet_id": sheet.id,
            "user_id": user_id,
            "due": day.isoformat(),
        }
        to = [official_id] if official_id else []
        entity = ("acquaintance", sheet.id)
        events.append(
            emit(EventType.ACQUAINTANCE_REMINDER, entity, to, _is_restricted(card), data, key)
        )
    return events, len(sheets)


def scan_organisation(
    uow: Any,
    organisation: Any,
    today: pendulum.Date,
    now: pendulum.DateTime,
    calendar: ProductionCalendar,
    settings: ScanSettings,
    deputies: DeputyLookup | None,
) -> ScanReport:
    """Find and store the organisation's time-driven events as of ``today`` (the caller
    commits)."""
    emit = _Emitter(organisation.id, now)
    events, assignments = _scan_assignments(uow, emit, today, calendar, settings, deputies)
    more, dispatches = _scan_dispatches(uow, emit, organisation, today, calendar, settings)
    events.extend(more)
    more, appeals = _scan_appeals(uow, emit, today, calendar, settings, deputies)
    events.extend(more)
    more, sheets = _scan_acquaintances(uow, emit, organisation, today, calendar)
    events.extend(more)
    # Only events not yet stored were built; a scan running at the same moment may store some
    # first (the outbox keeps one per key): the counts are of the events this scan offered.
    uow.outbox.append(events)
    stored = Counter(event.type.value for event in events)
    return ScanReport(dict(sorted(stored.items())), assignments, dispatches, appeals, sheets)
