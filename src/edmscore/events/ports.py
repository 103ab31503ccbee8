"""What the events need from storage: an outbox in the unit of work, beside every repository.

Rules every adapter keeps (the contract suite :mod:`edmscore.testing.outbox_contract` checks
them):

- ``append`` stores events in the unit of work: a rollback undoes them with the change they
  report, a commit makes both durable together (the transactional outbox). An event whose
  ``dedupe_key`` is already stored is skipped — one event per key, ever — and so is an event
  whose id is stored.
- ``read`` returns the subscription's unacknowledged events in the order they were stored, each
  at most once per call; an event stays readable until the subscription acknowledges its id, so
  a consumer that stops between reading and acknowledging reads it again (at least once) with the
  same id (its idempotency key).
- ``acknowledge`` is idempotent: acknowledging an id twice, or an unknown id, changes nothing.
- Subscriptions are independent: one's acknowledgments never hide an event from another.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import attrs
import pendulum

from edmscore.events._model import Event, Subscription
from edmscore.records.ports import UnitOfWork

__all__ = ["DueRow", "OutboxRepository", "OutboxStorage", "OutboxUnitOfWork", "overdue_key"]


def overdue_key(assignment_id: str, due: pendulum.Date) -> str:
    """The dedupe key of the overdue event of an assignment due on ``due``."""
    return f"overdue:{assignment_id}:{due.isoformat()}"


@attrs.frozen
class DueRow:
    """An open assignment as the deadline scan reads it: few columns, and whether its overdue
    event (:func:`overdue_key`) is already stored."""

    assignment_id: str
    card_id: str
    due: pendulum.Date
    executor_id: str
    controller_id: str | None
    overdue_emitted: bool
    #: The card's registration number (None: the card is missing).
    number: str | None = None
    #: Whether the card is ДСП (or missing): the event then says nothing of the content.
    restricted: bool = True


class OutboxRepository(Protocol):
    """The outbox: stored events and each subscription's acknowledgments."""

    def append(self, events: Sequence[Event]) -> int:
        """Store the events in order, skipping known dedupe keys and ids; the count stored."""
        ...

    def known_keys(self, dedupe_keys: Iterable[str]) -> set[str]:
        """Which of the dedupe keys are stored."""
        ...

    def subscribe(self, subscription: Subscription) -> None:
        """Add or replace a subscription (its acknowledgments stay)."""
        ...

    def subscription(self, name: str) -> Subscription:
        """The subscription named ``name``, or NotFound."""
        ...

    def read(self, name: str, limit: int, *, settled_before: pendulum.DateTime) -> Sequence[Event]:
        """Up to ``limit`` unacknowledged events the subscription matches, oldest first.

        ``settled_before`` bounds the bookkeeping: the adapter may stop looking again at events
        stored before that moment once they are acknowledged or not matched (events of a
        transaction still open then may still arrive with smaller sequence numbers).
        """
        ...

    def acknowledge(self, name: str, event_ids: Iterable[str]) -> int:
        """Mark events as delivered to the subscription; the count newly acknowledged."""
        ...

    def substitutions_of(self, official_id: str) -> Sequence[Any]:
        """The substitutions of ``official_id`` (:class:`edmscore.approval.Substitution`):
        what :func:`edmscore.events.substitution_deputies` reads."""
        ...

    def due_assignments(
        self,
        organisation_id: str,
        due_to: pendulum.Date,
        *,
        after: tuple[pendulum.Date, str] | None,
        limit: int,
        unreported_before: pendulum.Date | None = None,
    ) -> Sequence[DueRow]:
        """The organisation's open assignments due on or before ``due_to``, in (due, id) order
        after ``after``, at most ``limit`` (1..10000): what the deadline scan reads.

        With ``unreported_before``, an assignment due before that day is left out once its
        overdue event is stored (the periodic scan then reads only what may need an event).
        """
        ...


class OutboxUnitOfWork(UnitOfWork, Protocol):
    """A unit of work that also holds the outbox."""

    @property
    def outbox(self) -> OutboxRepository:
        """The outbox, in this unit of work."""
        ...


class OutboxStorage(Protocol):
    """A storage whose units of work hold the outbox."""

    def unit_of_work(self) -> OutboxUnitOfWork:
        """Open a unit of work."""
        ...


from edmscore._guard import guard_public  # noqa: E402

guard_public(globals())  # arguments of the wrong type are a WrongType, named
