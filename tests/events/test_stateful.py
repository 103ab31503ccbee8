"""The outbox under random use cases and host crashes between reading and acknowledging.

A host's delivery worker reads a batch, delivers a prefix of it (recording each event's id, as
a real host would before sending a push), and either acknowledges the whole batch or crashes
before acknowledging. Checked throughout and at the end: every event of a committed use case is
delivered, none of a failed one exists, and an event delivered twice carries the same id and the
same content (so the host, keeping the ids, delivers each exactly once).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pendulum
import pytest
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from edmscore import FixedClock
from edmscore.errors import EdmsError
from edmscore.events import Event, EventType, ScanSettings
from tests._adapters import StorageFactory, adapter_settings

from ._world import START, WORKER, impose, installation, register


class OutboxMachine(RuleBasedStateMachine):
    """Random use cases and host crashes over one installation."""

    factory: StorageFactory

    cards = Bundle("cards")
    assignments = Bundle("assignments")

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(START)
        self.edms = installation(self.factory(), self.clock)
        self.edms.events.subscribe(WORKER, "push")
        #: Every delivery the host made: event id → the event as first delivered.
        self.delivered: dict[str, Event] = {}
        self.deliveries = 0
        #: What the committed use cases must have produced, by (type, entity id).
        self.expected: Counter[tuple[str, str]] = Counter()
        self.reported: set[str] = set()

    @rule(target=cards, dsp=st.booleans())
    def register(self, dsp: bool) -> str:
        card_id = register(self.edms, dsp=dsp)
        self.expected[(EventType.CARD_REGISTERED.value, card_id)] += 1
        return card_id

    @rule(
        target=assignments,
        card_id=cards,
        executor=st.sampled_from(["ex1", "ex2"]),
        days=st.integers(1, 20),
    )
    def impose(self, card_id: str, executor: str, days: int) -> str:
        due = self.clock.now().date().add(days=days)
        (assignment_id,) = impose(self.edms, card_id, executor, due)
        self.expected[(EventType.ASSIGNMENT_ISSUED.value, assignment_id)] += 1
        return assignment_id

    @rule(assignment_id=assignments)
    def report(self, assignment_id: str) -> None:
        assignment = self.edms.control.get("u-head", assignment_id)
        try:
            self.edms.control.report(
                f"u-{assignment.executor_id}", assignment_id, assignment.version, "Исполнено"
            )
        except EdmsError:  # reported already: the failed use case must leave no event
            assert assignment_id in self.reported
            return
        assert assignment_id not in self.reported
        self.reported.add(assignment_id)
        self.expected[(EventType.ASSIGNMENT_REPORTED.value, assignment_id)] += 1

    @rule(days=st.integers(1, 6))
    def time_passes_and_the_host_scans(self, days: int) -> None:
        self.clock.set(self.clock.now().add(days=days))
        self.edms.events.scan(WORKER, ScanSettings(deadline_near=(3, 1)))

    @rule(limit=st.integers(1, 8), delivered=st.integers(0, 8), crash=st.booleans())
    def host_reads(self, limit: int, delivered: int, crash: bool) -> None:
        batch = self.edms.events.read(WORKER, "push", limit)
        assert len(batch) <= limit
        for event in batch[:delivered]:
            self._deliver(event)
        if crash:
            return  # the host died before acknowledging: the batch comes again
        for event in batch[delivered:]:
            self._deliver(event)
        assert self.edms.events.acknowledge(WORKER, "push", [e.id for e in batch]) == len(batch)

    def _deliver(self, event: Event) -> None:
        self.deliveries += 1
        first = self.delivered.setdefault(event.id, event)
        assert first == event and dict(first.data) == dict(event.data)  # same key, same event

    @invariant()
    def dsp_content_never_leaves(self) -> None:
        for event in self.delivered.values():
            if event.restricted:
                assert not {"summary", "text"} & set(event.data)

    @rule()
    def host_drains_and_everything_arrived(self) -> None:
        self._drain()
        found = Counter((e.type.value, e.entity_id) for e in self.delivered.values())
        for key, count in self.expected.items():
            assert found[key] == count, key
        scheduled = Counter(
            (e.entity_id, e.data["due"])
            for e in self.delivered.values()
            if e.type is EventType.ASSIGNMENT_OVERDUE
        )
        assert all(n == 1 for n in scheduled.values())  # overdue once per assignment and due

    def _drain(self) -> None:
        for _ in range(1000):
            batch = self.edms.events.read(WORKER, "push", 100)
            if not batch:
                return
            for event in batch:
                self._deliver(event)
            self.edms.events.acknowledge(WORKER, "push", [e.id for e in batch])
        raise AssertionError("the outbox never drained")

    def teardown(self) -> None:
        self._drain()
        found = Counter((e.type.value, e.entity_id) for e in self.delivered.values())
        for key, count in self.expected.items():
            assert found[key] == count, key
        assert not {e.entity_id for e in self.delivered.values()} & {"", None}


def test_outbox_delivers_every_event_once_per_key(
    new_storage: StorageFactory, storage_adapter: str
) -> None:
    machine: Any = type("Machine", (OutboxMachine,), {"factory": staticmethod(new_storage)})
    run_state_machine_as_test(machine, settings=adapter_settings(storage_adapter, 25))


def test_scan_never_emits_twice_over_days() -> None:
    clock = FixedClock(START)
    edms = installation(None, clock)
    card_id = register(edms)
    (assignment_id,) = impose(edms, card_id, "ex1", pendulum.Date(2026, 3, 6))
    edms.events.subscribe(
        WORKER,
        "scan",
        types=[t for t in EventType if "deadline" in t.value or t is EventType.ASSIGNMENT_OVERDUE],
    )
    seen: list[tuple[str, str]] = []
    for day in range(14):
        moment = START.add(days=day)
        for _ in range(2):  # overlapping runs of the same day
            edms.events.scan(WORKER, now=moment)
        batch = edms.events.read(WORKER, "scan", 100)
        edms.events.acknowledge(WORKER, "scan", [e.id for e in batch])
        seen.extend(
            (e.type.value, e.data.get("days", "")) for e in batch if e.entity_id == assignment_id
        )
    # Mon 2 March 2026, due Fri 6 March: 4 working days ahead → near(3) on Tue, near(1) on Thu,
    # overdue on Mon 9 March (the first day after the deadline), each once.
    assert seen == [
        ("assignment.deadline_near", "3"),
        ("assignment.deadline_near", "1"),
        ("assignment.overdue", ""),
    ]


@pytest.mark.parametrize("dsp", [False, True])
def test_events_name_recipients_and_hold_back_dsp_content(dsp: bool) -> None:
    edms = installation()
    card_id = register(edms, dsp=dsp, summary="О мерах поддержки")
    (assignment_id,) = impose(
        edms, card_id, "ex1", pendulum.Date(2026, 3, 20), text="Подготовить ответ"
    )
    edms.events.subscribe(WORKER, "ex1", recipients=["ex1"])
    (issued,) = edms.events.read(WORKER, "ex1")
    assert issued.type is EventType.ASSIGNMENT_ISSUED and issued.entity_id == assignment_id
    assert issued.recipients == ("ex1", "ctl")
    assert issued.restricted is dsp
    assert ("text" in issued.data) is not dsp and issued.data["due"] == "2026-03-20"
    assert issued.actor_id == "u-head"
