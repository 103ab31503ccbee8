"""The appeal aggregate: authors, receipt, questions with their statuses, terms and notices.

An :class:`Appeal` is stored beside its registration card (``card_id``) and changes as a whole,
with a version for optimistic concurrency. Each :class:`Question` has its own topic code, status
and status history; the executor and the answer are recorded on the question (and, once execution
control runs the consideration, the assignment's id). Everything is frozen and checked at
construction with errors naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs
import pendulum

from edmscore._validate import (
    date_value,
    instance_of,
    non_empty_text,
    optional,
    optional_text,
    positive_int,
    text,
    to_date,
    to_tuple,
    tuple_of,
)
from edmscore.appeals._enums import (
    AppealKind,
    NoAnswerReason,
    NoticeKind,
    QuestionStatus,
    ReceiptForm,
)
from edmscore.appeals._topics import is_question_code
from edmscore.directory import PersonName
from edmscore.errors import ValidationError
from edmscore.registry import Applicant, FileRef

__all__ = [
    "ANONYMOUS_NAME",
    "Answer",
    "Appeal",
    "Author",
    "Extension",
    "Forwarding",
    "MaterialsRequest",
    "Notice",
    "Question",
    "StatusChange",
    "Transfer",
]

#: The name a card of an anonymous appeal is registered under.
ANONYMOUS_NAME = PersonName("Анонимное", "обращение")
_SPACES = re.compile(r"\s+")
_date = optional(date_value)


def _email(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    text(254)(owner, attribute, value)
    if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", str(value)):
        raise ValidationError(f"{type(owner).__name__}.{attribute.name}", "not an e-mail address")


def _norm(value: str) -> str:
    return _SPACES.sub(" ", value).strip().casefold().replace("ё", "е")


@attrs.frozen
class Author:
    """An author of an appeal; ``name`` is None when the appeal is not signed.

    The name, addresses and phone are personal data (152-FZ): see :mod:`edmscore.appeals`'s
    masking helpers for anything that does not need them.
    """

    name: PersonName | None = attrs.field(default=None, validator=optional(instance_of(PersonName)))
    postal_address: str = attrs.field(default="", validator=text(1000))
    email: str = attrs.field(default="", validator=_email)
    phone: str = attrs.field(default="", validator=text(50))
    social_status: str = attrs.field(default="", validator=text(200))
    privileged_category: str = attrs.field(default="", validator=text(200))

    @property
    def is_anonymous(self) -> bool:
        """No name, or no address to answer to (59-FZ art. 11: no answer is given)."""
        return self.name is None or not (self.postal_address.strip() or self.email.strip())

    @property
    def full_name(self) -> str:
        """The full name, or «Анонимное обращение»."""
        return (self.name or ANONYMOUS_NAME).full

    def keys(self) -> frozenset[str]:
        """Keys that identify the same author across appeals: name with address, name with e-mail.

        Empty for an unsigned appeal: such appeals are never linked as repeated.
        """
        if self.name is None:
            return frozenset()
        name = _norm(self.name.full)
        found = set()
        if self.postal_address.strip():
            found.add(f"{name}|a:{_norm(self.postal_address)}")
        if self.email.strip():
            found.add(f"{name}|e:{_norm(self.email)}")
        return frozenset(found)

    def applicant(self) -> Applicant:
        """The author as the registration card's :class:`~edmscore.registry.Applicant`."""
        return Applicant(self.name or ANONYMOUS_NAME, self.postal_address, self.email, self.phone)


@attrs.frozen
class Forwarding:
    """Where a forwarded appeal came from: the body and its cover letter's number and date."""

    body: str = attrs.field(validator=non_empty_text(1000))
    cover_number: str = attrs.field(validator=non_empty_text(64))
    cover_date: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    department_id: str | None = attrs.field(default=None, validator=optional_text(64))


@attrs.frozen
class StatusChange:
    """One status of a question, from the day it was set, by whom."""

    status: QuestionStatus = attrs.field(validator=instance_of(QuestionStatus))
    on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    by: str = attrs.field(validator=non_empty_text(64))
    note: str = attrs.field(default="", validator=text(2000))


@attrs.frozen
class Answer:
    """The answer to the author on a question: date, outgoing number, summary, file."""

    date: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    summary: str = attrs.field(validator=non_empty_text(4000))
    number: str | None = attrs.field(default=None, validator=optional_text(64))
    signed_by: str | None = attrs.field(default=None, validator=optional_text(64))
    file: FileRef | None = attrs.field(default=None, validator=optional(instance_of(FileRef)))


@attrs.frozen
class Transfer:
    """A redirection by competence (переадресация): the receiving body, date and cover number.

    ``department_id`` is the receiving body's SSTU id (GUID), when it is in SSTU.
    """

    body: str = attrs.field(validator=non_empty_text(1000))
    date: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    number: str = attrs.field(validator=non_empty_text(64))
    department_id: str | None = attrs.field(default=None, validator=optional_text(64))


