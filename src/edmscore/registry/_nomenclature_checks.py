"""Small validation helpers shared by the retention and nomenclature modules (private)."""

from __future__ import annotations

import datetime
import re

import pendulum

from edmscore.errors import ValidationError

#: The earliest and latest calendar year a nomenclature, a closing date or a disposal year may
#: carry. Wide enough for old archives and long retention, narrow enough to catch typos.
MIN_YEAR = 1900
MAX_YEAR = 2200


def check_year(field: str, value: object) -> int:
    """Return ``value`` if it is an ``int`` year within the sensible bounds, else raise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"a year must be an integer, got {value!r}")
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise ValidationError(field, f"year {value} is outside {MIN_YEAR}..{MAX_YEAR}")
    return value


def check_text(field: str, value: object, *, max_length: int, blank: bool = False) -> str:
    """Check a human-readable text: a ``str``, not blank (unless allowed), bounded."""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a string, got {type(value).__name__}")
    if not blank and not value.strip():
        raise ValidationError(field, "must not be empty")
    if len(value) > max_length:
        raise ValidationError(field, f"must be at most {max_length} characters, got {len(value)}")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
        raise ValidationError(field, "must not contain control characters")
    return value


def check_token(field: str, value: object, *, max_length: int) -> str:
    """Check an identifier-like text: a non-empty ``str`` with no whitespace, bounded."""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a string, got {type(value).__name__}")
    if not value:
        raise ValidationError(field, "must not be empty")
    if any(ch.isspace() for ch in value):
        raise ValidationError(field, f"must not contain spaces: {value!r}")
    if len(value) > max_length:
        raise ValidationError(field, f"must be at most {max_length} characters, got {len(value)}")
    if not value.isprintable():
        raise ValidationError(field, f"must not contain control characters: {value!r}")
    return value


def to_date(field: str, value: object) -> pendulum.Date:
    """Turn a ``datetime.date`` (pendulum's or the standard one) into a ``pendulum.Date``.

    A date *and time* is refused: closing and approval are calendar dates.
    """
    if isinstance(value, datetime.datetime):
        raise ValidationError(field, f"must be a date, not a date and time: {value!r}")
    if not isinstance(value, datetime.date):
        raise ValidationError(field, f"must be a date, got {type(value).__name__}")
    check_year(field, value.year)
    if isinstance(value, pendulum.Date):
        return value
    return pendulum.Date(value.year, value.month, value.day)


_DIGITS = re.compile(r"([0-9]+)")


def index_sort_key(index: str) -> tuple[tuple[int, int, str], ...]:
    """Natural order of case indexes: ``01-2`` before ``01-10``, ``02-1`` after both."""
    return tuple(
        (0, int(part), "") if part[0] in "0123456789" else (1, 0, part)
        for part in _DIGITS.split(index)
        if part
    )
