"""What every use case shares: the storage, the clock, the actor's checks and the audit trail."""

from __future__ import annotations

from collections.abc import Mapping

import pendulum

from edmscore.access import AccessPolicy, Actor, ActorRef, resolve_actor, substitutions_of
from edmscore.clock import Clock, SystemClock
from edmscore.directory import Power, User
from edmscore.records import _steps as steps
from edmscore.records.ports import Storage, UnitOfWork


class ServiceBase:
    """Holds the storage, clock and access policy; resolves actors; appends audit events.

    ``policy`` defaults to :meth:`AccessPolicy.legacy_permissive` for services built by hand
    (the migration default); the entry point :class:`edmscore.Edms` passes the installation's.
    A deputy acting under a substitution needs it to hand over the service's ``_power``.
    """

    #: The power a substitution must hand over for a deputy to act here.
    _power: Power | None = Power.REGISTRATION

    def __init__(
        self, storage: Storage, clock: Clock | None = None, *, policy: AccessPolicy | None = None
    ) -> None:
        self.storage = storage
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.policy: AccessPolicy = (
            policy if policy is not None else AccessPolicy.legacy_permissive()
        )

    def _actor(self, uow: UnitOfWork, who: ActorRef, now: pendulum.DateTime | None = None) -> Actor:
        """The acting user, loaded from the directory inside ``uow`` (:mod:`edmscore.access`)."""
        moment = now if now is not None else self._now()
        return resolve_actor(
            uow.directory, who, self.policy, moment.date(),
            substitutions=substitutions_of(uow), power=self._power,
        )  # fmt: skip

    def _now(self) -> pendulum.DateTime:
        return self.clock.now()

    def _today(self, now: pendulum.DateTime, timezone: str) -> pendulum.Date:
        """The date of ``now`` in an organisation's time zone."""
        return steps.today(now, timezone)

    @staticmethod
    def _audit(
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
        steps.audit(uow, actor, at, action, entity_type, entity_id, before, after, note)
