"""The data of one calendar year: days off, working weekend days, shortened days, provenance."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

from attrs import field, frozen

from edmscore.errors import CalendarError

__all__ = ["Decree", "Transfer", "YearData", "YearStatus"]

SATURDAY = 5
MIN_YEAR, MAX_YEAR = 1900, 2200
"""The years a calendar may hold."""


class YearStatus(enum.Enum):
    """Where a year's data comes from, and how far it can be trusted."""

    OFFICIAL = "official"
    """Confirmed by the year's decree."""
    PROVISIONAL = "provisional"
    """Announced but not confirmed; used only when a caller asks for provisional years."""
    IMPORTED = "imported"
    """Read from a file (xmlcalendar XML or JSON, a plain list) supplied by the host."""
    FALLBACK = "fallback"
    """No data: Saturdays and Sundays off, nothing else; only on explicit request."""
    STATUTORY = "statutory"
    """No decree yet: computed on the Labour Code's rules alone (art. 112 holidays, a holiday on
    a weekend moved to the next working day except in January, art. 95 shortened days).
    Deadlines that reach such a year are provisional until the decree is loaded."""

    @property
    def confirmed(self) -> bool:
        """Whether deadlines counted on a year of this status are final.

        Only a year confirmed by its decree (``OFFICIAL``) or supplied by the host
        (``IMPORTED``, the host vouches for it) is; statutory, provisional and fallback years
        make the deadlines that reach them provisional.
        """
        return self in (YearStatus.OFFICIAL, YearStatus.IMPORTED)


@frozen
class Decree:
    """The act a year's data comes from (provenance): its number, date and where it was read."""

    number: str
    date: dt.date
    source: str = ""
    title: str = ""

    def cite(self) -> str:
        """The decree as it is cited in Russian, e.g. «от 04.10.2024 № 1335»."""
        return f"от {self.date:%d.%m.%Y} № {self.number}"


@frozen
class Transfer:
    """A day off moved from one date (a weekend day) to another (перенос выходного дня)."""

    from_date: dt.date
    to_date: dt.date
    automatic: bool = False
    """True when the Labour Code moves it by itself (a holiday on a weekend), not the decree."""


def _mapping(value: Mapping[dt.date, str] | Iterable[tuple[dt.date, str]]) -> Mapping[dt.date, str]:
    return MappingProxyType(dict(value))


def _holiday_mapping(
    value: Mapping[dt.date, int] | Iterable[tuple[dt.date, int]],
) -> Mapping[dt.date, int]:
    return MappingProxyType(dict(value))


def _transfers(value: Iterable[Transfer]) -> tuple[Transfer, ...]:
    return tuple(value)


def _dates(value: Iterable[dt.date]) -> frozenset[dt.date]:
    return frozenset(value)


@frozen
class YearData:
    """Everything that departs from a Monday-to-Friday week in one year.

    A day of ``year`` is a day off when it is a Saturday or Sunday not in ``working_weekends``, a
    public holiday (``holidays``) or another day off (``days_off``: transferred days off, regional
    holidays, an organisation's own days). ``shortened`` days are working days one hour shorter.
    """

    year: int
    status: YearStatus
    holidays: Mapping[dt.date, int] = field(converter=_holiday_mapping, factory=dict, hash=False)
    """Public holidays, each with its holiday id (1–8 for the federal ones, as in xmlcalendar)."""
    days_off: Mapping[dt.date, str] = field(converter=_mapping, factory=dict, hash=False)
    """Other non-working days, each with the reason (e.g. «перенос с 04.01.2025»)."""
    working_weekends: frozenset[dt.date] = field(converter=_dates, factory=frozenset)
    shortened: frozenset[dt.date] = field(converter=_dates, factory=frozenset)
    transfers: tuple[Transfer, ...] = field(converter=_transfers, default=())
    decree: Decree | None = None
    official_working_days: int | None = None
    """The total published for the year, when known; checked against the data on construction."""
    note: str = ""
    holiday_titles: Mapping[int, str] = field(factory=dict, hash=False)
    """Titles of the holiday ids used in ``holidays``."""

    def __attrs_post_init__(self) -> None:
        self._check()

    def is_day_off(self, day: dt.date) -> bool:
        """Whether ``day`` (which must lie in this year) is a non-working day."""
        if day in self.holidays or day in self.days_off:
            return True
        return day.weekday() >= SATURDAY and day not in self.working_weekends

    def days(self) -> Iterator[dt.date]:
        """Every day of the year, in order."""
        day = dt.date(self.year, 1, 1)
        one = dt.timedelta(days=1)
        while day.year == self.year:
            yield day
            day += one

    def count_working_days(self) -> int:
        """The number of working days in the year (a plain loop; the calendar index is faster)."""
        return sum(1 for day in self.days() if not self.is_day_off(day))

    def transferred_from(self, day: dt.date) -> dt.date | None:
        """The date a day off was moved from, if ``day`` is the target of a transfer."""
        for transfer in self.transfers:
            if transfer.to_date == day:
                return transfer.from_date
        return None

    def _check(self) -> None:
        year = self.year
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CalendarError(f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
        for what, dates in (
            ("holidays", self.holidays),
            ("days_off", self.days_off),
            ("working_weekends", self.working_weekends),
            ("shortened", self.shortened),
        ):
            for day in dates:
                if day.year != year:
                    raise CalendarError(f"{year}: {what} lists {day.isoformat()} of another year")
        for day in self.working_weekends:
            if day.weekday() < SATURDAY:
                raise CalendarError(f"{year}: working weekend {day.isoformat()} is a weekday")
            if day in self.holidays or day in self.days_off:
                raise CalendarError(f"{year}: working weekend {day.isoformat()} is also a day off")
        for day in self.shortened:
            if self.is_day_off(day):
                raise CalendarError(f"{year}: shortened day {day.isoformat()} is a day off")
        for transfer in self.transfers:
            if not self.is_day_off(transfer.to_date) and transfer.to_date.year == year:
                raise CalendarError(
                    f"{year}: the day off moved to {transfer.to_date.isoformat()} is a working day"
                )
        if self.official_working_days is not None:
            counted = self.count_working_days()
            if counted != self.official_working_days:
                raise CalendarError(
                    f"{year}: the data give {counted} working days, the official total is "
                    f"{self.official_working_days}"
                )

    @classmethod
    def weekends_only(cls, year: int) -> YearData:
        """A year with no data: Saturdays and Sundays off, nothing else (status FALLBACK)."""
        return cls(year=year, status=YearStatus.FALLBACK, note="no data: weekends only")
