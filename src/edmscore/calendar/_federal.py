"""The federal data shipped with edmscore (``data/ru.toml``), read on first use."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import tomllib
from collections.abc import Mapping
from typing import Any

from edmscore.calendar._calendar import ProductionCalendar
from edmscore.calendar._model import (
    MAX_YEAR,
    MIN_YEAR,
    SATURDAY,
    Decree,
    Transfer,
    YearData,
    YearStatus,
)
from edmscore.calendar._norm import WorkNorm
from edmscore.errors import CalendarError

__all__ = [
    "STATUTORY_HORIZON",
    "federal_holidays",
    "federal_years",
    "holidays_of_year",
    "russian_calendar",
    "statutory_year",
]

_DATA_FILE = "ru.toml"
STATUTORY_HORIZON = 10
"""Years after the last shipped decree that :func:`russian_calendar` covers on statutory rules."""
_JANUARY_HOLIDAYS = frozenset({1, 2})
"""Holiday ids whose weekend days move only by decree (New Year holidays and Christmas)."""
_ONE_DAY = dt.timedelta(days=1)


@functools.cache
def _raw() -> dict[str, Any]:
    text = (
        importlib.resources.files("edmscore.calendar")
        .joinpath("data", _DATA_FILE)
        .read_text(encoding="utf-8")
    )
    return tomllib.loads(text)


def federal_holidays() -> Mapping[int, tuple[str, tuple[tuple[int, int], ...]]]:
    """The Labour Code holidays: id → (title, ((month, day), …))."""
    result: dict[int, tuple[str, tuple[tuple[int, int], ...]]] = {}
    for key, entry in _raw()["holidays"].items():
        days = tuple((int(text[:2]), int(text[3:])) for text in entry["days"])
        result[int(key)] = (str(entry["title"]), days)
    return result


def holidays_of_year(year: int) -> dict[dt.date, int]:
    """The public holidays of ``year`` under the current Labour Code list, date → holiday id."""
    return {
        dt.date(year, month, day): hid
        for hid, (_, days) in federal_holidays().items()
        for month, day in days
    }


def holiday_titles() -> dict[int, str]:
    """Holiday id → its Russian title."""
    return {hid: title for hid, (title, _) in federal_holidays().items()}


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= SATURDAY


def statutory_year(year: int) -> YearData:
    """``year`` computed on the Labour Code's rules alone, for a year whose decree is not loaded.

    The holidays of art. 112 part 1; a holiday other than the January ones (1–8 January) that
    falls on a Saturday or Sunday moves the day off to the next working day (art. 112 part 2: the
    January weekend days move only by the yearly decree, so none is moved here); the working day
    right before a holiday is one hour shorter (art. 95). Status
    :attr:`YearStatus.STATUTORY`: deadlines that reach the year are provisional.
    """
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
    holidays = holidays_of_year(year)
    days_off: dict[dt.date, str] = {}
    transfers: list[Transfer] = []
    for day in sorted(holidays):
        if holidays[day] in _JANUARY_HOLIDAYS or not _is_weekend(day):
            continue
        target = day + _ONE_DAY
        while _is_weekend(target) or target in holidays or target in days_off:
            target += _ONE_DAY
        if target.year != year:  # pragma: no cover - no federal holiday is that late
            continue
        days_off[target] = f"перенос с {day:%d.%m.%Y} (ст. 112 ТК РФ)"
        transfers.append(Transfer(from_date=day, to_date=target, automatic=True))

    def working(day: dt.date) -> bool:
        return not (_is_weekend(day) or day in holidays or day in days_off)

    following = holidays_of_year(year + 1) if year < MAX_YEAR else {}
    shortened = [
        day - _ONE_DAY
        for day in (*holidays, *following)
        if (day - _ONE_DAY).year == year and working(day - _ONE_DAY)
    ]
    return YearData(
        year=year,
        status=YearStatus.STATUTORY,
        holidays=holidays,
        days_off=days_off,
        shortened=shortened,
        transfers=transfers,
        note="no decree loaded: Labour Code art. 112 and art. 95 only (provisional)",
        holiday_titles=holiday_titles(),
    )


def _date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise CalendarError(f"{where}: expected a date, got {value!r}")


def _year(year: int, entry: Mapping[str, Any]) -> YearData:
    where = f"{_DATA_FILE} [{year}]"
    try:
        status = YearStatus(entry["status"])
        raw_decree = entry["decree"]
        decree = Decree(
            number=str(raw_decree["number"]),
            date=_date(raw_decree["date"], where),
            source=str(raw_decree.get("source", "")),
            title=f"О переносе выходных дней в {year} году",
        )
        transfers = tuple(
            Transfer(
                from_date=_date(item["from"], where),
                to_date=_date(item["to"], where),
                automatic=bool(item.get("automatic", False)),
            )
            for item in entry["transfers"]
        )
        working_weekends = [_date(day, where) for day in entry["working_weekends"]]
        shortened = [_date(day, where) for day in entry["shortened"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise CalendarError(f"{where}: malformed entry ({exc})") from exc
    days_off: dict[dt.date, str] = {}
    for transfer in transfers:
        basis = "ст. 112 ТК РФ" if transfer.automatic else f"постановление {decree.cite()}"
        days_off[transfer.to_date] = f"перенос с {transfer.from_date:%d.%m.%Y} ({basis})"
    total = entry.get("working_days")
    return YearData(
        year=year,
        status=status,
        holidays=holidays_of_year(year),
        days_off=days_off,
        working_weekends=working_weekends,
        shortened=shortened,
        transfers=transfers,
        decree=decree,
        official_working_days=int(total) if total is not None else None,
        note=str(entry.get("note", "")),
        holiday_titles=holiday_titles(),
    )


@functools.cache
def federal_years() -> Mapping[int, YearData]:
    """Every year of the shipped federal data, official and provisional, by year."""
    return {int(key): _year(int(key), entry) for key, entry in _raw()["years"].items()}


@functools.cache
def russian_calendar(
    *,
    include_provisional: bool = False,
    norm: WorkNorm | None = None,
    statutory_years: int = STATUTORY_HORIZON,
) -> ProductionCalendar:
    """The federal production calendar of Russia: the shipped decrees, then the statutory rules.

    Every year confirmed by its decree is as the decree says. The ``statutory_years`` years after
    the last shipped one — and a year whose data are only announced (:attr:`YearStatus.PROVISIONAL`,
    unless ``include_provisional``) — are computed by :func:`statutory_year` and marked
    :attr:`YearStatus.STATUTORY`: a missing decree never stops a deadline from being counted,
    and :meth:`ProductionCalendar.is_provisional_between` tells the deadlines that reach such a
    year. ``statutory_years=0`` gives only the shipped years (a date past them raises
    :class:`~edmscore.errors.CalendarYearMissing`). Built once per argument set and shared.
    """
    if not isinstance(statutory_years, int) or not 0 <= statutory_years <= 100:
        raise CalendarError(f"statutory_years must be 0–100, got {statutory_years!r}")
    years = federal_years()
    chosen = {
        data.year: (
            data
            if include_provisional or data.status is not YearStatus.PROVISIONAL
            else statutory_year(data.year)
        )
        for data in years.values()
    }
    last = max(chosen)
    for year in range(last + 1, min(last + statutory_years, MAX_YEAR) + 1):
        chosen[year] = statutory_year(year)
    return ProductionCalendar(chosen.values(), norm=norm)
