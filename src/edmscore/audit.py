"""Audit events: who did what to which object, when, with every changed field before and after."""

from __future__ import annotations

import json
from collections.abc import Mapping

import attrs
import pendulum

from edmscore._validate import (
    aware_datetime,
    non_empty_text,
    optional_text,
    text,
    to_tuple,
    tuple_of,
)

__all__ = ["AuditEvent", "FieldChange", "diff_fields"]


@attrs.frozen
class FieldChange:
    """One field's value before and after, as JSON text (None: the field did not exist)."""

    field: str = attrs.field(validator=non_empty_text(200))
    before: str | None = None
    after: str | None = None


@attrs.frozen
class AuditEvent:
    """One state change of a card, journal, nomenclature or other object; legally significant."""

    at: pendulum.DateTime = attrs.field(validator=aware_datetime)
    actor_id: str = attrs.field(validator=non_empty_text(64))
    action: str = attrs.field(validator=non_empty_text(100))
    entity_type: str = attrs.field(validator=non_empty_text(50))
    entity_id: str = attrs.field(validator=non_empty_text(64))
    changes: tuple[FieldChange, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(FieldChange)
    )
    note: str = attrs.field(default="", validator=text(4000))
    #: The user the actor replaced as deputy, when acting on their behalf.
    on_behalf_of: str | None = attrs.field(default=None, validator=optional_text(64))


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
_EMPTY: tuple[object, ...] = (None, "", [], {})


def _json(value: object) -> str:
    return _ENCODER.encode(value)


def diff_fields(
    before: Mapping[str, object], after: Mapping[str, object]
) -> tuple[FieldChange, ...]:
    """The changes between two mappings of primitives (``registry.codec.to_primitive``).

    A field that appears with an empty value (None, "", [], {}) where there was none before — as
    when an object is created — is not listed: only what was actually set.
    """
    if not before:  # an object created: every field set, nothing to compare with
        return tuple(
            FieldChange(name, None, _json(value))
            for name, value in sorted(after.items())
            if value not in _EMPTY
        )
    changes = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if name not in before and new in _EMPTY:
            continue
        if old != new or (name in before) != (name in after):
            changes.append(
                FieldChange(
                    name,
                    _json(old) if name in before else None,
                    _json(new) if name in after else None,
                )
            )
    return tuple(changes)


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
