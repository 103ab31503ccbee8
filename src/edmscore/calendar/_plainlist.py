"""A plain-text calendar: one special day per line, for hosts that keep their own lists.

::

    # a comment runs from '#' to the end of the line
    year 2025                                 # the list covers 2025
    2025-01-01 holiday Новогодние каникулы
    2025-05-02 off перенос с 04.01.2025
    2025-11-01 work                           # a working Saturday
    2025-11-01 short                          # and a shortened one

Kinds: ``holiday`` and ``off`` (non-working days; the rest of the line is the title or reason),
``work`` (a weekend day that is a working day), ``short`` (a shortened working day; on a weekend it
also makes the day a working day). Days of a year not declared with ``year`` are refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from edmscore.calendar._model import SATURDAY, YearData, YearStatus
from edmscore.errors import CalendarError, CalendarFormatError

__all__ = ["from_plain_list", "to_plain_list"]

MAX_BYTES = 1_000_000
_KINDS = ("holiday", "off", "work", "short")


def to_plain_list(years: Iterable[YearData]) -> str:
    """The years as a plain list (holiday ids and transfers are not kept, only the days)."""
    lines = ["# production calendar (edmscore plain list)"]
    for data in sorted(years, key=lambda item: item.year):
        lines.append(f"year {data.year}")
        if data.decree is not None:
            lines.append(f"# decree {data.decree.cite()} {data.decree.source}".rstrip())
        entries: list[tuple[dt.date, int, str]] = []
        for day, hid in data.holidays.items():
            title = data.holiday_titles.get(hid, "")
            entries.append((day, 0, f"holiday {title}".rstrip()))
        entries.extend((day, 1, f"off {reason}".rstrip()) for day, reason in data.days_off.items())
        entries.extend((day, 2, "work") for day in data.working_weekends)
        entries.extend((day, 3, "short") for day in data.shortened)
        lines.extend(f"{day.isoformat()} {text}" for day, _, text in sorted(entries))
    return "\n".join(lines) + "\n"


def from_plain_list(text: str) -> list[YearData]:
    """Read a plain list; one :class:`YearData` per declared year, in order."""
    if len(text) > MAX_BYTES:
        raise CalendarFormatError("plain_list", f"larger than {MAX_BYTES} characters")
    years: dict[int, dict[str, dict[dt.date, str]]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        field = f"plain_list.line{number}"
        head, _, rest = line.partition(" ")
        if head == "year":
            try:
                year = int(rest.strip())
            except ValueError as exc:
                raise CalendarFormatError(field, f"not a year: {rest!r}") from exc
            years.setdefault(year, {kind: {} for kind in _KINDS})
            continue
        try:
            day = dt.date.fromisoformat(head)
        except ValueError as exc:
            raise CalendarFormatError(field, f"not an ISO date: {head!r}") from exc
        kind, _, note = rest.strip().partition(" ")
        if kind not in _KINDS:
            raise CalendarFormatError(field, f"unknown kind {kind!r} (one of {', '.join(_KINDS)})")
        if day.year not in years:
            raise CalendarFormatError(field, f"{day.year} is not declared with a 'year' line")
        years[day.year][kind][day] = note.strip()
    result = []
    for year, kinds in sorted(years.items()):
        shortened = set(kinds["short"])
        working = set(kinds["work"]) | {d for d in shortened if d.weekday() >= SATURDAY}
        titles: dict[int, str] = {}
        holidays: dict[dt.date, int] = {}
        for day, title in sorted(kinds["holiday"].items()):
            hid = next((k for k, v in titles.items() if v == title), len(titles) + 1)
            titles[hid] = title
            holidays[day] = hid
        try:
            result.append(
                YearData(
                    year=year,
                    status=YearStatus.IMPORTED,
                    holidays=holidays,
                    days_off={d: r or "выходной день" for d, r in kinds["off"].items()},
                    working_weekends=working,
                    shortened=shortened,
                    holiday_titles=titles,
                )
            )
        except CalendarError as exc:
            raise CalendarFormatError("plain_list", str(exc)) from exc
    return result
