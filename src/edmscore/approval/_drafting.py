"""The author's drafts: creating one with its РКПД card, adding versions."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from edmscore.approval import _machine as machine
from edmscore.approval._model import Draft, DraftVersion
from edmscore.approval._registration import register_card
from edmscore.approval._requests import DraftFile, DraftRequest
from edmscore.approval._service_base import ApprovalBase, _view
from edmscore.directory import User
from edmscore.errors import AccessDenied, ValidationError
from edmscore.registry import CardKind
from edmscore.registry.codec import to_primitive

__all__ = ["ApprovalDrafting"]


class ApprovalDrafting(ApprovalBase):
    """Drafts and versions of :class:`~edmscore.approval.ApprovalService`."""

    # --- the author's steps --------------------------------------------------------------------

    def create_draft(self, actor: User, request: DraftRequest) -> Draft:
        """Create a draft: its РКПД card (numbered in the drafts journal) and version 1."""
        self._require_active(actor)
        if request.details.kind is not CardKind.DRAFT:
            raise ValidationError("details.kind", "a draft's card is of kind DRAFT")
        if request.target_kind is CardKind.OUTGOING and not request.details.addressees:
            raise ValidationError("details.addressees", "an outgoing draft needs its addressees")
        if actor.official_id is None:
            raise AccessDenied(f"user {actor.login!r} acts for no official and cannot author")
        now = self._now()
        with self._storage.unit_of_work() as uow:
            organisation = uow.directory.organisation(actor.organisation_id)
            signatory = uow.directory.official(request.signatory_id)
            if signatory.organisation_id != organisation.id:
                raise ValidationError("signatory_id", "the signatory is of another organisation")
            refs = self._store_files(uow, request.files)
            details = attrs.evolve(request.details, files=refs)
            card = register_card(
                uow,
                self._records,
                actor,
                organisation,
                request.journal_id,
                details,
                now,
                card_id=request.draft_id,
            )
            draft = Draft(
                id=card.id,
                organisation_id=organisation.id,
                document_kind=details.document_kind,
                target_kind=request.target_kind,
                author_id=actor.official_id,
                author_user_id=actor.id,
                signatory_id=signatory.id,
                access=details.access,
                created_at=now,
                versions=(DraftVersion(1, refs, now, actor.id, request.note),),
            )
            uow.drafts.add(draft)
            self._audit(uow, actor, now, "draft.created", "draft", draft.id, {}, _view(draft))
            uow.commit()
            return draft

    def add_version(
        self,
        actor: User,
        draft_id: str,
        expected_version: int,
        files: Sequence[DraftFile],
        note: str = "",
    ) -> Draft:
        """A new version of the files (only while no cycle runs); the card gets the new files."""
        now = self._now()
        with self._storage.unit_of_work() as uow:
            draft, card = self._load(uow, actor, draft_id)
            self._author(actor, draft)
            refs = self._store_files(uow, files)
            version = DraftVersion(len(draft.versions) + 1, refs, now, actor.id, note)
            after = machine.add_version(draft, version)
            organisation = uow.directory.organisation(draft.organisation_id)
            details = self._records.check_details(
                uow,
                actor,
                organisation,
                attrs.evolve(card.details, files=refs),
                card.registration.date.year,
            )
            changed = uow.cards.update(attrs.evolve(card, details=details), card.version)
            self._audit(
                uow,
                actor,
                now,
                "card.updated",
                "card",
                card.id,
                {"files": to_primitive(card.details.files)},
                {"files": to_primitive(changed.details.files)},
            )
            return self._save(
                uow, actor, now, "draft.version_added", draft, after, expected_version, note
            )
