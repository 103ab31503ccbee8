"""What a clerk submits to register an appeal."""

from __future__ import annotations

from typing import Any

import attrs
import pendulum

from edmscore._validate import (
    date_value,
    instance_of,
    non_empty_text,
    optional,
    optional_text,
    text,
    to_date,
    to_tuple,
    tuple_of,
)
from edmscore.appeals._enums import AppealKind, NoAnswerReason, ReceiptForm
from edmscore.appeals._model import Author, Forwarding
from edmscore.appeals._topics import is_question_code
from edmscore.errors import ValidationError
from edmscore.registry import DeliveryMethod

__all__ = ["AppealRequest", "QuestionRequest"]


def _topic(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not is_question_code(value):
        raise ValidationError("QuestionRequest.topic", f"not a question code: {value!r}")


@attrs.frozen
class QuestionRequest:
    """A question as registered: its topic code and what it asks."""

    topic: str = attrs.field(validator=_topic)
    summary: str = attrs.field(validator=non_empty_text(4000))


def _non_empty(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not value:
        raise ValidationError(f"AppealRequest.{attribute.name}", "must not be empty")


@attrs.frozen
class AppealRequest:
    """An appeal to register in ``journal_id``.

    ``received_on`` is the day it arrived; ``registration_date`` defaults to today in the
    organisation's time zone. ``no_answer`` registers it as left without an answer for the given
    reason (an unsigned appeal, or one with no address, is left without an answer
    automatically). ``summary`` defaults to the first question's.
    """

    journal_id: str = attrs.field(validator=non_empty_text(64))
    authors: tuple[Author, ...] = attrs.field(
        converter=to_tuple, validator=[tuple_of(Author), _non_empty]
    )
    questions: tuple[QuestionRequest, ...] = attrs.field(
        converter=to_tuple, validator=[tuple_of(QuestionRequest), _non_empty]
    )
    received_on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    form: ReceiptForm = attrs.field(default=ReceiptForm.WRITTEN, validator=instance_of(ReceiptForm))
    kind: AppealKind = attrs.field(default=AppealKind.APPEAL, validator=instance_of(AppealKind))
    summary: str = attrs.field(default="", validator=text(4000))
    forwarding: Forwarding | None = attrs.field(
        default=None, validator=optional(instance_of(Forwarding))
    )
    migration: bool = attrs.field(default=False, validator=instance_of(bool))
    to_region_head: bool = attrs.field(default=False, validator=instance_of(bool))
    delivery_method: DeliveryMethod | None = attrs.field(
        default=None, validator=optional(instance_of(DeliveryMethod))
    )
    case_id: str | None = attrs.field(default=None, validator=optional_text(64))
    department_id: str | None = attrs.field(default=None, validator=optional_text(64))
    executor_id: str | None = attrs.field(default=None, validator=optional_text(64))
    registration_date: pendulum.Date | None = attrs.field(
        default=None, converter=to_date, validator=optional(date_value)
    )
    no_answer: NoAnswerReason | None = attrs.field(
        default=None, validator=optional(instance_of(NoAnswerReason))
    )
    card_id: str | None = attrs.field(default=None, validator=optional_text(64))
    appeal_id: str | None = attrs.field(default=None, validator=optional_text(64))
