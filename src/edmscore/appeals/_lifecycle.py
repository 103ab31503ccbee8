"""The lifecycle of an appeal's questions: executors, extension, redirection, decisions, no answer.

Every change needs ``handle_appeals`` for the card's department, except recording the
execution-control assignments (:func:`link_assignments`), which is part of giving assignments
and needs ``impose_resolution``. Each is one unit of work with a version check and an audit
event (:func:`edmscore.appeals._steps.change_appeal`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs
import pendulum

from edmscore.access import Actor, ActorRef, Permission
from edmscore.appeals import _steps as steps
from edmscore.appeals._context import AppealsContext
from edmscore.appeals._enums import AppealKind, NoAnswerReason, NoticeKind, QuestionStatus
from edmscore.appeals._model import (
    DUE_FIELDS,
    Answer,
    Appeal,
    Extension,
    Notice,
    Question,
    StatusChange,
    Transfer,
)
from edmscore.appeals._states import check_move
from edmscore.appeals.ports import AppealsUnitOfWork
from edmscore.errors import StateError, ValidationError
from edmscore.registry import FileRef

__all__ = [
    "assign",
    "decide",
    "extend",
    "leave_without_answer",
    "link_assignments",
    "redirect",
]

_HANDLE = Permission.HANDLE_APPEALS
_CONTROL = Permission.IMPOSE_RESOLUTION


def assign(
    ctx: AppealsContext,
    actor: ActorRef,
    appeal_id: str,
    expected_version: int,
    question: int,
    executor_id: str,
    *,
    assignment_id: str | None = None,
) -> Appeal:
    """Record the question's executor (and the execution-control assignment, when any)."""

    def change(uow: AppealsUnitOfWork, me: Actor, appeal: Appeal, today: pendulum.Date) -> Appeal:
        uow.directory.official(executor_id)
        q = appeal.question(question)
        if q.status.is_final:
            raise StateError(f"question {question} of {appeal.number} is closed")
        updated = attrs.evolve(q, executor_id=executor_id, assignment_id=assignment_id)
        return _with_question(appeal, updated)

    return steps.change_appeal(
        ctx, actor, appeal_id, expected_version, "appeal.assigned", _HANDLE, change
    )


def link_assignments(
    ctx: AppealsContext,
    actor: ActorRef,
    appeal_id: str,
    expected_version: int,
    links: Mapping[int, tuple[str, str]],
) -> Appeal:
    """Record, in one change, each question's executor and execution-control assignment.

    ``links`` maps a question number to ``(executor official id, assignment id)``. Part of giving
    assignments through execution control: needs ``impose_resolution`` for the card's department.
    """

    def change(uow: AppealsUnitOfWork, me: Actor, appeal: Appeal, today: pendulum.Date) -> Appeal:
        for number, (executor_id, assignment_id) in sorted(links.items()):
            uow.directory.official(executor_id)
            q = appeal.question(number)
            if q.status.is_final:
                raise StateError(f"question {number} of {appeal.number} is closed")
            updated = attrs.evolve(q, executor_id=executor_id, assignment_id=assignment_id)
            appeal = _with_question(appeal, updated)
        return appeal

    return steps.change_appeal(
        ctx, actor, appeal_id, expected_version, "appeal.assigned", _CONTROL, change
    )


def extend(
    ctx: AppealsContext,
    actor: ActorRef,
    appeal_id: str,
    expected_version: int,
    days: int,
    reason: str,
    *,
    notice_text: str = "",
) -> Appeal:
    """Extend the term once by up to 30 days and record the notice to the author."""

    def change(uow: AppealsUnitOfWork, me: Actor, appeal: Appeal, today: pendulum.Date) -> Appeal:
        if appeal.extension is not None:
            raise StateError(f"appeal {appeal.number}: the term was already extended once")
        if appeal.kind is not AppealKind.APPEAL:
            raise StateError(f"appeal {appeal.number}: a 210-FZ complaint is not extended")
        new_due = ctx.terms.extended_due(appeal.review_due, days, ctx.calendar)
        moved = [
            attrs.evolve(
                q, history=_moved(appeal, q, QuestionStatus.EXTENDED, today, me.id, reason)
            )
            if q.status is QuestionStatus.IN_WORK
            else q
            for q in appeal.questions
        ]
        if moved == list(appeal.questions):
            raise StateError(f"appeal {appeal.number}: no question is in work")
        extension = Extension(appeal.review_due, new_due, today, me.id, reason)
        notice = Notice(NoticeKind.EXTENDED, today, notice_text or reason)
        provisional = set(appeal.provisional_dues)
        if ctx.calendar.is_provisional_between(appeal.review_due, new_due):
            provisional.add("review_due")
        return attrs.evolve(
            appeal,
            questions=tuple(moved),
            extension=extension,
            review_due=new_due,
            notices=(*appeal.notices, notice),
            provisional_dues=tuple(f for f in DUE_FIELDS if f in provisional),
        )

    return steps.change_appeal(
        ctx, actor, appeal_id, expected_version, "appeal.extended", _HANDLE, change
    )


