"""Delivery control listings: a card's records, what waits too long, what was not accepted.

Each needs ``read``. A card's records are shown to whoever may see the card; the listings of the
actor's organisation go through the actor's :class:`~edmscore.access.AccessScope`, applied by
the repository (in SQL through the card row), so records of cards the actor may not see (ДСП
without clearance, a department outside a limited ``read``) never come back.
"""

from __future__ import annotations

from edmscore.access import ActorRef, Permission
from edmscore.exchange._context import ExchangeContext
from edmscore.exchange._delivery import Stuck, repository, stuck
from edmscore.exchange.dispatch import Dispatch, DispatchState
from edmscore.records._steps import audit_read, today, visible_card

__all__ = ["dispatches", "failed", "overdue"]


def dispatches(ctx: ExchangeContext, actor: ActorRef, card_id: str) -> tuple[Dispatch, ...]:
    """The delivery records of a card the actor may see (NotFound otherwise)."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        me.require_somewhere(Permission.READ)
        card = visible_card(uow, me, card_id, now)
        records = repository(uow)
        return () if records is None else tuple(records.of_card(card.id))


def overdue(
    ctx: ExchangeContext,
    actor: ActorRef,
    delivery_days: int,
    registration_days: int,
    limit: int,
) -> tuple[Stuck, ...]:
    """The actor's organisation's letters waiting too long, within the actor's scope.

    A ДСП card listed is audited (``card.listed``).
    """
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        me.require_somewhere(Permission.READ)
        records = repository(uow)
        if records is None:
            return ()
        organisation = me.organisation
        found: list[Stuck] = []
        for record, due, late in stuck(
            records,
            organisation,
            ctx.calendar(),
            today(now, organisation.timezone),
            delivery_days=delivery_days,
            registration_days=registration_days,
            limit=limit,
            scope=me.scope(),
        ):
            card = uow.cards.get(record.card_id)
            audit_read(uow, me, now, "card.listed", card)
            found.append(Stuck(record, card, due, late))
        uow.commit()
        return tuple(found)


def failed(ctx: ExchangeContext, actor: ActorRef, limit: int) -> tuple[Dispatch, ...]:
    """The actor's organisation's letters not accepted by a recipient, within the actor's scope."""
    now = ctx.now()
    with ctx.storage.unit_of_work() as uow:
        me = ctx.actor(uow, actor, now)
        me.require_somewhere(Permission.READ)
        records = repository(uow)
        if records is None:
            return ()
        return tuple(
            records.in_state(
                me.organisation_id, DispatchState.FAILED, now, limit=limit, scope=me.scope()
            )
        )
