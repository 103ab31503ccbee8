"""What the appeal use cases need: the storage, the clock, the policy, the calendar, the terms,
the topic classifier and the registration-card use cases they compose."""

from __future__ import annotations

import attrs

from edmscore.access import AccessPolicy
from edmscore.appeals._deadlines import AppealTerms
from edmscore.appeals._topics import TopicClassifier
from edmscore.appeals.ports import AppealsStorage
from edmscore.calendar import ProductionCalendar
from edmscore.clock import Clock
from edmscore.records.service import RecordsService

__all__ = ["AppealsContext"]


@attrs.frozen
class AppealsContext:
    """The dependencies of the appeal use cases (built by :class:`AppealsService`).

    ``records`` is the registration-card service the appeals compose: an appeal's card is
    registered through it, and it decides whether the actor may see a card.
    """

    storage: AppealsStorage
    clock: Clock
    policy: AccessPolicy
    calendar: ProductionCalendar
    terms: AppealTerms
    classifier: TopicClassifier | None
    records: RecordsService
