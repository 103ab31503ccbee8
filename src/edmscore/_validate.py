"""Small validators shared by the domain classes; each raises ValidationError naming the field."""

from __future__ import annotations

import re
from typing import Any

import attrs

from edmscore.errors import ValidationError, WrongType

_HEX64 = re.compile(r"[0-9a-f]{64}")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
#: What :func:`unstorable` looks for: a NUL or a lone surrogate (for hot loops that inline it).
UNSTORABLE = _UNSTORABLE


def unstorable(value: str) -> str | None:
    """Why ``value`` cannot be stored as text (a NUL, a lone surrogate), or None when it can.

    Neither encodes to UTF-8 text that PostgreSQL and SQLite accept, so every adapter refuses
    them alike at validation, before any storage sees them.
    """
    if value.isascii() and "\x00" not in value:
        return None
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    char = found.group()
    at = found.start()
    if char == "\x00":
        return f"contains a NUL character at position {at}"
    return f"contains a lone surrogate U+{ord(char):04X} at position {at} (not valid Unicode text)"


def check_storable(name: str, value: str) -> None:
    """Raise :class:`ValidationError` for ``name`` when ``value`` cannot be stored as text."""
    reason = unstorable(value)
    if reason is not None:
        raise ValidationError(name, reason)


def field_name(attribute: attrs.Attribute[Any], owner: object) -> str:
    """The dotted name of an attrs field for error messages: ``ClassName.field``."""
    return f"{type(owner).__name__}.{attribute.name}"


def non_empty_text(max_length: int) -> Any:
    """An attrs validator: a string, not blank, at most ``max_length`` characters."""

    def check(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
        name = field_name(attribute, owner)
        if not isinstance(value, str):
            raise ValidationError(name, f"must be a string, got {type(value).__name__}")
        if not value.strip():
            raise ValidationError(name, "must not be empty")
        if len(value) > max_length:
            raise ValidationError(name, f"must be at most {max_length} characters")
        check_storable(name, value)

    return check


def text(max_length: int) -> Any:
    """An attrs validator: a string (possibly empty) of at most ``max_length`` characters."""

    def check(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
        name = field_name(attribute, owner)
        if not isinstance(value, str):
            raise ValidationError(name, f"must be a string, got {type(value).__name__}")
        if len(value) > max_length:
            raise ValidationError(name, f"must be at most {max_length} characters")
        check_storable(name, value)

    return check


def optional_text(max_length: int) -> Any:
    """An attrs validator: None, or a non-blank string of at most ``max_length`` characters."""
    inner = non_empty_text(max_length)

    def check(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            inner(owner, attribute, value)

    return check


def non_negative_int(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: an int ≥ 0 (bools refused)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValidationError(
            field_name(attribute, owner), f"must be an integer ≥ 0, got {value!r}"
        )


def positive_int(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: an int ≥ 1 (bools refused)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(
            field_name(attribute, owner), f"must be an integer ≥ 1, got {value!r}"
        )


def sha256_hex(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: 64 lowercase hex digits."""
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise ValidationError(field_name(attribute, owner), "must be 64 lowercase hex digits")


def instance_of(kind: type | tuple[type, ...]) -> Any:
    """An attrs validator like attrs.validators.instance_of, raising ValidationError."""

    def check(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            expected = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            raise ValidationError(
                field_name(attribute, owner), f"must be {expected}, got {type(value).__name__}"
            )

    return check


def tuple_of(kind: type) -> Any:
    """An attrs validator: a tuple whose every item is a ``kind``."""

    def check(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
        name = field_name(attribute, owner)
        if not isinstance(value, tuple):
            raise ValidationError(name, f"must be a tuple, got {type(value).__name__}")
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise ValidationError(
                    f"{name}[{index}]", f"must be {kind.__name__}, got {type(item).__name__}"
                )
            if isinstance(item, str):
                check_storable(f"{name}[{index}]", item)

    return check


def aware_datetime(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: a time-zone aware pendulum DateTime."""
    import pendulum

    name = field_name(attribute, owner)
    if not isinstance(value, pendulum.DateTime):
        raise ValidationError(name, f"must be a pendulum DateTime, got {type(value).__name__}")
    if value.tzinfo is None:
        raise ValidationError(name, "must be time-zone aware")


def optional(check: Any) -> Any:
    """Wrap a validator so that None passes."""

    def wrapped(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            check(owner, attribute, value)

    return wrapped


def to_date(value: object) -> object:
    """An attrs converter: a plain ``datetime.date`` becomes a ``pendulum.Date``.

    Anything else is returned unchanged for the validator to judge, so a wrong type is reported
    against the field rather than crashing inside the converter.
    """
    import datetime

    import pendulum

    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date) and not isinstance(value, pendulum.Date):
        return pendulum.Date(value.year, value.month, value.day)
    return value


def date_value(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: a calendar date (a pendulum Date, not a DateTime)."""
    import datetime

    import pendulum

    if not isinstance(value, pendulum.Date) or isinstance(value, datetime.datetime):
        raise ValidationError(
            field_name(attribute, owner), f"must be a date, got {type(value).__name__}"
        )


def to_tuple(value: object) -> Any:
    """An attrs converter: a list or other iterable (not a string) becomes a tuple."""
    if isinstance(value, list | tuple | set | frozenset) or (
        hasattr(value, "__iter__") and not isinstance(value, str | bytes | dict)
    ):
        return tuple(value)
    return value


def to_frozenset(value: object) -> Any:
    """An attrs converter: an iterable (not a string) becomes a frozenset."""
    if hasattr(value, "__iter__") and not isinstance(value, str | bytes | dict):
        try:
            return frozenset(value)
        except TypeError:
            return value
    return value


def frozenset_of(kind: type) -> Any:
    """An attrs validator: a frozenset whose every item is a ``kind``."""

    def check(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
        name = field_name(attribute, owner)
        if not isinstance(value, frozenset):
            raise ValidationError(name, f"must be a set, got {type(value).__name__}")
        for item in value:
            if not isinstance(item, kind):
                raise ValidationError(name, f"must hold {kind.__name__} items, got {item!r}")

    return check


def expect(value: object, kind: type | tuple[type, ...], field: str) -> None:
    """Raise :class:`~edmscore.errors.WrongType` naming ``field`` unless ``value`` is a ``kind``."""
    if not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        raise WrongType(field, " or ".join(k.__name__ for k in kinds), value)
