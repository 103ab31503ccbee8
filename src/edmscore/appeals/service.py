"""Use cases on citizens' appeals over a storage that keeps them.

:class:`AppealsService` registers an appeal's card and the appeal in one unit of work (so the
journal number stays gapless), and moves its questions through their lifecycle: an executor is
recorded, the term is extended once with a notice, questions are redirected by competence with a
notice, decided with the answer, or left without an answer with the reason. Every change is
audited with the fields before and after.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs
import pendulum

from edmscore._ids import new_id
from edmscore.appeals._deadlines import AppealTerms
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
from edmscore.appeals._requests import AppealRequest
from edmscore.appeals._states import INITIAL_STATUS, check_move
from edmscore.appeals._topics import TopicClassifier
from edmscore.appeals.ports import AppealsStorage, AppealsUnitOfWork
from edmscore.calendar import ProductionCalendar
from edmscore.clock import Clock
from edmscore.directory import User
from edmscore.errors import ConflictError, StateError, ValidationError
from edmscore.registry import (
    CardDetails,
    CardKind,
    CardLink,
    Correspondent,
    FileRef,
    Journal,
    LinkType,
    Registration,
    RegistrationCard,
)
from edmscore.registry.codec import to_primitive
from edmscore.services.records import RecordsService

__all__ = ["AppealsService"]

_MAX_SKIPS = 10_000
_DOCUMENT_KIND = {
    AppealKind.APPEAL: "Обращение",
    AppealKind.SERVICE_COMPLAINT: "Жалоба",
    AppealKind.SERVICE_COMPLAINT_REFUSAL: "Жалоба",
}


def _primitive(appeal: Appeal) -> dict[str, Any]:
    data: dict[str, Any] = to_primitive(appeal)
    data.pop("version", None)
    return data


class AppealsService(RecordsService):
    """The appeal use cases; also every :class:`~edmscore.services.RecordsService` use case.

    ``calendar`` is the production calendar deadlines are counted on; ``terms`` the deadline
    policies (59-FZ / 210-FZ presets by default); ``classifier`` when given checks every topic.
    """

    def __init__(
        self,
        storage: AppealsStorage,
        calendar: ProductionCalendar,
        clock: Clock | None = None,
        *,
        terms: AppealTerms | None = None,
        classifier: TopicClassifier | None = None,
    ) -> None:
        super().__init__(storage, clock)
        self.appeals_storage = storage
        self.calendar = calendar
        self.terms = terms if terms is not None else AppealTerms.default()
        self.classifier = classifier

    # --- reading -------------------------------------------------------------------------------

    def appeal(self, actor: User, appeal_id: str) -> Appeal:
        """The appeal, if ``actor`` may see its card."""
        with self.appeals_storage.unit_of_work() as uow:
            appeal = uow.appeals.get(appeal_id)
            self._visible(uow, actor, appeal.card_id)
            return appeal

    def appeal_of_card(self, actor: User, card_id: str) -> Appeal:
        """The appeal registered under ``card_id``."""
        with self.appeals_storage.unit_of_work() as uow:
            self._visible(uow, actor, card_id)
            return uow.appeals.by_card(card_id)

    def changed_between(
        self, actor: User, start: pendulum.Date, end: pendulum.Date
    ) -> Sequence[Appeal]:
        """The actor's organisation's appeals whose status changed in ``[start, end]``."""
        return self._listing(
            actor, lambda uow: uow.appeals.changed_between(actor.organisation_id, start, end)
        )

    def registered_between(
        self, actor: User, start: pendulum.Date, end: pendulum.Date
    ) -> Sequence[Appeal]:
        """The actor's organisation's appeals registered in ``[start, end]``."""
        return self._listing(
            actor, lambda uow: uow.appeals.registered_between(actor.organisation_id, start, end)
        )

    def _listing(
        self, actor: User, fetch: Callable[[AppealsUnitOfWork], Sequence[Appeal]]
    ) -> Sequence[Appeal]:
        self._require_active(actor)
        from edmscore.access import may_see

        with self.appeals_storage.unit_of_work() as uow:
            return [a for a in fetch(uow) if may_see(actor, uow.cards.get(a.card_id))]

    # --- registration --------------------------------------------------------------------------

    def register_appeal(self, actor: User, request: AppealRequest) -> Appeal:
        """Register the appeal's card (journal number) and the appeal, in one unit of work."""
        self._require_active(actor)
        now = self._now()
        for q in request.questions:
            if self.classifier is not None:
                self.classifier.check(q.topic, question=True)
        with self.appeals_storage.unit_of_work() as uow:
            organisation = uow.directory.organisation(actor.organisation_id)
            journal = uow.journals.get(request.journal_id)
            today = self._today(now, organisation.timezone)
            day = request.registration_date or today
            if day > today:
                raise ValidationError("registration_date", "must not be in the future")
            if request.received_on > day:
                raise ValidationError("received_on", "received after the registration date")
            earlier = self._earlier(uow, organisation.id, request)
            details = self._card_details(request, earlier)
            details = self.check_details(uow, actor, organisation, details, day.year)
            self._check_journal(actor, journal, details)
            registration = self._allocate_appeal(
                uow, organisation, journal, details, day, request.questions[0].topic
            )
            card = RegistrationCard(
                id=request.card_id or new_id(),
                organisation_id=organisation.id,
                registration=registration,
                details=details,
                registered_at=now,
                registered_by=actor.id,
            )
            uow.cards.add(card)
            appeal = self._new_appeal(actor, request, card, day, earlier)
            uow.appeals.add(appeal)
            self._audit(
                uow, actor, now, "card.registered", "card", card.id, {}, to_primitive(card.details)
            )
            self._audit(
                uow, actor, now, "appeal.registered", "appeal", appeal.id, {}, _primitive(appeal)
            )
            uow.commit()
            return appeal

    def _earlier(
        self, uow: AppealsUnitOfWork, organisation_id: str, request: AppealRequest
    ) -> list[Appeal]:
        topics = {q.topic for q in request.questions}
        found: dict[str, Appeal] = {}
        for author in request.authors:
            for key in sorted(author.keys()):
                for appeal in uow.appeals.by_author(organisation_id, key):
                    if topics & {q.topic for q in appeal.questions}:
                        found[appeal.id] = appeal
        return sorted(found.values(), key=lambda a: (a.registered_on, a.id))

    @staticmethod
    def _card_details(request: AppealRequest, earlier: Sequence[Appeal]) -> CardDetails:
        forwarding = request.forwarding
        return CardDetails(
            kind=CardKind.APPEAL,
            document_kind=_DOCUMENT_KIND[request.kind],
            summary=request.summary or request.questions[0].summary,
            applicants=tuple(author.applicant() for author in request.authors),
            received_on=request.received_on,
            correspondents=(Correspondent(forwarding.body),) if forwarding else (),
            sender_number=forwarding.cover_number if forwarding else None,
            sender_date=forwarding.cover_date if forwarding else None,
            delivery_method=request.delivery_method,
            case_id=request.case_id,
            department_id=request.department_id,
            executor_id=request.executor_id,
            links=tuple(CardLink(a.card_id, LinkType.REPEATED) for a in earlier),
        )

    def _new_appeal(
        self,
        actor: User,
        request: AppealRequest,
        card: RegistrationCard,
        day: pendulum.Date,
        earlier: Sequence[Appeal],
    ) -> Appeal:
        terms, calendar = self.terms, self.calendar
        anonymous = all(author.is_anonymous for author in request.authors)
        reason = NoAnswerReason.ANONYMOUS if anonymous else request.no_answer
        questions = []
        for number, q in enumerate(request.questions, start=1):
            history = [StatusChange(INITIAL_STATUS, day, actor.id)]
            if reason is not None:
                history.append(
                    StatusChange(QuestionStatus.LEFT_WITHOUT_ANSWER, day, actor.id, reason.label)
                )
            questions.append(
                Question(
                    number=number,
                    topic=q.topic,
                    summary=q.summary,
                    history=tuple(history),
                    executor_id=request.executor_id,
                    no_answer_reason=reason,
                )
            )
        notices: tuple[Notice, ...] = ()
        if reason is not None and reason.needs_notice:
            notices = (Notice(NoticeKind.NO_ANSWER, day, reason.label),)
        return Appeal(
            id=request.appeal_id or new_id(),
            organisation_id=card.organisation_id,
            card_id=card.id,
            number=card.number,
            kind=request.kind,
            authors=request.authors,
            form=request.form,
            received_on=request.received_on,
            registered_on=day,
            registration_due=terms.registration.due_date(request.received_on, calendar),
            review_due=terms.review_due(
                request.kind,
                day,
                calendar,
                migration=request.migration,
                to_region_head=request.to_region_head,
            ),
            redirect_due=terms.redirect.due_date(day, calendar),
            migration_forward_due=(
                terms.migration_forward.due_date(day, calendar) if request.migration else None
            ),
            questions=tuple(questions),
            forwarding=request.forwarding,
            migration=request.migration,
            to_region_head=request.to_region_head,
            notices=notices,
            repeated_of=tuple(a.id for a in earlier),
        )

    def _allocate_appeal(
        self,
        uow: AppealsUnitOfWork,
        organisation: Any,
        journal: Journal,
        details: CardDetails,
        day: pendulum.Date,
        topic: str,
    ) -> Registration:
        """Like the records service's allocation, with the ``{topic}`` template field filled."""
        period = journal.period_of(day)
        values = self._template_values(uow, organisation, journal, details, day)
        values["topic"] = topic
        counter = journal.counter_key(period, values)
        for _ in range(_MAX_SKIPS):
            seq = uow.numbers.next(counter)
            number = journal.template.render({**values, "seq": seq})
            if uow.cards.number_holder(journal.id, period, number) is None:
                return Registration(journal.id, number, day, period, seq)
        raise StateError(f"journal {journal.code!r}: no free number after {_MAX_SKIPS} tries")

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

    # --- internals -----------------------------------------------------------------------------

    def _change(
        self,
        actor: User,
        appeal_id: str,
        expected_version: int,
        action: str,
        change: Callable[[AppealsUnitOfWork, Appeal, pendulum.Date], Appeal],
    ) -> Appeal:
        now = self._now()
        with self.appeals_storage.unit_of_work() as uow:
            appeal = uow.appeals.get(appeal_id)
            self._modifiable(uow, actor, appeal.card_id)
            if appeal.version != expected_version:
                raise ConflictError("appeal", appeal_id, expected_version, appeal.version)
            organisation = uow.directory.organisation(appeal.organisation_id)
            today = self._today(now, organisation.timezone)
            changed = change(uow, appeal, today)
            stored = uow.appeals.update(changed, expected_version)
            self._audit(
                uow, actor, now, action, "appeal", appeal.id, _primitive(appeal), _primitive(stored)
            )
            uow.commit()
            return stored


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
