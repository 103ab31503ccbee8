"""The analytics read model: typed, versioned rows partners build their own reports on.

One row class per fact: :class:`CardRow` (a registration card), :class:`AssignmentRow` (an
assignment of execution control), :class:`VisaRow` (one participant of a stage of an approval
cycle), :class:`QuestionRow` (one question of a citizen's appeal) and :class:`DispatchRow` (a
letter sent over MEDO to one recipient). Each class lists its column names in ``COLUMNS``, in
order; :data:`READ_MODEL_VERSION` is the version of these schemas. A column is never renamed
or removed within a version: a new column may be appended (a minor change), anything else
raises the version, and the SQL views of the same rows (``edms_v1_*``, see the docs) keep their
names until a schema migration replaces them.

Rows hold identifiers, codes, dates and counts, never a person's name or address: what an
appeal's author wrote stays in the appeals module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import ClassVar

import attrs

from edmscore.appeals import Appeal
from edmscore.approval import Draft, assignment_due
from edmscore.calendar import ProductionCalendar
from edmscore.control import Assignment
from edmscore.exchange.dispatch import Dispatch
from edmscore.registry import CardKind, RegistrationCard

__all__ = [
    "READ_MODEL_VERSION",
    "AssignmentRow",
    "CardRow",
    "DispatchRow",
    "QuestionRow",
    "VisaRow",
    "assignment_row",
    "card_row",
    "dispatch_row",
    "question_rows",
    "visa_rows",
]

#: The version of the row schemas (and of the ``edms_v1_*`` SQL views).
READ_MODEL_VERSION = 1


def _columns(cls: type) -> tuple[str, ...]:
    return tuple(a.name for a in attrs.fields(cls))


@attrs.frozen
class CardRow:
    """A registration card (регистрационная карточка) as analytics sees it.

    ``channel`` is the delivery method's code (``medo``, ``post``, …) or None;
    ``correspondent`` the first correspondent (incoming) or addressee (outgoing), else "".
    """

    COLUMNS: ClassVar[tuple[str, ...]]
    card_id: str
    organisation_id: str
    journal_id: str
    number: str
    reg_date: dt.date
    kind: str
    document_kind: str
    channel: str | None
    correspondent: str
    department_id: str | None
    executor_id: str | None
    access: str
    status: str
    on_control: bool

    def values(self) -> tuple[object, ...]:
        """The row's values in ``COLUMNS`` order."""
        return attrs.astuple(self, recurse=False)


@attrs.frozen
class AssignmentRow:
    """An assignment (поручение); ``counted`` says whether execution discipline counts it."""

    COLUMNS: ClassVar[tuple[str, ...]]
    assignment_id: str
    organisation_id: str
    card_id: str
    executor_id: str
    department_id: str | None
    kind: str
    state: str
    issued_on: dt.date
    due: dt.date | None
    completed_on: dt.date | None
    counted: bool
    on_control: bool

    def values(self) -> tuple[object, ...]:
        """The row's values in ``COLUMNS`` order."""
        return attrs.astuple(self, recurse=False)


@attrs.frozen
class VisaRow:
    """One participant of one stage of an approval cycle (лист согласования, строка).

    ``due`` is the participant's last day on the production calendar; ``decision`` the visa's
    code (``approved``, …) or None while it is awaited; ``cycle_outcome`` the cycle's.
    """

    COLUMNS: ClassVar[tuple[str, ...]]
    draft_id: str
    organisation_id: str
    access: str
    cycle_number: int
    cycle_outcome: str
    stage_number: int
    stage_name: str
    official_id: str
    activated_at: dt.datetime | None
    decided_at: dt.datetime | None
    decision: str | None
    due: dt.date | None

    def values(self) -> tuple[object, ...]:
        """The row's values in ``COLUMNS`` order."""
        return attrs.astuple(self, recurse=False)


@attrs.frozen
class QuestionRow:
    """One question of a citizen's appeal: its topic code and its SSTU status."""

    COLUMNS: ClassVar[tuple[str, ...]]
    appeal_id: str
    organisation_id: str
    card_id: str
    registered_on: dt.date
    form: str
    question_number: int
    topic: str
    status: str
    status_date: dt.date
    closed_on: dt.date | None
    review_due: dt.date
    executor_id: str | None

    def values(self) -> tuple[object, ...]:
        """The row's values in ``COLUMNS`` order."""
        return attrs.astuple(self, recurse=False)


