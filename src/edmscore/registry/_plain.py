"""A card checked as plain data: the fast path of bulk import, backup and restore.

Building a :class:`~edmscore.registry.RegistrationCard` per row and encoding it again costs
most of an import. :func:`plain_card` checks a completed row (the form
:func:`~edmscore.registry.codec.card_to_primitive` writes, with defaults left out) against the
same rules as the card classes, field by field on the dicts, and returns the card's canonical
primitive form — equal to ``card_to_primitive(card_from_primitive(row))`` — without building
an object.

It covers the cards legacy registries are made of: correspondents, addressees, signatories,
dates, numbers, executor and case. A row with anything else (files, links, applicants,
enclosures, access lists, a delivery method, an unknown key) or any value it doubts gives
``None``, and the caller takes the object path, which accepts or refuses it with its own
error. So this path never accepts what the object path would refuse; a property test checks
that both give the same card.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from edmscore._validate import UNSTORABLE
from edmscore.registry._enums import AccessMark, CardKind, CardStatus

__all__ = ["plain_card"]

_TOP = frozenset(
    {
        "id",
        "organisation_id",
        "registration",
        "details",
        "registered_at",
        "registered_by",
        "status",
        "version",
    }
)
_REGISTRATION = frozenset({"journal_id", "number", "date", "period", "seq"})
_CORRESPONDENT = frozenset({"name", "organisation_id", "person"})
_SIGNATORY = frozenset({"name", "position", "official_id"})
#: The details this path checks, with their defaults (the rest send a row to the object path).
_DEFAULTS: dict[str, Any] = {
    "document_date": None,
    "correspondents": [],
    "sender_number": None,
    "sender_date": None,
    "received_on": None,
    "addressees": [],
    "signatories": [],
    "executor_id": None,
    "department_id": None,
    "sheets": 0,
    "enclosures": [],
    "delivery_method": None,
    "case_id": None,
    "case_index": None,
    "access": "open",
    "access_list": [],
    "shared_with": [],
    "links": [],
    "files": [],
    "applicants": [],
    "on_control": False,
    "notes": "",
}
_DETAILS = frozenset(
    {
        "kind",
        "document_kind",
        "summary",
        "document_date",
        "correspondents",
        "sender_number",
        "sender_date",
        "received_on",
        "addressees",
        "signatories",
        "executor_id",
        "department_id",
        "sheets",
        "case_id",
        "case_index",
        "access",
        "on_control",
        "notes",
    }
)
_KINDS = frozenset(k.value for k in CardKind) - {CardKind.APPEAL.value}
_STATUSES = frozenset(s.value for s in CardStatus)
_ACCESS = frozenset(a.value for a in AccessMark)


class _Doubt(Exception):
    """The row is not one this path vouches for: take the object path."""


def _text(value: object, limit: int, *, blank: bool = False) -> str:
    if type(value) is not str or len(value) > limit or (not blank and not value.strip()):
        raise _Doubt
    # unstorable(value) is not None, without the call for the common text (ASCII, or no NUL
    # nor lone surrogate found by one regex scan).
    if value.isascii():
        if "\x00" in value:
            raise _Doubt
    elif UNSTORABLE.search(value) is not None:
        raise _Doubt
    return value


def _optional(value: object, limit: int) -> str | None:
    return None if value is None else _text(value, limit)


def _count(value: object, least: int) -> int:
    if type(value) is not int or value < least:
        raise _Doubt
    return value


_DAYS: dict[str, datetime.date] = {}


def _day(value: object) -> datetime.date:
    if type(value) is not str:
        raise _Doubt
    found = _DAYS.get(value)
    if found is None:
        if len(value) != 10 or value[4] != "-" or value[7] != "-" or not value[:4].isdigit():
            raise _Doubt
        try:
            found = datetime.date.fromisoformat(value)
        except ValueError:
            raise _Doubt from None
        if len(_DAYS) < 100_000:
            _DAYS[value] = found
    return found


def _optional_day(value: object) -> datetime.date | None:
    return None if value is None else _day(value)


_MOMENTS: dict[str, str] = {}


def _moment(value: object) -> str:
    """The canonical text of an aware ISO 8601 date and time (as pendulum writes it)."""
    if type(value) is not str:
        raise _Doubt
    found = _MOMENTS.get(value)
    if found is None:
        if len(value) <= 19 or value[10] != "T":
            raise _Doubt
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise _Doubt from None
        if moment.tzinfo is None:
            raise _Doubt
        found = moment.isoformat()
        if len(_MOMENTS) < 100_000:
            _MOMENTS[value] = found
    return found


def _parties(value: object) -> list[dict[str, Any]]:
    if type(value) is not list:
        raise _Doubt
    out = []
    for item in value:
        if type(item) is not dict or not item.keys() <= _CORRESPONDENT:
            raise _Doubt
        out.append(
            {
                "name": _text(item.get("name"), 1000),
                "organisation_id": _optional(item.get("organisation_id"), 64),
                "person": _text(item.get("person", ""), 500, blank=True),
            }
        )
    return out


def _signatories(value: object) -> list[dict[str, Any]]:
    if type(value) is not list:
        raise _Doubt
    out = []
    for item in value:
        if type(item) is not dict or not item.keys() <= _SIGNATORY:
            raise _Doubt
        out.append(
            {
                "name": _text(item.get("name"), 300),
                "position": _text(item.get("position", ""), 500, blank=True),
                "official_id": _optional(item.get("official_id"), 64),
            }
        )
    return out


def _details(data: object, registered_on: datetime.date) -> dict[str, Any]:
    if type(data) is not dict:
        raise _Doubt
    for name in data.keys() - _DETAILS:  # others only when empty, as the canonical form has them
        value = data[name]
        if name not in _DEFAULTS or type(value) is not type(_DEFAULTS[name]) or value:
            raise _Doubt
    kind = data.get("kind")
    if kind not in _KINDS:
        raise _Doubt
    out = dict(_DEFAULTS)
    out["kind"] = kind
    out["document_kind"] = _text(data.get("document_kind"), 200)
    out["summary"] = _text(data.get("summary"), 4000)
    dates = {}
    for name in ("document_date", "sender_date", "received_on"):
        if name in data:
            dates[name] = _optional_day(data[name])
            out[name] = data[name]
    for name in ("correspondents", "addressees"):
        if name in data:
            out[name] = _parties(data[name])
    if "signatories" in data:
        out["signatories"] = _signatories(data["signatories"])
    for name in ("sender_number", "executor_id", "department_id", "case_id"):
        if name in data:
            out[name] = _optional(data[name], 64)
    if "case_index" in data:
        out["case_index"] = _optional(data["case_index"], 50)
    if "sheets" in data:
        out["sheets"] = _count(data["sheets"], 0)
    if "access" in data:
        if data["access"] not in _ACCESS:
            raise _Doubt
        out["access"] = data["access"]
    if "on_control" in data:
        if type(data["on_control"]) is not bool:
            raise _Doubt
        out["on_control"] = data["on_control"]
    if "notes" in data:
        out["notes"] = _text(data["notes"], 4000, blank=True)
    received, sent = dates.get("received_on"), dates.get("sender_date")
    if kind == "incoming" and (not out["correspondents"] or received is None):
        raise _Doubt
    if kind == "outgoing" and not out["addressees"]:
        raise _Doubt
    if kind in ("outgoing", "internal") and not out["signatories"]:
        raise _Doubt
    if sent is not None and received is not None and sent > received:
        raise _Doubt
    if received is not None and received > registered_on:
        raise _Doubt
    if out["case_index"] is not None and out["case_id"] is None:
        raise _Doubt
    return out


def plain_card(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """The canonical primitive form of the card ``row`` describes, or ``None`` to take the object
    path (see the module docstring)."""
    try:
        if not row.keys() <= _TOP:
            raise _Doubt
        reg = row["registration"]
        if type(reg) is not dict or not reg.keys() <= _REGISTRATION:
            raise _Doubt
        day = _day(reg.get("date"))
        seq = reg.get("seq")
        registration = {
            "journal_id": _text(reg.get("journal_id"), 64),
            "number": _text(reg.get("number"), 64),
            "date": reg["date"],
            "period": _count(reg.get("period"), 0),
            "seq": None if seq is None else _count(seq, 1),
        }
        status = row.get("status", "registered")
        if status not in _STATUSES:
            raise _Doubt
        return {
            "id": _text(row.get("id"), 64),
            "organisation_id": _text(row.get("organisation_id"), 64),
            "registration": registration,
            "details": _details(row.get("details"), day),
            "registered_at": _moment(row.get("registered_at")),
            "registered_by": _text(row.get("registered_by"), 64),
            "status": status,
            "version": _count(row.get("version", 1), 1),
        }
    except (_Doubt, KeyError, TypeError):
        return None
