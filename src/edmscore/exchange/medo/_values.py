"""Reading and writing the schema's simple values: dates, times, booleans, counts, id lists."""

from __future__ import annotations

import datetime as dt
import re

import pendulum

__all__ = [
    "format_bool",
    "format_date",
    "format_datetime",
    "parse_bool",
    "parse_count",
    "parse_date",
    "parse_datetime",
    "parse_id_list",
]

_DATE = re.compile(r"(-?\d{4,}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?\Z")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?\Z")
_COUNT = re.compile(r"\+?\d{1,18}\Z")


def parse_date(text: str) -> pendulum.Date:
    """An ``xsd:date`` (a time-zone suffix, if any, is dropped); raises ValueError."""
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(f"not a date: {text!r}")
    value = dt.date.fromisoformat(match.group(1))
    return pendulum.date(value.year, value.month, value.day)


def parse_datetime(text: str, default_tz: str) -> pendulum.DateTime:
    """An ``xsd:dateTime``; one without an offset is read in ``default_tz``."""
    text = text.strip()
    match = _DATETIME.match(text)
    if not match:
        raise ValueError(f"not a date and time: {text!r}")
    frac = match.group(1)
    if frac and len(frac) > 7:
        text = text.replace(frac, frac[:7], 1)
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        return pendulum.instance(value, tz=default_tz)
    return pendulum.instance(value)


def parse_bool(text: str) -> bool:
    """An ``xsd:boolean``: true, false, 1 or 0."""
    value = text.strip()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ValueError(f"not a boolean: {text!r}")


def parse_count(text: str) -> int:
    """An ``xsd:nonNegativeInteger`` of at most 18 digits."""
    value = text.strip()
    if not _COUNT.match(value):
        raise ValueError(f"not a non-negative integer: {text!r}")
    return int(value)


def parse_id_list(text: str) -> tuple[int, ...]:
    """A ``listOfFileLocalId``: whitespace-separated non-negative integers."""
    return tuple(parse_count(item) for item in text.split())


def format_date(value: pendulum.Date) -> str:
    """Write an ``xsd:date``."""
    return value.isoformat()[:10] if isinstance(value, dt.datetime) else value.isoformat()


def format_datetime(value: pendulum.DateTime) -> str:
    """Write an ``xsd:dateTime`` with its offset (``Z`` never used).

    An offset that is not a whole number of minutes (local mean time, which time-zone data
    gives for old dates such as ``1900-01-01`` in Moscow: ``+02:30:17``) cannot be written in
    ``xsd:dateTime``; such a value is written as its wall-clock time without an offset, which is
    how it was read (a time without an offset is read in the default zone) and round-trips.
    """
    if value.tzinfo is None:
        raise ValueError("a time without a time zone cannot be written")
    spec = "microseconds" if value.microsecond else "seconds"
    offset = value.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        return value.replace(tzinfo=None).isoformat(timespec=spec)
    return value.isoformat(timespec=spec)


def format_bool(value: bool) -> str:
    """Write an ``xsd:boolean``."""
    return "true" if value else "false"
