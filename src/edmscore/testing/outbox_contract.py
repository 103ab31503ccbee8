"""The outbox contract: one suite every storage that keeps domain events passes.

Subclass :class:`OutboxContract` in a pytest module, name the subclass ``Test…`` and implement
the one factory hook::

    from edmscore.testing.outbox_contract import OutboxContract

    class TestMyOutbox(OutboxContract):
        def make_storage(self):
            return MyStorage(dsn=...)      # fresh and empty; units of work hold .outbox

:func:`make_event` builds a valid event. Needs the ``testing`` extra (pytest).
"""

from __future__ import annotations

from edmscore.errors import MissingDependency

try:  # the testing extra
    import pytest
except ModuleNotFoundError as exc:
    raise MissingDependency(exc.name or "pytest", "testing") from exc

from typing import Any

import pendulum

from edmscore._ids import new_id
from edmscore.control import AssignmentState
from edmscore.errors import NotFound, ValidationError
from edmscore.events import Event, EventType, Subscription, overdue_key
from edmscore.testing._builders import make_card, make_world, store_world
from edmscore.testing.control_builders import make_assignment

__all__ = ["T0", "OutboxContract", "make_event"]

#: The moment of the contract's events.
T0 = pendulum.datetime(2026, 3, 2, 9, 30, tz="Europe/Moscow")
#: A ``settled_before`` that lets a subscription's bookkeeping pass every event of the suite.
LATER = T0.add(days=1)


def make_event(
    *,
    organisation_id: str = "org",
    type_: EventType = EventType.ASSIGNMENT_ISSUED,
    recipients: tuple[str, ...] = ("executor",),
    at: pendulum.DateTime = T0,
    dedupe_key: str | None = None,
) -> Event:
    """A valid event about a new assignment."""
    return Event(
        id=new_id(),
        type=type_,
        at=at,
        organisation_id=organisation_id,
        entity_type="assignment",
        entity_id=new_id(),
        recipients=recipients,
        data={"due": "2026-03-10"},
        dedupe_key=dedupe_key,
    )


