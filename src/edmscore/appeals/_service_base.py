"""What the appeal use cases share: storage, calendar, terms, reading, the audited change."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pendulum

from edmscore.access import AccessPolicy
from edmscore.appeals._deadlines import AppealTerms
from edmscore.appeals._model import Appeal
from edmscore.appeals._topics import TopicClassifier
from edmscore.appeals.ports import AppealsStorage, AppealsUnitOfWork
from edmscore.calendar import ProductionCalendar
from edmscore.clock import Clock
from edmscore.directory import User
from edmscore.errors import ConflictError
from edmscore.records.service import RecordsService
from edmscore.registry.codec import to_primitive

__all__ = ["AppealsBase"]


def _primitive(appeal: Appeal) -> dict[str, Any]:
    data: dict[str, Any] = to_primitive(appeal)
    data.pop("version", None)
    return data


class AppealsBase(RecordsService):
    """Storage, calendar, terms and classifier of the appeal use cases; the reading ones.

    ``calendar`` is the production calendar deadlines are counted on; ``terms`` the deadline
    policies (59-FZ / 210-FZ presets by default); ``classifier`` when given checks every topic.
    """

    def __init__(
        self,
        storage: AppealsStorage,
        calendar: ProductionCalendar,
        clock: Clock | None = None,
        *,
        terms: AppealTerms | None = None,
        classifier: TopicClassifier | None = None,
        policy: AccessPolicy | None = None,
    ) -> None:
        super().__init__(storage, clock, policy=policy)
        self.appeals_storage = storage
        self.calendar = calendar
        self.terms = terms if terms is not None else AppealTerms.default()
        self.classifier = classifier

    # --- reading -------------------------------------------------------------------------------

    def appeal(self, actor: User, appeal_id: str) -> Appeal:
        """The appeal, if ``actor`` may see its card."""
        with self.appeals_storage.unit_of_work() as uow:
            appeal = uow.appeals.get(appeal_id)
            self._visible(uow, actor, appeal.card_id)
            return appeal

    def appeal_of_card(self, actor: User, card_id: str) -> Appeal:
        """The appeal registered under ``card_id``."""
        with self.appeals_storage.unit_of_work() as uow:
            self._visible(uow, actor, card_id)
            return uow.appeals.by_card(card_id)

    def changed_between(
        self, actor: User, start: pendulum.Date, end: pendulum.Date
    ) -> Sequence[Appeal]:
        """The actor's organisation's appeals whose status changed in ``[start, end]``."""
        return self._listing(
            actor, lambda uow: uow.appeals.changed_between(actor.organisation_id, start, end)
        )

    def registered_between(
        self, actor: User, start: pendulum.Date, end: pendulum.Date
    ) -> Sequence[Appeal]:
        """The actor's organisation's appeals registered in ``[start, end]``."""
        return self._listing(
            actor, lambda uow: uow.appeals.registered_between(actor.organisation_id, start, end)
        )

    def _listing(
        self, actor: User, fetch: Callable[[AppealsUnitOfWork], Sequence[Appeal]]
    ) -> Sequence[Appeal]:
        self._require_active(actor)
        from edmscore.access import may_see

        with self.appeals_storage.unit_of_work() as uow:
            return [a for a in fetch(uow) if may_see(actor, uow.cards.get(a.card_id))]

    # --- internals -----------------------------------------------------------------------------

    def _change(
        self,
        actor: User,
        appeal_id: str,
        expected_version: int,
        action: str,
        change: Callable[[AppealsUnitOfWork, Appeal, pendulum.Date], Appeal],
    ) -> Appeal:
        now = self._now()
        with self.appeals_storage.unit_of_work() as uow:
            appeal = uow.appeals.get(appeal_id)
            self._modifiable(uow, actor, appeal.card_id)
            if appeal.version != expected_version:
                raise ConflictError("appeal", appeal_id, expected_version, appeal.version)
            organisation = uow.directory.organisation(appeal.organisation_id)
            today = self._today(now, organisation.timezone)
            changed = change(uow, appeal, today)
            stored = uow.appeals.update(changed, expected_version)
            self._audit(
                uow, actor, now, action, "appeal", appeal.id, _primitive(appeal), _primitive(stored)
            )
            uow.commit()
            return stored
