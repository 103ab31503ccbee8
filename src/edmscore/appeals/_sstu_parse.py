"""Reading an SSTU JSON document back: bounded, every field checked, then the format's rules."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Any

import pendulum

from edmscore.appeals._sstu import (
    MAX_ATTACHMENT_BYTES,
    SstuAppeal,
    SstuAttachment,
    SstuQuestion,
    SstuTransfer,
    validate_sstu,
)
from edmscore.errors import SstuError

__all__ = ["parse_sstu"]

_MAX_DOCUMENT = 4 * MAX_ATTACHMENT_BYTES  # base64 of several attachments, bounded


def _get(data: dict[str, Any], key: str, kind: type, ref: str, at: str, *, required: bool) -> Any:
    value = data.get(key)
    if value is None:
        if required:
            raise SstuError(ref, f"{at}{key}", "required")
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SstuError(ref, f"{at}{key}", f"must be {kind.__name__}")
    return value


def _parse_date(value: str | None, ref: str, field: str) -> pendulum.Date | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise SstuError(ref, field, f"not a yyyy-MM-dd date: {value!r}")
    try:
        return pendulum.Date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError as exc:
        raise SstuError(ref, field, f"no such date: {value!r}") from exc


def parse_sstu(data: bytes, *, extra_statuses: frozenset[str] = frozenset()) -> SstuAppeal:
    """Read an SSTU JSON document (attachments decoded to check size and hash), then validate."""
    if len(data) > _MAX_DOCUMENT:
        raise SstuError("?", "document", f"larger than {_MAX_DOCUMENT} bytes")
    try:
        root = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise SstuError("?", "document", f"not JSON: {type(exc).__name__}") from exc
    if not isinstance(root, dict):
        raise SstuError("?", "document", "not a JSON object")
    number = root.get("number")
    ref: str = number if isinstance(number, str) and number else "?"
    questions = []
    raw_questions = _get(root, "questions", list, ref, "", required=True)
    for i, raw in enumerate(raw_questions):
        at = f"questions[{i}]."
        if not isinstance(raw, dict):
            raise SstuError(ref, at[:-1], "not an object")
        attachment = None
        raw_att = _get(raw, "attachment", dict, ref, at, required=False)
        if raw_att is not None:
            content = _get(raw_att, "content", str, ref, at + "attachment.", required=True)
            if len(content) > (MAX_ATTACHMENT_BYTES + 2) // 3 * 4:
                raise SstuError(ref, at + "attachment", "larger than the limit")
            try:
                blob = base64.b64decode(content, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise SstuError(ref, at + "attachment.content", "not base64") from exc
            name = _get(raw_att, "name", str, ref, at + "attachment.", required=True)
            attachment = SstuAttachment(name, len(blob), hashlib.sha256(blob).hexdigest())
        transfer = None
        raw_t = _get(raw, "transfer", dict, ref, at, required=False)
        if raw_t is not None:
            t_at = at + "transfer."
            transfer = SstuTransfer(
                _get(raw_t, "departmentId", str, ref, t_at, required=True),
                _parse_date(
                    _get(raw_t, "transferDate", str, ref, t_at, required=True),
                    ref,
                    t_at + "transferDate",
                )
                or pendulum.Date(1, 1, 1),
                _get(raw_t, "transferNumber", str, ref, t_at, required=True),
            )

        def day(
            key: str, *, required: bool = False, _raw: dict[str, Any] = raw, _at: str = at
        ) -> Any:
            return _parse_date(_get(_raw, key, str, ref, _at, required=required), ref, _at + key)

        questions.append(
            SstuQuestion(
                code=_get(raw, "code", str, ref, at, required=True),
                status=_get(raw, "status", str, ref, at, required=True),
                incoming_date=day("incomingDate", required=True),
                registration_date=day("registrationDate"),
                response_date=day("responseDate"),
                attachment=attachment,
                actions_taken=_get(raw, "actionsTaken", str, ref, at, required=False),
                transfer=transfer,
            )
        )
    doc = SstuAppeal(
        department_id=_get(root, "departmentId", str, ref, "", required=True),
        is_direct=_get(root, "isDirect", bool, ref, "", required=True),
        format=_get(root, "format", str, ref, "", required=True),
        number=_get(root, "number", str, ref, "", required=True),
        create_date=_parse_date(
            _get(root, "createDate", str, ref, "", required=False), ref, "createDate"
        ),
        name=_get(root, "name", str, ref, "", required=True),
        address=_get(root, "address", str, ref, "", required=False),
        email=_get(root, "email", str, ref, "", required=False),
        questions=tuple(questions),
    )
    validate_sstu(doc, extra_statuses=extra_statuses)
    return doc