class OutboxContract:
    """The outbox contract; subclasses implement :meth:`make_storage`."""

    def make_storage(self) -> Any:
        """Return a fresh, empty storage whose units of work hold ``outbox``."""
        raise NotImplementedError

    def _append(self, storage: Any, *events: Event) -> int:
        with storage.unit_of_work() as uow:
            stored: int = uow.outbox.append(list(events))
            uow.commit()
        return stored

    def _subscribe(self, storage: Any, subscription: Subscription) -> None:
        with storage.unit_of_work() as uow:
            uow.outbox.subscribe(subscription)
            uow.commit()

    def _read(self, storage: Any, name: str, limit: int = 1000) -> list[Event]:
        with storage.unit_of_work() as uow:
            found = list(uow.outbox.read(name, limit, settled_before=LATER))
            uow.commit()
        return found

    def _ack(self, storage: Any, name: str, *events: Event) -> int:
        with storage.unit_of_work() as uow:
            done: int = uow.outbox.acknowledge(name, [e.id for e in events])
            uow.commit()
        return done

    def test_events_read_back_in_order_equal_until_acknowledged(self) -> None:
        storage = self.make_storage()
        self._subscribe(storage, Subscription("push", "org"))
        events = [make_event(at=T0.add(minutes=i)) for i in range(5)]
        assert self._append(storage, *events[:3]) == 3
        assert self._append(storage, *events[3:]) == 2
        read = self._read(storage, "push")
        assert [e.id for e in read] == [e.id for e in events]
        assert read == events and [dict(e.data) for e in read] == [dict(e.data) for e in events]
        assert self._read(storage, "push", limit=2) == events[:2]
        assert self._ack(storage, "push", *events[:2]) == 2
        assert self._read(storage, "push") == events[2:]
        assert self._ack(storage, "push", *events[:3]) == 1  # idempotent
        assert self._read(storage, "push") == events[3:]

    def test_a_rolled_back_unit_stores_no_event(self) -> None:
        storage = self.make_storage()
        self._subscribe(storage, Subscription("push", "org"))
        with storage.unit_of_work() as uow:
            uow.outbox.append([make_event()])
            uow.rollback()
        with storage.unit_of_work() as uow:
            uow.outbox.append([make_event()])  # left without commit
        assert self._read(storage, "push") == []

    def test_one_event_per_dedupe_key_and_id(self) -> None:
        storage = self.make_storage()
        first = make_event(dedupe_key="near:a:2026-03-10:3")
        again = make_event(dedupe_key="near:a:2026-03-10:3")
        assert self._append(storage, first) == 1
        assert self._append(storage, again, first) == 0
        with storage.unit_of_work() as uow:
            keys = uow.outbox.known_keys(["near:a:2026-03-10:3", "near:b:2026-03-10:3"])
            assert keys == {"near:a:2026-03-10:3"}
        self._subscribe(storage, Subscription("push", "org"))
        assert self._read(storage, "push") == [first]

    def test_subscriptions_are_independent_and_filter(self) -> None:
        storage = self.make_storage()
        issued = make_event(recipients=("ivanov", "petrov"))
        overdue = make_event(type_=EventType.ASSIGNMENT_OVERDUE, recipients=("sidorov",))
        other = make_event(organisation_id="other-org", recipients=("ivanov",))
        tricky = make_event(recipients=("ivanov_x",))  # a LIKE wildcard in an id must not match
        self._append(storage, issued, overdue, other, tricky)
        self._subscribe(storage, Subscription("all", "org"))
        self._subscribe(storage, Subscription("ivanov", "org", recipients={"ivanov"}))
        self._subscribe(storage, Subscription("late", "org", types={EventType.ASSIGNMENT_OVERDUE}))
        self._subscribe(storage, Subscription("i%", "org", recipients={"ivanov%", "iva_ov"}))
        assert self._read(storage, "all") == [issued, overdue, tricky]
        assert self._read(storage, "ivanov") == [issued]
        assert self._read(storage, "late") == [overdue]
        assert self._read(storage, "i%") == []
        self._ack(storage, "all", issued, overdue, tricky)
        assert self._read(storage, "all") == []
        assert self._read(storage, "ivanov") == [issued]

    def test_a_changed_filter_reads_every_unacknowledged_match_again(self) -> None:
        storage = self.make_storage()
        a = make_event(recipients=("a",))
        b = make_event(recipients=("b",))
        c = make_event(recipients=("a",))
        self._append(storage, a, b, c)
        self._subscribe(storage, Subscription("s", "org", recipients={"a"}))
        assert self._read(storage, "s") == [a, c]
        self._ack(storage, "s", a, c)
        assert self._read(storage, "s") == []
        self._subscribe(storage, Subscription("s", "org", recipients={"a", "b"}))
        assert self._read(storage, "s") == [b]
        with storage.unit_of_work() as uow:
            assert uow.outbox.subscription("s").recipients == {"a", "b"}

    def test_events_after_the_bookkeeping_moved_are_read(self) -> None:
        storage = self.make_storage()
        self._subscribe(storage, Subscription("s", "org", recipients={"a"}))
        skipped = [make_event(recipients=("z",)) for _ in range(3)]
        self._append(storage, *skipped)
        assert self._read(storage, "s") == []
        late = make_event(recipients=("a",), at=T0.subtract(hours=1))
        self._append(storage, late)
        assert self._read(storage, "s") == [late]

    def test_unsettled_events_are_not_passed_over(self) -> None:
        storage = self.make_storage()
        self._subscribe(storage, Subscription("s", "org"))
        fresh = make_event(at=T0)
        self._append(storage, fresh)
        with storage.unit_of_work() as uow:
            assert uow.outbox.read("s", 10, settled_before=T0.subtract(hours=1)) == [fresh]
            uow.outbox.acknowledge("s", [fresh.id])
            assert uow.outbox.read("s", 10, settled_before=T0.subtract(hours=1)) == []
            uow.commit()
        assert self._read(storage, "s") == []

    def test_unknown_subscription_and_bad_limits(self) -> None:
        storage = self.make_storage()
        with storage.unit_of_work() as uow:
            with pytest.raises(NotFound):
                uow.outbox.read("nope", 10, settled_before=LATER)
            with pytest.raises(NotFound):
                uow.outbox.acknowledge("nope", ["x"])
            with pytest.raises(NotFound):
                uow.outbox.subscription("nope")
            uow.outbox.subscribe(Subscription("s", "org"))
            for limit in (0, 1001, True):
                with pytest.raises(ValidationError):
                    uow.outbox.read("s", limit, settled_before=LATER)
            assert uow.outbox.acknowledge("s", ["unknown"]) == 0

    def test_due_assignments_in_order_with_the_overdue_mark(self) -> None:
        storage = self.make_storage()
        world = store_world(storage, make_world("org"))
        card = make_card(world.journal.id, "1")
        day = pendulum.Date(2026, 3, 10)
        due_days = [day.add(days=n) for n in (3, -5, 0, 1, 30)]
        assignments = [
            make_assignment(card.id, due=d, issued_on=day.subtract(days=20)) for d in due_days
        ]
        done = make_assignment(card.id, due=day, completed_on=day, issued_on=day.subtract(days=20))
        cancelled = make_assignment(
            card.id, due=day, state=AssignmentState.CANCELLED, issued_on=day.subtract(days=20)
        )
        foreign = make_assignment(card.id, due=day, organisation_id="other")
        with storage.unit_of_work() as uow:
            uow.cards.add(card)
            for assignment in (*assignments, done, cancelled, foreign):
                uow.assignments.add(assignment)
            uow.commit()
        overdue = assignments[1]
        assert overdue.due is not None
        self._append(storage, make_event(dedupe_key=overdue_key(overdue.id, overdue.due)))
        with storage.unit_of_work() as uow:
            rows = list(uow.outbox.due_assignments("org", day.add(days=3), after=None, limit=100))
            wanted = sorted(assignments[:4], key=lambda a: (a.due, a.id))
            assert [r.assignment_id for r in rows] == [a.id for a in wanted]
            assert [r.overdue_emitted for r in rows] == [a is overdue for a in wanted]
            assert all(r.card_id == card.id and r.executor_id == "executor" for r in rows)
            first = list(uow.outbox.due_assignments("org", day.add(days=3), after=None, limit=2))
            rest = uow.outbox.due_assignments(
                "org", day.add(days=3), after=(first[-1].due, first[-1].assignment_id), limit=100
            )
            assert first + list(rest) == rows
            with pytest.raises(ValidationError):
                uow.outbox.due_assignments("org", day, after=None, limit=0)

    def test_due_assignments_leave_out_the_reported_overdue_ones_when_asked(self) -> None:
        storage = self.make_storage()
        world = store_world(storage, make_world("org"))
        card = make_card(world.journal.id, "1")
        day = pendulum.Date(2026, 3, 10)
        early = make_assignment(card.id, due=day.subtract(days=3), issued_on=day.subtract(days=20))
        told = make_assignment(card.id, due=day.subtract(days=2), issued_on=day.subtract(days=20))
        near = make_assignment(card.id, due=day.add(days=1), issued_on=day.subtract(days=20))
        with storage.unit_of_work() as uow:
            uow.cards.add(card)
            for assignment in (early, told, near):
                uow.assignments.add(assignment)
            uow.commit()
        assert told.due is not None
        self._append(storage, make_event(dedupe_key=overdue_key(told.id, told.due)))
        with storage.unit_of_work() as uow:
            rows = uow.outbox.due_assignments(
                "org", day.add(days=3), after=None, limit=100, unreported_before=day
            )
            assert [r.assignment_id for r in rows] == [early.id, near.id]
            assert [(r.number, r.restricted) for r in rows] == [("1", False), ("1", False)]
