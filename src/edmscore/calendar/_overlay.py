"""Days a host lays over a calendar: regional holidays, an organisation's own days off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs
from attrs import field, frozen

from edmscore.calendar._model import SATURDAY, YearData
from edmscore.errors import ValidationError

__all__ = ["Overlay"]


def _reasons(value: Mapping[dt.date, str]) -> Mapping[dt.date, str]:
    for day in value:
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise ValidationError("overlay", f"expected dates as keys, got {day!r}")
    return MappingProxyType(dict(value))


def _date_set(value: Iterable[dt.date]) -> frozenset[dt.date]:
    return frozenset(value)


@frozen
class Overlay:
    """Changes laid over the federal calendar, each day with its reason.

    ``days_off`` become non-working (a republic's holiday: «День Республики Татарстан»);
    ``working_days`` are weekend days made working; ``shortened`` are working days one hour
    shorter. A day off that falls on a holiday changes nothing; a regional law's own transfers are
    given as the days they produce. Apply with :meth:`ProductionCalendar.with_overlay`.
    """

    name: str
    days_off: Mapping[dt.date, str] = field(converter=_reasons, factory=dict, hash=False)
    working_days: Mapping[dt.date, str] = field(converter=_reasons, factory=dict, hash=False)
    shortened: frozenset[dt.date] = field(converter=_date_set, factory=frozenset)

    def __attrs_post_init__(self) -> None:
        both = set(self.days_off) & (set(self.working_days) | self.shortened)
        if both:
            first = min(both).isoformat()
            raise ValidationError("overlay", f"{first} is both a day off and a working day")
        for day in self.working_days:
            if day.weekday() < SATURDAY:
                raise ValidationError(
                    "overlay.working_days", f"{day.isoformat()} is a weekday already"
                )

    def years(self) -> frozenset[int]:
        """The years the overlay touches."""
        days = set(self.days_off) | set(self.working_days) | self.shortened
        return frozenset(day.year for day in days)

    def apply(self, data: YearData) -> YearData:
        """``data`` with this overlay's days of the same year laid over it."""
        year = data.year
        days_off = dict(data.days_off)
        working = set(data.working_weekends)
        shortened = set(data.shortened)
        for day, reason in self.days_off.items():
            if day.year == year and day not in data.holidays:
                days_off[day] = f"{reason} ({self.name})" if self.name else reason
                working.discard(day)
                shortened.discard(day)
        for day in self.working_days:
            if day.year == year:
                days_off.pop(day, None)
                working.add(day)
        shortened.update(day for day in self.shortened if day.year == year)
        return attrs.evolve(
            data,
            days_off=days_off,
            working_weekends=working,
            shortened=shortened,
            official_working_days=None,
            note=(data.note + f" + {self.name}").strip(" +"),
        )
