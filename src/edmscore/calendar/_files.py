"""Reading calendar files by their kind: xmlcalendar XML or JSON, or a plain list."""

from __future__ import annotations

import pathlib
from collections.abc import Iterable

from edmscore.calendar._calendar import ProductionCalendar
from edmscore.calendar._model import YearData
from edmscore.calendar._norm import WorkNorm
from edmscore.calendar._plainlist import MAX_BYTES, from_plain_list
from edmscore.calendar._xmlcalendar import from_xmlcalendar, from_xmlcalendar_json
from edmscore.errors import CalendarFormatError

__all__ = ["load_calendar", "read_calendar_file"]


def read_calendar_file(path: str | pathlib.Path) -> list[YearData]:
    """The years in one file: ``.xml`` xmlcalendar XML, ``.json`` its JSON, else a plain list."""
    file = pathlib.Path(path)
    try:
        if file.stat().st_size > MAX_BYTES:
            raise CalendarFormatError(str(file), f"larger than {MAX_BYTES} bytes")
        raw = file.read_bytes()
    except OSError as exc:
        raise CalendarFormatError(str(file), f"cannot be read: {exc.strerror}") from exc
    suffix = file.suffix.lower()
    if suffix == ".xml":
        return [from_xmlcalendar(raw)]
    if suffix == ".json":
        return [from_xmlcalendar_json(raw)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CalendarFormatError(str(file), "a plain list must be UTF-8 text") from exc
    return from_plain_list(text)


def load_calendar(
    paths: Iterable[str | pathlib.Path], *, norm: WorkNorm | None = None
) -> ProductionCalendar:
    """A calendar made of the years in ``paths`` (they must form a contiguous span)."""
    years = [data for path in paths for data in read_calendar_file(path)]
    return ProductionCalendar(years, norm=norm)