@attrs.frozen
class Notice:
    """A notice sent to the author (of redirection, extension, no answer)."""

    kind: NoticeKind = attrs.field(validator=instance_of(NoticeKind))
    sent_on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    text: str = attrs.field(default="", validator=text(4000))
    number: str | None = attrs.field(default=None, validator=optional_text(64))


@attrs.frozen
class Extension:
    """The one extension of the consideration term (59-FZ art. 12), with its reason."""

    old_due: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    new_due: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    decided_on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    decided_by: str = attrs.field(validator=non_empty_text(64))
    reason: str = attrs.field(validator=non_empty_text(4000))

    def __attrs_post_init__(self) -> None:
        if self.new_due <= self.old_due:
            raise ValidationError("Extension.new_due", "an extension moves the term later")


def _flag(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError(f"{type(owner).__name__}.{attribute.name}", "must be a bool")


@attrs.frozen
class MaterialsRequest:
    """A request for documents and materials sent to another body (answer due in 15 days).

    ``due_provisional``: the answer's term reaches a year whose decree on moved days off is not
    loaded, so it was counted on the Labour Code's rules alone and may move when it is
    (:meth:`AppealsService.recompute_provisional`).
    """

    body: str = attrs.field(validator=non_empty_text(1000))
    sent_on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    due: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    answered_on: pendulum.Date | None = attrs.field(
        default=None, converter=to_date, validator=_date
    )
    due_provisional: bool = attrs.field(default=False, validator=_flag)


def _topic(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not is_question_code(value):
        raise ValidationError(
            "Question.topic", f"a four-level classifier code like 0001.0002.0003.0004: {value!r}"
        )


@attrs.frozen
class Question:
    """One question of an appeal: topic code, status with its history, executor, outcome.

    ``history`` holds every status the question had, oldest first; the last is ``status``.
    ``assignment_id`` links the execution-control assignment that runs the consideration.
    """

    number: int = attrs.field(validator=positive_int)
    topic: str = attrs.field(validator=_topic)
    summary: str = attrs.field(validator=non_empty_text(4000))
    history: tuple[StatusChange, ...] = attrs.field(
        converter=to_tuple, validator=tuple_of(StatusChange)
    )
    executor_id: str | None = attrs.field(default=None, validator=optional_text(64))
    assignment_id: str | None = attrs.field(default=None, validator=optional_text(64))
    answer: Answer | None = attrs.field(default=None, validator=optional(instance_of(Answer)))
    actions_taken: str = attrs.field(default="", validator=text(4000))
    transfer: Transfer | None = attrs.field(default=None, validator=optional(instance_of(Transfer)))
    no_answer_reason: NoAnswerReason | None = attrs.field(
        default=None, validator=optional(instance_of(NoAnswerReason))
    )

    def __attrs_post_init__(self) -> None:
        if not self.history:
            raise ValidationError("Question.history", "a question has at least one status")
        days = [change.on for change in self.history]
        if days != sorted(days):
            raise ValidationError("Question.history", "statuses out of date order")
        status = self.status
        if status is QuestionStatus.SUPPORTED and not self.actions_taken.strip():
            raise ValidationError("Question.actions_taken", "a supported question needs measures")
        if status.is_decision and self.answer is None:
            raise ValidationError("Question.answer", f"status {status.value} needs the answer")
        if status is QuestionStatus.TRANSFERRED and self.transfer is None:
            raise ValidationError("Question.transfer", "a transferred question needs the transfer")
        if status is QuestionStatus.LEFT_WITHOUT_ANSWER and self.no_answer_reason is None:
            raise ValidationError("Question.no_answer_reason", "the reason is recorded")

    @property
    def status(self) -> QuestionStatus:
        """The current status."""
        return self.history[-1].status

    @property
    def status_date(self) -> pendulum.Date:
        """The day the current status was set."""
        return self.history[-1].on

    @property
    def closed_on(self) -> pendulum.Date | None:
        """The day consideration ended (a final status), or None while it goes on."""
        return self.status_date if self.status.is_final else None


def _questions(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    tuple_of(Question)(owner, attribute, value)
    assert isinstance(value, tuple)
    if not value:
        raise ValidationError("Appeal.questions", "an appeal has at least one question")
    if [q.number for q in value] != list(range(1, len(value) + 1)):
        raise ValidationError("Appeal.questions", "questions are numbered 1, 2, … in order")


DUE_FIELDS = ("registration_due", "review_due", "redirect_due", "migration_forward_due")
"""The deadline fields of an appeal, in the order they are recomputed."""


@attrs.frozen
class Appeal:
    """A citizens' appeal (обращение гражданина) beside its registration card.

    ``review_due`` is the term of consideration (moved by the one :class:`Extension`);
    ``redirect_due`` the last day to redirect by competence; ``migration_forward`` where and when
    information on migration violations was forwarded; ``repeated_of`` the ids of earlier
    appeals of the same author on the same topic (повторное). ``migration`` marks information on
    violations of migration law; ``to_region_head`` an appeal addressed to a region's head.
    """

    id: str = attrs.field(validator=non_empty_text(64))
    organisation_id: str = attrs.field(validator=non_empty_text(64))
    card_id: str = attrs.field(validator=non_empty_text(64))
    number: str = attrs.field(validator=non_empty_text(64))
    kind: AppealKind = attrs.field(validator=instance_of(AppealKind))
    authors: tuple[Author, ...] = attrs.field(converter=to_tuple, validator=tuple_of(Author))
    form: ReceiptForm = attrs.field(validator=instance_of(ReceiptForm))
    received_on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    registered_on: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    registration_due: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    review_due: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    redirect_due: pendulum.Date = attrs.field(converter=to_date, validator=date_value)
    questions: tuple[Question, ...] = attrs.field(converter=to_tuple, validator=_questions)
    forwarding: Forwarding | None = attrs.field(
        default=None, validator=optional(instance_of(Forwarding))
    )
    migration: bool = attrs.field(default=False, validator=instance_of(bool))
    to_region_head: bool = attrs.field(default=False, validator=instance_of(bool))
    migration_forward_due: pendulum.Date | None = attrs.field(
        default=None, converter=to_date, validator=_date
    )
    extension: Extension | None = attrs.field(
        default=None, validator=optional(instance_of(Extension))
    )
    migration_forward: Transfer | None = attrs.field(
        default=None, validator=optional(instance_of(Transfer))
    )
    notices: tuple[Notice, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(Notice)
    )
    materials: tuple[MaterialsRequest, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(MaterialsRequest)
    )
    repeated_of: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(str)
    )
    provisional_dues: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=tuple_of(str)
    )
    """The deadline fields (``review_due``…) counted into a year whose decree is not loaded:
    they may move when it is (:meth:`AppealsService.recompute_provisional`)."""
    version: int = attrs.field(default=1, validator=positive_int)

    def __attrs_post_init__(self) -> None:
        unknown = set(self.provisional_dues) - set(DUE_FIELDS)
        if unknown:
            raise ValidationError("Appeal.provisional_dues", f"not a deadline: {sorted(unknown)}")
        if not self.authors:
            raise ValidationError("Appeal.authors", "an appeal has at least one author")
        if self.registered_on < self.received_on:
            raise ValidationError("Appeal.registered_on", "registered before it was received")
        if self.forwarding is not None and self.forwarding.cover_date > self.received_on:
            raise ValidationError("Forwarding.cover_date", "the cover letter is after receipt")
        if self.review_due < self.registered_on:
            raise ValidationError("Appeal.review_due", "the term ends before registration")
        if self.migration_forward is not None and not self.migration:
            raise ValidationError("Appeal.migration_forward", "only for a migration appeal")
        if self.extension is not None and self.extension.new_due != self.review_due:
            raise ValidationError("Appeal.review_due", "must be the extension's new term")
        for question in self.questions:
            if question.history[0].on < self.registered_on:
                raise ValidationError("Question.history", "a status before registration")

    @property
    def is_direct(self) -> bool:
        """Whether the citizen sent it here directly (not forwarded by another body)."""
        return self.forwarding is None

    @property
    def is_anonymous(self) -> bool:
        """Whether no author can be answered (unsigned, or no address)."""
        return all(author.is_anonymous for author in self.authors)

    @property
    def is_collective(self) -> bool:
        """Whether several authors signed it (коллективное обращение)."""
        return len(self.authors) > 1

    @property
    def is_repeated(self) -> bool:
        """Whether earlier appeals of the same author on the same topic exist (повторное)."""
        return bool(self.repeated_of)

    @property
    def is_closed(self) -> bool:
        """Whether every question has reached a final status."""
        return all(q.status.is_final for q in self.questions)

    @property
    def closed_on(self) -> pendulum.Date | None:
        """The day the last question was closed, or None while any is open."""
        days = [q.closed_on for q in self.questions]
        if any(day is None for day in days):
            return None
        return max(day for day in days if day is not None)

    def is_provisional(self, due_field: str = "review_due") -> bool:
        """Whether the deadline ``due_field`` is provisional (its year's decree not loaded)."""
        return due_field in self.provisional_dues

    def author_keys(self) -> frozenset[str]:
        """Every author's identity keys (see :meth:`Author.keys`)."""
        return frozenset().union(*(author.keys() for author in self.authors))

    def question(self, number: int) -> Question:
        """The question numbered ``number``; ValidationError if there is none."""
        if not isinstance(number, int) or not 1 <= number <= len(self.questions):
            raise ValidationError("question", f"appeal {self.number} has no question {number!r}")
        return self.questions[number - 1]

    def status_changed_between(self, start: dt.date, end: dt.date) -> bool:
        """Whether any question's status was set within ``[start, end]``."""
        return any(start <= change.on <= end for q in self.questions for change in q.history)
