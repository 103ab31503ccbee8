"""Domain events for hosts, written in the same transaction as the change (a transactional
outbox), read and acknowledged at least once, and the scheduler's time-driven events.

Every use case that changes state audits what it did; :class:`edmscore.Edms` turns those
entries into typed :class:`Event` values at the unit of work's commit and writes them to the
outbox port (:class:`~edmscore.events.ports.OutboxRepository`, ``uow.outbox`` of the memory
and SQL adapters) in the same transaction. A host subscribes (:class:`Subscription`: types and
recipients), reads, delivers each event once by its id, and acknowledges; it runs
:meth:`EventsService.scan` periodically for deadlines near and passed, MEDO receipts overdue and
appeal terms near. See ``docs/events.md``.
"""

from __future__ import annotations

from edmscore.events._mapping import EventMapper, is_read
from edmscore.events._model import Event, EventType, Subscription
from edmscore.events._recipients import DeputyLookup, substitution_deputies
from edmscore.events._recording import EventingStorage, EventingUnitOfWork
from edmscore.events._scheduler import ScanReport, ScanSettings
from edmscore.events.ports import (
    DueRow,
    OutboxRepository,
    OutboxStorage,
    OutboxUnitOfWork,
    overdue_key,
)
from edmscore.events.service import SETTLE_SECONDS, EventsService

__all__ = [
    "SETTLE_SECONDS",
    "DeputyLookup",
    "DueRow",
    "Event",
    "EventMapper",
    "EventType",
    "EventingStorage",
    "EventingUnitOfWork",
    "EventsService",
    "OutboxRepository",
    "OutboxStorage",
    "OutboxUnitOfWork",
    "ScanReport",
    "ScanSettings",
    "Subscription",
    "is_read",
    "overdue_key",
    "substitution_deputies",
]

from edmscore._guard import guard_public

guard_public(globals())  # arguments of the wrong type are a WrongType, named
