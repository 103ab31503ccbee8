"""Acquaintance reminders come from the scheduler's scan: every working day after the sending
for each person who has not read the document, each reminder day once, none after reading."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from edmscore import FixedClock
from edmscore.storage.sql import SqlStorage, sqlite_engine

from ._world import START, WORKER, installation, register

REMINDER = "acquaintance.reminder"


def _reminders(edms: object, clock: FixedClock, day: pendulum.DateTime) -> list[tuple[str, ...]]:
    clock.set(day)
    edms.events.scan(WORKER)  # type: ignore[attr-defined]
    found = edms.events.read(WORKER, "sheets")  # type: ignore[attr-defined]
    edms.events.acknowledge(WORKER, "sheets", [e.id for e in found])  # type: ignore[attr-defined]
    return sorted((e.data["user_id"], e.data["due"], *e.recipients) for e in found)


@pytest.mark.parametrize("adapter", ["memory", "sqlite"])
def test_reminders_fall_on_working_days_once_each_and_stop_after_reading(
    adapter: str, tmp_path: Path
) -> None:
    clock = FixedClock(START)  # Monday 2 March 2026
    storage = None
    if adapter == "sqlite":
        storage = SqlStorage(sqlite_engine(tmp_path / "edms.sqlite", durable=False))
    edms = installation(storage, clock)
    edms.events.subscribe(WORKER, "sheets", types=[REMINDER])
    card_id = register(edms)
    edms.control.send_for_acquaintance("u-head", card_id, ["u-ex1", "u-ex2"], sheet_id="s1")
    assert _reminders(edms, clock, START.add(hours=2)) == []
    tuesday = START.add(days=1)
    assert _reminders(edms, clock, tuesday) == [
        ("u-ex1", "2026-03-03", "ex1"),
        ("u-ex2", "2026-03-03", "ex2"),
    ]
    assert _reminders(edms, clock, tuesday.add(hours=3)) == []  # a second scan: nothing new
    edms.control.acknowledge_acquaintance("u-ex1", "s1")
    assert _reminders(edms, clock, START.add(days=2)) == [("u-ex2", "2026-03-04", "ex2")]
    # A missed day's scan is made up by the latest reminder day, once
    assert _reminders(edms, clock, START.add(days=4)) == [("u-ex2", "2026-03-06", "ex2")]
    # Saturday, Sunday and 9 March (the holiday moved from 8 March) are days off
    assert _reminders(edms, clock, START.add(days=6)) == []
    assert _reminders(edms, clock, START.add(days=7)) == []
    assert _reminders(edms, clock, START.add(days=8)) == [("u-ex2", "2026-03-10", "ex2")]
    edms.control.acknowledge_acquaintance("u-ex2", "s1")
    assert _reminders(edms, clock, START.add(days=9)) == []
