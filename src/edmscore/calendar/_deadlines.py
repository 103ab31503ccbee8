"""Deadline policies: a term, and what happens when its last day is a day off.

Plain domain values with no storage: a journal or a document kind refers to a
:class:`DeadlinePolicy`, and the due date is computed from a start date and a
:class:`~edmscore.calendar.ProductionCalendar`.
"""

from __future__ import annotations

import datetime as dt
import enum

import pendulum
from attrs import field, frozen

from edmscore.calendar._calendar import ProductionCalendar
from edmscore.errors import ValidationError

__all__ = [
    "DayOffRule",
    "Deadline",
    "DeadlineMove",
    "DeadlinePolicy",
    "FixedDate",
    "NextPeriodDay",
    "Term",
    "TermUnit",
    "due_in_working_days",
    "end_of_day",
    "is_overdue",
    "overdue_by_working_days",
]


class TermUnit(enum.Enum):
    """What a term is counted in."""

    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"


def _non_negative(instance: object, attribute: object, value: int) -> None:
    if value < 0:
        raise ValidationError("term.amount", f"must not be negative, got {value}")


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


@frozen
class Term:
    """A length of time counted from the day after the start (Civil Code art. 191).

    ``Term.calendar_days(3)`` from Monday ends on Thursday; ``Term.working_days(n)`` adds ``n``
    working days; ``Term.months(1)`` ends on the same date next month, or on that month's last day
    when it has no such date (31 January → 28/29 February).
    """

    amount: int = field(validator=_non_negative)
    unit: TermUnit

    @classmethod
    def calendar_days(cls, amount: int) -> Term:
        """A term of ``amount`` calendar days."""
        return cls(amount, TermUnit.CALENDAR_DAYS)

    @classmethod
    def working_days(cls, amount: int) -> Term:
        """A term of ``amount`` working days."""
        return cls(amount, TermUnit.WORKING_DAYS)

    @classmethod
    def months(cls, amount: int) -> Term:
        """A term of ``amount`` months."""
        return cls(amount, TermUnit.MONTHS)

    def last_day(self, start: dt.date, calendar: ProductionCalendar) -> pendulum.Date:
        """The term's last day before any day-off rule (always a working day for working days)."""
        if self.unit is TermUnit.CALENDAR_DAYS:  # the hot path: plain ordinal arithmetic
            return pendulum.Date.fromordinal(start.toordinal() + self.amount)
        day = pendulum.Date(start.year, start.month, start.day)
        if self.unit is TermUnit.MONTHS:
            return day.add(months=self.amount)
        return calendar.add_working_days(day, self.amount)

    def describe(self) -> str:
        """The term in Russian, e.g. «3 календарных дня», «15 рабочих дней», «1 месяц»."""
        n = self.amount
        if self.unit is TermUnit.MONTHS:
            return f"{n} {_plural(n, 'месяц', 'месяца', 'месяцев')}"
        if self.unit is TermUnit.CALENDAR_DAYS:
            adjective = _plural(n, "календарный", "календарных", "календарных")
        else:
            adjective = _plural(n, "рабочий", "рабочих", "рабочих")
        return f"{n} {adjective} {_plural(n, 'день', 'дня', 'дней')}"


@frozen
class FixedDate:
    """A deadline set as a date (e.g. by the author of a resolution)."""

    date: dt.date

    def last_day(self, start: dt.date, calendar: ProductionCalendar) -> pendulum.Date:
        """The fixed date itself, whatever the start."""
        return pendulum.Date(self.date.year, self.date.month, self.date.day)

    def describe(self) -> str:
        """The date in Russian notation."""
        return f"до {self.date:%d.%m.%Y}"


