"""Registering cards of drafts, and the use case that registers a signed draft (``register``).

The approval use cases register the draft's РКПД when the draft is created and the signed
document's card when it is registered, each in the same unit of work as the draft's own change,
so either both happen or neither, through :meth:`RecordsService.register_in` (which checks the
``register`` permission for the journal's department, as registering anywhere does).
"""

from __future__ import annotations

import attrs
import pendulum

from edmscore.access import Actor, ActorRef, Permission
from edmscore.approval import _machine as machine
from edmscore.approval._context import ApprovalContext
from edmscore.approval._enums import DraftState
from edmscore.approval._model import Draft
from edmscore.approval._signature_record import carry_signing_record
from edmscore.approval._steps import load_draft, save
from edmscore.approval.ports import ApprovalUnitOfWork
from edmscore.errors import ApprovalStateError, ConflictError
from edmscore.records.ports import UnitOfWork
from edmscore.records.service import RecordsService, RegistrationRequest
from edmscore.registry import (
    CardDetails,
    CardLink,
    FileRef,
    LinkType,
    RegistrationCard,
    Signatory,
)
from edmscore.registry.codec import to_primitive

__all__ = ["register", "register_card", "register_signed"]


def register_card(
    uow: UnitOfWork,
    records: RecordsService,
    me: Actor,
    journal_id: str,
    details: CardDetails,
    now: pendulum.DateTime,
    *,
    manual_number: str | None = None,
    card_id: str | None = None,
    permission: Permission | None = Permission.REGISTER,
) -> RegistrationCard:
    """Register ``details`` in the journal of ``me``'s organisation today, in ``uow`` (not
    committed here); ``permission`` as :meth:`RecordsService.register_in` takes it."""
    request = RegistrationRequest(journal_id, details, manual_number=manual_number, card_id=card_id)
    return records.register_in(uow, me, request, now, permission=permission)


def register(
    ctx: ApprovalContext,
    actor: ActorRef,
    draft_id: str,
    expected_version: int,
    journal_id: str,
    *,
    manual_number: str | None = None,
) -> tuple[Draft, RegistrationCard]:
    """Register the signed draft as an outgoing or internal card, linked to the draft."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        draft, card = load_draft(ctx, uow, me, draft_id, now)
        if draft.version != expected_version:
            raise ConflictError("draft", draft_id, expected_version, draft.version)
        result = register_signed(ctx, uow, me, draft, card, journal_id, manual_number, now)
        uow.commit()
        return result


def register_signed(
    ctx: ApprovalContext,
    uow: ApprovalUnitOfWork,
    me: Actor,
    draft: Draft,
    card: RegistrationCard,
    journal_id: str,
    manual_number: str | None,
    now: pendulum.DateTime,
) -> tuple[Draft, RegistrationCard]:
    """Register a signed (or paper-approved) draft in ``uow``, not committed: the new card
    carries the signed version and its signature, both cards link each other."""
    me.require_own(draft.organisation_id, "a draft")
    if draft.state not in (DraftState.SIGNED, DraftState.APPROVED_ON_PAPER):
        raise ApprovalStateError(f"draft {draft.id!r} is «{draft.state.label}», not signed")
    organisation = uow.directory.organisation(draft.organisation_id)
    files: tuple[FileRef, ...] = ()
    cycle = draft.cycle
    seats: tuple[str, ...] = (draft.signatory_id,)
    signatures = 1
    if draft.state is DraftState.SIGNED and cycle is not None and cycle.signing is not None:
        signed = draft.version_of(cycle.version_number)
        given = cycle.given_signatures
        # The last signature's file is the joint CMS; raw signatures each keep their own.
        kept = [given[-1].signature] if given[-1].combined else [d.signature for d in given]
        files = (*signed.files, *(f for f in kept if f is not None))
        seats = cycle.signatory_ids
        signatures = len(given)
    officials = [uow.directory.official(seat) for seat in seats]
    details = attrs.evolve(
        card.details,
        kind=draft.target_kind,
        files=files,
        links=(CardLink(draft.id, LinkType.RELATED, "Проект документа"),),
        signatories=tuple(Signatory(o.name.initials_surname, o.position, o.id) for o in officials),
        document_date=ctx.today(now, organisation.timezone),
        case_index=None,
    )
    new_card = register_card(
        uow, ctx.records, me, journal_id, details, now, manual_number=manual_number
    )
    carry_signing_record(uow, me, card.id, new_card, now, count=signatures)
    links = (*card.details.links, CardLink(new_card.id, LinkType.RELATED, "Зарегистрирован"))
    linked = attrs.evolve(card, details=attrs.evolve(card.details, links=links))
    stored_card = uow.cards.update(linked, card.version)
    ctx.audit(
        uow,
        me,
        now,
        "card.linked",
        "card",
        card.id,
        {"links": to_primitive(card.details.links)},
        {"links": to_primitive(stored_card.details.links)},
    )
    after = machine.mark_registered(draft, new_card.id)
    stored = save(
        ctx,
        uow,
        me,
        now,
        "draft.registered",
        draft,
        after,
        draft.version,
        new_card.number,
        {"card": new_card.number},
        commit=False,
    )
    return stored, new_card
