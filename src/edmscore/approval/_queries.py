"""Reading drafts (``read``): a draft, its history, the approval sheet, what awaits whom,
overdue tasks. Listings are filtered by the actor's access scope inside the repository; reads
of ДСП drafts are audited."""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from edmscore.access import Actor, ActorRef
from edmscore.approval import _machine as machine
from edmscore.approval._context import ApprovalContext
from edmscore.approval._enums import DraftState
from edmscore.approval._model import Draft
from edmscore.approval._route import acting_official
from edmscore.approval._sheet import ApprovalSheet, approval_sheet
from edmscore.approval._steps import audit_read, load_draft, reader
from edmscore.approval._terms import OverdueTask, overdue_signatures, overdue_tasks
from edmscore.approval.ports import ApprovalUnitOfWork
from edmscore.audit import AuditEvent
from edmscore.directory import Power

__all__ = ["awaiting", "get", "history", "overdue", "sheet"]

#: The draft states in which someone owes a visa or a signature.
_OPEN_STATES = frozenset({DraftState.IN_APPROVAL, DraftState.AWAITING_SIGNATURE})


def get(ctx: ApprovalContext, actor: ActorRef, draft_id: str) -> Draft:
    """The draft if ``actor`` may see it; NotFound alike for a missing and a hidden one."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = reader(ctx, uow, actor, now)
        draft, card = load_draft(ctx, uow, me, draft_id, now)
        audit_read(ctx, uow, me, now, "draft.read", card)
        return draft


def history(ctx: ApprovalContext, actor: ActorRef, draft_id: str) -> Sequence[AuditEvent]:
    """The draft's audit events, oldest first."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = reader(ctx, uow, actor, now)
        _, card = load_draft(ctx, uow, me, draft_id, now)
        events = [event for _, event in uow.audit.events(draft_id, limit=100_000)]
        audit_read(ctx, uow, me, now, "draft.history_read", card)
        return events


def sheet(
    ctx: ApprovalContext, actor: ActorRef, draft_id: str, *, last_cycle_only: bool = False
) -> ApprovalSheet:
    """The approval sheet as typed rows."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = reader(ctx, uow, actor, now)
        draft, card = load_draft(ctx, uow, me, draft_id, now)
        organisation = me.organisation
        signatory = uow.directory.official(draft.signatory_id)
        result = approval_sheet(
            draft,
            organisation=organisation.name,
            document=f"{card.details.document_kind}: {card.details.summary}",
            draft_number=card.number,
            signatory_name=signatory.name.surname_initials,
            timezone=organisation.timezone,
            last_cycle_only=last_cycle_only,
            calendar=ctx.calendar,
        )
        audit_read(ctx, uow, me, now, "draft.sheet_read", card)
        return result


def _audit_listed(
    ctx: ApprovalContext,
    uow: ApprovalUnitOfWork,
    me: Actor,
    now: pendulum.DateTime,
    draft: Draft,
) -> None:
    """Audit a ДСП draft a listing returns (``draft.listed``; committed by the listing)."""
    audit_read(ctx, uow, me, now, "draft.listed", uow.cards.get(draft.id), commit=False)


def awaiting(ctx: ApprovalContext, actor: ActorRef) -> list[tuple[Draft, int, int]]:
    """Drafts waiting for the actor's visa or signature (or their deputy's); see
    :meth:`ApprovalService.awaiting`."""
    now = ctx.now()
    found = []
    with ctx.storage.unit_of_work() as uow:
        me = reader(ctx, uow, actor, now)
        day = ctx.today(now, me.organisation.timezone)
        subs = uow.substitutions.in_force(me.organisation_id, day)
        for draft in uow.drafts.list(me.organisation_id, _OPEN_STATES, scope=me.scope()):
            mine = False
            for s, a, assignment in machine.open_assignments(draft):
                acting, _ = acting_official(assignment.official_id, day, subs, Power.APPROVAL)
                if me.official_id in (assignment.official_id, acting):
                    found.append((draft, s, a))
                    mine = True
            cycle = draft.cycle
            if draft.state is DraftState.AWAITING_SIGNATURE and cycle is not None:
                seats = cycle.signatory_ids
                for seat in machine.open_signatories(cycle):
                    acting, _ = acting_official(seat, day, subs, Power.SIGNING)
                    if me.official_id in (seat, acting):
                        found.append((draft, len(cycle.stages), seats.index(seat)))
                        mine = True
            if mine:
                _audit_listed(ctx, uow, me, now, draft)
        uow.commit()
    return found


def overdue(
    ctx: ApprovalContext, actor: ActorRef, on: pendulum.Date | None = None
) -> list[OverdueTask]:
    """Visas of running stages, and signatures, past their term on the production calendar,
    of the drafts ``actor`` may see."""
    now = ctx.now()
    tasks: list[OverdueTask] = []
    with ctx.storage.unit_of_work() as uow:
        me = reader(ctx, uow, actor, now)
        zone = me.organisation.timezone
        today = on or ctx.today(now, zone)
        for draft in uow.drafts.list(me.organisation_id, _OPEN_STATES, scope=me.scope()):
            late = list(overdue_tasks(draft, today, ctx.calendar, zone))
            if draft.state is DraftState.AWAITING_SIGNATURE:
                name = uow.directory.official(draft.signatory_id).name.surname_initials
                late.extend(overdue_signatures(draft, today, ctx.calendar, zone, name))
            if late:
                _audit_listed(ctx, uow, me, now, draft)
            tasks.extend(late)
        uow.commit()
    return tasks
