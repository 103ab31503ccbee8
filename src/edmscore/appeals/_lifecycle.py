"""The lifecycle use cases: executors, extension, redirection, decisions, no answer, materials."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs
import pendulum

from edmscore.appeals._enums import (
    AppealKind,
    NoAnswerReason,
    NoticeKind,
    QuestionStatus,
)
from edmscore.appeals._model import (
    Answer,
    Appeal,
    Extension,
    MaterialsRequest,
    Notice,
    Question,
    StatusChange,
    Transfer,
)
from edmscore.appeals._service_base import AppealsBase
from edmscore.appeals._states import check_move
from edmscore.appeals.ports import AppealsUnitOfWork
from edmscore.directory import User
from edmscore.errors import StateError, ValidationError
from edmscore.registry import FileRef

__all__ = ["AppealsLifecycle"]


class AppealsLifecycle(AppealsBase):
    """The lifecycle use cases of :class:`~edmscore.appeals.AppealsService`."""

    # --- the lifecycle -------------------------------------------------------------------------

    def assign(
        self,
        actor: User,
        appeal_id: str,
        expected_version: int,
        question: int,
        executor_id: str,
        *,
        assignment_id: str | None = None,
    ) -> Appeal:
        """Record the question's executor (and the execution-control assignment, when any)."""

        def change(uow: AppealsUnitOfWork, appeal: Appeal, today: pendulum.Date) -> Appeal:
            uow.directory.official(executor_id)
            q = appeal.question(question)
            if q.status.is_final:
                raise StateError(f"question {question} of {appeal.number} is closed")
            updated = attrs.evolve(q, executor_id=executor_id, assignment_id=assignment_id)
            return _with_question(appeal, updated)

        return self._change(actor, appeal_id, expected_version, "appeal.assigned", change)

    def link_assignments(
        self,
        actor: User,
        appeal_id: str,
        expected_version: int,
        links: Mapping[int, tuple[str, str]],
    ) -> Appeal:
        """Record, in one change, each question's executor and execution-control assignment.

        ``links`` maps a question number to ``(executor official id, assignment id)``.
        """

        def change(uow: AppealsUnitOfWork, appeal: Appeal, today: pendulum.Date) -> Appeal:
            for number, (executor_id, assignment_id) in sorted(links.items()):
                uow.directory.official(executor_id)
                q = appeal.question(number)
                if q.status.is_final:
                    raise StateError(f"question {number} of {appeal.number} is closed")
                updated = attrs.evolve(q, executor_id=executor_id, assignment_id=assignment_id)
                appeal = _with_question(appeal, updated)
            return appeal

        return self._change(actor, appeal_id, expected_version, "appeal.assigned", change)

    def extend(
        self,
        actor: User,
        appeal_id: str,
        expected_version: int,
        days: int,
        reason: str,
        *,
        notice_text: str = "",
    ) -> Appeal:
        """Extend the term once by up to 30 days and record the notice to the author."""

        def change(uow: AppealsUnitOfWork, appeal: Appeal, today: pendulum.Date) -> Appeal:
            if appeal.extension is not None:
                raise StateError(f"appeal {appeal.number}: the term was already extended once")
            if appeal.kind is not AppealKind.APPEAL:
                raise StateError(f"appeal {appeal.number}: a 210-FZ complaint is not extended")
            new_due = self.terms.extended_due(appeal.review_due, days, self.calendar)
            moved = [
                attrs.evolve(
                    q, history=_moved(appeal, q, QuestionStatus.EXTENDED, today, actor.id, reason)
                )
                if q.status is QuestionStatus.IN_WORK
                else q
                for q in appeal.questions
            ]
            if moved == list(appeal.questions):
                raise StateError(f"appeal {appeal.number}: no question is in work")
            extension = Extension(appeal.review_due, new_due, today, actor.id, reason)
            notice = Notice(NoticeKind.EXTENDED, today, notice_text or reason)
            return attrs.evolve(
                appeal,
                questions=tuple(moved),
                extension=extension,
                review_due=new_due,
                notices=(*appeal.notices, notice),
            )

        return self._change(actor, appeal_id, expected_version, "appeal.extended", change)

    def redirect(
        self,
        actor: User,
        appeal_id: str,
        expected_version: int,
        transfer: Transfer,
        *,
        questions: Iterable[int] | None = None,
        notice_text: str = "",
    ) -> Appeal:
        """Redirect questions (all in work by default) by competence, with the notice."""

        def change(uow: AppealsUnitOfWork, appeal: Appeal, today: pendulum.Date) -> Appeal:
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
                        actor.id,
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

        return self._change(actor, appeal_id, expected_version, "appeal.redirected", change)

    def decide(
        self,
        actor: User,
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

        def change(uow: AppealsUnitOfWork, appeal: Appeal, today: pendulum.Date) -> Appeal:
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
                history=_moved(appeal, q, status, answer.date, actor.id, answer.summary[:200]),
                answer=answer,
                actions_taken=actions_taken,
            )
            return _with_question(appeal, decided)

        return self._change(actor, appeal_id, expected_version, "appeal.decided", change)

    def leave_without_answer(
        self,
        actor: User,
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

        def change(uow: AppealsUnitOfWork, appeal: Appeal, today: pendulum.Date) -> Appeal:
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
                        actor.id,
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

        return self._change(
            actor, appeal_id, expected_version, "appeal.left_without_answer", change
        )

    def request_materials(
        self, actor: User, appeal_id: str, expected_version: int, body: str
    ) -> Appeal:
        """Record a request for documents and materials to ``body``; due in 15 days."""

        def change(uow: AppealsUnitOfWork, appeal: Appeal, today: pendulum.Date) -> Appeal:
            if appeal.is_closed:
                raise StateError(f"appeal {appeal.number} is closed")
            due = self.terms.materials.due_date(today, self.calendar)
            request = MaterialsRequest(body, today, due)
            return attrs.evolve(appeal, materials=(*appeal.materials, request))

        return self._change(
            actor, appeal_id, expected_version, "appeal.materials_requested", change
        )

    def materials_received(
        self, actor: User, appeal_id: str, expected_version: int, request: int
    ) -> Appeal:
        """Record that the materials of request number ``request`` (1, 2, …) arrived today."""

        def change(uow: AppealsUnitOfWork, appeal: Appeal, today: pendulum.Date) -> Appeal:
            if not isinstance(request, int) or not 1 <= request <= len(appeal.materials):
                raise ValidationError("request", f"appeal {appeal.number} has no request {request}")
            asked = appeal.materials[request - 1]
            if asked.answered_on is not None:
                raise StateError(f"appeal {appeal.number}: request {request} already answered")
            materials = list(appeal.materials)
            materials[request - 1] = attrs.evolve(asked, answered_on=today)
            return attrs.evolve(appeal, materials=tuple(materials))

        return self._change(actor, appeal_id, expected_version, "appeal.materials_received", change)

    def forward_migration_information(
        self, actor: User, appeal_id: str, expected_version: int, transfer: Transfer
    ) -> Appeal:
        """Record the forwarding of information on migration violations (due in 5 days)."""

        def change(uow: AppealsUnitOfWork, appeal: Appeal, today: pendulum.Date) -> Appeal:
            if not appeal.migration:
                raise StateError(f"appeal {appeal.number} is not about migration violations")
            if appeal.migration_forward is not None:
                raise StateError(f"appeal {appeal.number}: the information was already forwarded")
            if transfer.date > today or transfer.date < appeal.registered_on:
                raise ValidationError("Transfer.date", "between registration and today")
            return attrs.evolve(appeal, migration_forward=transfer)

        return self._change(
            actor, appeal_id, expected_version, "appeal.migration_forwarded", change
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
