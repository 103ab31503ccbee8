"""The xmlcalendar formats (XML and JSON), widely used by Russian software, one year per file.

XML: ``<calendar year lang date country>`` with ``<holidays><holiday id title/>`` and
``<days><day d="MM.DD" t h f/>``; ``t`` is 1 for a day off, 2 for a shortened working day, 3 for
a working weekend day; ``h`` the holiday id; ``f`` the date a day off was moved from. Only days
that depart from the plain week are listed. JSON: ``months[].days`` lists every non-working day
of the month, ``*`` marking a shortened working day and ``+`` a transferred day off, with
``transitions`` and ``statistic``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from lxml import etree

from edmscore.calendar._federal import holiday_titles, holidays_of_year
from edmscore.calendar._model import SATURDAY, Decree, Transfer, YearData, YearStatus
from edmscore.calendar._norm import WorkNorm
from edmscore.errors import CalendarError, CalendarFormatError

__all__ = ["from_xmlcalendar", "from_xmlcalendar_json", "to_xmlcalendar", "to_xmlcalendar_json"]

MAX_BYTES = 1_000_000
"""The largest calendar file read (a year's file is a few kilobytes)."""


def _bounded(data: bytes | str, field: str) -> bytes:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise CalendarFormatError(field, f"larger than {MAX_BYTES} bytes")
    return raw


def _month_day(text: str, year: int, field: str) -> dt.date:
    try:
        month, day = (int(part) for part in text.strip().split("."))
        return dt.date(year, month, day)
    except (ValueError, OverflowError) as exc:  # OverflowError: a number past a C long
        raise CalendarFormatError(field, f"not a MM.DD date of {year}: {text!r}") from exc


def _decree_date(text: str) -> dt.date | None:
    for pattern in ("%Y.%m.%d", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _stats(data: YearData) -> tuple[int, int, int]:
    """(working days, days off, shortened working days) of a year."""
    days = list(data.days())
    working = sum(1 for day in days if not data.is_day_off(day))
    return working, len(days) - working, len(data.shortened)


def to_xmlcalendar(data: YearData) -> bytes:
    """One year as xmlcalendar XML (UTF-8 bytes)."""
    root = etree.Element("calendar", year=str(data.year), lang="ru", country="ru")
    if data.decree is not None:
        root.set("date", f"{data.decree.date:%Y.%m.%d}")
        root.set("decree", data.decree.number)
    holidays = etree.SubElement(root, "holidays")
    for hid in sorted(set(data.holidays.values())):
        etree.SubElement(holidays, "holiday", id=str(hid), title=data.holiday_titles.get(hid, ""))
    days = etree.SubElement(root, "days")
    moved_from = {t.to_date: t.from_date for t in data.transfers}
    special = sorted(
        set(data.holidays) | set(data.days_off) | data.shortened | data.working_weekends
    )
    for day in special:
        element = etree.SubElement(days, "day", d=f"{day:%m.%d}")
        if day in data.holidays:
            element.set("t", "1")
            element.set("h", str(data.holidays[day]))
        elif day in data.days_off:
            element.set("t", "1")
            if day in moved_from and moved_from[day].year == data.year:
                element.set("f", f"{moved_from[day]:%m.%d}")
        else:
            element.set("t", "2" if day in data.shortened else "3")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def from_xmlcalendar(xml: bytes | str) -> YearData:
    """Read one year of xmlcalendar XML. Entities, DTDs and network access are off."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    raw = _bounded(xml, "xmlcalendar")
    if b"<!doctype" in raw.lower():
        raise CalendarFormatError("xmlcalendar", "a DOCTYPE is not allowed")
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise CalendarFormatError("xmlcalendar", f"not well-formed XML: {exc}") from exc
    if root.tag != "calendar":
        raise CalendarFormatError("xmlcalendar", f"root element is <{root.tag}>, not <calendar>")
    try:
        year = int(root.get("year", ""))
    except ValueError as exc:
        raise CalendarFormatError("xmlcalendar.year", "missing or not a number") from exc
    if not 1900 <= year <= 2200:
        raise CalendarFormatError("xmlcalendar.year", f"out of range: {year}")
    titles: dict[int, str] = {}
    for holiday in root.iterfind("holidays/holiday"):
        try:
            hid = holiday.get("id", "")
            if len(hid) > 4:
                raise ValueError(hid)
            titles[int(hid)] = holiday.get("title", "")
        except ValueError as exc:
            raise CalendarFormatError("xmlcalendar.holiday", "id is not a number") from exc
    holidays: dict[dt.date, int] = {}
    days_off: dict[dt.date, str] = {}
    working: set[dt.date] = set()
    shortened: set[dt.date] = set()
    transfers: list[Transfer] = []
    for element in root.iterfind("days/day"):
        day = _month_day(element.get("d", ""), year, "xmlcalendar.day.d")
        kind = element.get("t", "")
        if kind == "1":
            hid = element.get("h")
            moved = element.get("f")
            if hid:
                if not hid.isdigit() or len(hid) > 4:
                    raise CalendarFormatError("xmlcalendar.day.h", f"not a holiday id: {hid!r}")
                holidays[day] = int(hid)
            elif moved:
                source = _month_day(moved, year, "xmlcalendar.day.f")
                transfers.append(Transfer(source, day))
                days_off[day] = f"перенос с {source:%d.%m.%Y}"
            else:
                days_off[day] = "выходной день"
        elif kind == "2":
            shortened.add(day)
            if day.weekday() >= SATURDAY:
                working.add(day)
        elif kind == "3":
            working.add(day)  # refused below when it is not a weekend day
        else:
            raise CalendarFormatError("xmlcalendar.day.t", f"unknown day type {kind!r}")
    decree_date = _decree_date(root.get("date", ""))
    decree = None
    if decree_date is not None:
        decree = Decree(number=root.get("decree", ""), date=decree_date, source="xmlcalendar")
    try:
        return YearData(
            year=year,
            status=YearStatus.IMPORTED,
            holidays=holidays,
            days_off=days_off,
            working_weekends=working,
            shortened=shortened,
            transfers=transfers,
            decree=decree,
            holiday_titles=titles,
        )
    except CalendarError as exc:
        raise CalendarFormatError("xmlcalendar", str(exc)) from exc


def to_xmlcalendar_json(data: YearData) -> str:
    """One year in xmlcalendar's JSON form, with its statistic (hours for 40, 36, 24 h/week)."""
    transferred = {t.to_date for t in data.transfers}
    months: list[dict[str, Any]] = []
    for month in range(1, 13):
        tokens: list[str] = []
        for day in data.days():
            if day.month != month:
                continue
            if data.is_day_off(day):
                tokens.append(f"{day.day}+" if day in transferred else str(day.day))
            elif day in data.shortened:
                tokens.append(f"{day.day}*")
        months.append({"month": month, "days": ",".join(tokens)})
    working, off, short = _stats(data)
    statistic: dict[str, Any] = {"workdays": working, "holidays": off}
    for hours in (40, 36, 24):
        norm = WorkNorm(hours)
        minutes = working * norm.day_minutes - short * norm.shortening
        statistic[f"hours{hours}"] = round(minutes / 60, 1)
    document = {
        "year": data.year,
        "months": months,
        "transitions": [
            {"from": f"{t.from_date:%m.%d}", "to": f"{t.to_date:%m.%d}"}
            for t in data.transfers
            if t.from_date.year == t.to_date.year == data.year
        ],
        "statistic": statistic,
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def _json_object(text: bytes | str) -> dict[str, Any]:
    try:
        document = json.loads(_bounded(text, "xmlcalendar_json"))
    except (ValueError, RecursionError) as exc:
        raise CalendarFormatError("xmlcalendar_json", f"not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise CalendarFormatError("xmlcalendar_json", "the top level is not an object")
    return document


def from_xmlcalendar_json(text: bytes | str) -> YearData:
    """Read one year of xmlcalendar JSON."""
    document = _json_object(text)
    year = document.get("year")
    if not isinstance(year, int) or not 1900 <= year <= 2200:
        raise CalendarFormatError("xmlcalendar_json.year", f"not a year: {year!r}")
    months = document.get("months")
    if not isinstance(months, list):
        raise CalendarFormatError("xmlcalendar_json.months", "missing or not a list")
    off: set[dt.date] = set()
    moved: set[dt.date] = set()
    shortened: set[dt.date] = set()
    for entry in months:
        if not isinstance(entry, dict) or not isinstance(entry.get("month"), int):
            raise CalendarFormatError("xmlcalendar_json.months", f"bad month entry {entry!r}")
        days = entry.get("days", "")
        if not isinstance(days, str):
            raise CalendarFormatError("xmlcalendar_json.months.days", "not a string")
        for token in filter(None, (part.strip() for part in days.split(","))):
            mark = token[-1] if token[-1] in "*+" else ""
            number = token.rstrip("*+")
            try:
                day = dt.date(year, entry["month"], int(number))
            except (ValueError, OverflowError) as exc:
                raise CalendarFormatError("xmlcalendar_json.days", f"bad day {token!r}") from exc
            if mark == "*":
                shortened.add(day)
            else:
                off.add(day)
                if mark == "+":
                    moved.add(day)
    transfers: list[Transfer] = []
    for item in document.get("transitions") or []:
        if not isinstance(item, dict):
            raise CalendarFormatError("xmlcalendar_json.transitions", f"bad entry {item!r}")
        source = _month_day(str(item.get("from", "")), year, "xmlcalendar_json.transitions")
        target = _month_day(str(item.get("to", "")), year, "xmlcalendar_json.transitions")
        transfers.append(Transfer(source, target))
        moved.add(target)
    labour_code = holidays_of_year(year)
    holidays = {day: hid for day, hid in labour_code.items() if day in off}
    reasons = {t.to_date: f"перенос с {t.from_date:%d.%m.%Y}" for t in transfers}
    days_off = {
        day: reasons.get(day, "перенос" if day in moved else "выходной день")
        for day in off
        if day not in holidays and (day.weekday() < SATURDAY or day in moved)
    }
    weekend_days = {
        dt.date(year, 1, 1) + dt.timedelta(days=offset)
        for offset in range((dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days)
    }
    working = {day for day in weekend_days if day.weekday() >= SATURDAY and day not in off}
    statistic = document.get("statistic")
    total = statistic.get("workdays") if isinstance(statistic, dict) else None
    try:
        return YearData(
            year=year,
            status=YearStatus.IMPORTED,
            holidays=holidays,
            days_off=days_off,
            working_weekends=working,
            shortened=shortened,
            transfers=transfers,
            official_working_days=total if isinstance(total, int) else None,
            holiday_titles=holiday_titles(),
        )
    except CalendarError as exc:
        raise CalendarFormatError("xmlcalendar_json", str(exc)) from exc
