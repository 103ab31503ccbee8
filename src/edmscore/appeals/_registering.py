"""Registering an appeal: its card (journal number) and the appeal, in one unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pendulum

from edmscore._ids import new_id
from edmscore.appeals._enums import (
    AppealKind,
    NoAnswerReason,
    NoticeKind,
    QuestionStatus,
)
from edmscore.appeals._model import (
    Appeal,
    Notice,
    Question,
    StatusChange,
)
from edmscore.appeals._requests import AppealRequest
from edmscore.appeals._service_base import AppealsBase, _primitive
from edmscore.appeals._states import INITIAL_STATUS
from edmscore.appeals.ports import AppealsUnitOfWork
from edmscore.directory import User
from edmscore.errors import StateError, ValidationError
from edmscore.registry import (
    CardDetails,
    CardKind,
    CardLink,
    Correspondent,
    Journal,
    LinkType,
    Registration,
    RegistrationCard,
)
from edmscore.registry.codec import to_primitive

__all__ = ["AppealsRegistration"]


_MAX_SKIPS = 10_000
_DOCUMENT_KIND = {
    AppealKind.APPEAL: "Обращение",
    AppealKind.SERVICE_COMPLAINT: "Жалоба",
    AppealKind.SERVICE_COMPLAINT_REFUSAL: "Жалоба",
}


class AppealsRegistration(AppealsBase):
    """The registration use case of :class:`~edmscore.appeals.AppealsService`."""

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
