"""The federal data shipped with edmscore (``data/ru.toml``), read on first use."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import tomllib
from collections.abc import Mapping
from typing import Any

from edmscore.calendar._calendar import ProductionCalendar
from edmscore.calendar._model import Decree, Transfer, YearData, YearStatus
from edmscore.calendar._norm import WorkNorm
from edmscore.errors import CalendarError

__all__ = ["federal_holidays", "federal_years", "holidays_of_year", "russian_calendar"]

_DATA_FILE = "ru.toml"


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
    *, include_provisional: bool = False, norm: WorkNorm | None = None
) -> ProductionCalendar:
    """The federal production calendar of Russia for every year of the shipped data.

    Provisional years (decree not confirmed, e.g. 2027) are left out unless
    ``include_provisional`` is true; asking for such a year then raises
    :class:`~edmscore.errors.CalendarYearMissing` saying so. The result is built once per
    argument set and shared (it is immutable).
    """
    years = federal_years()
    chosen = [
        data
        for data in years.values()
        if include_provisional or data.status is not YearStatus.PROVISIONAL
    ]
    hints = {
        data.year: (
            f"only provisional data for {data.year} (decree not confirmed); "
            "ask for provisional years (include_provisional=True, --provisional) to use it"
        )
        for data in years.values()
        if data not in chosen
    }
    return ProductionCalendar(chosen, norm=norm, missing_hints=hints)
