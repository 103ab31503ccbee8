"""The events' use cases for hosts: subscribe, read, acknowledge, and the periodic scan.

A host's delivery worker acts as a user with the ``events`` permission (the built-in
``integration`` role): it reads the events of its own organisation only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pendulum

from edmscore.access import AccessPolicy, ActorRef, Permission
from edmscore.calendar import ProductionCalendar
from edmscore.clock import Clock
from edmscore.errors import ValidationError
from edmscore.events._model import Event, EventType, Subscription
from edmscore.events._recipients import DeputyLookup
from edmscore.events._scheduler import ScanReport, ScanSettings, scan_organisation
from edmscore.events.memory import check_limit
from edmscore.records._base import ServiceBase
from edmscore.records._steps import today

__all__ = ["SETTLE_SECONDS", "EventsService"]

#: How long a unit of work may take from its first audit entry to its commit: a subscription's
#: bookkeeping never passes events younger than this (their transaction may be open still).
SETTLE_SECONDS = 600


class EventsService(ServiceBase):
    """Subscriptions, reading and acknowledging events, and the scheduler's scan.

    ``storage`` is the installation's (its units of work hold the outbox); ``deputies`` finds
    who acts for an official (see :mod:`edmscore.events._recipients`).
    """

    def __init__(
        self,
        storage: Any,
        calendar: ProductionCalendar,
        clock: Clock | None = None,
        *,
        deputies: DeputyLookup | None = None,
        policy: AccessPolicy | None = None,
    ) -> None:
        super().__init__(storage, clock, policy=policy)
        self.calendar = calendar
        self.deputies = deputies

    def subscribe(
        self,
        actor: ActorRef,
        name: str,
        *,
        types: Iterable[EventType | str] | None = None,
        recipients: Iterable[str] | None = None,
    ) -> Subscription:
        """Add or change the subscription ``name`` of the actor's organisation: the event
        ``types`` and ``recipients`` (official ids) it reads, None for all."""
        uow: Any
        with self.storage.unit_of_work() as uow:
            me = self._actor(uow, actor)
            me.require(Permission.EVENTS)
            subscription = Subscription(
                name,
                me.organisation_id,
                None if types is None else frozenset(types),
                None if recipients is None else frozenset(recipients),
            )
            uow.outbox.subscribe(subscription)
            uow.commit()
            return subscription

    def _own(self, uow: Any, actor: ActorRef, name: str) -> None:
        me = self._actor(uow, actor)
        me.require(Permission.EVENTS)
        subscription: Subscription = uow.outbox.subscription(name)
        me.require_own(subscription.organisation_id, "subscription")

    def read(self, actor: ActorRef, name: str, limit: int = 100) -> Sequence[Event]:
        """Up to ``limit`` (1..1000) events of the subscription not yet acknowledged, oldest
        first. The same events come again until acknowledged: deliver each, record its
        :attr:`~Event.id`, then :meth:`acknowledge`."""
        check_limit(limit)
        now = self._now()
        uow: Any
        with self.storage.unit_of_work() as uow:
            self._own(uow, actor, name)
            settled = now.subtract(seconds=SETTLE_SECONDS)
            found: Sequence[Event] = uow.outbox.read(name, limit, settled_before=settled)
            uow.commit()
            return found

    def acknowledge(self, actor: ActorRef, name: str, event_ids: Iterable[str]) -> int:
        """Mark events as delivered to the subscription (idempotent); the count newly marked."""
        ids = [event_ids] if isinstance(event_ids, str) else list(event_ids)
        if not all(isinstance(i, str) for i in ids):
            raise ValidationError("event_ids", "must be event ids")
        uow: Any
        with self.storage.unit_of_work() as uow:
            self._own(uow, actor, name)
            done: int = uow.outbox.acknowledge(name, ids)
            uow.commit()
            return done

    def scan(
        self,
        actor: ActorRef,
        settings: ScanSettings | None = None,
        *,
        now: pendulum.DateTime | None = None,
    ) -> ScanReport:
        """Store the time-driven events of the actor's organisation as of now: deadlines near
        and passed, MEDO receipts overdue, appeal terms near (each event once, ever)."""
        settings = settings if settings is not None else ScanSettings()
        moment = now if now is not None else self._now()
        uow: Any
        with self.storage.unit_of_work() as uow:
            me = self._actor(uow, actor, moment)
            me.require(Permission.EVENTS)
            organisation = uow.directory.organisation(me.organisation_id)
            day = today(moment, organisation.timezone)
            report = scan_organisation(
                uow, organisation, day, moment, self.calendar, settings, self.deputies
            )
            uow.commit()
            return report
