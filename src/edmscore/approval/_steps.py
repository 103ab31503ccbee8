"""Steps the approval use cases share: load a visible draft, check its author, store files,
save a draft with its audit event, audit a read of a ДСП draft.

A draft is visible to an actor iff it belongs to the actor's organisation and the actor may see
its РКПД card (:meth:`~edmscore.access.Actor.may_see`); a hidden draft answers
:class:`~edmscore.errors.NotFound` word for word as a missing one, and the real reason is audited
(``access.denied``) and committed before raising.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pendulum

from edmscore.access import Actor, ActorRef, Permission
from edmscore.approval._context import ApprovalContext
from edmscore.approval._model import Draft
from edmscore.approval._requests import DraftFile
from edmscore.approval.ports import ApprovalUnitOfWork
from edmscore.errors import AccessDenied, NotFound, ValidationError
from edmscore.records import _steps as records_steps
from edmscore.registry import AccessMark, FileRef, RegistrationCard

__all__ = [
    "audit_read",
    "load_draft",
    "load_for_change",
    "reader",
    "require_author",
    "save",
    "store_files",
    "view",
]


def view(draft: Draft) -> dict[str, Any]:
    """The fields of a draft its audit events compare before and after."""
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


def reader(
    ctx: ApprovalContext, uow: ApprovalUnitOfWork, who: ActorRef, now: pendulum.DateTime
) -> Actor:
    """The acting user, who must hold ``read`` somewhere (the scope narrows what they see)."""
    me = ctx.actor(uow, who, now)
    me.require_somewhere(Permission.READ)
    return me


def load_draft(
    ctx: ApprovalContext,
    uow: ApprovalUnitOfWork,
    me: Actor,
    draft_id: str,
    now: pendulum.DateTime,
) -> tuple[Draft, RegistrationCard]:
    """The draft and its РКПД card if visible to ``me``; else NotFound, as for a missing one."""
    try:
        draft = uow.drafts.get(draft_id)
        card = uow.cards.get(draft_id)
    except NotFound:
        raise NotFound("draft", draft_id) from None
    if draft.organisation_id != me.organisation_id or not me.may_see(card):
        reason = (
            f"user {me.login!r}: a draft of another organisation"
            if draft.organisation_id != me.organisation_id
            else records_steps.hidden_reason(me, card)
        )
        records_steps.deny(uow, me, now, "draft", draft_id, reason)
        raise NotFound("draft", draft_id)
    return draft, card


def load_for_change(
    ctx: ApprovalContext,
    uow: ApprovalUnitOfWork,
    me: Actor,
    draft_id: str,
    now: pendulum.DateTime,
    permission: Permission,
) -> tuple[Draft, RegistrationCard]:
    """A visible draft of ``me``'s organisation that ``me`` holds ``permission`` for (in the
    department of its card)."""
    draft, card = load_draft(ctx, uow, me, draft_id, now)
    me.require_own(draft.organisation_id, "a draft")
    me.require(permission, card.details.department_id)
    return draft, card


def require_author(me: Actor, draft: Draft) -> None:
    """Refuse anyone but the draft's author (the user, or whoever acts as the author official)."""
    if me.id != draft.author_user_id and me.official_id != draft.author_id:
        raise AccessDenied(f"user {me.login!r} is not the draft's author")


def store_files(uow: ApprovalUnitOfWork, files: Sequence[DraftFile]) -> tuple[FileRef, ...]:
    """Put the files' contents in the blob store; their references, in order."""
    refs = []
    for item in files:
        if not isinstance(item, DraftFile):
            raise ValidationError("files", "must be DraftFile values")
        sha256 = uow.blobs.put(item.content)
        refs.append(FileRef(item.name, len(item.content), sha256, item.media_type))
    return tuple(refs)


def save(
    ctx: ApprovalContext,
    uow: ApprovalUnitOfWork,
    me: Actor,
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
    """Store ``after`` over ``before`` at ``expected_version`` with an audit event ``action``."""
    stored = uow.drafts.update(after, expected_version)
    ctx.audit(
        uow,
        me,
        now,
        action,
        "draft",
        before.id,
        view(before),
        {**view(stored), **(extra or {})},
        note[:4000],
    )
    if commit:
        uow.commit()
    return stored


def audit_read(
    ctx: ApprovalContext,
    uow: ApprovalUnitOfWork,
    me: Actor,
    now: pendulum.DateTime,
    action: str,
    card: RegistrationCard,
    *,
    commit: bool = True,
) -> None:
    """Audit a read of a ДСП draft (``draft.read``, ``draft.listed``…); open ones are not."""
    if card.details.access is not AccessMark.DSP:
        return
    ctx.audit(uow, me, now, action, "draft", card.id, {}, {})
    if commit:
        uow.commit()
