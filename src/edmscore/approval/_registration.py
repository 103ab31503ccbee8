"""Registering a card inside a unit of work that is already open, the way RecordsService does.

The approval use cases register the draft's РКПД when the draft is created and the signed
document's card when it is registered, each in the same unit of work as the draft's own change,
so either both happen or neither. The checks, the journal rules, the gapless number allocation
and the audit event are RecordsService's own (its internals are called, not copied).
"""

from __future__ import annotations

import pendulum

from edmscore._ids import new_id
from edmscore.directory import Organisation, User
from edmscore.registry import CardDetails, RegistrationCard
from edmscore.services.records import RecordsService, _details_primitive
from edmscore.storage.ports import UnitOfWork

__all__ = ["register_card"]


def register_card(
    uow: UnitOfWork,
    records: RecordsService,
    actor: User,
    organisation: Organisation,
    journal_id: str,
    details: CardDetails,
    now: pendulum.DateTime,
    *,
    manual_number: str | None = None,
    card_id: str | None = None,
) -> RegistrationCard:
    """Register ``details`` in the journal today, in ``uow`` (not committed here)."""
    journal = uow.journals.get(journal_id)
    day = records._today(now, organisation.timezone)
    details = records._checked_details(uow, actor, organisation, details, day.year)
    records._check_journal(actor, journal, details)
    registration = records._allocate(uow, organisation, journal, details, day, manual_number)
    card = RegistrationCard(
        id=card_id or new_id(),
        organisation_id=organisation.id,
        registration=registration,
        details=details,
        registered_at=now,
        registered_by=actor.id,
    )
    uow.cards.add(card)
    records._audit(
        uow, actor, now, "card.registered", "card", card.id, {}, _details_primitive(card)
    )
    return card
