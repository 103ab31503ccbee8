"""The production calendar and its working-day arithmetic over precomputed indices.

Every day of the covered years gets a kind code; two cumulative arrays (working days and working
minutes before each day) and the list of working days make every query O(1): no day-by-day loops.
"""

from __future__ import annotations

import datetime as dt
import enum
from array import array
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

import pendulum
from attrs import frozen

from edmscore.calendar._model import SATURDAY, YearData
from edmscore.calendar._norm import OfficeHours, WorkNorm
from edmscore.calendar._overlay import Overlay
from edmscore.errors import CalendarError, CalendarYearMissing, ValidationError

__all__ = ["DayInfo", "DayKind", "ProductionCalendar"]

_WORKING, _SHORTENED, _WEEKEND, _HOLIDAY, _DAY_OFF = range(5)


class DayKind(enum.Enum):
    """What kind of day a date is in the calendar."""

    WORKING = _WORKING
    SHORTENED = _SHORTENED
    """A working day one hour shorter (the day before a holiday)."""
    WEEKEND = _WEEKEND
    HOLIDAY = _HOLIDAY
    """A public holiday (нерабочий праздничный день)."""
    DAY_OFF = _DAY_OFF
    """Another non-working day: a transferred day off, a regional or organisation's day."""

    @property
    def is_working(self) -> bool:
        """Whether a day of this kind is a working day."""
        return self.value < _WEEKEND


@frozen
class DayInfo:
    """One day as the calendar sees it."""

    date: pendulum.Date
    kind: DayKind
    minutes: int
    """Working minutes under the calendar's norm (0 on a day off)."""
    title: str = ""
    """The holiday's title or the reason of a day off or of a working weekend day."""


def _plain_date(day: dt.date, name: str) -> int:
    if isinstance(day, dt.datetime):
        raise ValidationError(name, "expected a date, got a datetime (take its date first)")
    return day.toordinal()


