"""Registering an appeal: its card (journal number) and the appeal, in one unit of work."""

from __future__ import annotations

from collections.abc import Sequence

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
from edmscore.records.service import RegistrationRequest
from edmscore.registry import (
    CardDetails,
    CardKind,
    CardLink,
    Correspondent,
    LinkType,
    RegistrationCard,
)

__all__ = ["AppealsRegistration"]

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
            earlier = self._earlier(uow, organisation.id, request)
            card = self.register_in(
                uow,
                actor,
                RegistrationRequest(
                    request.journal_id,
                    self._card_details(request, earlier),
                    registration_date=request.registration_date,
                    card_id=request.card_id,
                    template_values={"topic": request.questions[0].topic},
                ),
                now,
            )
            appeal = self._new_appeal(actor, request, card, card.registration.date, earlier)
            uow.appeals.add(appeal)
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
