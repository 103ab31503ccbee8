"""attrs validators for the MEDO schema's simple types: lengths, GUIDs, XML characters.

Each validator names the schema element or attribute (not the Python attribute), so an error
raised while a message is read points at the XML the sender wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from edmscore.errors import ValidationError

__all__ = [
    "GUID_RE",
    "Validator",
    "check_count",
    "check_guid",
    "check_min_items",
    "check_text",
    "normalize_space",
    "optional",
]

GUID_RE = re.compile(
    r"[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}\Z"
)
# Characters XML 1.0 cannot carry (C0 controls except tab/newline/CR, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r]")

Validator = Callable[[Any, Any, Any], None]


def normalize_space(text: str, kind: str) -> str:
    """Apply the schema's whitespace rule: ``string`` as is, ``normalized``, or ``token``."""
    if kind == "string":
        return text
    text = _LINE_BREAKS.sub(" ", text)
    if kind == "token":
        text = re.sub(" +", " ", text).strip(" ")
    return text


def check_text(name: str, low: int, high: int | None, kind: str = "string") -> Validator:
    """A validator: a string of ``low``..``high`` characters, already whitespace-normalised."""

    def validate(_inst: Any, _attr: Any, value: Any) -> None:
        if not isinstance(value, str):
            raise ValidationError(name, f"must be a string, not {type(value).__name__}")
        if _NOT_XML.search(value):
            raise ValidationError(name, "holds a character XML cannot carry")
        if normalize_space(value, kind) != value:
            raise ValidationError(name, f"breaks the {kind} whitespace rule")
        if len(value) < low:
            raise ValidationError(name, f"must have at least {low} characters")
        if high is not None and len(value) > high:
            raise ValidationError(name, f"has {len(value)} characters, at most {high} allowed")

    return validate


def check_guid(name: str) -> Validator:
    """A validator: a GUID in the schema's pattern (either letter case)."""

    def validate(_inst: Any, _attr: Any, value: Any) -> None:
        if not isinstance(value, str) or not GUID_RE.match(value):
            raise ValidationError(name, f"is not a GUID: {value!r}")

    return validate


def optional(validator: Validator) -> Validator:
    """Wrap a validator so that ``None`` passes."""

    def validate(inst: Any, attr: Any, value: Any) -> None:
        if value is not None:
            validator(inst, attr, value)

    return validate


def check_count(name: str, low: int) -> Validator:
    """A validator: a non-negative integer (``low`` is its minimum)."""

    def validate(_inst: Any, _attr: Any, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValidationError(name, f"must be an integer ≥ {low}, not {value!r}")

    return validate


def check_min_items(name: str, low: int) -> Validator:
    """A validator: a tuple with at least ``low`` items."""

    def validate(_inst: Any, _attr: Any, value: Any) -> None:
        if len(value) < low:
            raise ValidationError(name, f"needs at least {low} item(s)")

    return validate
