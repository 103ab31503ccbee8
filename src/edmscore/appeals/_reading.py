"""Reading appeals: one appeal, the appeal of a card, the period's listings.

Each needs the ``read`` permission somewhere; an appeal is as visible as its card (a hidden one
is :class:`~edmscore.errors.NotFound`, like a missing one), listings are filtered by the reader's
access scope inside the storage, and reading the appeal of a ДСП card is audited.
"""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from edmscore.access import ActorRef
from edmscore.appeals import _steps as steps
from edmscore.appeals._context import AppealsContext
from edmscore.appeals._model import Appeal

__all__ = ["appeal", "appeal_of_card", "changed_between", "registered_between"]


def appeal(ctx: AppealsContext, actor: ActorRef, appeal_id: str) -> Appeal:
    """The appeal, if ``actor`` may see its card; NotFound alike for a missing and a hidden one."""
    now = ctx.clock.now()
    with ctx.storage.unit_of_work() as uow:
        me = steps.reader(ctx, uow, actor, now)
        found, card = steps.visible_appeal(ctx, uow, me, appeal_id, now)
        steps.audit_read(uow, me, now, "appeal.read", card, found)
        uow.commit()
        return found


def appeal_of_card(ctx: AppealsContext, actor: ActorRef, card_id: str) -> Appeal:
    """The appeal registered under ``card_id``, if ``actor`` may see the card."""
    now = ctx.clock.now()
    with ctx.storage.unit_of_work() as uow:
        me = steps.reader(ctx, uow, actor, now)
        card = steps.visible_card(ctx, uow, me, card_id, now)
        found = uow.appeals.by_card(card_id)
        steps.audit_read(uow, me, now, "appeal.read", card, found)
        uow.commit()
        return found


def changed_between(
    ctx: AppealsContext, actor: ActorRef, start: pendulum.Date, end: pendulum.Date
) -> Sequence[Appeal]:
    """The actor's organisation's appeals, visible to them, whose status changed in the period."""
    return steps.listed(
        ctx,
        actor,
        lambda uow, me: uow.appeals.changed_between(me.organisation_id, start, end, me.scope()),
    )


def registered_between(
    ctx: AppealsContext, actor: ActorRef, start: pendulum.Date, end: pendulum.Date
) -> Sequence[Appeal]:
    """The actor's organisation's appeals, visible to them, registered in the period."""
    return steps.listed(
        ctx,
        actor,
        lambda uow, me: uow.appeals.registered_between(me.organisation_id, start, end, me.scope()),
    )