class ProductionCalendar:
    """A production calendar over a contiguous span of years, with O(1) working-day arithmetic.

    Immutable: ``with_overlay``, ``with_norm`` and ``with_weekend_fallback`` return new calendars.
    A date outside the covered years raises :class:`~edmscore.errors.CalendarYearMissing`.
    Dates returned are :class:`pendulum.Date` values.
    """

    __slots__ = (
        "_base",
        "_cum",
        "_first",
        "_hints",
        "_kind",
        "_last",
        "_minutes",
        "_n",
        "_norm",
        "_unconfirmed",
        "_work",
        "_years",
    )

    def __init__(
        self,
        years: Iterable[YearData],
        *,
        norm: WorkNorm | None = None,
        missing_hints: Mapping[int, str] | None = None,
    ) -> None:
        by_year = {data.year: data for data in years}
        if not by_year:
            raise CalendarError("a production calendar needs at least one year")
        first, last = min(by_year), max(by_year)
        gaps = [year for year in range(first, last + 1) if year not in by_year]
        if gaps:
            raise CalendarError(f"years must be contiguous; missing {gaps}")
        self._first, self._last = first, last
        self._years: Mapping[int, YearData] = MappingProxyType(dict(sorted(by_year.items())))
        self._norm = norm or WorkNorm()
        self._hints: Mapping[int, str] = MappingProxyType(dict(missing_hints or {}))
        self._unconfirmed = frozenset(
            year for year, data in self._years.items() if not data.status.confirmed
        )
        self._base = dt.date(first, 1, 1).toordinal()
        self._n = dt.date(last + 1, 1, 1).toordinal() - self._base
        kinds = bytearray(self._n)
        cum = [0] * (self._n + 1)
        minutes = array("q", [0]) * (self._n + 1)
        work: list[pendulum.Date] = []
        day_minutes, short_minutes = self._norm.day_minutes, self._norm.shortened_minutes
        count = total = 0
        for index in range(self._n):
            day = dt.date.fromordinal(self._base + index)
            data = self._years[day.year]
            if day in data.holidays:
                kind = _HOLIDAY
            elif day in data.days_off:
                kind = _DAY_OFF
            elif day.weekday() >= SATURDAY and day not in data.working_weekends:
                kind = _WEEKEND
            elif day in data.shortened:
                kind = _SHORTENED
            else:
                kind = _WORKING
            kinds[index] = kind
            if kind < _WEEKEND:
                work.append(pendulum.Date.fromordinal(self._base + index))
                count += 1
                total += short_minutes if kind == _SHORTENED else day_minutes
            cum[index + 1] = count
            minutes[index + 1] = total
        self._kind = bytes(kinds)
        self._cum = cum  # working days before each day: a list, the fastest to index
        self._minutes = minutes
        self._work = work  # every working day, as the dates handed out

    # --- coverage ----------------------------------------------------------------------------

    @property
    def years(self) -> Mapping[int, YearData]:
        """The data of every covered year, by year."""
        return self._years

    @property
    def first_year(self) -> int:
        """The first covered year."""
        return self._first

    @property
    def last_year(self) -> int:
        """The last covered year."""
        return self._last

    @property
    def norm(self) -> WorkNorm:
        """The working-time norm the hours are computed with."""
        return self._norm

    @property
    def provisional_years(self) -> frozenset[int]:
        """The covered years whose decree is not loaded (statutory, provisional or fallback)."""
        return self._unconfirmed

    def is_confirmed(self, year: int) -> bool:
        """Whether ``year`` is covered and confirmed (by its decree, or imported by the host)."""
        return year in self._years and year not in self._unconfirmed

    def is_provisional_between(self, start: dt.date, end: dt.date) -> bool:
        """Whether a result counted from ``start`` to ``end`` (either order) reaches a year whose
        decree is not loaded, so it may move when the decree is loaded."""
        if not self._unconfirmed:
            return False
        first, last = sorted((start.year, end.year))
        return any(first <= year <= last for year in self._unconfirmed)

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` lies in a covered year."""
        return 0 <= _plain_date(day, "day") - self._base < self._n

    def _missing(self, year: int) -> CalendarYearMissing:
        hint = self._hints.get(year, "")
        return CalendarYearMissing(
            f"no production calendar data for {year} (covered: {self.first_year}–"
            f"{self.last_year}){'; ' + hint if hint else ''}"
        )

    def _index(self, day: dt.date, name: str = "day") -> int:
        index = _plain_date(day, name) - self._base
        if 0 <= index < self._n:
            return index
        raise self._missing(day.year)

    def _span(self, start: dt.date, end: dt.date) -> tuple[int, int]:
        """The indices of two dates (the hot path of counting, checks inlined)."""
        if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
            name = "start" if isinstance(start, dt.datetime) else "end"
            raise ValidationError(name, "expected a date, got a datetime (take its date first)")
        first = start.toordinal() - self._base
        second = end.toordinal() - self._base
        if not 0 <= first < self._n:
            raise self._missing(start.year)
        if not 0 <= second < self._n:
            raise self._missing(end.year)
        return first, second

    def _date(self, index: int) -> pendulum.Date:
        return pendulum.Date.fromordinal(self._base + index)

    # --- single days --------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day (shortened days included)."""
        index = _plain_date(day, "day") - self._base
        if 0 <= index < self._n:
            return self._kind[index] < _WEEKEND
        raise self._missing(day.year)

    def kind(self, day: dt.date) -> DayKind:
        """The kind of ``day``."""
        return DayKind(self._kind[self._index(day)])

    def working_minutes(self, day: dt.date) -> int:
        """Working minutes of ``day`` under the calendar's norm."""
        index = self._index(day)
        return self._minutes[index + 1] - self._minutes[index]

    def info(self, day: dt.date) -> DayInfo:
        """Everything the calendar knows about ``day``."""
        index = self._index(day)
        kind = DayKind(self._kind[index])
        data = self._years[day.year]
        title = ""
        if kind is DayKind.HOLIDAY:
            title = data.holiday_titles.get(data.holidays[day], "")
        elif kind is DayKind.DAY_OFF:
            title = data.days_off[day]
        elif day in data.working_weekends:
            title = "рабочий выходной день (перенос)"
        return DayInfo(
            date=self._date(index),
            kind=kind,
            minutes=self._minutes[index + 1] - self._minutes[index],
            title=title,
        )

    # --- moving by working days ---------------------------------------------------------------

    def next_working_day(self, day: dt.date) -> pendulum.Date:
        """The first working day strictly after ``day``."""
        rank = self._cum[self._index(day) + 1]
        if rank >= len(self._work):
            raise self._missing(self.last_year + 1)
        return self._work[rank]

    def previous_working_day(self, day: dt.date) -> pendulum.Date:
        """The last working day strictly before ``day``."""
        rank = self._cum[self._index(day)]
        if rank == 0:
            raise self._missing(self.first_year - 1)
        return self._work[rank - 1]

    def roll_forward(self, day: dt.date) -> pendulum.Date:
        """``day`` itself if it is a working day, else the next working day."""
        index = self._index(day)
        if self._kind[index] < _WEEKEND:
            return self._date(index)
        return self.next_working_day(day)

    def roll_backward(self, day: dt.date) -> pendulum.Date:
        """``day`` itself if it is a working day, else the previous working day."""
        index = self._index(day)
        if self._kind[index] < _WEEKEND:
            return self._date(index)
        return self.previous_working_day(day)

    def add_working_days(self, day: dt.date, n: int) -> pendulum.Date:
        """The ``n``-th working day after ``day`` (before it when ``n`` is negative).

        ``day`` itself is never counted: ``add(Friday, 1)`` is the next working day, ``add(Sunday,
        -1)`` the last working day before it. ``n == 0`` returns ``day`` unchanged, working or not.
        The inverse is :meth:`working_days_between`.
        """
        # The hot path: the index lookup is inlined.
        if isinstance(day, dt.datetime):
            raise ValidationError("day", "expected a date, got a datetime (take its date first)")
        index = day.toordinal() - self._base
        if not 0 <= index < self._n:
            raise self._missing(day.year)
        if n > 0:
            rank = self._cum[index + 1] + n - 1
            if rank >= len(self._work):
                raise self._missing(self._last + 1)
        elif n < 0:
            rank = self._cum[index] + n
            if rank < 0:
                raise self._missing(self._first - 1)
        else:
            return self._date(index)
        return self._work[rank]

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Signed count of working-day steps from ``start`` to ``end``.

        For ``end >= start`` the working days in ``(start, end]``; for ``end < start`` minus the
        working days in ``[end, start)``. So ``working_days_between(d, add_working_days(d, n)) ==
        n`` for every ``n``.
        """
        first, second = self._span(start, end)
        if second >= first:
            return self._cum[second + 1] - self._cum[first + 1]
        return self._cum[second] - self._cum[first]

    def count_working_days(self, start: dt.date, end: dt.date) -> int:
        """The number of working days in ``[start, end]``, both ends included."""
        # The hot path: the checks of ``_span`` are inlined.
        if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
            self._span(start, end)  # raises the ValidationError
        base, days = self._base, self._n
        first = start.toordinal() - base
        second = end.toordinal() - base
        if not (0 <= first < days and 0 <= second < days):
            self._span(start, end)  # raises CalendarYearMissing for the right year
        if second < first:
            raise ValidationError("end", f"{end.isoformat()} is before {start.isoformat()}")
        return self._cum[second + 1] - self._cum[first]

    def working_days(self, start: dt.date, end: dt.date) -> Iterator[pendulum.Date]:
        """The working days in ``[start, end]``, in order."""
        first = self._index(start, "start")
        second = self._index(end, "end")
        yield from self._work[self._cum[first] : self._cum[second + 1]]

    # --- hours ---------------------------------------------------------------------------------

    def _seconds_until(self, moment: dt.datetime, hours: OfficeHours, name: str) -> int:
        if moment.tzinfo is None:
            raise ValidationError(name, "a moment needs a time zone (naive datetime given)")
        local = pendulum.instance(moment).in_tz(hours.timezone)
        index = self._index(local.date(), name)
        day_seconds = (self._minutes[index + 1] - self._minutes[index]) * 60
        into = local.hour * 3600 + local.minute * 60 + local.second - hours.start_seconds
        into = min(max(into, 0), day_seconds)
        return self._minutes[index] * 60 + into

    def working_time_between(
        self, start: dt.datetime, end: dt.datetime, hours: OfficeHours | None = None
    ) -> dt.timedelta:
        """Working time between two moments (negative when ``end`` is before ``start``).

        Each working day counts from ``hours.start`` (09:00 Moscow time by default) for the
        norm's length of that day; seconds are the finest unit.
        """
        office = hours or OfficeHours()
        seconds = self._seconds_until(end, office, "end") - self._seconds_until(
            start, office, "start"
        )
        return dt.timedelta(seconds=seconds)

    # --- derived calendars ---------------------------------------------------------------------

    def with_norm(self, norm: WorkNorm) -> ProductionCalendar:
        """The same days under another working-time norm (e.g. a 36-hour week)."""
        return ProductionCalendar(self._years.values(), norm=norm, missing_hints=self._hints)

    def with_years(self, years: Iterable[YearData]) -> ProductionCalendar:
        """This calendar with ``years`` added or replaced (the span must stay contiguous)."""
        merged = dict(self._years)
        merged.update({data.year: data for data in years})
        return ProductionCalendar(merged.values(), norm=self._norm, missing_hints=self._hints)

    def with_overlay(self, overlay: Overlay) -> ProductionCalendar:
        """This calendar with a host's days laid over it (every touched year must be covered)."""
        for year in overlay.years():
            if year not in self._years:
                raise self._missing(year)
        return self.with_years(overlay.apply(data) for data in self._years.values())

    def with_weekend_fallback(self, first_year: int, last_year: int) -> ProductionCalendar:
        """Cover ``first_year``–``last_year``, filling years without data with weekends only.

        The explicit fallback: those years are marked :attr:`YearStatus.FALLBACK` and know no
        holidays. Years that have data keep it.
        """
        if last_year < first_year:
            raise ValidationError("last_year", "must not be before first_year")
        span = range(min(first_year, self.first_year), max(last_year, self.last_year) + 1)
        filled = [self._years.get(year) or YearData.weekends_only(year) for year in span]
        return ProductionCalendar(filled, norm=self._norm)

    def __repr__(self) -> str:
        return (
            f"<ProductionCalendar {self.first_year}–{self.last_year}, "
            f"{self._norm.hours_per_week:g} h/week>"
        )
