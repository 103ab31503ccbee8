"""The author's drafts: creating one with its РКПД card, adding versions (``prepare_draft``)."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from edmscore.access import ActorRef, Permission
from edmscore.approval import _machine as machine
from edmscore.approval._context import ApprovalContext
from edmscore.approval._model import Draft, DraftVersion
from edmscore.approval._registration import register_card
from edmscore.approval._requests import DraftFile, DraftRequest
from edmscore.approval._steps import load_for_change, require_author, save, store_files, view
from edmscore.errors import AccessDenied, ValidationError
from edmscore.registry import CardKind
from edmscore.registry.codec import to_primitive

__all__ = ["add_version", "create_draft"]


def create_draft(ctx: ApprovalContext, actor: ActorRef, request: DraftRequest) -> Draft:
    """Create a draft: its РКПД card (numbered in the drafts journal) and version 1.

    Needs ``prepare_draft`` for the card's department; the actor must act for an official.
    """
    if request.details.kind is not CardKind.DRAFT:
        raise ValidationError("details.kind", "a draft's card is of kind DRAFT")
    if request.target_kind is CardKind.OUTGOING and not request.details.addressees:
        raise ValidationError("details.addressees", "an outgoing draft needs its addressees")
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        me.require(Permission.PREPARE_DRAFT, request.details.department_id)
        if me.official_id is None:
            raise AccessDenied(f"user {me.login!r} acts for no official and cannot author")
        organisation = me.organisation
        signatory = uow.directory.official(request.signatory_id)
        if signatory.organisation_id != organisation.id:
            raise ValidationError("signatory_id", "the signatory is of another organisation")
        refs = store_files(uow, request.files)
        details = attrs.evolve(request.details, files=refs)
        card = register_card(
            uow,
            ctx.records,
            me,
            request.journal_id,
            details,
            now,
            card_id=request.draft_id,
            permission=None,  # checked above, for the card's department
        )
        draft = Draft(
            id=card.id,
            organisation_id=organisation.id,
            document_kind=details.document_kind,
            target_kind=request.target_kind,
            author_id=me.official_id,
            author_user_id=me.id,
            signatory_id=signatory.id,
            access=details.access,
            created_at=now,
            versions=(DraftVersion(1, refs, now, me.id, request.note),),
        )
        uow.drafts.add(draft)
        ctx.audit(uow, me, now, "draft.created", "draft", draft.id, {}, view(draft))
        uow.commit()
        return draft


def add_version(
    ctx: ApprovalContext,
    actor: ActorRef,
    draft_id: str,
    expected_version: int,
    files: Sequence[DraftFile],
    note: str = "",
) -> Draft:
    """A new version of the files (only while no cycle runs); the card gets the new files.

    The author only, with ``prepare_draft`` for the card's department.
    """
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        draft, card = load_for_change(ctx, uow, me, draft_id, now, Permission.PREPARE_DRAFT)
        require_author(me, draft)
        refs = store_files(uow, files)
        version = DraftVersion(len(draft.versions) + 1, refs, now, me.id, note)
        after = machine.add_version(draft, version)
        details = ctx.records.check_details(
            uow,
            me,
            me.organisation,
            attrs.evolve(card.details, files=refs),
            card.registration.date.year,
        )
        changed = uow.cards.update(attrs.evolve(card, details=details), card.version)
        ctx.audit(
            uow,
            me,
            now,
            "card.updated",
            "card",
            card.id,
            {"files": to_primitive(card.details.files)},
            {"files": to_primitive(changed.details.files)},
        )
        return save(ctx, uow, me, now, "draft.version_added", draft, after, expected_version, note)
