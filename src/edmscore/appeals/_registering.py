"""Registering an appeal: its card (journal number) and the appeal, in one unit of work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pendulum

from edmscore._ids import new_id
from edmscore.access import ActorRef, Permission
from edmscore.appeals import _steps as steps
from edmscore.appeals._context import AppealsContext
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
from edmscore.appeals._states import INITIAL_STATUS
from edmscore.appeals.ports import AppealsUnitOfWork
from edmscore.calendar import Deadline
from edmscore.records.service import RegistrationRequest
from edmscore.registry import (
    CardDetails,
    CardKind,
    CardLink,
    Correspondent,
    LinkType,
    RegistrationCard,
)

__all__ = ["register_appeal", "registration_dues"]

_DOCUMENT_KIND = {
    AppealKind.APPEAL: "Обращение",
    AppealKind.SERVICE_COMPLAINT: "Жалоба",
    AppealKind.SERVICE_COMPLAINT_REFUSAL: "Жалоба",
}


def register_appeal(ctx: AppealsContext, actor: ActorRef, request: AppealRequest) -> Appeal:
    """Register the appeal's card (journal number) and the appeal, in one unit of work.

    Needs ``handle_appeals`` for the appeal's department and, as every registration, ``register``
    for the journal's (checked by the composed records service).
    """
    now = ctx.clock.now()
    for q in request.questions:
        if ctx.classifier is not None:
            ctx.classifier.check(q.topic, question=True)
    with ctx.storage.unit_of_work() as uow:
        me = steps.acting(ctx, uow, actor, now)
        me.require(Permission.HANDLE_APPEALS, request.department_id)
        earlier = _earlier(uow, me.organisation_id, request)
        card = ctx.records.register_in(
            uow,
            me,
            RegistrationRequest(
                request.journal_id,
                _card_details(request, earlier),
                registration_date=request.registration_date,
                card_id=request.card_id,
                template_values={"topic": request.questions[0].topic},
            ),
            now,
        )
        appeal = _new_appeal(ctx, me.id, request, card, card.registration.date, earlier)
        uow.appeals.add(appeal)
        steps.audit(
            uow,
            me,
            now,
            "appeal.registered",
            "appeal",
            appeal.id,
            {},
            steps.primitive(appeal),
            provisional_note(appeal.provisional_dues),
        )
        uow.commit()
        return appeal


def _earlier(uow: AppealsUnitOfWork, organisation_id: str, request: AppealRequest) -> list[Appeal]:
    """The organisation's earlier appeals by the same author on a common topic (59-FZ repeat
    check: a scan of the organisation's appeals for the law, not a listing for the actor)."""
    topics = {q.topic for q in request.questions}
    found: dict[str, Appeal] = {}
    for author in request.authors:
        for key in sorted(author.keys()):
            for appeal in uow.appeals.by_author(organisation_id, key):
                if topics & {q.topic for q in appeal.questions}:
                    found[appeal.id] = appeal
    return sorted(found.values(), key=lambda a: (a.registered_on, a.id))


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
    ctx: AppealsContext,
    actor_id: str,
    request: AppealRequest,
    card: RegistrationCard,
    day: pendulum.Date,
    earlier: Sequence[Appeal],
) -> Appeal:
    anonymous = all(author.is_anonymous for author in request.authors)
    reason = NoAnswerReason.ANONYMOUS if anonymous else request.no_answer
    questions = []
    for number, q in enumerate(request.questions, start=1):
        history = [StatusChange(INITIAL_STATUS, day, actor_id)]
        if reason is not None:
            history.append(
                StatusChange(QuestionStatus.LEFT_WITHOUT_ANSWER, day, actor_id, reason.label)
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
    dues = registration_dues(ctx, request.kind, request.received_on, day, request)
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
        registration_due=dues["registration_due"].date,
        review_due=dues["review_due"].date,
        redirect_due=dues["redirect_due"].date,
        migration_forward_due=(
            dues["migration_forward_due"].date if "migration_forward_due" in dues else None
        ),
        questions=tuple(questions),
        forwarding=request.forwarding,
        migration=request.migration,
        to_region_head=request.to_region_head,
        notices=notices,
        repeated_of=tuple(a.id for a in earlier),
        provisional_dues=tuple(name for name, due in dues.items() if due.provisional),
    )


def provisional_note(fields: Sequence[str]) -> str:
    """The audit note for provisional deadlines («сроки предварительные: …»), or ''."""
    if not fields:
        return ""
    return (
        "сроки предварительные (постановление о переносе выходных дней на год срока не "
        f"загружено): {', '.join(fields)}"
    )


class _Flags(Protocol):
    @property
    def migration(self) -> bool: ...
    @property
    def to_region_head(self) -> bool: ...


def registration_dues(
    ctx: AppealsContext,
    kind: AppealKind,
    received_on: pendulum.Date,
    registered_on: pendulum.Date,
    flags: _Flags,
) -> dict[str, Deadline]:
    """Every deadline an appeal gets at registration, by field, each with its provisional mark."""
    terms, calendar = ctx.terms, ctx.calendar
    review = terms.review_policy(
        kind, migration=flags.migration, to_region_head=flags.to_region_head
    )
    dues = {
        "registration_due": terms.registration.deadline(received_on, calendar),
        "review_due": review.deadline(registered_on, calendar),
        "redirect_due": terms.redirect.deadline(registered_on, calendar),
    }
    if flags.migration:
        dues["migration_forward_due"] = terms.migration_forward.deadline(registered_on, calendar)
    return dues
