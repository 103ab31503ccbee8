"""What every approval use case is handed: storage, calendar, verifier, records, helpers.

:class:`~edmscore.approval.ApprovalService` builds one :class:`ApprovalContext` and passes it to
the use-case functions of the topic modules (``_drafting``, ``_routing``, ``_visas``,
``_signing``, ``_registration``, ``_queries``); the helpers are the service's own (actor
resolution, the clock, the audit trail), so those rules stay in one place,
:class:`~edmscore.records._base.ServiceBase`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

import attrs
import pendulum

from edmscore.access import Actor, ActorRef
from edmscore.approval._verifier import SignatureVerifier
from edmscore.approval.ports import ApprovalStorage
from edmscore.calendar import ProductionCalendar
from edmscore.directory import User
from edmscore.records.ports import UnitOfWork
from edmscore.records.service import RecordsService

__all__ = ["ApprovalContext", "AuditTrail", "ResolveActor"]


class ResolveActor(Protocol):
    """Load the acting user from the directory inside a unit of work."""

    def __call__(self, uow: UnitOfWork, who: ActorRef, now: pendulum.DateTime) -> Actor:
        """The :class:`~edmscore.access.Actor` (UnknownActor / ActorBlocked otherwise)."""
        ...


class AuditTrail(Protocol):
    """Append an audit event (recording the person a deputy replaces)."""

    def __call__(
        self,
        uow: UnitOfWork,
        actor: User | Actor,
        at: pendulum.DateTime,
        action: str,
        entity_type: str,
        entity_id: str,
        before: Mapping[str, object],
        after: Mapping[str, object],
        note: str = "",
    ) -> None:
        """Append the event to ``uow``'s audit log (not committed here)."""
        ...


@attrs.define
class ApprovalContext:
    """The dependencies of the approval use cases.

    Mutable on purpose: a host (or a test) may replace the service's ``verifier`` or
    ``calendar`` after building it, and the service writes them through to its context.
    """

    storage: ApprovalStorage
    calendar: ProductionCalendar
    verifier: SignatureVerifier
    records: RecordsService
    now: Callable[[], pendulum.DateTime]
    actor: ResolveActor
    today: Callable[[pendulum.DateTime, str], pendulum.Date]
    audit: AuditTrail
