"""Steps every capability's use cases share, as functions: the audit event of an actor, a card
the actor may see (hidden answers as missing, the refusal audited), the audit of a ДСП read.

They live in the core so that records, control, approval, appeals and exchange record the same
events the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import pendulum

from edmscore.access import Actor
from edmscore.audit import AuditEvent, diff_fields
from edmscore.directory import User
from edmscore.errors import NotFound
from edmscore.records.ports import UnitOfWork
from edmscore.registry import AccessMark, RegistrationCard

__all__ = [
    "audit",
    "audit_read",
    "deny",
    "hidden_reason",
    "organisation_today",
    "today",
    "visible_card",
]


def audit(
    uow: UnitOfWork,
    actor: Actor | User,
    at: pendulum.DateTime,
    action: str,
    entity_type: str,
    entity_id: str,
    before: Mapping[str, object],
    after: Mapping[str, object],
    note: str = "",
) -> None:
    """Append an audit event naming the actor (and whom they replace, for a deputy)."""
    uow.audit.append(
        AuditEvent(
            at=at,
            actor_id=actor.id,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            changes=diff_fields(before, after),
            note=note,
            on_behalf_of=actor.on_behalf_of if isinstance(actor, Actor) else None,
        )
    )


def deny(
    uow: UnitOfWork,
    actor: Actor,
    now: pendulum.DateTime,
    entity_type: str,
    entity_id: str,
    reason: str,
) -> None:
    """Audit a refused access (``access.denied``) with its real reason, and commit it.

    Called before the use case changes anything, so the commit stores the refusal alone; the
    caller then answers as for a missing object.
    """
    audit(uow, actor, now, "access.denied", entity_type, entity_id, {}, {}, reason)
    uow.commit()


def hidden_reason(actor: Actor, card: RegistrationCard) -> str:
    """The audited reason a card is hidden from the actor."""
    return f"user {actor.login!r} may not see this card ({card.details.access.value})"


def visible_card(
    uow: UnitOfWork, actor: Actor, card_id: str, now: pendulum.DateTime
) -> RegistrationCard:
    """The card if the actor may see it; otherwise :class:`NotFound`, as for a missing card
    (the real reason audited as ``access.denied`` and committed first)."""
    try:
        card = uow.cards.get(card_id)
    except NotFound:
        raise NotFound("card", card_id) from None
    if not actor.may_see(card):
        deny(uow, actor, now, "card", card_id, hidden_reason(actor, card))
        raise NotFound("card", card_id)
    return card


def audit_read(
    uow: UnitOfWork,
    actor: Actor,
    now: pendulum.DateTime,
    action: str,
    card: RegistrationCard,
    note: str = "",
) -> None:
    """Audit a read of a ДСП card's data (``card.read``, ``card.listed``…); open cards' reads are
    not recorded. The caller commits."""
    if card.details.access is AccessMark.DSP:
        audit(uow, actor, now, action, "card", card.id, {}, {}, note)


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> pendulum.Timezone:
    zone = pendulum.timezone(name)
    assert isinstance(zone, pendulum.Timezone)
    return zone


def today(now: pendulum.DateTime, timezone: str) -> pendulum.Date:
    """The date of ``now`` in an organisation's time zone."""
    return now.in_timezone(_zone(timezone)).date()


def organisation_today(
    uow: UnitOfWork, organisation_id: str, now: pendulum.DateTime
) -> pendulum.Date:
    """The date of ``now`` in the time zone of the organisation ``organisation_id``."""
    return today(now, uow.directory.organisation(organisation_id).timezone)