class Period(enum.Enum):
    """A reporting period."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@frozen
class NextPeriodDay:
    """A day of the period after the start's: «до 10 числа следующего месяца», «до 20 января».

    ``day`` of the month following the start's month (``Period.MONTH``) or quarter
    (``Period.QUARTER``), or ``day`` of ``month`` next year (``Period.YEAR``).
    """

    day: int
    period: Period = Period.MONTH
    month: int = 1

    def __attrs_post_init__(self) -> None:
        if not 1 <= self.day <= 28:
            raise ValidationError("day", f"must be 1–28, got {self.day}")
        if not 1 <= self.month <= 12:
            raise ValidationError("month", f"must be 1–12, got {self.month}")

    def last_day(self, start: dt.date, calendar: ProductionCalendar) -> pendulum.Date:
        """The day of the next period."""
        if self.period is Period.YEAR:
            return pendulum.Date(start.year + 1, self.month, self.day)
        months = 1 if self.period is Period.MONTH else 3 - (start.month - 1) % 3
        index = start.month - 1 + months
        return pendulum.Date(start.year + index // 12, index % 12 + 1, self.day)

    def describe(self) -> str:
        """The rule in Russian."""
        if self.period is Period.YEAR:
            return f"до {self.day:02d}.{self.month:02d} следующего года"
        what = "месяца" if self.period is Period.MONTH else "квартала"
        return f"до {self.day} числа месяца, следующего за отчётным периодом ({what})"


class DayOffRule(enum.Enum):
    """Where a deadline goes when its last day is a day off."""

    PREVIOUS_WORKING_DAY = "previous"
    """The working day before (the usual rule for internal instructions)."""
    NEXT_WORKING_DAY = "next"
    """The next working day (Civil Code art. 193; applied to citizens' appeals)."""
    KEEP = "keep"
    """Leave it on the day off."""

    def apply(self, day: dt.date, calendar: ProductionCalendar) -> pendulum.Date:
        """The deadline ``day`` moved by this rule."""
        if self is DayOffRule.PREVIOUS_WORKING_DAY:
            return calendar.roll_backward(day)
        if self is DayOffRule.NEXT_WORKING_DAY:
            return calendar.roll_forward(day)
        return pendulum.Date(day.year, day.month, day.day)


@frozen
class Deadline:
    """A computed due date and whether it is provisional.

    ``provisional`` is true when counting it reached a year whose decree is not loaded (computed
    on the Labour Code's rules alone): the date may move when the decree is loaded.
    """

    date: pendulum.Date
    provisional: bool = False

    def mark(self) -> str:
        """«(предварительно)» for a provisional deadline, else an empty string (for print)."""
        return "(предварительно)" if self.provisional else ""


@frozen
class DeadlineMove:
    """What recounting one provisional deadline on the loaded decree did to it.

    ``entity_type`` and ``entity_id`` name the record («appeal», «assignment»), ``number`` is
    what a person knows it by (the registration number), ``field`` the deadline's field.
    ``provisional`` tells whether it is still provisional (its year's decree still missing).
    """

    entity_type: str
    entity_id: str
    number: str
    field: str
    old: dt.date
    new: dt.date
    provisional: bool = False

    @property
    def moved(self) -> bool:
        """Whether the date changed."""
        return self.old != self.new

    def describe(self) -> str:
        """The move in Russian, e.g. «№ 12-О (review_due): 10.01.2028 → 11.01.2028»."""
        change = f"{self.old:%d.%m.%Y} → {self.new:%d.%m.%Y}" if self.moved else "без изменений"
        still = ", срок по-прежнему предварительный" if self.provisional else ""
        return f"№ {self.number} ({self.field}): {change}{still}"


@frozen
class DeadlinePolicy:
    """A named rule for a deadline: the term, the day-off rule and the legal basis.

    ``code`` is a stable identifier a journal or document kind can store; ``title`` is the Russian
    name shown to people («Срочно»); ``max_extension`` bounds :meth:`extend` when the law does.
    """

    code: str
    title: str
    term: Term | FixedDate | NextPeriodDay
    day_off_rule: DayOffRule = DayOffRule.PREVIOUS_WORKING_DAY
    basis: str = ""
    max_extension: Term | None = None

    def due_date(self, start: dt.date, calendar: ProductionCalendar) -> pendulum.Date:
        """The due date of a document started (signed, registered) on ``start``."""
        return self.day_off_rule.apply(self.term.last_day(start, calendar), calendar)

    def deadline(self, start: dt.date, calendar: ProductionCalendar) -> Deadline:
        """The due date of ``start`` with its provisional mark (see :class:`Deadline`)."""
        last = self.term.last_day(start, calendar)
        due = self.day_off_rule.apply(last, calendar)
        # The term's last day counts too: a day off there may roll the due date back.
        years = calendar.provisional_years
        if not years:
            return Deadline(due)
        final = max(last.year, due.year)
        return Deadline(due, any(year in years for year in range(start.year, final + 1)))

    def due_moment(
        self, start: dt.date, calendar: ProductionCalendar, timezone: str = "Europe/Moscow"
    ) -> pendulum.DateTime:
        """The end of the due date in the organisation's time zone."""
        return end_of_day(self.due_date(start, calendar), timezone)

    def extend(self, due: dt.date, by: Term, calendar: ProductionCalendar) -> pendulum.Date:
        """The due date moved by ``by`` from ``due``; refused beyond ``max_extension``."""
        limit = self.max_extension
        if limit is None:
            raise ValidationError("extension", f"{self.code} allows no extension")
        if by.unit is not limit.unit or by.amount > limit.amount:
            raise ValidationError(
                "extension", f"{by.describe()} exceeds the limit of {limit.describe()}"
            )
        return self.day_off_rule.apply(by.last_day(due, calendar), calendar)

    def describe(self) -> str:
        """The policy in Russian, e.g. «Срочно: 3 календарных дня»."""
        return f"{self.title}: {self.term.describe()}"


def end_of_day(day: dt.date, timezone: str = "Europe/Moscow") -> pendulum.DateTime:
    """The last moment of ``day`` in ``timezone`` (23:59:59.999999): when a deadline runs out."""
    return pendulum.datetime(day.year, day.month, day.day, 23, 59, 59, 999999, tz=timezone)


def is_overdue(due: dt.date, now: dt.datetime, timezone: str = "Europe/Moscow") -> bool:
    """Whether the deadline ``due`` has passed at the moment ``now`` (time-zone aware)."""
    if now.tzinfo is None:
        raise ValidationError("now", "a moment needs a time zone (naive datetime given)")
    return pendulum.instance(now).in_tz(timezone).date() > due


def due_in_working_days(due: dt.date, today: dt.date, calendar: ProductionCalendar) -> int:
    """Working days left until ``due``: those in ``(today, due]``; 0 when due today or past."""
    return max(0, calendar.working_days_between(today, due))


def overdue_by_working_days(due: dt.date, today: dt.date, calendar: ProductionCalendar) -> int:
    """Working days a deadline is overdue by: those in ``(due, today]``; 0 when not overdue."""
    return max(0, calendar.working_days_between(due, today))
