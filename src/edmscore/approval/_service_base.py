"""What the approval use cases share: storage, calendar, verifier, loading, the audited save."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pendulum

from edmscore.access import AccessPolicy, may_see
from edmscore.approval._model import Draft
from edmscore.approval._requests import DraftFile
from edmscore.approval._verifier import SignatureVerifier
from edmscore.approval.ports import ApprovalStorage, ApprovalUnitOfWork
from edmscore.calendar import ProductionCalendar
from edmscore.clock import Clock
from edmscore.directory import User
from edmscore.errors import AccessDenied, ValidationError
from edmscore.records._base import ServiceBase
from edmscore.records.service import RecordsService
from edmscore.registry import FileRef, RegistrationCard

__all__ = ["ApprovalBase"]


def _view(draft: Draft) -> dict[str, Any]:
    cycle = draft.cycle
    return {
        "state": draft.state.value,
        "version_number": draft.current.number,
        "version_sha256": draft.current.sha256,
        "cycle": None if cycle is None else cycle.number,
        "cycle_outcome": None if cycle is None else cycle.outcome.value,
        "current_stage": None if cycle is None else cycle.current_stage,
        "registered_card_id": draft.registered_card_id,
    }


class ApprovalBase(ServiceBase):
    """Storage, calendar and verifier of the approval use cases; the helpers they share."""

    def __init__(
        self,
        storage: ApprovalStorage,
        calendar: ProductionCalendar,
        verifier: SignatureVerifier,
        clock: Clock | None = None,
        *,
        policy: AccessPolicy | None = None,
    ) -> None:
        super().__init__(storage, clock, policy=policy)
        self._storage = storage
        self.calendar = calendar
        self.verifier = verifier
        self._records = RecordsService(storage, self.clock, policy=self.policy)

    # --- internals -----------------------------------------------------------------------------

    def _load(
        self, uow: ApprovalUnitOfWork, actor: User, draft_id: str
    ) -> tuple[Draft, RegistrationCard]:
        self._require_active(actor)
        draft = uow.drafts.get(draft_id)
        card = uow.cards.get(draft_id)
        if not may_see(actor, card) or actor.organisation_id != draft.organisation_id:
            raise AccessDenied(f"user {actor.login!r} may not see draft {draft_id!r}")
        return draft, card

    @staticmethod
    def _author(actor: User, draft: Draft) -> None:
        if actor.id != draft.author_user_id and actor.official_id != draft.author_id:
            raise AccessDenied(f"user {actor.login!r} is not the draft's author")

    @staticmethod
    def _same_organisation(actor: User, draft: Draft) -> None:
        if actor.organisation_id != draft.organisation_id:
            raise AccessDenied("a draft of another organisation")

    @staticmethod
    def _store_files(uow: ApprovalUnitOfWork, files: Sequence[DraftFile]) -> tuple[FileRef, ...]:
        refs = []
        for item in files:
            if not isinstance(item, DraftFile):
                raise ValidationError("files", "must be DraftFile values")
            sha256 = uow.blobs.put(item.content)
            refs.append(FileRef(item.name, len(item.content), sha256, item.media_type))
        return tuple(refs)

    def _save(
        self,
        uow: ApprovalUnitOfWork,
        actor: User,
        now: pendulum.DateTime,
        action: str,
        before: Draft,
        after: Draft,
        expected_version: int,
        note: str = "",
        extra: dict[str, Any] | None = None,
        *,
        commit: bool = True,
    ) -> Draft:
        stored = uow.drafts.update(after, expected_version)
        self._audit(
            uow,
            actor,
            now,
            action,
            "draft",
            before.id,
            _view(before),
            {**_view(stored), **(extra or {})},
            note[:4000],
        )
        if commit:
            uow.commit()
        return stored
