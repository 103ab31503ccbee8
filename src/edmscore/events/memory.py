"""The outbox in the in-memory adapter, inside its undo-logged units of work.

Events are a list in storage order (its index + 1 is the sequence number) in ``MemoryStorage``'s
``extensions`` slot under ``edmscore.outbox``; every write is undone with the rest of the unit of
work on rollback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pendulum

from edmscore.errors import NotFound, ValidationError
from edmscore.events._model import Event, Subscription
from edmscore.events.ports import DueRow, overdue_key
from edmscore.records.memory import _Journaled

if TYPE_CHECKING:
    from edmscore.records.memory import MemoryRecordsUnitOfWork

__all__ = ["MemoryOutbox"]

_KEY = "edmscore.outbox"


class _Tables:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.by_id: dict[str, int] = {}
        self.by_key: dict[str, str] = {}
        self.subscriptions: dict[str, Subscription] = {}
        #: Every event at or below a subscription's floor is acknowledged or not matched.
        self.floors: dict[str, int] = {}
        self.acks: dict[tuple[str, int], bool] = {}


def check_limit(limit: object) -> int:
    """``limit`` if it is 1..1000, else ValidationError."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 1000:
        raise ValidationError("limit", f"must be 1..1000, got {limit!r}")
    return limit


def check_scan_limit(limit: object) -> int:
    """``limit`` if it is 1..10000, else ValidationError."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 10_000:
        raise ValidationError("limit", f"must be 1..10000, got {limit!r}")
    return limit


class MemoryOutbox(_Journaled):
    """The in-memory :class:`~edmscore.events.ports.OutboxRepository`."""

    def __init__(self, uow: MemoryRecordsUnitOfWork) -> None:
        super().__init__(uow)
        self._t = self._extension(_KEY, _Tables)

    def append(self, events: Sequence[Event]) -> int:
        """Store the events, skipping known dedupe keys and ids; the count stored."""
        stored = 0
        for event in events:
            if not isinstance(event, Event):
                raise ValidationError("events", "must be Events")
            if event.id in self._t.by_id:
                continue
            if event.dedupe_key is not None:
                if event.dedupe_key in self._t.by_key:
                    continue
                self._set(self._t.by_key, event.dedupe_key, event.id)
            self._uow._check_open()
            log = self._t.events
            log.append(event)
            self._uow._undo.append(log.pop)
            self._set(self._t.by_id, event.id, len(log))
            stored += 1
        return stored

    def known_keys(self, dedupe_keys: Iterable[str]) -> set[str]:
        """Which of the dedupe keys are stored."""
        return {key for key in dedupe_keys if key in self._t.by_key}

    def subscribe(self, subscription: Subscription) -> None:
        """Add or replace a subscription; a changed filter reads again from the start."""
        if not isinstance(subscription, Subscription):
            raise ValidationError("subscription", "must be a Subscription")
        if self._t.subscriptions.get(subscription.name) != subscription:
            self._set(self._t.subscriptions, subscription.name, subscription)
            self._set(self._t.floors, subscription.name, 0)

    def subscription(self, name: str) -> Subscription:
        """The subscription, or NotFound."""
        found = self._t.subscriptions.get(name)
        if found is None:
            raise NotFound("subscription", name)
        return found

    def read(self, name: str, limit: int, *, settled_before: pendulum.DateTime) -> Sequence[Event]:
        """Up to ``limit`` unacknowledged matching events, oldest first."""
        check_limit(limit)
        subscription = self.subscription(name)
        floor = self._t.floors.get(name, 0)
        found: list[Event] = []
        new_floor = floor
        moving = True
        for seq in range(floor + 1, len(self._t.events) + 1):
            event = self._t.events[seq - 1]
            skip = (name, seq) in self._t.acks or not subscription.matches(event)
            if skip and moving and event.at < settled_before:
                new_floor = seq
                continue
            moving = False
            if skip:
                continue
            found.append(event)
            if len(found) == limit:
                break
        if new_floor != floor:
            self._set(self._t.floors, name, new_floor)
        return found

    def acknowledge(self, name: str, event_ids: Iterable[str]) -> int:
        """Mark events as delivered to the subscription; the count newly acknowledged."""
        self.subscription(name)
        done = 0
        for event_id in event_ids:
            seq = self._t.by_id.get(event_id)
            if seq is None or (name, seq) in self._t.acks:
                continue
            self._set(self._t.acks, (name, seq), True)
            done += 1
        return done

    def substitutions_of(self, official_id: str) -> Sequence[Any]:
        """The official's substitutions (what the default deputy look-up reads)."""
        from edmscore.approval.memory import MemorySubstitutions

        return MemorySubstitutions(self._uow).of_official(official_id)

    def due_assignments(
        self,
        organisation_id: str,
        due_to: pendulum.Date,
        *,
        after: tuple[pendulum.Date, str] | None,
        limit: int,
        unreported_before: pendulum.Date | None = None,
    ) -> Sequence[DueRow]:
        """Open assignments due by ``due_to``, in (due, id) order after ``after``."""
        from edmscore.control import AssignmentState
        from edmscore.control.memory import MemoryAssignments

        check_scan_limit(limit)
        repo = MemoryAssignments(self._uow)
        found: list[tuple[pendulum.Date, str, Any]] = []
        for a in repo._t.values():
            due = a.due
            if due is None or a.organisation_id != organisation_id or due > due_to:
                continue
            if a.state is not AssignmentState.OPEN or (after is not None and (due, a.id) <= after):
                continue
            if (
                unreported_before is not None
                and due < unreported_before
                and overdue_key(a.id, due) in self._t.by_key
            ):
                continue
            found.append((due, a.id, a))
        found.sort(key=lambda item: (item[0], item[1]))
        rows = []
        for due, _, a in found[:limit]:
            card = self._s.cards.get(a.card_id)
            rows.append(
                DueRow(
                    a.id,
                    a.card_id,
                    due,
                    a.executor_id,
                    a.controller_id,
                    overdue_key(a.id, due) in self._t.by_key,
                    None if card is None else card.registration.number,
                    card is None or card.details.access.value == "dsp",
                )
            )
        return rows
