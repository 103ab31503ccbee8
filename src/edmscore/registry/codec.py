"""Cards to and from JSON-ready primitives (dicts, lists, strings, numbers, booleans, None).

Used by the audit log (before/after values), by exports and by storage adapters that keep a card
as a document. ``card_from_primitive(card_to_primitive(card)) == card`` for every valid card.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

import attrs
import pendulum

from edmscore.directory import PersonName
from edmscore.errors import ValidationError
from edmscore.registry._enums import AccessMark, CardKind, CardStatus, DeliveryMethod, LinkType
from edmscore.registry._plain import plain_card
from edmscore.registry.cards import (
    Applicant,
    CardDetails,
    CardLink,
    Correspondent,
    Enclosure,
    FileRef,
    Registration,
    RegistrationCard,
    Signatory,
)

__all__ = [
    "canonical_card",
    "card_from_primitive",
    "card_to_primitive",
    "details_from_primitive",
    "plain_card",
    "to_primitive",
]


_SCALARS = frozenset({type(None), bool, int, float, str})
_ATTRS_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}
_Encoder = Callable[[Any], Any]
#: The encoder of each non-scalar type met so far (a type's rule never changes).
_ENCODERS: dict[type, _Encoder] = {}


def _attrs_fields(cls: type) -> tuple[tuple[str, str], ...]:
    """(key, attribute name) of an attrs class's fields, computed once per class."""
    found = _ATTRS_FIELDS.get(cls)
    if found is None:
        found = tuple((a.alias or a.name, a.name) for a in attrs.fields(cls))
        _ATTRS_FIELDS[cls] = found
    return found


