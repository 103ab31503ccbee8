"""What the exchange use cases work with: storage, clock, policy, the records service, checks.

:class:`ExchangeContext` is built by :class:`~edmscore.exchange.service.ExchangeService` for each
call (so a verifier set on the service later is the one used); the use-case modules
(:mod:`._receiving`, :mod:`._sending`, :mod:`._answers`, :mod:`._tracking`) take it as their
first argument.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pendulum

from edmscore.access import AccessPolicy, Actor, ActorRef, resolve_actor
from edmscore.calendar import ProductionCalendar
from edmscore.clock import Clock
from edmscore.exchange.medo import DetachedVerifier
from edmscore.records.ports import Storage, UnitOfWork
from edmscore.records.service import RecordsService

__all__ = ["ExchangeContext"]


@attrs.frozen
class ExchangeContext:
    """The dependencies of the exchange use cases.

    ``records`` is the composed :class:`~edmscore.records.service.RecordsService` that registers
    received letters (under the same ``policy``); ``calendar`` gives the production calendar
    the overdue listing counts working days on (loaded only when asked for).
    """

    storage: Storage
    clock: Clock
    policy: AccessPolicy
    records: RecordsService
    calendar: Callable[[], ProductionCalendar]
    verifier: DetachedVerifier | None = None

    def now(self) -> pendulum.DateTime:
        """The current moment of the clock."""
        return self.clock.now()

    def actor(self, uow: UnitOfWork, who: ActorRef, now: pendulum.DateTime) -> Actor:
        """The acting user, loaded from the directory inside ``uow`` under the policy."""
        return resolve_actor(uow.directory, who, self.policy, now.date())
