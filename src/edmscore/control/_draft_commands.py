"""The draft-resolution use cases: an assistant drafts, the head approves, edits or rejects.

Each is one small unit of work, made for a mobile client: it takes the host's request key and,
when the draft has already seen that key, answers the draft as it stands without changing
anything — a retry after a lost answer is harmless. Approval creates the resolution and its
assignments through the same steps as :func:`~edmscore.control._commands.impose`, in the same
unit of work; the audit shows the draft's move and the resolution imposed.
"""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from edmscore._ids import new_id
from edmscore.access import Actor, ActorRef, Permission
from edmscore.audit import AuditEvent
from edmscore.control import _steps as s
from edmscore.control._commands import impose_in
from edmscore.control._drafting import (
    DraftAction,
    DraftResolutionState,
    DraftStep,
    ResolutionDraft,
    draft_transition,
)
from edmscore.control._requests import ItemRequest, ResolutionRequest
from edmscore.control.ports import ControlUnitOfWork
from edmscore.errors import AccessDenied, NotFound, ValidationError

__all__ = ["decide", "draft", "draft_history", "drafts_awaiting", "drafts_of_card", "get_draft"]


def _step(
    me: Actor, now: pendulum.DateTime, action: DraftAction, key: str, note: str = ""
) -> DraftStep:
    return DraftStep(action, now, me.id, me.on_behalf_of, key, note)


def _check_key(request_key: str) -> None:
    if not request_key.strip():
        raise ValidationError("request_key", "a request key is needed (the host's retry key)")


def draft(
    ctx: s.ControlContext,
    actor: ActorRef,
    request: ResolutionRequest,
    request_key: str,
    draft_id: str | None = None,
) -> ResolutionDraft:
    """An assistant's draft of a resolution by ``request.author_id`` (the head) on a card.

    Needs ``draft_resolution`` for the card's department. Retrying with the same ``draft_id`` and
    ``request_key`` answers the stored draft.
    """
    _check_key(request_key)
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.actor(ctx, uow, actor, now)
        card = s.visible_card(uow, me, request.card_id, now)
        me.require_own(card.organisation_id, "a card")
        me.require(Permission.DRAFT_RESOLUTION, card.details.department_id)
        s.official_of(uow, card.organisation_id, request.author_id)
        for item in request.items:
            s.official_of(uow, card.organisation_id, item.executor_id)
        if draft_id is not None:
            try:
                stored = uow.resolution_drafts.get(draft_id)
            except NotFound:
                pass
            else:
                if stored.applied(request_key) is not None and stored.card_id == card.id:
                    return stored
                raise ValidationError("draft_id", "a draft resolution with this id exists")
        made = ResolutionDraft(
            id=draft_id or new_id(),
            organisation_id=card.organisation_id,
            card_id=card.id,
            head_id=request.author_id,
            text=request.text,
            items=request.items,
            steps=(_step(me, now, DraftAction.DRAFT, request_key),),
        )
        uow.resolution_drafts.add(made)
        s.audit(
            uow, me, now, "resolution_draft.drafted", ("resolution_draft", made.id), {},
            s.primitive(made), card.id,
        )  # fmt: skip
        uow.commit()
        return made


def _for_change(
    uow: ControlUnitOfWork, me: Actor, draft_id: str, now: pendulum.DateTime
) -> ResolutionDraft:
    found = uow.resolution_drafts.get(draft_id)
    s.visible_card(uow, me, found.card_id, now, ("draft resolution", draft_id))
    return found


def _may(me: Actor, found: ResolutionDraft, action: DraftAction) -> None:
    """The head (or their deputy) decides; the drafter may also edit or withdraw."""
    drafter = me.id == found.drafted_by
    if action is DraftAction.WITHDRAW:
        if not drafter:
            raise AccessDenied(f"user {me.login!r} did not draft this resolution")
        return
    if action is DraftAction.EDIT and drafter:
        return
    s.acting_official(me, found.head_id, role="head")


