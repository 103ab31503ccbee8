"""The outbox of domain events (:mod:`edmscore.events`) in the SQL adapter.

An event is a row of ``edms_outbox`` (its sequence number the primary key, its id and dedupe
key unique, the whole event as a document); a subscription is a row of
``edms_outbox_subscriptions`` with its floor, and each acknowledgment a row of
``edms_outbox_acks``. A subscription reads with one statement: events above its floor, of its
organisation, types and recipients, with no acknowledgment of it, in sequence order.

Sequence numbers are given at insert, and transactions may commit out of that order; so the
floor passes only events older than the reader's ``settled_before`` moment: an event of a
transaction still open then cannot be skipped for good.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pendulum
import sqlalchemy as sa

from edmscore.errors import NotFound, ValidationError
from edmscore.storage.sql import _schema as t
from edmscore.storage.sql._cards import micros
from edmscore.storage.sql._codec import decode_json, dumps, loads

if TYPE_CHECKING:
    from edmscore.events import Event, Subscription
    from edmscore.events.ports import DueRow
    from edmscore.storage.sql._storage import SqlUnitOfWork

__all__ = ["SqlOutbox", "event_row"]

_CHUNK = 500
_BATCH = 1000


def event_row(event: Event) -> dict[str, Any]:
    """The row of ``edms_outbox`` (but its sequence number) that stores ``event``."""
    return {
        "id": event.id,
        "organisation_id": event.organisation_id,
        "type": event.type.value,
        "at_us": micros(event.at),
        "recipients": "|" + "|".join(event.recipients) + "|" if event.recipients else "",
        "dedupe_key": event.dedupe_key,
        "document": dumps(event.to_primitive()),
    }


def _like(recipient: str) -> str:
    escaped = recipient.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%|{escaped}|%"


class SqlOutbox:
    """The outbox in ``edms_outbox``, ``edms_outbox_subscriptions`` and ``edms_outbox_acks``."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def append(self, events: Sequence[Event]) -> int:
        """Store the events, skipping known dedupe keys and ids; the count stored."""
        from edmscore.events import Event

        if not all(isinstance(event, Event) for event in events):
            raise ValidationError("events", "must be Events")
        rows = [event_row(e) for e in events]
        if len(rows) == 1:
            return int(self._uow.insert_ignoring_conflicts(t.outbox, rows[0]))
        statement = self._uow._cached(  # executemany with RETURNING: batched VALUES
            "outbox-many",
            lambda: (
                self._uow._insert(t.outbox)
                .on_conflict_do_nothing()
                .returning(t.outbox.c.seq, sort_by_parameter_order=True)
            ),
        )
        stored = 0
        for start in range(0, len(rows), _BATCH):  # batches of a size the driver takes whole
            stored += len(self._uow.execute(statement, rows[start : start + _BATCH]).all())
        return stored

    def known_keys(self, dedupe_keys: Iterable[str]) -> set[str]:
        """Which of the dedupe keys are stored."""
        keys = sorted(set(dedupe_keys))
        o = t.outbox.c
        found: set[str] = set()
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            statement = sa.select(o.dedupe_key).where(o.dedupe_key.in_(chunk))
            found.update(self._uow.execute(statement).scalars())
        return found

    def _stored(self, name: str) -> tuple[Subscription, int] | None:
        from edmscore.events import Subscription

        s = t.outbox_subscriptions.c
        row: Any = self._uow.execute(sa.select(s.document, s.floor).where(s.name == name)).first()
        if row is None:
            return None
        return Subscription.from_primitive(loads(row[0])), int(row[1])

    def subscribe(self, subscription: Subscription) -> None:
        """Add or replace a subscription; a changed filter reads again from the start."""
        from edmscore.events import Subscription

        if not isinstance(subscription, Subscription):
            raise ValidationError("subscription", "must be a Subscription")
        stored = self._stored(subscription.name)
        if stored is not None and stored[0] == subscription:
            return
        s = t.outbox_subscriptions.c
        document = dumps(subscription.to_primitive())
        if stored is None:
            self._uow.execute(
                sa.insert(t.outbox_subscriptions).values(
                    name=subscription.name, document=document, floor=0
                )
            )
        else:
            self._uow.execute(
                sa.update(t.outbox_subscriptions)
                .where(s.name == subscription.name)
                .values(document=document, floor=0)
            )

    def subscription(self, name: str) -> Subscription:
        """The subscription, or NotFound."""
        stored = self._stored(name)
        if stored is None:
            raise NotFound("subscription", name)
        return stored[0]

    def read(self, name: str, limit: int, *, settled_before: pendulum.DateTime) -> Sequence[Event]:
        """Up to ``limit`` unacknowledged matching events, oldest first (one SELECT)."""
        from edmscore.events import Event
        from edmscore.events.memory import check_limit

        check_limit(limit)
        stored = self._stored(name)
        if stored is None:
            raise NotFound("subscription", name)
        subscription, floor = stored
        o, a = t.outbox.c, t.outbox_acks.c
        acked = sa.exists().where(a.subscription == name, a.seq == o.seq)
        statement = sa.select(o.seq, o.document).where(
            o.seq > floor, o.organisation_id == subscription.organisation_id, ~acked
        )
        if subscription.types is not None:
            statement = statement.where(o.type.in_(sorted(x.value for x in subscription.types)))
        if subscription.recipients is not None:
            statement = statement.where(
                sa.or_(
                    *(
                        o.recipients.like(_like(r), escape="\\")
                        for r in sorted(subscription.recipients)
                    )
                )
            )
        rows: Any = self._uow.execute(statement.order_by(o.seq).limit(limit)).all()
        self._move_floor(name, floor, int(rows[0][0]) if rows else None, settled_before)
        return [Event.from_primitive(loads(row[1])) for row in rows]

    def _move_floor(
        self, name: str, floor: int, first: int | None, settled_before: pendulum.DateTime
    ) -> None:
        o = t.outbox.c
        if first is None:
            top = self._uow.scalar(sa.select(sa.func.max(o.seq)))
            if top is None:
                return
            bound = int(top) + 1
        else:
            bound = first
        unsettled = self._uow.scalar(
            sa.select(sa.func.min(o.seq)).where(
                o.seq > floor, o.seq < bound, o.at_us >= micros(settled_before)
            )
        )
        new_floor = (int(unsettled) if unsettled is not None else bound) - 1
        if new_floor > floor:
            s = t.outbox_subscriptions.c
            self._uow.execute(
                sa.update(t.outbox_subscriptions)
                .where(s.name == name, s.floor < new_floor)
                .values(floor=new_floor)
            )

    def acknowledge(self, name: str, event_ids: Iterable[str]) -> int:
        """Mark events as delivered to the subscription; the count newly acknowledged."""
        if self._stored(name) is None:
            raise NotFound("subscription", name)
        ids = sorted({i for i in event_ids if isinstance(i, str)})
        o = t.outbox.c
        done = 0
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            seqs = self._uow.execute(sa.select(o.seq).where(o.id.in_(chunk))).scalars().all()
            for seq in seqs:
                done += self._uow.insert_ignoring_conflicts(
                    t.outbox_acks, {"subscription": name, "seq": int(seq)}
                )
        return done

    def substitutions_of(self, official_id: str) -> Sequence[Any]:
        """The official's substitutions (what the default deputy look-up reads; one cached
        statement on the official's index)."""
        from edmscore.approval import Substitution

        s = t.substitutions.c

        def build() -> Any:
            return sa.select(s.document).where(s.official_id == sa.bindparam("key"))

        rows = self._uow.run("outbox-substitutions", build, {"key": official_id})
        return [decode_json(Substitution, row[0]) for row in rows]

    def due_assignments(
        self,
        organisation_id: str,
        due_to: pendulum.Date,
        *,
        after: tuple[pendulum.Date, str] | None,
        limit: int,
        unreported_before: pendulum.Date | None = None,
    ) -> Sequence[DueRow]:
        """Open assignments due by ``due_to`` in (due, id) order after ``after``: one range of
        the (organisation, due, id) index, each row with whether its overdue event is stored."""
        from edmscore.events.memory import check_scan_limit
        from edmscore.events.ports import DueRow

        check_scan_limit(limit)
        a, o, c = t.assignments.c, t.outbox.c, t.cards.c
        key = sa.literal("overdue:") + a.id + sa.literal(":") + a.due_key
        stored = sa.exists().where(o.dedupe_key == key)
        emitted = stored.label("emitted")
        statement = (
            sa.select(
                a.id,
                a.card_id,
                a.due_key,
                a.executor_id,
                a.controller_id,
                emitted,
                c.number,
                c.access,
            ).select_from(t.assignments.outerjoin(t.cards, c.id == a.card_id))
        ).where(
            a.organisation_id == organisation_id,
            a.due_key <= due_to.isoformat(),
            a.state == "open",
        )
        if unreported_before is not None:
            statement = statement.where(sa.or_(a.due_key >= unreported_before.isoformat(), ~stored))
        if after is not None:
            statement = statement.where(
                sa.tuple_(a.due_key, a.id) > sa.tuple_(sa.literal(after[0].isoformat()), after[1])
            )
        rows: Any = self._uow.execute(statement.order_by(a.due_key, a.id).limit(limit))
        return [
            DueRow(
                r[0],
                r[1],
                pendulum.Date.fromisoformat(r[2]),
                r[3],
                r[4],
                bool(r[5]),
                r[6],
                r[7] is None or r[7] == "dsp",
            )
            for r in rows
        ]
