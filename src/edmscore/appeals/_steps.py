"""Steps the appeal use cases share: who acts, the appeal they may see or change, the audit.

An appeal is as visible as its card: :func:`visible_appeal` answers :class:`NotFound` alike for a
missing appeal and for one whose card the actor may not see (the composed
:class:`~edmscore.records.RecordsService` decides, and audits the refusal's real reason).
Changing an appeal needs it to belong to the actor's organisation, its card not deleted, and the
use case's permission for the card's department (:func:`changeable_appeal`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pendulum

from edmscore.access import Actor, ActorRef, Permission, resolve_actor, substitutions_of
from edmscore.appeals._context import AppealsContext
from edmscore.appeals._model import Appeal
from edmscore.appeals.ports import AppealsUnitOfWork
from edmscore.directory import Power
from edmscore.errors import ConflictError, NotFound, StateError
from edmscore.records import _steps as records_steps
from edmscore.registry import AccessMark, CardStatus, RegistrationCard
from edmscore.registry.codec import to_primitive

__all__ = [
    "Change",
    "acting",
    "audit",
    "audit_read",
    "change_appeal",
    "changeable_appeal",
    "listed",
    "primitive",
    "reader",
    "today",
    "visible_appeal",
    "visible_card",
]

#: A change of an appeal inside its unit of work: (uow, actor, appeal, today) → the changed appeal.
Change = Callable[[AppealsUnitOfWork, Actor, Appeal, pendulum.Date], Appeal]


def primitive(appeal: Appeal) -> dict[str, Any]:
    """The appeal's fields as the audit records them (without the version)."""
    data: dict[str, Any] = to_primitive(appeal)
    data.pop("version", None)
    return data


def acting(
    ctx: AppealsContext, uow: AppealsUnitOfWork, who: ActorRef, now: pendulum.DateTime
) -> Actor:
    """The acting user, loaded from the directory inside ``uow`` (:mod:`edmscore.access`)."""
    return resolve_actor(
        uow.directory, who, ctx.policy, now.date(),
        substitutions=substitutions_of(uow), power=Power.APPEALS,
    )  # fmt: skip


def reader(
    ctx: AppealsContext, uow: AppealsUnitOfWork, who: ActorRef, now: pendulum.DateTime
) -> Actor:
    """The acting user, who must hold ``read`` somewhere (the scope narrows what they see)."""
    me = acting(ctx, uow, who, now)
    me.require_somewhere(Permission.READ)
    return me


#: The date of ``now`` in the organisation's time zone.
today = records_steps.organisation_today


def audit(
    uow: AppealsUnitOfWork,
    me: Actor,
    now: pendulum.DateTime,
    action: str,
    entity_type: str,
    entity_id: str,
    before: Mapping[str, object],
    after: Mapping[str, object],
    note: str = "",
) -> None:
    """Append an audit event (naming the person replaced, for a deputy)."""
    records_steps.audit(uow, me, now, action, entity_type, entity_id, before, after, note)


def audit_read(
    uow: AppealsUnitOfWork,
    me: Actor,
    now: pendulum.DateTime,
    action: str,
    card: RegistrationCard,
    appeal: Appeal,
) -> None:
    """Audit a read of the appeal of a ДСП card (on the card, as card reads are); not committed."""
    if card.details.access is AccessMark.DSP:
        audit(uow, me, now, action, "card", card.id, {}, {}, f"appeal {appeal.id}")


def visible_card(
    ctx: AppealsContext, uow: AppealsUnitOfWork, me: Actor, card_id: str, now: pendulum.DateTime
) -> RegistrationCard:
    """The card if ``me`` may see it; otherwise :class:`NotFound`, as for a missing card."""
    return ctx.records._visible(uow, me, card_id, now)


def visible_appeal(
    ctx: AppealsContext, uow: AppealsUnitOfWork, me: Actor, appeal_id: str, now: pendulum.DateTime
) -> tuple[Appeal, RegistrationCard]:
    """The appeal and its card; :class:`NotFound` alike for a missing appeal and a hidden one."""
    appeal = uow.appeals.get(appeal_id)
    try:
        card = visible_card(ctx, uow, me, appeal.card_id, now)
    except NotFound:
        raise NotFound("appeal", appeal_id) from None
    return appeal, card


def changeable_appeal(
    ctx: AppealsContext,
    uow: AppealsUnitOfWork,
    me: Actor,
    appeal_id: str,
    now: pendulum.DateTime,
    permission: Permission,
) -> tuple[Appeal, RegistrationCard]:
    """The appeal and its card if ``me`` may change it with ``permission``.

    :class:`NotFound` for a missing or hidden appeal, :class:`PermissionDenied` for another
    organisation's appeal or without ``permission`` for the card's department,
    :class:`StateError` when the card is deleted.
    """
    appeal, card = visible_appeal(ctx, uow, me, appeal_id, now)
    me.require_own(appeal.organisation_id, "an appeal")
    me.require(permission, card.details.department_id)
    if card.status is CardStatus.DELETED:
        raise StateError(f"appeal {appeal.number}: its card is deleted; restore it first")
    return appeal, card


def change_appeal(
    ctx: AppealsContext,
    who: ActorRef,
    appeal_id: str,
    expected_version: int,
    action: str,
    permission: Permission,
    change: Change,
    note: Callable[[Appeal], str] | None = None,
) -> Appeal:
    """Apply ``change`` to the appeal in one unit of work, with the version check and the audit
    event (``action``, fields before and after, and ``note(stored)`` if given); ``permission`` is
    checked for the card."""
    now = ctx.clock.now()
    with ctx.storage.unit_of_work() as uow:
        me = acting(ctx, uow, who, now)
        appeal, _ = changeable_appeal(ctx, uow, me, appeal_id, now, permission)
        if appeal.version != expected_version:
            raise ConflictError("appeal", appeal_id, expected_version, appeal.version)
        changed = change(uow, me, appeal, today(uow, appeal.organisation_id, now))
        stored = uow.appeals.update(changed, expected_version)
        said = note(stored) if note is not None else ""
        audit(uow, me, now, action, "appeal", appeal.id, primitive(appeal), primitive(stored), said)
        uow.commit()
        return stored


def listed(
    ctx: AppealsContext,
    who: ActorRef,
    fetch: Callable[[AppealsUnitOfWork, Actor], Sequence[Appeal]],
) -> list[Appeal]:
    """The appeals ``fetch`` finds within the reader's scope; those of ДСП cards are audited."""
    now = ctx.clock.now()
    with ctx.storage.unit_of_work() as uow:
        me = reader(ctx, uow, who, now)
        found = list(fetch(uow, me))
        for appeal in found:
            audit_read(uow, me, now, "appeal.listed", uow.cards.get(appeal.card_id), appeal)
        uow.commit()
        return found
