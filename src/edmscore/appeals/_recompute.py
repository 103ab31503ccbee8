"""Recounting provisional deadlines once the decree of their year is loaded.

An appeal registered while the next year had no decree got deadlines counted on the Labour
Code's rules alone, marked provisional (``Appeal.provisional_dues``). Built with a calendar that
now carries the decree, :func:`recompute_provisional` counts them again from the same dates and
reports each one, moved or not; the change is audited. A term already extended keeps its last
day unless the decree made that day a day off (a granted term is never shortened).
"""

from __future__ import annotations

import attrs
import pendulum

from edmscore.access import ActorRef, Permission
from edmscore.appeals import _steps as steps
from edmscore.appeals._context import AppealsContext
from edmscore.appeals._model import DUE_FIELDS, Appeal, MaterialsRequest
from edmscore.appeals._registering import provisional_note, registration_dues
from edmscore.calendar import Deadline, DeadlineMove
from edmscore.errors import ValidationError

__all__ = ["recompute_provisional"]


def recompute_provisional(
    ctx: AppealsContext, actor: ActorRef, start: pendulum.Date, end: pendulum.Date
) -> tuple[DeadlineMove, ...]:
    """Recount the provisional deadlines of the appeals registered in ``[start, end]``.

    Needs ``handle_appeals`` for each such appeal's department; appeals the actor may not see
    are left alone. Returns every recounted deadline, the moved ones and those that stayed.
    """
    if end < start:
        raise ValidationError("end", "the period ends before it starts")
    now = ctx.clock.now()
    moves: list[DeadlineMove] = []
    with ctx.storage.unit_of_work() as uow:
        me = steps.acting(ctx, uow, actor, now)
        found = uow.appeals.registered_between(me.organisation_id, start, end, me.scope())
        for appeal in found:
            if not appeal.provisional_dues and not _provisional_materials(appeal):
                continue
            card = uow.cards.get(appeal.card_id)
            me.require(Permission.HANDLE_APPEALS, card.details.department_id)
            changed, recounted = _recounted(ctx, appeal)
            stored = uow.appeals.update(changed, appeal.version)
            steps.audit(
                uow,
                me,
                now,
                "appeal.deadlines_recomputed",
                "appeal",
                appeal.id,
                steps.primitive(appeal),
                steps.primitive(stored),
                "; ".join(move.describe() for move in recounted) + _still_provisional(stored),
            )
            moves.extend(recounted)
        uow.commit()
    return tuple(moves)


def _still_provisional(stored: Appeal) -> str:
    """The audit note's tail naming the deadlines that stay provisional, or ''."""
    fields = list(stored.provisional_dues)
    fields.extend(
        f"materials[{number}].due"
        for number, request in enumerate(stored.materials, start=1)
        if request.due_provisional
    )
    return f"; {provisional_note(fields)}" if fields else ""


def _recounted(ctx: AppealsContext, appeal: Appeal) -> tuple[Appeal, list[DeadlineMove]]:
    dues = registration_dues(ctx, appeal.kind, appeal.received_on, appeal.registered_on, appeal)
    if appeal.extension is not None:
        extended = appeal.extension.new_due
        rolled = ctx.terms.review.day_off_rule.apply(extended, ctx.calendar)
        late = max(extended, rolled)
        dues["review_due"] = Deadline(
            late, ctx.calendar.is_provisional_between(appeal.registered_on, late)
        )
    changes: dict[str, pendulum.Date] = {}
    moves: list[DeadlineMove] = []
    still: list[str] = []
    for name in DUE_FIELDS:
        if name not in appeal.provisional_dues or name not in dues:
            continue
        old = getattr(appeal, name)
        new = dues[name]
        moves.append(
            DeadlineMove("appeal", appeal.id, appeal.number, name, old, new.date, new.provisional)
        )
        changes[name] = new.date
        if new.provisional:
            still.append(name)
    changed = attrs.evolve(
        appeal,
        registration_due=changes.get("registration_due", appeal.registration_due),
        review_due=changes.get("review_due", appeal.review_due),
        redirect_due=changes.get("redirect_due", appeal.redirect_due),
        migration_forward_due=changes.get("migration_forward_due", appeal.migration_forward_due),
        extension=(
            attrs.evolve(appeal.extension, new_due=changes["review_due"])
            if appeal.extension is not None and "review_due" in changes
            else appeal.extension
        ),
        provisional_dues=tuple(still),
    )
    materials, recounted = _recounted_materials(ctx, appeal)
    return attrs.evolve(changed, materials=materials), moves + recounted


def _provisional_materials(appeal: Appeal) -> bool:
    return any(request.due_provisional for request in appeal.materials)


def _recounted_materials(
    ctx: AppealsContext, appeal: Appeal
) -> tuple[tuple[MaterialsRequest, ...], list[DeadlineMove]]:
    """The materials requests with their provisional answer terms counted again from the day
    each was sent (``materials[N].due`` in the moves, N from 1)."""
    requests: list[MaterialsRequest] = []
    moves: list[DeadlineMove] = []
    for number, request in enumerate(appeal.materials, start=1):
        if not request.due_provisional:
            requests.append(request)
            continue
        new = ctx.terms.materials.deadline(request.sent_on, ctx.calendar)
        field = f"materials[{number}].due"
        moves.append(
            DeadlineMove(
                "appeal", appeal.id, appeal.number, field, request.due, new.date, new.provisional
            )
        )
        requests.append(attrs.evolve(request, due=new.date, due_provisional=new.provisional))
    return tuple(requests), moves
