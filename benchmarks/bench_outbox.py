"""Domain events: the cost of the transactional outbox, and the periodic deadline scan.

1. On PostgreSQL, a registration followed by a resolution with one assignment (two use cases,
   two units of work), through ``Edms`` with events (each commit also maps its audit entries to
   events and inserts them into ``edms_outbox``) and through ``Edms(events=False)`` on a
   second schema of the same server, in alternating rounds; the medians per pair and their
   ratio (aim ≤ 1.15×).
2. ``--assignments`` assignments (default 1,000,000) bulk-loaded into PostgreSQL, spread over
   states and two years of deadlines; the first scan (which stores an overdue event for every
   open assignment already past its deadline), then the periodic scan (every event already
   stored: what a host's quarter-hourly run costs) side by side with the plain SQL that selects
   the same rows (open, of the organisation, due by the horizon, in deadline order) fetched
   whole by the driver; the ratio of the periodic scan (aim ≤ 1.5×).

PostgreSQL: ``EDMS_PG_DSN`` if set, else a throw-away cluster (see ``bench_storage.py``).
Run: ``python benchmarks/bench_outbox.py [--pairs N] [--assignments N]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import pendulum
import sqlalchemy as sa
from bench_storage import bulk_load_assignments, fresh_schema, postgres_server

from edmscore import (
    Clearance,
    Edms,
    FixedClock,
    Official,
    Organisation,
    PersonName,
    RegistrationRequest,
    User,
)
from edmscore.control import ItemRequest, ResolutionRequest
from edmscore.events import ScanSettings
from edmscore.registry import CardDetails, CardKind, Correspondent, Journal
from edmscore.storage.sql import SqlStorage

ZONE = "Europe/Moscow"
START = pendulum.datetime(2026, 3, 2, 10, tz=ZONE)


class _TickingClock(FixedClock):
    """A millisecond later at every reading."""

    def now(self) -> pendulum.DateTime:
        return self.advance(microseconds=1000)


def installation(engine: sa.Engine, *, events: bool) -> Edms:
    """An organisation "org" with a head (registrar too), an executor and a delivery worker."""
    edms = Edms(SqlStorage(engine), clock=_TickingClock(START), events=events)
    org = Organisation("org", "Правительство области", timezone=ZONE, code="ПО")
    admin = edms.setup(org, User("admin", "admin", org.id))
    for key, roles in (("head", ("head", "registrar")), ("ex", ("executor",))):
        name = PersonName.parse("Орлов Василий Александрович")
        edms.admin.put_official(admin.id, Official(key, org.id, name, "должность"))
        user = User(f"u-{key}", key, org.id, key, Clearance.DSP, roles=roles)
        edms.admin.put_user(admin.id, user)
    edms.admin.put_user(admin.id, User("u-worker", "worker", org.id, None, roles=("integration",)))
    journal = Journal("in", org.id, "ВХ", "Входящие", "{seq}-вх", {CardKind.INCOMING})
    edms.admin.create_journal(admin.id, journal)
    return edms


def pair(edms: Edms, n: int) -> None:
    """Register a letter and give one assignment on it."""
    details = CardDetails(
        kind=CardKind.INCOMING,
        document_kind="Письмо",
        summary=f"О плане мероприятий № {n}",
        correspondents=(Correspondent("Министерство экономического развития РФ"),),
        received_on=pendulum.Date(2026, 3, 2),
    )
    card = edms.records.register("u-head", RegistrationRequest("in", details))
    item = ItemRequest("ex", "Подготовить предложения", pendulum.Date(2026, 3, 20))
    edms.control.impose("u-head", ResolutionRequest(card.id, "head", "Прошу исполнить", (item,)))


def bench_use_cases(url: str, pairs: int) -> float:
    with_events = installation(fresh_schema(url)[0], events=True)
    without = installation(fresh_schema(url)[0], events=False)
    for edms in (with_events, without):  # warm up: statement caches, connection pools
        for n in range(20):
            pair(edms, n)
    rounds, size = max(1, pairs // 25), 25
    times: dict[bool, list[float]] = {True: [], False: []}
    for r in range(rounds):
        for flag, edms in ((True, with_events), (False, without))[:: 1 if r % 2 else -1]:
            start = time.perf_counter()
            for n in range(size):
                pair(edms, 1000 + r * size + n)
            times[flag].append((time.perf_counter() - start) / size * 1000)
    on, off = statistics.median(times[True]), statistics.median(times[False])
    print(f"registration + assignment, {rounds * size} pairs each, median per pair:")
    print(f"  with the outbox    {on:7.2f} ms")
    print(f"  without events     {off:7.2f} ms")
    ratio = on / off
    print(f"  ratio              {ratio:7.2f}×  (aim ≤ 1.15×)")
    sql: Any = with_events.storage
    with sql.unit_of_work() as uow:
        stored = uow.execute(sa.text("SELECT count(*) FROM edms_outbox")).scalar()
    print(f"  events stored      {stored:,}")
    return ratio


def bench_scan(url: str, count: int) -> float:
    engine, _ = fresh_schema(url)
    edms = installation(engine, events=True)
    start = time.perf_counter()
    bulk_load_assignments(engine, count)
    print(f"\n{count:,} assignments bulk-loaded in {time.perf_counter() - start:.0f} s")
    now = pendulum.datetime(2026, 3, 2, 10, tz=ZONE)
    settings = ScanSettings(deadline_near=(3, 1))
    horizon = edms.calendar.add_working_days(now.date(), 3).isoformat()
    start = time.perf_counter()
    first = edms.events.scan("u-worker", settings, now=now)
    print(
        f"first scan: {first.assignments_seen:,} open assignments due by {horizon} read, "
        f"{first.total:,} events stored, {time.perf_counter() - start:.1f} s"
    )
    sql = sa.text(
        "SELECT id, card_id, due_key, executor_id, controller_id FROM edms_assignments "
        "WHERE organisation_id = 'org' AND due_key <= :h AND state = 'open' "
        "ORDER BY due_key, id"
    )

    def plain() -> int:
        with engine.connect() as conn:
            return len(conn.execute(sql, {"h": horizon}).all())

    def periodic() -> Any:
        return edms.events.scan("u-worker", settings, now=now)

    assert plain() == first.assignments_seen
    scans, selects = [], []
    for _ in range(5):
        start = time.perf_counter()
        report = periodic()
        scans.append(time.perf_counter() - start)
        assert report.total == 0
        start = time.perf_counter()
        plain()
        selects.append(time.perf_counter() - start)
    scan, select = statistics.median(scans), statistics.median(selects)
    print(f"periodic scan (nothing new), median of 5:  {scan * 1000:8.0f} ms")
    print(f"plain SQL selecting the same rows:         {select * 1000:8.0f} ms")
    ratio = scan / select
    print(f"ratio                                      {ratio:8.2f}×  (aim ≤ 1.5×)")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--assignments", type=int, default=1_000_000)
    args = parser.parse_args()
    with postgres_server() as url:
        bench_use_cases(url, args.pairs)
        bench_scan(url, args.assignments)


if __name__ == "__main__":
    main()
