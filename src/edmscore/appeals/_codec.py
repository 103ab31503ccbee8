"""Appeals to and from JSON-ready primitives, for adapters that keep an appeal as a document.

``appeal_from_primitive(appeal_to_primitive(appeal)) == appeal`` for every valid appeal; bad
data raises :class:`~edmscore.errors.ValidationError`, never a crash inside the rebuild.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import pendulum

from edmscore.appeals._enums import (
    AppealKind,
    NoAnswerReason,
    NoticeKind,
    QuestionStatus,
    ReceiptForm,
)
from edmscore.appeals._model import (
    Answer,
    Appeal,
    Author,
    Extension,
    Forwarding,
    MaterialsRequest,
    Notice,
    Question,
    StatusChange,
    Transfer,
)
from edmscore.directory import PersonName
from edmscore.errors import ValidationError
from edmscore.registry import FileRef
from edmscore.registry.codec import to_primitive

__all__ = ["appeal_from_primitive", "appeal_to_primitive"]


def appeal_to_primitive(appeal: Appeal) -> dict[str, Any]:
    """The appeal as a JSON-ready dict."""
    return cast(dict[str, Any], to_primitive(appeal))


def _day(value: object) -> pendulum.Date:
    if not isinstance(value, str):
        raise ValidationError("date", f"not a date: {value!r}")
    parsed = pendulum.parse(value, exact=True)
    if not isinstance(parsed, pendulum.Date) or isinstance(parsed, pendulum.DateTime):
        raise ValidationError("date", f"not a date: {value!r}")
    return parsed


def _opt_day(value: object) -> pendulum.Date | None:
    return None if value is None else _day(value)


def _author(data: Mapping[str, Any]) -> Author:
    name = data.get("name")
    return Author(
        name=PersonName(**name) if name is not None else None,
        postal_address=data.get("postal_address", ""),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        social_status=data.get("social_status", ""),
        privileged_category=data.get("privileged_category", ""),
    )


def _transfer(data: Mapping[str, Any] | None) -> Transfer | None:
    if data is None:
        return None
    return Transfer(data["body"], _day(data["date"]), data["number"], data.get("department_id"))


def _answer(data: Mapping[str, Any] | None) -> Answer | None:
    if data is None:
        return None
    file = data.get("file")
    return Answer(
        date=_day(data["date"]),
        summary=data["summary"],
        number=data.get("number"),
        signed_by=data.get("signed_by"),
        file=FileRef(**file) if file is not None else None,
    )


def _question(data: Mapping[str, Any]) -> Question:
    reason = data.get("no_answer_reason")
    return Question(
        number=data["number"],
        topic=data["topic"],
        summary=data["summary"],
        history=tuple(
            StatusChange(QuestionStatus(c["status"]), _day(c["on"]), c["by"], c.get("note", ""))
            for c in data["history"]
        ),
        executor_id=data.get("executor_id"),
        assignment_id=data.get("assignment_id"),
        answer=_answer(data.get("answer")),
        actions_taken=data.get("actions_taken", ""),
        transfer=_transfer(data.get("transfer")),
        no_answer_reason=NoAnswerReason(reason) if reason is not None else None,
    )


def appeal_from_primitive(data: Mapping[str, Any]) -> Appeal:
    """Rebuild an :class:`Appeal` from :func:`appeal_to_primitive` output."""
    try:
        forwarding = data.get("forwarding")
        extension = data.get("extension")
        return Appeal(
            id=data["id"],
            organisation_id=data["organisation_id"],
            card_id=data["card_id"],
            number=data["number"],
            kind=AppealKind(data["kind"]),
            authors=tuple(_author(a) for a in data["authors"]),
            form=ReceiptForm(data["form"]),
            received_on=_day(data["received_on"]),
            registered_on=_day(data["registered_on"]),
            registration_due=_day(data["registration_due"]),
            review_due=_day(data["review_due"]),
            redirect_due=_day(data["redirect_due"]),
            questions=tuple(_question(q) for q in data["questions"]),
            forwarding=(
                Forwarding(
                    forwarding["body"],
                    forwarding["cover_number"],
                    _day(forwarding["cover_date"]),
                    forwarding.get("department_id"),
                )
                if forwarding is not None
                else None
            ),
            migration=data.get("migration", False),
            to_region_head=data.get("to_region_head", False),
            migration_forward_due=_opt_day(data.get("migration_forward_due")),
            extension=(
                Extension(
                    _day(extension["old_due"]),
                    _day(extension["new_due"]),
                    _day(extension["decided_on"]),
                    extension["decided_by"],
                    extension["reason"],
                )
                if extension is not None
                else None
            ),
            migration_forward=_transfer(data.get("migration_forward")),
            notices=tuple(
                Notice(
                    NoticeKind(n["kind"]), _day(n["sent_on"]), n.get("text", ""), n.get("number")
                )
                for n in data.get("notices", ())
            ),
            materials=tuple(
                MaterialsRequest(
                    m["body"],
                    _day(m["sent_on"]),
                    _day(m["due"]),
                    _opt_day(m.get("answered_on")),
                    m.get("due_provisional", False),
                )
                for m in data.get("materials", ())
            ),
            repeated_of=tuple(data.get("repeated_of", ())),
            version=data.get("version", 1),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise ValidationError("appeal", f"malformed appeal data: {exc!r}") from exc
