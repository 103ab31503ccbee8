"""Per-year and per-month totals of a production calendar (what a printed calendar shows)."""

from __future__ import annotations

import datetime as dt

from attrs import frozen

from edmscore.calendar._calendar import DayKind, ProductionCalendar
from edmscore.calendar._model import MAX_YEAR, MIN_YEAR, Decree, YearStatus
from edmscore.calendar._norm import WorkNorm
from edmscore.errors import ValidationError

__all__ = ["MonthSummary", "YearSummary", "month_summary", "year_summary"]


@frozen
class MonthSummary:
    """Totals of one month."""

    year: int
    month: int
    calendar_days: int
    working_days: int
    days_off: int
    shortened_days: int
    working_minutes: int

    @property
    def working_hours(self) -> float:
        """Working hours of the month under the calendar's norm."""
        return self.working_minutes / 60


@frozen
class YearSummary:
    """Totals of one year, with where its data come from."""

    year: int
    status: YearStatus
    decree: Decree | None
    norm: WorkNorm
    calendar_days: int
    working_days: int
    days_off: int
    holidays: int
    """Public holidays (every one of them, weekends included)."""
    shortened: tuple[dt.date, ...]
    working_minutes: int
    months: tuple[MonthSummary, ...]

    @property
    def working_hours(self) -> float:
        """Working hours of the year under the calendar's norm (1972 for 40 h/week in 2025)."""
        return self.working_minutes / 60


def _check_year(year: object) -> None:
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError("year", f"a calendar year is {MIN_YEAR}–{MAX_YEAR}, got {year!r}")


def month_summary(calendar: ProductionCalendar, year: int, month: int) -> MonthSummary:
    """Totals of ``month`` of ``year``."""
    _check_year(year)
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
        raise ValidationError("month", f"a month is 1–12, got {month!r}")
    first = dt.date(year, month, 1)
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    days = (last - first).days + 1
    working = calendar.count_working_days(first, last)
    shortened = sum(
        1
        for offset in range(days)
        if calendar.kind(first + dt.timedelta(days=offset)) is DayKind.SHORTENED
    )
    minutes = sum(
        calendar.working_minutes(first + dt.timedelta(days=offset)) for offset in range(days)
    )
    return MonthSummary(year, month, days, working, days - working, shortened, minutes)


def year_summary(calendar: ProductionCalendar, year: int) -> YearSummary:
    """Totals of ``year``: working days, days off, shortened days, hours, and each month."""
    _check_year(year)
    months = tuple(month_summary(calendar, year, month) for month in range(1, 13))
    data = calendar.years[year]
    return YearSummary(
        year=year,
        status=data.status,
        decree=data.decree,
        norm=calendar.norm,
        calendar_days=sum(m.calendar_days for m in months),
        working_days=sum(m.working_days for m in months),
        days_off=sum(m.days_off for m in months),
        holidays=len(data.holidays),
        shortened=tuple(sorted(data.shortened)),
        working_minutes=sum(m.working_minutes for m in months),
        months=months,
    )