@attrs.frozen
class DispatchRow:
    """A letter sent over MEDO to one recipient, with its delivery state."""

    COLUMNS: ClassVar[tuple[str, ...]]
    dispatch_id: str
    organisation_id: str
    card_id: str
    recipient: str
    recipient_name: str
    state: str
    first_sent_at: dt.datetime
    since: dt.datetime
    delivered_at: dt.datetime | None
    refusal_reason: str | None

    def values(self) -> tuple[object, ...]:
        """The row's values in ``COLUMNS`` order."""
        return attrs.astuple(self, recurse=False)


for _cls in (CardRow, AssignmentRow, VisaRow, QuestionRow, DispatchRow):
    _cls.COLUMNS = _columns(_cls)


def _day(value: dt.date) -> dt.date:
    return dt.date(value.year, value.month, value.day)


def _maybe_day(value: dt.date | None) -> dt.date | None:
    return None if value is None else _day(value)


def card_row(card: RegistrationCard) -> CardRow:
    """The card's row."""
    d = card.details
    if d.kind is CardKind.INCOMING:
        parties = d.correspondents
    elif d.kind is CardKind.OUTGOING:
        parties = d.addressees
    else:
        parties = ()
    return CardRow(
        card_id=card.id,
        organisation_id=card.organisation_id,
        journal_id=card.registration.journal_id,
        number=card.registration.number,
        reg_date=_day(card.registration.date),
        kind=d.kind.value,
        document_kind=d.document_kind,
        channel=None if d.delivery_method is None else d.delivery_method.value,
        correspondent=parties[0].name if parties else "",
        department_id=d.department_id,
        executor_id=d.executor_id,
        access=d.access.value,
        status=card.status.value,
        on_control=d.on_control,
    )


def assignment_row(assignment: Assignment) -> AssignmentRow:
    """The assignment's row."""
    a = assignment
    return AssignmentRow(
        assignment_id=a.id,
        organisation_id=a.organisation_id,
        card_id=a.card_id,
        executor_id=a.executor_id,
        department_id=a.department_id,
        kind=a.kind.value,
        state=a.state.value,
        issued_on=_day(a.issued_on),
        due=_maybe_day(a.due),
        completed_on=_maybe_day(a.completed_on),
        counted=a.counts_for_discipline,
        on_control=a.on_control,
    )


def visa_rows(draft: Draft, calendar: ProductionCalendar, timezone: str) -> Iterator[VisaRow]:
    """One row per participant of every stage of every cycle of the draft; terms are counted
    on ``calendar`` in the organisation's ``timezone``."""
    for cycle in draft.cycles:
        for stage_number, stage in enumerate(cycle.stages, start=1):
            for participant in stage.assignments:
                visa = participant.visa
                yield VisaRow(
                    draft_id=draft.id,
                    organisation_id=draft.organisation_id,
                    access=draft.access.value,
                    cycle_number=cycle.number,
                    cycle_outcome=cycle.outcome.value,
                    stage_number=stage_number,
                    stage_name=stage.name,
                    official_id=participant.official_id,
                    activated_at=participant.activated_at,
                    decided_at=None if visa is None else visa.at,
                    decision=None if visa is None else visa.decision.value,
                    due=_maybe_day(assignment_due(participant, calendar, timezone)),
                )


def question_rows(appeal: Appeal) -> Iterator[QuestionRow]:
    """One row per question of the appeal."""
    for q in appeal.questions:
        yield QuestionRow(
            appeal_id=appeal.id,
            organisation_id=appeal.organisation_id,
            card_id=appeal.card_id,
            registered_on=_day(appeal.registered_on),
            form=appeal.form.value,
            question_number=q.number,
            topic=q.topic,
            status=q.status.value,
            status_date=_day(q.status_date),
            closed_on=_maybe_day(q.closed_on),
            review_due=_day(appeal.review_due),
            executor_id=q.executor_id,
        )


def dispatch_row(dispatch: Dispatch) -> DispatchRow:
    """The dispatch's row."""
    delivered = [a.delivered_at for a in dispatch.attempts if a.delivered_at is not None]
    return DispatchRow(
        dispatch_id=dispatch.id,
        organisation_id=dispatch.organisation_id,
        card_id=dispatch.card_id,
        recipient=dispatch.recipient,
        recipient_name=dispatch.recipient_name,
        state=dispatch.state.value,
        first_sent_at=dispatch.attempts[0].sent_at,
        since=dispatch.since,
        delivered_at=delivered[-1] if delivered else None,
        refusal_reason=None if dispatch.refusal is None else dispatch.refusal.reason.value,
    )


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())