def redirect(
    ctx: AppealsContext,
    actor: ActorRef,
    appeal_id: str,
    expected_version: int,
    transfer: Transfer,
    *,
    questions: Iterable[int] | None = None,
    notice_text: str = "",
) -> Appeal:
    """Redirect questions (all in work by default) by competence, with the notice."""

    def change(uow: AppealsUnitOfWork, me: Actor, appeal: Appeal, today: pendulum.Date) -> Appeal:
        if transfer.date > today or transfer.date < appeal.registered_on:
            raise ValidationError("Transfer.date", "between registration and today")
        wanted = _numbers(appeal, questions, (QuestionStatus.IN_WORK,))
        moved = [
            attrs.evolve(
                q,
                history=_moved(
                    appeal,
                    q,
                    QuestionStatus.TRANSFERRED,
                    transfer.date,
                    me.id,
                    transfer.body,
                ),
                transfer=transfer,
            )
            if q.number in wanted
            else q
            for q in appeal.questions
        ]
        text = notice_text or f"Обращение направлено в {transfer.body}"
        notice = Notice(NoticeKind.REDIRECTED, transfer.date, text)
        return attrs.evolve(appeal, questions=tuple(moved), notices=(*appeal.notices, notice))

    return steps.change_appeal(
        ctx, actor, appeal_id, expected_version, "appeal.redirected", _HANDLE, change
    )


def decide(
    ctx: AppealsContext,
    actor: ActorRef,
    appeal_id: str,
    expected_version: int,
    question: int,
    status: QuestionStatus,
    answer: Answer,
    *,
    actions_taken: str = "",
    attachment: tuple[str, bytes] | None = None,
    media_type: str = "application/pdf",
) -> Appeal:
    """Close a question on the merits (explained, supported, not supported, answered).

    ``attachment`` (file name, content) is stored in the blob store as the answer's file,
    the one SSTU exports.
    """

    def change(uow: AppealsUnitOfWork, me: Actor, appeal: Appeal, today: pendulum.Date) -> Appeal:
        nonlocal answer
        if not status.is_decision:
            raise ValidationError("status", f"{status.value} is not a decision")
        if answer.date > today or answer.date < appeal.registered_on:
            raise ValidationError("Answer.date", "between registration and today")
        if attachment is not None:
            name, content = attachment
            sha256 = uow.blobs.put(content)
            ref = FileRef(name=name, size=len(content), sha256=sha256, media_type=media_type)
            answer = attrs.evolve(answer, file=ref)
        q = appeal.question(question)
        decided = attrs.evolve(
            q,
            history=_moved(appeal, q, status, answer.date, me.id, answer.summary[:200]),
            answer=answer,
            actions_taken=actions_taken,
        )
        return _with_question(appeal, decided)

    return steps.change_appeal(
        ctx, actor, appeal_id, expected_version, "appeal.decided", _HANDLE, change
    )


def leave_without_answer(
    ctx: AppealsContext,
    actor: ActorRef,
    appeal_id: str,
    expected_version: int,
    reason: NoAnswerReason,
    *,
    questions: Iterable[int] | None = None,
    notice_text: str = "",
) -> Appeal:
    """Leave questions (all open by default) without an answer, recording the reason.

    The author is notified (a notice is recorded) unless the appeal is anonymous.
    """

    def change(uow: AppealsUnitOfWork, me: Actor, appeal: Appeal, today: pendulum.Date) -> Appeal:
        open_ = (QuestionStatus.IN_WORK, QuestionStatus.EXTENDED)
        wanted = _numbers(appeal, questions, open_)
        moved = [
            attrs.evolve(
                q,
                history=_moved(
                    appeal,
                    q,
                    QuestionStatus.LEFT_WITHOUT_ANSWER,
                    today,
                    me.id,
                    reason.label,
                ),
                no_answer_reason=reason,
            )
            if q.number in wanted
            else q
            for q in appeal.questions
        ]
        notices = appeal.notices
        if reason.needs_notice and not appeal.is_anonymous:
            notices = (
                *notices,
                Notice(NoticeKind.NO_ANSWER, today, notice_text or reason.label),
            )
        return attrs.evolve(appeal, questions=tuple(moved), notices=notices)

    return steps.change_appeal(
        ctx, actor, appeal_id, expected_version, "appeal.left_without_answer", _HANDLE, change
    )


def _with_question(appeal: Appeal, question: Question) -> Appeal:
    questions = list(appeal.questions)
    questions[question.number - 1] = question
    return attrs.evolve(appeal, questions=tuple(questions))


def _moved(
    appeal: Appeal,
    question: Question,
    status: QuestionStatus,
    on: pendulum.Date,
    by: str,
    note: str = "",
) -> tuple[StatusChange, ...]:
    """The question's history with ``status`` appended, if the lifecycle allows the move."""
    check_move(appeal.id, question.number, question.status, status)
    if on < question.status_date:
        raise ValidationError("date", f"before the question's last status ({question.status_date})")
    return (*question.history, StatusChange(status, on, by, note[:2000]))


def _numbers(
    appeal: Appeal, questions: Iterable[int] | None, statuses: tuple[QuestionStatus, ...]
) -> set[int]:
    if questions is None:
        wanted = {q.number for q in appeal.questions if q.status in statuses}
    else:
        wanted = {appeal.question(n).number for n in questions}
    if not wanted:
        raise StateError(f"appeal {appeal.number}: no question to move")
    return wanted
