"""Domain values to JSON primitives and text and back: the record codec of adapters and backup.

The SQL adapter keeps its documents in this form and :mod:`edmscore.backup` writes bundles in
it, so both import it from here (the records layer) rather than one from the other. Cards go
through :mod:`edmscore.registry.codec`. Everything else (directory entries, journals,
audit events, nomenclatures) goes through a small type-driven codec: :func:`encode` writes the
attrs fields a class takes in ``__init__``; :func:`decode` rebuilds the class from its resolved
type hints (enums, dates, date-times, tuples, frozensets, optional values, nested attrs classes).
"""

from __future__ import annotations

import datetime
import enum
import functools
import json
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar, cast

import attrs
import pendulum

from edmscore.audit import AuditEvent
from edmscore.errors import StorageError
from edmscore.registry import NumberTemplate, RegistrationCard
from edmscore.registry.codec import card_from_primitive, card_to_primitive

__all__ = [
    "audit_to_json",
    "card_from_json",
    "card_to_json",
    "decode",
    "decode_json",
    "dumps",
    "encode",
    "loads",
]

T = TypeVar("T")

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def dumps(value: object) -> str:
    """Compact JSON text of primitives."""
    return _ENCODER.encode(value)


def loads(text: str) -> Any:
    """Primitives from JSON text; a damaged document is a :class:`StorageError`."""
    try:
        return json.loads(text)
    except (TypeError, ValueError) as exc:
        raise StorageError(f"a stored document is not valid JSON: {exc}") from exc


_PLAIN = frozenset({type(None), bool, int, float, str})


@functools.lru_cache(maxsize=256)
def _init_fields(cls: Any) -> tuple[tuple[str, str], ...]:
    """The (attribute, key) pairs :func:`encode` writes for an attrs class, computed once."""
    return tuple((a.name, a.alias or a.name) for a in attrs.fields(cls) if a.init)


def encode(value: object) -> Any:
    """JSON-ready primitives of a domain value (only the attrs fields ``__init__`` takes)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {str(k): encode(v) for k, v in cast(dict[Any, Any], value).items()}
    if kind is list or kind is tuple:
        return [encode(v) for v in cast(list[Any], value)]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.datetime):
        return pendulum.instance(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, NumberTemplate):
        return value.source
    if isinstance(value, frozenset | set):
        return sorted(encode(v) for v in value)
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if attrs.has(kind):
        return {key: encode(getattr(value, name)) for name, key in _init_fields(kind)}
    raise TypeError(f"cannot encode {type(value).__name__}")


@functools.lru_cache(maxsize=128)
def _fields(cls: Any) -> tuple[tuple[str, str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple(
        (a.name, a.alias or a.name, hints.get(a.name, Any)) for a in attrs.fields(cls) if a.init
    )


def _decode(hint: Any, data: Any) -> Any:
    if hint is Any or hint is object:
        return data
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        args = typing.get_args(hint)
        if data is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            return _decode(options[0], data)
        return _decode_union(options, data)
    if origin in (tuple, frozenset, set, list):
        args = typing.get_args(hint)
        item = args[0] if args else Any
        items = [_decode(item, v) for v in data]
        return frozenset(items) if origin in (frozenset, set) else origin(items)
    if origin in (dict, Mapping):
        key, value = typing.get_args(hint) or (Any, Any)
        return {_decode(key, k): _decode(value, v) for k, v in data.items()}
    if isinstance(hint, type):
        if issubclass(hint, enum.Enum):
            return hint(data)
        if issubclass(hint, datetime.datetime):
            return pendulum.parse(data)
        if issubclass(hint, datetime.date):
            return pendulum.Date.fromisoformat(data)
        if hint is NumberTemplate:
            return NumberTemplate.parse(data)
        if attrs.has(hint):
            return decode(hint, data)
    return data


def _decode_union(options: list[Any], data: Any) -> Any:
    """A value of one of several types: an attrs class whose fields match the keys best."""
    classes = [o for o in options if isinstance(o, type) and attrs.has(o)]
    if not isinstance(data, Mapping) or not classes:
        return data
    keys = set(data)

    def fit(cls: type) -> int:
        fields = attrs.fields(cls)
        names = {a.alias or a.name for a in fields if a.init}
        required = {a.alias or a.name for a in fields if a.init and a.default is attrs.NOTHING}
        if not required <= keys <= names:
            return 2
        return 0 if keys == names else 1

    for candidate in sorted(classes, key=fit):
        if fit(candidate) == 2:
            break
        try:
            return decode(candidate, data)
        except StorageError:
            continue
    raise StorageError(f"a stored value fits none of {[c.__name__ for c in classes]}")


def decode(cls: type[T], data: Mapping[str, Any]) -> T:
    """Rebuild ``cls`` from :func:`encode` output; damaged data is a :class:`StorageError`."""
    try:
        kwargs = {
            alias: _decode(hint, data[key])
            for name, alias, hint in _fields(cast(Any, cls))
            for key in (alias, name)
            if key in data
        }
        return cls(**kwargs)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StorageError(f"a stored {cls.__name__} cannot be read back: {exc}") from exc


@functools.lru_cache(maxsize=4096)
def _decode_json(cls: Any, text: str) -> Any:
    return decode(cls, loads(text))


def decode_json(cls: type[T], text: str) -> T:
    """:func:`decode` of JSON text, remembered: equal text gives the same frozen value."""
    return cast(T, _decode_json(cast(Any, cls), text))


def audit_to_json(event: AuditEvent) -> str:
    """An audit event as compact JSON text: the text ``dumps(encode(event))`` gives, faster."""
    return dumps(
        {
            "action": event.action,
            "actor_id": event.actor_id,
            "at": pendulum.instance(event.at).isoformat(),
            "changes": [
                {"after": c.after, "before": c.before, "field": c.field} for c in event.changes
            ],
            "entity_id": event.entity_id,
            "entity_type": event.entity_type,
            "note": event.note,
            "on_behalf_of": event.on_behalf_of,
        }
    )


def card_to_json(card: RegistrationCard) -> str:
    """The card as compact JSON text."""
    return dumps(card_to_primitive(card))


def card_from_json(text: str) -> RegistrationCard:
    """A card from :func:`card_to_json` text."""
    try:
        return card_from_primitive(cast(Mapping[str, Any], loads(text)))
    except ValueError as exc:
        raise StorageError(f"a stored card cannot be read back: {exc}") from exc
