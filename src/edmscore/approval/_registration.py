"""Registering a card inside a unit of work that is already open, the way RecordsService does.

The approval use cases register the draft's РКПД when the draft is created and the signed
document's card when it is registered, each in the same unit of work as the draft's own change,
so either both happen or neither, through :meth:`RecordsService.register_in`.
"""

from __future__ import annotations

import pendulum

from edmscore.directory import Organisation, User
from edmscore.records.ports import UnitOfWork
from edmscore.records.service import RecordsService, RegistrationRequest
from edmscore.registry import CardDetails, RegistrationCard

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
    request = RegistrationRequest(journal_id, details, manual_number=manual_number, card_id=card_id)
    if actor.organisation_id != organisation.id:
        from edmscore.errors import AccessDenied

        raise AccessDenied("a card can be registered only in the actor's own organisation")
    return records.register_in(uow, actor, request, now)