def decide(
    ctx: s.ControlContext,
    actor: ActorRef,
    draft_id: str,
    action: DraftAction,
    request_key: str,
    *,
    text: str | None = None,
    items: Sequence[ItemRequest] | None = None,
    reason: str = "",
) -> ResolutionDraft:
    """Approve, edit, reject or withdraw a draft (one move of the draft's state machine).

    A key the draft has seen answers it unchanged (the same move retried); the same key for
    another move is a :class:`~edmscore.errors.ValidationError`.
    """
    _check_key(request_key)
    if action is DraftAction.DRAFT:
        raise ValidationError("action", "a draft is made by draft_resolution")
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.actor(ctx, uow, actor, now)
        found = _for_change(uow, me, draft_id, now)
        seen = found.applied(request_key)
        if seen is not None:
            if seen.action is not action:
                raise ValidationError("request_key", "the key was used for another move")
            return found
        _may(me, found, action)
        new_items = None if items is None else tuple(items)
        resolution_id = new_id() if action is DraftAction.APPROVE else None
        after = draft_transition(
            found, action, _step(me, now, action, request_key, reason),
            text=text, items=new_items, resolution_id=resolution_id, reason=reason,
        )  # fmt: skip
        if action is DraftAction.APPROVE:
            # Only approval makes the resolution and its assignments, as imposing one does.
            impose_in(ctx, uow, me, now, after.request())
        stored = uow.resolution_drafts.update(after, found.version)
        s.audit(
            uow, me, now, f"resolution_draft.{_DONE[action]}", ("resolution_draft", found.id),
            s.primitive(found), s.primitive(stored), resolution_id or "",
        )  # fmt: skip
        uow.commit()
        return stored


_DONE = {
    DraftAction.EDIT: "edited",
    DraftAction.APPROVE: "approved",
    DraftAction.REJECT: "rejected",
    DraftAction.WITHDRAW: "withdrawn",
}


def get_draft(ctx: s.ControlContext, actor: ActorRef, draft_id: str) -> ResolutionDraft:
    """A draft resolution on a card the actor may see."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        found = uow.resolution_drafts.get(draft_id)
        s.visible_card(uow, me, found.card_id, now, ("draft resolution", draft_id))
        uow.commit()
        return found


def drafts_awaiting(ctx: s.ControlContext, actor: ActorRef) -> list[ResolutionDraft]:
    """The drafts waiting for the actor's decision — as the head, or as the deputy standing in
    for them (acting on their behalf) — on cards the actor may see."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        heads = [me.official_id]
        if me.represented is not None:
            heads.append(me.represented.official_id)
        scope = me.scope()
        found = [
            d
            for head in dict.fromkeys(h for h in heads if h is not None)
            for d in uow.resolution_drafts.awaiting(head)
            if d.state is DraftResolutionState.DRAFTED and scope.permits(uow.cards.get(d.card_id))
        ]
        return found


def drafts_of_card(ctx: s.ControlContext, actor: ActorRef, card_id: str) -> list[ResolutionDraft]:
    """The card's draft resolutions."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        s.visible_card(uow, me, card_id, now)
        uow.commit()
        return list(uow.resolution_drafts.of_card(card_id))


def draft_history(ctx: s.ControlContext, actor: ActorRef, draft_id: str) -> list[AuditEvent]:
    """The draft's audit events and, once approved, those of the resolution it became, in order:
    who drafted, edited and decided (and for whom), and who imposed the resolution."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = s.reader(ctx, uow, actor, now)
        found = uow.resolution_drafts.get(draft_id)
        s.visible_card(uow, me, found.card_id, now, ("draft resolution", draft_id))
        keys = [draft_id] + ([found.resolution_id] if found.resolution_id else [])
        events = [pair for key in keys for pair in uow.audit.events(key, limit=100_000)]
        uow.commit()
        return [e for _, e in sorted(events, key=lambda pair: pair[0])]
