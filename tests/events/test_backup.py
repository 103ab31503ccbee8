"""The outbox travels in backup bundles: events with their ids, subscriptions with their
acknowledgments, from the in-memory adapter into SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pendulum

from edmscore import Edms, FixedClock
from edmscore.storage.sql import SqlStorage, sqlite_engine

from ._world import START, WORKER, impose, installation, register


def test_a_restored_installation_reads_on_where_the_host_stopped(tmp_path: Path) -> None:
    clock = FixedClock(START)
    old = installation(None, clock)
    old.events.subscribe(WORKER, "push", types=["card.registered", "assignment.issued"])
    first = register(old)
    impose(old, first, "ex1", pendulum.Date(2026, 3, 20))
    delivered = old.events.read(WORKER, "push")
    assert old.events.acknowledge(WORKER, "push", [e.id for e in delivered]) == 2
    second = register(old, dsp=True)
    waiting = old.events.read(WORKER, "push")
    assert [e.entity_id for e in waiting] == [second]

    old.backups.backup("admin", tmp_path / "bundle")
    new = Edms(SqlStorage(sqlite_engine(tmp_path / "edms.sqlite", durable=False)), clock=clock)
    report = new.backups.restore("admin", [tmp_path / "bundle"])
    assert report.counts["outbox_events"] > 2 and report.counts["outbox_subscriptions"] == 1
    assert new.events.read(WORKER, "push") == waiting
    a: Any
    b: Any
    with old.storage.unit_of_work() as a, new.storage.unit_of_work() as b:
        assert list(a.export_records("outbox_events")) == list(b.export_records("outbox_events"))