def to_primitive(value: object) -> Any:
    """Turn a domain value (attrs classes, enums, dates, tuples, sets) into JSON-ready data."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    encoder = _ENCODERS.get(kind)
    if encoder is None:
        encoder = _ENCODERS[kind] = _encoder_for(kind)
    return encoder(value)


def _enum_value(value: enum.Enum) -> Any:
    return value.value


def _datetime_text(value: datetime.datetime) -> str:
    return pendulum.instance(value).isoformat()


def _date_text(value: datetime.date) -> str:
    return value.isoformat()


def _items(value: Iterable[object]) -> list[Any]:
    return [to_primitive(v) for v in value]


def _sorted_items(value: Iterable[object]) -> list[Any]:
    return sorted(to_primitive(v) for v in value)


def _mapping(value: Mapping[object, object]) -> dict[str, Any]:
    return {str(k): to_primitive(v) for k, v in value.items()}


def _same(value: object) -> object:
    return value


def _attrs_encoder(cls: type) -> _Encoder:
    """A function writing the fields of the attrs class ``cls`` as one dict display.

    Generated once per class, like attrs' own methods: a literal dict of the fields is several
    times faster than a comprehension over the field list with getattr.
    """
    entries = ", ".join(f"{key!r}: _p(v.{name})" for key, name in _attrs_fields(cls))
    namespace: dict[str, Any] = {"_p": to_primitive}
    exec(f"def encode(v):\n    return {{{entries}}}\n", namespace)
    encoder: _Encoder = namespace["encode"]
    return encoder


def _encoder_for(kind: type) -> _Encoder:
    """How values of ``kind`` become primitives (the rules of :func:`to_primitive`, in order)."""
    if issubclass(kind, enum.Enum):
        return _enum_value
    if issubclass(kind, datetime.datetime):
        return _datetime_text
    if issubclass(kind, datetime.date):
        return _date_text
    if issubclass(kind, tuple | list):
        return _items
    if issubclass(kind, frozenset | set):
        return _sorted_items
    if issubclass(kind, Mapping):
        return _mapping
    if attrs.has(kind):
        return _attrs_encoder(kind)
    if issubclass(kind, bool | int | float | str):  # subclasses of the scalars
        return _same
    raise TypeError(f"cannot convert {kind.__name__} to a primitive")


def card_to_primitive(card: RegistrationCard) -> dict[str, Any]:
    """The card as a JSON-ready dict."""
    return cast(dict[str, Any], to_primitive(card))


def _iso_day(value: object) -> bool:
    """Whether ``value`` is plain ``YYYY-MM-DD`` text (the form this codec writes)."""
    return (
        type(value) is str
        and len(value) == 10
        and value[4] == "-"
        and value[7] == "-"
        and value[:4].isdigit()
    )


def _date(value: object) -> pendulum.Date | None:
    if value is None:
        return None
    if _iso_day(value):  # the common case, without the general parser
        return pendulum.Date.fromisoformat(cast(str, value))
    parsed = pendulum.parse(str(value), exact=True)
    if not isinstance(parsed, pendulum.Date) or isinstance(parsed, pendulum.DateTime):
        raise ValidationError("date", f"not a date: {value!r}")
    return parsed


def _datetime(value: object) -> pendulum.DateTime:
    if type(value) is str and len(value) > 19 and value[10] == "T" and _iso_day(value[:10]):
        try:  # the common case: ISO 8601 with an offset, as this codec writes it
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return pendulum.instance(moment)
    parsed = pendulum.parse(str(value), exact=True)
    if not isinstance(parsed, pendulum.DateTime):
        raise ValidationError("datetime", f"not a date and time: {value!r}")
    return parsed


def details_from_primitive(data: Mapping[str, Any]) -> CardDetails:
    """Rebuild :class:`CardDetails` from :func:`to_primitive` output."""
    try:
        return CardDetails(
            kind=CardKind(data["kind"]),
            document_kind=data["document_kind"],
            summary=data["summary"],
            document_date=_date(data.get("document_date")),
            correspondents=tuple(Correspondent(**c) for c in data.get("correspondents", ())),
            sender_number=data.get("sender_number"),
            sender_date=_date(data.get("sender_date")),
            received_on=_date(data.get("received_on")),
            addressees=tuple(Correspondent(**c) for c in data.get("addressees", ())),
            signatories=tuple(Signatory(**s) for s in data.get("signatories", ())),
            executor_id=data.get("executor_id"),
            department_id=data.get("department_id"),
            sheets=data.get("sheets", 0),
            enclosures=tuple(Enclosure(**e) for e in data.get("enclosures", ())),
            delivery_method=(
                DeliveryMethod(data["delivery_method"]) if data.get("delivery_method") else None
            ),
            case_id=data.get("case_id"),
            case_index=data.get("case_index"),
            access=AccessMark(data.get("access", "open")),
            access_list=frozenset(data.get("access_list", ())),
            shared_with=frozenset(data.get("shared_with", ())),
            links=tuple(
                CardLink(link["target_id"], LinkType(link["link_type"]), link.get("note", ""))
                for link in data.get("links", ())
            ),
            files=tuple(FileRef(**f) for f in data.get("files", ())),
            applicants=tuple(
                Applicant(
                    name=PersonName(**a["name"]),
                    postal_address=a.get("postal_address", ""),
                    email=a.get("email", ""),
                    phone=a.get("phone", ""),
                )
                for a in data.get("applicants", ())
            ),
            on_control=data.get("on_control", False),
            notes=data.get("notes", ""),
        )
    except (KeyError, TypeError) as exc:
        raise ValidationError("card", f"malformed card data: {exc}") from exc


def card_from_primitive(data: Mapping[str, Any]) -> RegistrationCard:
    """Rebuild a :class:`RegistrationCard` from :func:`card_to_primitive` output."""
    try:
        reg = data["registration"]
        return RegistrationCard(
            id=data["id"],
            organisation_id=data["organisation_id"],
            registration=Registration(
                journal_id=reg["journal_id"],
                number=reg["number"],
                date=_date(reg["date"]),
                period=reg["period"],
                seq=reg.get("seq"),
            ),
            details=details_from_primitive(data["details"]),
            registered_at=_datetime(data["registered_at"]),
            registered_by=data["registered_by"],
            status=CardStatus(data.get("status", "registered")),
            version=data.get("version", 1),
        )
    except (KeyError, TypeError) as exc:
        raise ValidationError("card", f"malformed card data: {exc}") from exc


def canonical_card(data: Mapping[str, Any]) -> dict[str, Any]:
    """``card_to_primitive(card_from_primitive(data))``, checked as plain data where it can be
    (:func:`plain_card`) and through the card classes otherwise; ValidationError if invalid."""
    found = plain_card(data)
    if found is None:
        found = card_to_primitive(card_from_primitive(data))
    return found
